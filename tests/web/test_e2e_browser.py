"""End to end in headless Chromium: a citizen signs up and files online, an officer receives, asks for a
supplement, the citizen supplements, the officer moves the dossier through its steps, approves, issues and
returns the result; the citizen sees the result and rates it. axe-core finds no serious or critical
violation on the pages visited; screenshots go to test-artifacts/."""
import re

import pytest

from motcua.agencies.models import Membership, Role
from motcua.dossiers.models import Dossier, Status

from .conftest import axe_violations, login, shot, submit
from .helpers import PDF, PNG

pytestmark = pytest.mark.django_db(transaction=True)


def check_axe(page, where):
    found = axe_violations(page)
    assert not found, f"axe on {where}: " + " | ".join(found)


def act(page, action, reason=None, check=()):
    button = page.locator(f"button[data-action={action}]")
    if not button.is_visible():
        page.locator(f"details:has(button[data-action={action}]) > summary").click()
    form = page.locator(f"form:has(button[data-action={action}])")
    for value in check:
        form.locator(f"input[name=components][value='{value}']").check()
    if reason is not None:
        form.locator("textarea[name=reason]").fill(reason)
    submit(page, button)
    assert page.locator(".msg.error").count() == 0, page.locator(".msg.error").first.inner_text()


def test_citizen_files_officer_processes_citizen_rates(new_page, province, django_user_model, tmp_path):
    officer = django_user_model.objects.create_user("canbo", password="pw-canbo", first_name="Trần Thị Bình")
    for agency, role in [(province.sxd, Role.RECEIVING_OFFICER), (province.sxd_unit, Role.SPECIALIST),
                         (province.sxd, Role.AGENCY_LEADER), (province.sxd, Role.CLERK)]:
        Membership.objects.create(user=officer, agency=agency, role=role)
    pdf, png = tmp_path / "don.pdf", tmp_path / "ban-ve.png"
    pdf.write_bytes(PDF)
    png.write_bytes(PNG)
    bad = tmp_path / "virus.pdf"
    bad.write_bytes(b"MZ\x90\x00 this is not a pdf")

    # ---- citizen: public pages, sign-up, catalogue search without diacritics, online filing
    c = new_page()
    c.goto("/")
    shot(c, "01-home")
    check_axe(c, "home")
    c.goto("/dang-ky/")
    check_axe(c, "sign-up")
    c.fill("#id_username", "nguyenvanan")
    c.fill("#id_full_name", "Nguyễn Văn An")
    c.fill("#id_password1", "Mat-khau-rat-kho-123")
    c.fill("#id_password2", "Mat-khau-rat-kho-123")
    submit(c, "main button[type=submit]")
    assert "/dang-ky/" not in c.url, "sign-up failed"
    c.goto("/thu-tuc/")
    c.fill("#cat-q", "cap giay phep")
    c.wait_for_function("() => !document.querySelector('#results').innerText.includes('Chứng thực')")
    assert "Cấp giấy phép xây dựng" in c.locator("#results").inner_text()
    shot(c, "02-catalogue-search")
    check_axe(c, "catalogue")
    submit(c, "#results a:has-text('Cấp giấy phép xây dựng')")
    check_axe(c, "procedure page")
    submit(c, "text=Nộp hồ sơ trực tuyến")
    check_axe(c, "filing form")
    c.fill("#phone", "0987 654 321")
    c.fill("#addr", "5 Lê Lợi, Hà Đông")
    c.fill("#req", "Cấp phép xây nhà ở riêng lẻ")
    files = c.locator("input[type=file]")
    files.nth(0).set_input_files(str(bad))
    files.nth(1).set_input_files(str(png))
    submit(c, "text=Xem lại hồ sơ")
    assert "Chỉ chấp nhận tệp PDF, JPEG, PNG hoặc DOCX" in c.locator("#error-summary").inner_text()
    assert not Dossier.objects.exists()   # nothing half-saved
    files = c.locator("input[type=file]")
    files.nth(0).set_input_files(str(pdf))
    files.nth(1).set_input_files(str(png))
    submit(c, "text=Xem lại hồ sơ")
    c.wait_for_selector("text=Xem lại hồ sơ trước khi nộp")
    shot(c, "03-review")
    submit(c, "main button:has-text('Nộp hồ sơ')")
    code = c.locator("#dossier-code").inner_text().strip()
    assert re.fullmatch(r"000\.00\.17\.H13-\d{6}-\d{4}", code)
    assert c.locator("#status").inner_text() == "Mới đăng ký"
    shot(c, "04-citizen-dossier-new")
    check_axe(c, "citizen dossier")
    d = Dossier.objects.get(code=code)
    assert d.channel == 2 and d.attachments.count() == 2

    # ---- officer: worklist, receive, request a supplement
    o = new_page()
    login(o, "canbo", "pw-canbo")
    o.goto("/can-bo/?list=to_receive")
    assert code in o.locator("#worklist").inner_text()
    shot(o, "05-officer-worklist")
    check_axe(o, "officer worklist")
    submit(o, f"#worklist a:has-text('{code}')")
    check_axe(o, "officer dossier page")
    act(o, "receive")
    assert o.locator("#status").inner_text() == "Được tiếp nhận"
    act(o, "request_supplement", reason="Bản vẽ chưa rõ, cần bản chụp rõ nét", check=["Bản vẽ thiết kế"])
    assert o.locator("#status").inner_text() == "Yêu cầu bổ sung giấy tờ"
    shot(o, "06-officer-supplement-requested")
    resp = o.request.get(f"/can-bo/ho-so/{code}/phieu/2.pdf")
    assert resp.ok and resp.body().startswith(b"%PDF")

    # ---- citizen supplements
    c.goto(f"/ho-so-cua-toi/{code}/")
    assert "Bản vẽ chưa rõ" in c.content()
    c.select_option("#sup-comp", label="Bản vẽ thiết kế")
    c.set_input_files("#sup-file", str(png))
    submit(c, "text=Nộp bổ sung")
    assert "Đã nộp 1 tệp bổ sung" in c.locator(".messages").inner_text()
    shot(c, "07-citizen-supplemented")

    # ---- officer: supplement received, through the steps, approve, result, return
    o.reload()
    act(o, "supplement_received")
    act(o, "forward")                  # receiving step -> specialist
    act(o, "forward")                  # specialist -> leader
    act(o, "approve")
    o.locator("details:has(#att-kind) > summary").click()
    o.select_option("#att-kind", "result")
    o.set_input_files("#att-file", str(pdf))
    submit(o, "text=Tải lên")
    act(o, "mark_result_ready")
    o.check("#return-unpaid")                   # the fee was not collected: the officer confirms it
    act(o, "return_result")
    assert o.locator("#status").inner_text() == "Đã trả kết quả"
    shot(o, "08-officer-returned")
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.pauses.count() == 1 and d.pauses.get().ended_at

    # ---- citizen sees the result and rates
    c.goto(f"/ho-so-cua-toi/{code}/")
    assert c.locator("#status").inner_text() == "Đã trả kết quả"
    assert c.locator("#h-res + ul a").count() == 1
    c.check("#score-5")
    c.fill("#rate-comment", "Nhanh, cán bộ nhiệt tình")
    submit(c, "text=Gửi đánh giá")
    assert "5/5" in c.locator("#rated").inner_text()
    shot(c, "09-citizen-rated")
    check_axe(c, "citizen dossier returned")
    assert d.rating.score == 5

    # ---- public lookup: the QR on slip 1 fills in the code, the citizen types the lookup code
    p = new_page()
    p.goto(f"/tra-cuu/?code={code}")
    assert p.input_value("#lk-code") == code
    p.fill("#lk-secret", "4321")
    p.click("main form button[type=submit]")
    assert p.locator("#status").inner_text() == "Đã trả kết quả"
    assert "Nguyễn Văn An" not in p.content()     # the applicant's name is masked
    shot(p, "10-public-lookup")
    check_axe(p, "public lookup")


