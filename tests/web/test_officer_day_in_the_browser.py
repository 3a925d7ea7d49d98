"""A whole officer day and a citizen's in headless Chromium, one module and one live server: intake at the
counter with "Tiếp nhận và in giấy hẹn" (slip 1 offered at once); the citizen signs in on the portal, finds
the procedure in the catalogue, fills the online filing form, uploads the required files (scanned by a real
clamd when it is installed), reviews and submits, and reads the dossier code; the counter receives THAT dossier
online and forwards it to a NAMED specialist who finds it under "Được giao cho tôi" and asks for a supplement,
which the citizen uploads on their dossier page; the leader approves and signs the result on the dossier page
(personal certificate, PKCS#12 with a passphrase), the clerk applies the agency seal, and the result read back
carries both signatures, valid (the project's verifier and poppler's pdfsig); the counter returns it
(confirming the unpaid fee); the citizen sees the result and rates it. axe-core runs on every page visited and
finds no serious or critical violation, in the default view, in high contrast with A+ text (the site's own
cookies) and 375 px wide, in Vietnamese and in English."""
import base64

import pytest
from playwright.sync_api import expect

from motcua.dossiers import clamav
from motcua.dossiers.models import Attachment, Channel, Dossier, Status
from motcua.signing import services as signing

from ..dossiers.test_uploads_virus_scan import clamd  # noqa: F401 (the project's own clamd, session-wide)
from ..signing import pki as testpki
from ..signing.conftest import pdfsig, pki  # noqa: F401 (the local test PKI: CA, OCSP, CRL, TSA)
from ..signing.samples import make_pdf
from .conftest import axe_violations, login, shot, submit
from .test_phone_width_and_high_contrast import REGIONS

pytestmark = pytest.mark.django_db(transaction=True)

VIEWS = [("default", {}, 1280), ("contrast-A+", {"motcua_contrast": "1", "motcua_size": "l"}, 1280),
         ("375px", {}, 375)]
SITE = {"django_language": "vi", "motcua_contrast": "0", "motcua_size": "m"}


@pytest.fixture(autouse=True)
def _signing_settings(settings, pki):  # noqa: F811
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.root_pem_path)]
    settings.MOTCUA_SIGNING_TSA_URL = pki.tsa_url
    settings.MOTCUA_SIGNING_FETCH_ALLOW = [pki.base_url.removeprefix("http://")]


@pytest.fixture
def scanning(settings, request):
    """Uploads scanned by a real clamd (the project's own config) when clamd is installed, as in production;
    without it scanning stays off, as in the other browser tests."""
    if clamav.clamd_binary() is None:
        return False
    settings.MOTCUA_VIRUS_SCAN = "required"
    settings.MOTCUA_CLAMD_SOCKET = request.getfixturevalue("clamd")
    return True


def _cookies(page, values):
    page.context.add_cookies([{"name": k, "value": v, "url": page.url} for k, v in values.items()])


def check_everywhere(page, where, arrive=None):
    """axe on the current page in the three views and both languages; the page is left as it was, in the
    default view in Vietnamese. `arrive(page)` brings the page back to the state checked (default: load its
    address again; a page that answers a POST is reached by posting again)."""
    url, problems = page.url, []
    arrive = arrive or (lambda p: p.goto(url))
    for lang in ("vi", "en"):
        for view, cookies, width in VIEWS:
            _cookies(page, {**SITE, "django_language": lang, **cookies})
            page.set_viewport_size({"width": width, "height": 900})
            arrive(page)
            problems += [f"{where} [{lang}, {view}]: {v}" for v in axe_violations(page)]
            wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if wide > 0:
                problems.append(f"{where} [{lang}, {view}]: the page scrolls sideways by {wide} px")
            if width == 375:
                problems += [f"{where} [{lang}, {view}]: a table outside a keyboard-reachable named region: {r}"
                             for r in page.evaluate(REGIONS) if r is None or r[:2] != ["0", "region"] or not r[2]]
    _cookies(page, SITE)
    page.set_viewport_size({"width": 1280, "height": 900})
    arrive(page)
    return problems


