"""In headless Chromium: a citizen sends the online filing form with two bad fields (no name, a phone number
that is not Vietnamese). The form comes back with both errors at once, in an error summary linking to each
field and next to the fields; the first bad field has the focus; axe-core finds no serious or critical
violation; the same in English."""
import pytest

from motcua.dossiers.models import Dossier

from .conftest import axe_violations, login, shot, submit
from .helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def _send_with_two_errors(page, proc, pdf):
    page.goto(f"/thu-tuc/{proc.code}/nop/")
    page.fill("#name", "")
    page.fill("#phone", "0912.345.67")                    # eight digits: not a Vietnamese number
    page.fill("#email", "binh@example.vn")
    for inp in page.locator("input[type=file]").all():
        inp.set_input_files(str(pdf))
    submit(page, "main form button[type=submit]")


@pytest.mark.parametrize("lang, heading, name_error", [
    ("vi", "Có 2 lỗi cần sửa", "Phải có họ tên người nộp hồ sơ."),
    ("en", "2 errors to correct", "The applicant's name is required."),
])
def test_two_errors_focus_the_first_field(new_page, live, province, tmp_path, lang, heading, name_error):
    pdf = tmp_path / "don.pdf"
    pdf.write_bytes(PDF)
    c = new_page()
    c.context.add_cookies([{"name": "django_language", "value": lang, "url": live.url}])   # the site's switch
    login(c, "congdan", "pw-congdan")
    _send_with_two_errors(c, province.proc, pdf)

    assert c.locator("#error-summary h2").inner_text() == heading
    assert c.locator("#error-summary a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == \
        ["#name", "#phone"]
    assert c.locator("#err-name").inner_text() == name_error
    assert c.locator("#name").get_attribute("aria-invalid") == "true"
    assert c.locator("#name").get_attribute("aria-describedby") == "err-name"
    assert c.locator("#phone").get_attribute("aria-describedby") == "phone-hint err-phone"
    assert c.locator("#email").get_attribute("aria-invalid") is None
    assert c.input_value("#phone") == "0912.345.67" and c.input_value("#email") == "binh@example.vn"
    c.wait_for_function("() => document.activeElement && document.activeElement.id === 'name'")
    assert c.evaluate("document.activeElement.id") == "name"
    assert not axe_violations(c), axe_violations(c)
    shot(c, f"filing-two-errors-{lang}")
    assert not Dossier.objects.exists()
