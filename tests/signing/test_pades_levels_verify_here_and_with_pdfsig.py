"""PKCS#12 key, PAdES B-B / B-T / B-LT: our validator and poppler's pdfsig both accept the signed file,
and both reject a copy changed by one byte."""
import pytest

from motcua.signing import appearance as ap
from motcua.signing import pdf

from .conftest import p12_source, pdfsig
from .samples import make_pdf, seal_png, signature_png, tamper


def _look():
    return ap.SignatureBlock(title_lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Nguyễn Văn Giám",
                             signature_image=signature_png(), seal_image=seal_png(), note="Ký số")


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_each_level_signs_and_verifies_and_a_tampered_copy_fails_both(pki, tmp_path, level):
    doc = make_pdf(2, marker="ket qua giai quyet")
    signed = pdf.sign_pdf(doc, p12_source(pki.agency),
                          pdf.SignOptions(level=level, tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1]), _look())
    report = pdf.verify_pdf(signed, [pki.root.asn1])
    assert report["valid"] and report["count"] == 1, report
    sig = report["signatures"][0]
    assert sig["level"] == level
    assert sig["intact"] and sig["valid"] and sig["trusted"] and not sig["changed_after_signing"]
    assert sig["signer"] == "SỞ XÂY DỰNG" and sig["agency"] == "Sở Xây dựng tỉnh Demo"
    assert sig["signing_time"].endswith("+07:00")
    if level == "B-B":
        assert sig["timestamp"] is None
    else:
        assert sig["timestamp"]["trusted"] and sig["timestamp"]["authority"] == "Motcua Test TSA"
    if level == "B-LT":
        assert b"/DSS" in signed
        # the embedded validation data is enough: no network needed to see that the signer is not revoked
        offline = pdf.verify_pdf(signed, [pki.root.asn1], allow_fetching=False)
        assert offline["signatures"][0]["revocation"] == "good" and offline["valid"]

    good = tmp_path / "signed.pdf"
    good.write_bytes(signed)
    out = pdfsig(pki, good)
    assert "Signature is Valid" in out, out
    assert "Certificate is Trusted" in out, out
    assert "ETSI.CAdES.detached" in out

    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(tamper(signed, b"trang 1", b"trang 7"))
    out = pdfsig(pki, bad)
    assert "Signature is Valid" not in out and "Digest Mismatch" in out, out
    report = pdf.verify_pdf(bad.read_bytes(), [pki.root.asn1])
    assert not report["valid"] and not report["signatures"][0]["intact"]
    assert "bị thay đổi" in report["signatures"][0]["summary"]


def test_a_signer_outside_the_trust_roots_is_intact_but_not_trusted(pki):
    signed = pdf.sign_pdf(make_pdf(1), p12_source(pki.foreign), pdf.SignOptions(level="B-B"))
    sig = pdf.verify_pdf(signed, [pki.root.asn1])["signatures"][0]
    assert sig["intact"] and sig["valid"] and not sig["trusted"] and not sig["ok"]
    assert "chuỗi tin cậy" in sig["summary"]


def test_a_revoked_certificate_is_reported_revoked(pki, tmp_path):
    signed = pdf.sign_pdf(make_pdf(1), p12_source(pki.revoked),
                          pdf.SignOptions(level="B-T", tsa_url=pki.tsa_url))
    report = pdf.verify_pdf(signed, [pki.root.asn1], allow_fetching=True)
    sig = report["signatures"][0]
    assert sig["intact"] and sig["revocation"] == "revoked" and not sig["ok"] and not report["valid"]
    assert "thu hồi" in sig["summary"]
    f = tmp_path / "revoked.pdf"
    f.write_bytes(signed)
    out = pdfsig(pki, f)
    assert "Signature is Valid" in out and "Revoked" in out, out


def test_b_lt_refuses_to_sign_with_a_revoked_certificate(pki):
    with pytest.raises(pdf.SigningFailed):
        pdf.sign_pdf(make_pdf(1), p12_source(pki.revoked),
                     pdf.SignOptions(level="B-LT", tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1]))


def test_a_document_changed_by_a_later_revision_is_reported_changed(pki):
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    signed = pdf.sign_pdf(make_pdf(1), p12_source(pki.agency), pdf.SignOptions(level="B-B"))
    w = IncrementalPdfFileWriter(BytesIO(signed))
    page = w.root["/Pages"]["/Kids"][0].get_object()
    stream = w.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 400 Td (SUA DOI) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page["/Contents"], stream])
    w.update_container(page)
    out = BytesIO()
    w.write(out)
    sig = pdf.verify_pdf(out.getvalue(), [pki.root.asn1])["signatures"][0]
    assert sig["intact"] and sig["changed_after_signing"] and not sig["ok"]
    assert sig["coverage"] == "entire_revision"


def test_not_a_pdf_and_no_signature(pki):
    assert pdf.verify_pdf(b"hello", [pki.root.asn1])["error"] == "invalid_pdf"
    report = pdf.verify_pdf(make_pdf(1), [pki.root.asn1])
    assert report == {"valid": False, "count": 0, "signatures": [], "summary": "Tài liệu không có chữ ký số."}
    with pytest.raises(pdf.SigningFailed) as err:
        pdf.sign_pdf(b"not a pdf", p12_source(pki.agency), pdf.SignOptions(level="B-B"))
    assert err.value.code == "invalid_pdf"
    with pytest.raises(pdf.SigningFailed) as err:
        pdf.sign_pdf(make_pdf(1), p12_source(pki.agency), pdf.SignOptions(level="B-T", tsa_url=""))
    assert err.value.code == "tsa_not_configured"