def act(page, action, reason=None, check=(), **fields):
    details = page.locator(f"details[data-act={action}]")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    if reason is not None:
        form.locator("textarea[name=reason]").fill(reason)
    for value in check:
        form.locator(f"input[name=components][value='{value}']").check()
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.check()
    submit(page, form.locator(f"button[data-action={action}]"))
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").first.inner_text()


def file_online(page, proc, files):
    """The filing form of `proc`, filled as the citizen would, then "Xem lại hồ sơ": the review page."""
    page.goto(f"/thu-tuc/{proc.code}/nop/")
    page.fill("#name", "Trần Văn Bình")
    page.fill("#idn", "001203004567")
    page.fill("#addr", "5 Lê Lợi, Hà Đông")
    page.fill("#phone", "0912 345 678")
    page.fill("#req", "Cấp phép xây nhà ở 3 tầng")
    for component, path in files.items():
        page.set_input_files(f"#c{component.id}", str(path))
    submit(page, "main form:has(input[name=step][value=review]) button[type=submit]")
    assert page.locator("main form:has(input[name=step][value=confirm])").count() == 1, page.content()[:3000]


def sign_step(page, step, key, file=None):
    """One step of the result's signing plan from the dossier page's signing panel."""
    form = page.locator(f"form:has(button[data-action=sign_result][data-step={step}])")
    if file is not None:
        form.locator("input[name=file]").set_input_files(str(file))
    else:
        assert form.locator("input[name=file]").count() == 0        # the seal goes on the leader's own file
    form.locator("select[name=key_id]").select_option(str(key.pk))
    form.locator("input[name=pin]").fill(testpki.P12_PASSWORD)
    with page.expect_navigation(timeout=90000):   # signing asks the TSA and OCSP: slow on a loaded machine
        form.locator("button[data-action=sign_result]").click(no_wait_after=True)
    page.wait_for_load_state()
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").first.inner_text()


