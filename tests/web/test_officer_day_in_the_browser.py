"""A whole officer day in headless Chromium, one module and one live server: intake at the counter with
"Tiếp nhận và in giấy hẹn" (slip 1 offered at once), receive an online dossier, forward it to a NAMED
specialist who finds it under "Được giao cho tôi", request and receive a supplement, approve, attach the
result, mark it ready and return it (confirming the unpaid fee); the citizen follows the dossier, sees the
result and rates it. axe-core runs on every page visited and finds no serious or critical violation, in the
default view, in high contrast with A+ text (the site's own cookies) and 375 px wide, in Vietnamese and in
English."""
import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier, Status

from .conftest import axe_violations, login, shot, submit
from .helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)

VIEWS = [("default", {}, 1280), ("contrast-A+", {"motcua_contrast": "1", "motcua_size": "l"}, 1280),
         ("375px", {}, 375)]


def check_everywhere(page, where):
    """axe on the current page in the three views and both languages; the page is left as it was."""
    url, problems = page.url, []
    for lang in ("vi", "en"):
        for view, cookies, width in VIEWS:
            base = {"django_language": lang, "motcua_contrast": "0", "motcua_size": "m", **cookies}
            page.context.add_cookies([{"name": k, "value": v, "url": url} for k, v in base.items()])
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            problems += [f"{where} [{lang}, {view}]: {v}" for v in axe_violations(page)]
    page.context.add_cookies([{"name": k, "value": v, "url": url} for k, v in
                              {"django_language": "vi", "motcua_contrast": "0", "motcua_size": "m"}.items()])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
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


def test_an_officer_day_and_a_citizen_day(new_page, province, actors, intake_data, tmp_path):
    problems = []
    result = tmp_path / "giay-phep.pdf"
    result.write_bytes(PDF)
    # ---- counter: intake, one click receives and offers slip 1
    o = new_page()
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

    # ---- an online dossier: receive it, forward it to a named specialist
    online, _ = services.intake(actors["citizen"], dict(intake_data, channel=Channel.ONLINE))
    o.goto("/can-bo/?list=to_receive")
    assert "đã chờ" in o.locator(f"tr[data-code='{online.code}']").inner_text()
    submit(o, f"#worklist a:has-text('{online.code}')")
    assert o.locator("details[data-act=receive]").get_attribute("open") is not None
    problems += check_everywhere(o, "new online dossier")
    act(o, "receive")
    act(o, "forward", assignee=str(province.specialist.pk))
    assert online.steps.get(order=2).assignee_id == province.specialist.pk

    # ---- the specialist: assigned to me, supplement asked and received, forward to the leader
    s = new_page()
    login(s, "chuyenvien", "pw-chuyenvien")
    s.goto("/can-bo/?list=assigned_to_me")
    assert s.locator(f"tr[data-code='{online.code}']").count() == 1
    problems += check_everywhere(s, "assigned to me")
    submit(s, f"#worklist a:has-text('{online.code}')")
    act(s, "request_supplement", reason="Bản vẽ chưa rõ", check=["Bản vẽ thiết kế"])
    services.attach(actors["citizen"], online.code, kind="supplement", filename="ban-ve.pdf", content=PDF)
    s.reload()
    act(s, "supplement_received")
    act(s, "forward")

    # ---- the leader approves, attaches the result, marks it ready; the counter returns it
    g = new_page()
    login(g, "giamdoc", "pw-giamdoc")
    g.goto(f"/can-bo/ho-so/{online.code}/")
    assert g.locator("details[data-act=approve]").get_attribute("open") is not None
    problems += check_everywhere(g, "leader's dossier page")
    act(g, "approve")
    g.locator("details:has(#att-kind) > summary").click()
    g.select_option("#att-kind", "result")
    g.set_input_files("#att-file", str(result))
    submit(g, "text=Tải lên")
    act(g, "mark_result_ready")
    o.goto(f"/can-bo/ho-so/{online.code}/")
    assert o.locator("#unpaid-fee").is_visible()
    problems += check_everywhere(o, "return with unpaid fee")
    act(o, "return_result", unpaid_fee_confirmed="1")
    assert o.locator("#status").inner_text() == "Đã trả kết quả"

    # ---- the citizen follows the dossier, sees the result and rates it
    c = new_page()
    login(c, "congdan", "pw-congdan")
    c.goto("/ho-so-cua-toi/")
    problems += check_everywhere(c, "my dossiers")
    c.goto(f"/ho-so-cua-toi/{online.code}/")
    assert c.locator("#status").inner_text() == "Đã trả kết quả"
    problems += check_everywhere(c, "citizen dossier returned")
    c.check("#score-5")
    submit(c, "text=Gửi đánh giá")
    assert "5/5" in c.locator("#rated").inner_text()
    shot(c, "officer-day-citizen-rated")
    assert not problems, "\n".join(problems)