def test_officer_counter_intake_prints_slip_1(new_page, province):
    o = new_page()
    login(o, "tiepnhan", "pw-tiepnhan")
    o.goto("/can-bo/tiep-nhan/")
    check_axe(o, "intake (choose)")
    o.select_option("#proc", province.proc.code)
    submit(o, "main form.filters button")
    o.fill("#name", "Lê Thị Cúc")
    o.fill("#phone", "0909 111 222")
    shot(o, "11-officer-intake")
    check_axe(o, "intake form")
    submit(o, "text=Tiếp nhận và in giấy hẹn")
    assert "Đã tiếp nhận hồ sơ" in o.locator(".messages").inner_text()
    link = o.locator("a[data-slip='1']")
    resp = o.request.get(link.get_attribute("href"))
    assert resp.ok and resp.headers["content-type"] == "application/pdf"
    o.goto("/can-bo/so-theo-doi/")
    check_axe(o, "register 7")
    shot(o, "12-register")


def test_display_switches_persist_and_english(new_page, province):
    p = new_page()
    p.goto("/thu-tuc/")
    submit(p, "button[value=l]")
    submit(p, "button[name=contrast]")
    p.goto("/tra-cuu/")
    cls = p.locator("html").get_attribute("class")
    assert "text-l" in cls and "high-contrast" in cls
    assert p.locator("button[value=l]").get_attribute("aria-pressed") == "true"
    shot(p, "13-high-contrast-large")
    check_axe(p, "lookup, high contrast")
    p.goto("/ty-le-dung-han/")
    check_axe(p, "on-time rates, high contrast")
    # keyboard: the skip link is the first stop and moves focus to the main content
    p.keyboard.press("Tab")
    assert p.evaluate("document.activeElement.className") == "skip-link"
    submit(p, "button[name=language][value=en]")
    assert p.locator("html").get_attribute("lang") == "en"
    assert "Administrative procedures" in p.content()
    shot(p, "14-english")
