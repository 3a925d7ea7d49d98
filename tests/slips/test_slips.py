"""The official forms as PDF: correct Vietnamese text (checked with pdftotext), the QR on slip 1 leads to
the public lookup, register 7 as PDF and Excel."""
import io
import shutil
import subprocess
import unicodedata
from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.dossiers import services
from motcua.slips import render as R

from tests.web.helpers import weasyprint_problem

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(weasyprint_problem() is not None, reason=str(weasyprint_problem()))]
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (Debian package poppler-utils) is not installed")


def text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFC", out.decode("utf-8")).split())


@pytest.fixture
def full_dossier(province, actors, intake_data):
    """A dossier that went through supplement, extension, and stop: every form applies."""
    d, _ = services.intake(actors["receiver"], intake_data)
    d = services.request_supplement(actors["receiver"], d.code, reason="Bản vẽ chưa có chữ ký",
                                    components=["Bản vẽ thiết kế có chữ ký"])
    d = services.supplement_received(actors["receiver"], d.code)
    d = services.forward(actors["receiver"], d.code)
    d = services.extend(actors["leader"], d.code, reason="Cần kiểm tra thực địa",
                        new_appointment=d.appointment_at + timedelta(days=10))
    return d


@needs_pdftotext
def test_slip_1_text_and_qr(client, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    client.force_login(province.receiver)
    resp = client.get(f"/can-bo/ho-so/{d.code}/phieu/1.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    t = text(resp.content)
    for expected in ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", d.code, "Nguyễn Văn An", "Đơn đề nghị cấp giấy phép",
                     "Bản vẽ thiết kế", "Bản sao", "Số lượng hồ sơ: 1 (bộ)", "Thời gian trả kết quả",
                     "Lệ phí cấp phép: 150.000 đ", "Quyển số", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Mã tra cứu: 5678"]:
        assert expected in t, expected
    appointment = timezone.localtime(d.appointment_at)
    assert f"ngày {appointment.day} tháng {appointment.month} năm {appointment.year}" in t
    ctx = R.context(d, 1, "http://testserver/")
    # the QR leads to the lookup page with only the code filled in: the secret never goes in a URL
    assert ctx["lookup_url"] == f"http://testserver/tra-cuu/?code={d.code}"
    assert ctx["qr"].startswith("data:image/svg+xml")
    page = client.get(f"/tra-cuu/?code={d.code}").content.decode()
    assert f'value="{d.code}"' in page and "Được tiếp nhận" not in page
    # the citizen types the lookup code printed on the slip, and the page answers with the status
    page = client.post("/tra-cuu/", {"code": d.code, "secret": "5678"}).content.decode()
    assert "Được tiếp nhận" in page


needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                                reason="reading the QR needs zbarimg (zbar-tools) and pdftoppm (poppler-utils)")


def qr_codes_in(pdf: bytes, tmp_path) -> list[str]:
    """Every QR code printed on the PDF's pages, read back by an independent decoder (ZBar)."""
    (tmp_path / "slip.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp_path / "slip.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(str(p) for p in tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *pages],
                         capture_output=True, text=True)
    return out.stdout.split()


@needs_zbar
def test_qr_on_slip_1_reads_back_as_the_lookup_url(client, province, actors, intake_data, tmp_path):
    d, _ = services.intake(actors["receiver"], intake_data)
    client.force_login(province.receiver)
    pdf = client.get(f"/can-bo/ho-so/{d.code}/phieu/1.pdf").content
    assert qr_codes_in(pdf, tmp_path) == [f"http://testserver/tra-cuu/?code={d.code}"]


@needs_pdftotext
def test_forms_2_4_6_text(client, province, full_dossier):
    d = full_dossier
    client.force_login(province.leader)
    t2 = text(client.get(f"/can-bo/ho-so/{d.code}/phieu/2.pdf").content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in t2 and "01/HDHS" in t2
    assert "Bản vẽ thiết kế có chữ ký" in t2 and "Bản vẽ chưa có chữ ký" in t2 and "NGƯỜI HƯỚNG DẪN" in t2
    t4 = text(client.get(f"/can-bo/ho-so/{d.code}/phieu/4.pdf").content)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in t4 and "Cần kiểm tra thực địa" in t4
    assert "xin lỗi Ông/Bà" in t4
    t6 = text(client.get(f"/can-bo/ho-so/{d.code}/phieu/6.pdf").content)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in t6 and "Tiếp nhận hồ sơ" in t6 and "Thẩm định hồ sơ" in t6
    assert "Nhận:" in t6 and "Giao:" in t6
    # a form that does not apply is 404
    assert client.get(f"/can-bo/ho-so/{d.code}/phieu/5.pdf").status_code == 404


@needs_pdftotext
def test_forms_3_and_5(client, province, actors, intake_data):
    a, _ = services.intake(actors["receiver"], intake_data)
    services.refuse(actors["receiver"], a.code, reason="Thủ tục không thuộc thẩm quyền")
    b, _ = services.intake(actors["receiver"], intake_data)
    b = services.forward(actors["receiver"], b.code)
    services.stop(actors["leader"], b.code, reason="Người nộp đề nghị dừng để điều chỉnh thiết kế")
    client.force_login(province.leader)
    t3 = text(client.get(f"/can-bo/ho-so/{a.code}/phieu/3.pdf").content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in t3 and "Thủ tục không thuộc thẩm quyền" in t3
    t5 = text(client.get(f"/can-bo/ho-so/{b.code}/phieu/5.pdf").content)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in t5 and "điều chỉnh thiết kế" in t5


@needs_pdftotext
def test_register_7_pdf_and_excel(client, province, actors, intake_data):
    d, _ = services.intake(actors["receiver"], intake_data)
    client.force_login(province.receiver)
    t = text(client.get("/can-bo/so-theo-doi.pdf").content)
    assert "SỔ THEO DÕI HỒ SƠ" in t and d.code in t and "Nguyễn Văn An" in t and "Cấp giấy phép xây dựng" in t
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(client.get("/can-bo/so-theo-doi.xlsx").content))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "SỔ THEO DÕI HỒ SƠ"
    assert rows[2][:3] == ("STT", "Mã hồ sơ", "Tên thủ tục hành chính")
    assert rows[3][1] == d.code and rows[3][4] == "Nguyễn Văn An"


def test_owner_gets_own_slip_others_do_not(client, province, actors, intake_data, django_user_model):
    d, _ = services.intake(actors["receiver"], intake_data, owner=province.citizen)
    client.force_login(province.citizen)
    assert client.get(f"/can-bo/ho-so/{d.code}/phieu/1.pdf").status_code == 200
    stranger = django_user_model.objects.create_user("la", password="x")
    client.force_login(stranger)
    assert client.get(f"/can-bo/ho-so/{d.code}/phieu/1.pdf").status_code == 404


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (Debian package poppler-utils) is not installed")
def test_every_form_uses_the_one_bundled_font_and_nothing_falls_back(client, province, full_dossier, tmp_path):
    """Each form is set in the bundled Liberation Serif only: no glyph of "NGƯỜI" or "SƠ" taken from another face."""
    client.force_login(province.receiver)
    for number in (1, 2, 4, 6):
        resp = client.get(f"/can-bo/ho-so/{full_dossier.code}/phieu/{number}.pdf")
        assert resp.status_code == 200, number
        pdf = resp.content
        (tmp_path / "f.pdf").write_bytes(pdf)
        listing = subprocess.run(["pdffonts", str(tmp_path / "f.pdf")], capture_output=True, check=True).stdout.decode()
        names = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip()}
        assert names and all(n.startswith("Motcua-Serif") for n in names), (number, names)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text(pdf), number