def test_an_officer_day_and_a_citizen_day(new_page, province, actors, pki, scanning, tmp_path):  # noqa: F811
    from playwright.sync_api import expect
    problems = []
    leader_key = signing.register_key(
        actors["leader"], province.sxd.code, label="Chữ ký số Giám đốc", kind="personal", holder=province.leader,
        holder_name="Nguyễn Văn Giám", holder_title="Phó Giám đốc", authority="KT. Giám đốc", source="pkcs12",
        config={"data_b64": base64.b64encode(pki.leader.p12()).decode()}, secrets={"pin": testpki.P12_PASSWORD})
    seal_key = signing.register_key(
        actors["admin"], province.sxd.code, label="Con dấu Sở Xây dựng", kind="organisation", source="pkcs12",
        config={"data_b64": base64.b64encode(pki.agency.p12()).decode()}, secrets={"pin": testpki.P12_PASSWORD})
    files = {}
    for comp in province.proc.components.order_by("order"):
        files[comp] = tmp_path / f"thanh-phan-{comp.order}.pdf"
        files[comp].write_bytes(make_pdf(1, f"THANH PHAN {comp.order}"))
    supplement = tmp_path / "ban-ve-bo-sung.pdf"
    supplement.write_bytes(make_pdf(2, "BAN VE BO SUNG"))
    result = tmp_path / "giay-phep.pdf"
    result.write_bytes(make_pdf(1, "GIAY PHEP XAY DUNG"))

    # ---- counter: intake, one click receives and offers slip 1
    o = new_page()
    o.goto("/dang-nhap/")
    problems += check_everywhere(o, "login")
    login(o, "tiepnhan", "pw-tiepnhan")
    o.goto("/can-bo/")
    problems += check_everywhere(o, "worklist")
    o.goto(f"/can-bo/tiep-nhan/?procedure={province.proc.code}")
    problems += check_everywhere(o, "intake")
    submit(o, "text=Tiếp nhận và in giấy hẹn")            # no name: every error at once, focus on the first
    assert o.locator("#error-summary").is_visible()
    assert o.evaluate("document.activeElement.id") == "name"
    problems += check_everywhere(o, "intake with errors")
    o.fill("#name", "Lê Thị Cúc")
    o.fill("#phone", "0909 111 222")
    submit(o, "text=Tiếp nhận và in giấy hẹn")
    counter = Dossier.objects.get(applicant_name="Lê Thị Cúc")
    assert counter.status == Status.RECEIVED
    assert o.evaluate("document.activeElement.id") == "print-slip-1"
    resp = o.request.get(o.locator("#print-slip-1").get_attribute("href"))
    assert resp.ok and resp.headers["content-type"] == "application/pdf"
    problems += check_everywhere(o, "dossier page, slip offered")

    # ---- the citizen files online: catalogue, procedure, form with the files, review, submit, the code
    c = new_page()
    login(c, "congdan", "pw-congdan")
    c.goto("/thu-tuc/")
    problems += check_everywhere(c, "catalogue")
    c.fill("#cat-q", "giay phep xay dung")                 # without accents, the results follow the typing
    expect(c.locator("#results")).not_to_contain_text(province.proc_stp.name)
    c.locator("#cat-q").blur()       # leaving the field is a "change", a search too: let it land before clicking
    expect(c.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    submit(c, f"#results a[href='/thu-tuc/{province.proc.code}/']")
    problems += check_everywhere(c, "procedure page")
    submit(c, f"main a[href='/thu-tuc/{province.proc.code}/nop/']")
    problems += check_everywhere(c, "online filing form")
    file_online(c, province.proc, files)
    assert not Dossier.objects.filter(channel=Channel.ONLINE).exists()      # the review stores no dossier
    problems += check_everywhere(c, "review before filing", arrive=lambda p: file_online(p, province.proc, files))
    submit(c, "main form:has(input[name=step][value=confirm]) button[type=submit]")
    code = c.locator("#dossier-code").inner_text()
    online = Dossier.objects.get(code=code)
    assert (online.channel, online.owner_id, online.status) == (Channel.ONLINE, province.citizen.pk, Status.NEW)
    assert f"Mã hồ sơ: {code}; mã tra cứu: {online.lookup_secret}" in c.locator("div.msg.success").inner_text()
    stored = list(Attachment.objects.filter(dossier=online).order_by("filename"))
    assert [a.filename for a in stored] == ["thanh-phan-1.pdf", "thanh-phan-2.pdf"]
    assert all(a.available for a in stored), [(a.filename, a.scan) for a in stored]
    if scanning:
        assert {a.scan for a in stored} == {"clean"}
    problems += check_everywhere(c, "citizen's new dossier")

    # ---- the counter receives that dossier online and forwards it to a named specialist
    o.goto("/can-bo/?list=to_receive")
    assert "đã chờ" in o.locator(f"tr[data-code='{code}']").inner_text()
    submit(o, f"#worklist a:has-text('{code}')")
    assert o.locator("details[data-act=receive]").get_attribute("open") is not None
    for a in stored:
        assert o.locator(f"a[href='/tep/{a.pk}/']").count() >= 1, a.filename      # the files, downloadable
    problems += check_everywhere(o, "new online dossier")
    act(o, "receive")
    act(o, "forward", assignee=str(province.specialist.pk))
    assert online.steps.get(order=2).assignee_id == province.specialist.pk

    # ---- the specialist: assigned to me, asks for a supplement; the citizen uploads it; forward to the leader
    s = new_page()
    login(s, "chuyenvien", "pw-chuyenvien")
    s.goto("/can-bo/?list=assigned_to_me")
    assert s.locator(f"tr[data-code='{code}']").count() == 1
    problems += check_everywhere(s, "assigned to me")
    submit(s, f"#worklist a:has-text('{code}')")
    problems += check_everywhere(s, "specialist's dossier page")
    act(s, "request_supplement", reason="Bản vẽ chưa rõ", check=["Bản vẽ thiết kế"])
    c.goto(f"/ho-so-cua-toi/{code}/")
    assert c.locator("#status").inner_text() == "Yêu cầu bổ sung giấy tờ"
    problems += check_everywhere(c, "citizen asked for a supplement")
    c.set_input_files("#sup-file", str(supplement))
    submit(c, "form[action$='/bo-sung/'] button[type=submit]")
    assert c.locator(".msg.error").count() == 0, c.locator(".msg.error").first.inner_text()
    assert Attachment.objects.filter(dossier=online, filename="ban-ve-bo-sung.pdf", kind="supplement").exists()
    s.reload()
    act(s, "supplement_received")
    act(s, "forward")

    # ---- the leader approves and signs the result; the clerk seals it; the result is "Đã xử lý xong"
    g = new_page()
    login(g, "giamdoc", "pw-giamdoc")
    g.goto(f"/can-bo/ho-so/{code}/")
    assert g.locator("details[data-act=approve]").get_attribute("open") is not None
    problems += check_everywhere(g, "leader's dossier page")
    act(g, "approve")
    problems += check_everywhere(g, "leader's signing panel")
    sign_step(g, "person", leader_key, file=result)
    assert g.locator("#result-plan li[data-step=person][data-done='1']").count() == 1
    assert g.locator("#result-plan li[data-step=seal][data-done='0']").count() == 1
    problems += check_everywhere(g, "result signed by the leader")
    k = new_page()
    login(k, "vanthu", "pw-vanthu")
    k.goto(f"/can-bo/ho-so/{code}/")
    problems += check_everywhere(k, "clerk's seal panel")
    sign_step(k, "seal", seal_key)
    assert k.locator("#result-plan li[data-done='1']").count() == 2
    assert k.locator("#status").inner_text() == "Đã xử lý xong"

    # ---- the result read back from the page: both signatures intact and trusted, here and for pdfsig
    signed = k.request.get(k.locator("#signing p:has-text('Kết quả đã ký đủ') a").get_attribute("href"))
    assert signed.ok and signed.headers["content-type"] == "application/pdf"
    report = signing.verify(signed.body())
    assert report["valid"] and report["count"] == 2, report
    assert [x["signer"] for x in report["signatures"]] == ["Nguyễn Văn Giám", "SỞ XÂY DỰNG"], report
    (tmp_path / "ket-qua-da-ky.pdf").write_bytes(signed.body())
    out = pdfsig(pki, tmp_path / "ket-qua-da-ky.pdf")
    # (poppler with NSS checks the certificate of the first signature only; the project's verifier above checks
    # both: see tests/signing/test_cosigning_plan_placement_and_revisions.py)
    assert out.count("Signature is Valid") == 2 and "Digest Mismatch" not in out, out
    assert "Certificate is Trusted" in out.split("Signature #2")[0], out

    # ---- the counter returns it, confirming the unpaid fee
    o.goto(f"/can-bo/ho-so/{code}/")
    assert o.locator("#unpaid-fee").is_visible()
    problems += check_everywhere(o, "return with unpaid fee")
    act(o, "return_result", unpaid_fee_confirmed="1")
    assert o.locator("#status").inner_text() == "Đã trả kết quả"

    # ---- the citizen follows the dossier, downloads the signed result and rates it
    c.goto("/ho-so-cua-toi/")
    problems += check_everywhere(c, "my dossiers")
    c.goto(f"/ho-so-cua-toi/{code}/")
    assert c.locator("#status").inner_text() == "Đã trả kết quả"
    mine = c.request.get(c.locator("section[aria-labelledby=h-res] a").first.get_attribute("href"))
    assert mine.ok and mine.body() == signed.body()
    problems += check_everywhere(c, "citizen dossier returned")
    c.check("#score-5")
    submit(c, "text=Gửi đánh giá")
    assert "5/5" in c.locator("#rated").inner_text()
    problems += check_everywhere(c, "citizen dossier rated")
    shot(c, "officer-day-citizen-rated")
    assert not problems, "\n".join(problems)
