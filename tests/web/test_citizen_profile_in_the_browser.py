"""In headless Chromium: a citizen starts "Nộp hồ sơ trực tuyến", signs up from the login page and lands back
on the procedure's form; saves a profile (with a wrong CCCD first: a Vietnamese message, nothing saved);
the next filing form is pre-filled from it, the delivery address corrected for this dossier only, and the
dossier page shows the postal delivery and, for a "Một phần" procedure, the originals to send. axe-core
finds no serious or critical violation on the new pages."""
import pytest

from motcua.catalog.models import OnlineLevel
from motcua.citizens.models import Profile
from motcua.dossiers.models import Dossier

from .conftest import axe_violations, shot, submit
from .helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_profile_prefills_filing_and_postal_delivery(new_page, province, tmp_path):
    province.proc.online_level = OnlineLevel.PARTIAL
    province.proc.save()
    pdf = tmp_path / "don.pdf"
    pdf.write_bytes(PDF)
    start = f"/thu-tuc/{province.proc.code}/nop/"
    c = new_page()
    c.goto(f"/thu-tuc/{province.proc.code}/")
    submit(c, "a.button")                                   # "Nộp hồ sơ trực tuyến" -> login page
    assert "/dang-nhap/" in c.url
    submit(c, "#signup-link")
    assert c.locator("#signup-return").is_visible()
    c.fill("#id_username", "tranthibinh")
    c.fill("#id_full_name", "Trần Thị Bình")
    c.fill("#id_password1", "Mat-khau-rat-kho-123")
    c.fill("#id_password2", "Mat-khau-rat-kho-123")
    submit(c, "main button[type=submit]")
    assert c.url.endswith(start), c.url                     # back at the procedure the citizen started

    c.goto("/ho-so-ca-nhan/")
    assert not axe_violations(c), axe_violations(c)
    c.fill("#id_number", "0790320012")                      # 10 digits
    c.fill("#phone", "0912.345.678")
    c.select_option("#province_code", "79")
    c.fill("#commune", "Phường Sài Gòn")
    c.fill("#street", "8 Lê Duẩn")
    c.check("input[name=notify_channels][value=sms]")
    c.check("input[name=result_delivery][value=postal]")
    submit(c, "main button[type=submit]")
    assert "12 chữ số" in c.locator("#form-error").inner_text()
    assert not Profile.objects.exists()
    c.fill("#id_number", "079203001234")
    submit(c, "main button[type=submit]")
    assert c.locator(".msg.success").count() == 1
    shot(c, "profile-saved")

    c.goto(start)
    assert c.input_value("#idn") == "079203001234" and c.input_value("#phone") == "0912345678"
    assert c.input_value("#daddr") == "8 Lê Duẩn, Phường Sài Gòn, Thành phố Hồ Chí Minh"
    assert c.locator("input[name=result_delivery][value=postal]").is_checked()
    assert "Đơn đề nghị cấp giấy phép" in c.locator("#originals").inner_text()
    assert not axe_violations(c), axe_violations(c)
    c.fill("#daddr", "Văn phòng công ty, 1 Nguyễn Huệ, Phường Sài Gòn, Thành phố Hồ Chí Minh")   # this dossier only
    for inp in c.locator("input[type=file][required]").all():
        inp.set_input_files(str(pdf))
    submit(c, "main form button[type=submit]")
    assert "Văn phòng công ty" in c.locator("#delivery").inner_text()
    submit(c, "main form button[type=submit]")
    d = Dossier.objects.get()
    assert (d.result_delivery, d.delivery_address) == ("postal", "Văn phòng công ty, 1 Nguyễn Huệ, Phường Sài Gòn, "
                                                                  "Thành phố Hồ Chí Minh")
    assert "bưu chính" in c.locator("#delivery").inner_text()
    assert "Gửi bản giấy qua bưu chính" in c.locator("#originals").inner_text()
    assert not axe_violations(c), axe_violations(c)
    shot(c, "dossier-postal-originals")
    assert Profile.objects.get().street == "8 Lê Duẩn"       # the profile itself is unchanged
