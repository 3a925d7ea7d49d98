"""Decree 30 looks: the signature block (title, signature image, seal overlapping, name) and, on copies,
the agency signature top right of page 1 with number/symbol and ISO 8601 time in +07:00; the Vietnamese
text is embedded with a TrueType font and comes back out of pdftotext unchanged."""
import re
from datetime import datetime, timezone

from motcua.signing import appearance as ap
from motcua.signing import pdf

from .conftest import p12_source, pdftotext
from .samples import make_pdf, seal_png, signature_png


def test_signature_block_text_renders_in_vietnamese(pki, tmp_path):
    look = ap.SignatureBlock(title_lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Nguyễn Văn Giám",
                             signature_image=signature_png(), seal_image=seal_png(), note="Ký số bởi Sở Xây dựng")
    signed = pdf.sign_pdf(make_pdf(2), p12_source(pki.leader), pdf.SignOptions(level="B-B"), look)
    f = tmp_path / "block.pdf"
    f.write_bytes(signed)
    text = pdftotext(f)
    for line in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Giám", "Ký số bởi Sở Xây dựng"):
        assert line in text
    # on the last page (page 2), in the lower right quarter
    corner = pdftotext(f, 2, 300, 500, 295, 342)
    assert "Nguyễn Văn Giám" in corner
    assert "Nguyễn Văn Giám" not in pdftotext(f, 1, 0, 0, 595, 842)
    assert b"/FontFile2" in signed and b"DejaVuSans" in signed    # embedded TrueType
    assert b"/SMask" in signed                                     # transparent seal and signature images


def test_copy_stamp_top_right_of_page_one_with_number_and_iso_time(pki, tmp_path):
    when = datetime(2026, 6, 1, 1, 5, 9, tzinfo=timezone.utc)
    look = ap.CopyStamp(agency="Sở Xây dựng tỉnh Demo", number_symbol="07/SY-SXD", seal_image=seal_png())
    signed = pdf.sign_pdf(make_pdf(2), p12_source(pki.agency), pdf.SignOptions(level="B-B", signing_time=when),
                          look)
    f = tmp_path / "copy.pdf"
    f.write_bytes(signed)
    top_right = pdftotext(f, 1, 300, 0, 295, 100)
    assert "Sở Xây dựng tỉnh Demo" in top_right
    assert "Số: 07/SY-SXD" in top_right
    assert "2026-06-01T08:05:09+07:00" in top_right
    assert re.search(r"BẢN SAO ĐIỆN TỬ", top_right)
    assert "07/SY-SXD" not in pdftotext(f, 2, 0, 0, 595, 842)


def test_iso_local_time():
    assert ap.iso_local(datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc)) == "2027-01-01T00:30:00+07:00"


def test_fallback_font_from_a_pip_package(monkeypatch):
    monkeypatch.setattr(ap, "FONT_CANDIDATES", [("/nonexistent/a.ttf", "/nonexistent/b.ttf")])
    regular, bold = ap.default_fonts()
    assert regular.endswith("DejaVuSansMono.ttf")
