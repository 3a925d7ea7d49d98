"""The API and the public page: anyone can verify a PDF; officers sign results; errors have the shape
{"code", "message", "details"}."""
import pytest
from rest_framework.test import APIClient

from motcua.dossiers.models import Status
from motcua.signing import pdf

from .conftest import p12_source
from .samples import make_pdf, tamper
from .test_registry_dossier_results_copies_and_outgoing import _approved, keys  # noqa: F401


@pytest.fixture
def signed(pki):
    return pdf.sign_pdf(make_pdf(1), p12_source(pki.agency), pdf.SignOptions(level="B-T", tsa_url=pki.tsa_url))


def test_anyone_can_verify_through_the_api(db, signed, pki):
    c = APIClient()
    r = c.post("/api/v1/signing/verify/", {"file": _upload(signed)}, format="multipart")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["valid"] and body["signatures"][0]["signer"] == "SỞ XÂY DỰNG" and body["issued_by_motcua"] is False
    r = c.post("/api/v1/signing/verify/", data=tamper(signed, b"trang 1", b"trang 2"),
               content_type="application/pdf", HTTP_CONTENT_DISPOSITION="attachment; filename=x.pdf")
    assert r.status_code == 200 and not r.json()["valid"]
    r = c.post("/api/v1/signing/verify/", {"file": _upload(b"GIF89a", "a.gif")}, format="multipart")
    assert r.status_code == 422 and r.json()["code"] == "not_a_pdf" and set(r.json()) == {"code", "message", "details"}


def test_public_page(db, client, signed):
    r = client.get("/xac-thuc-chu-ky/")
    assert r.status_code == 200 and "Kiểm tra chữ ký số" in r.content.decode()
    r = client.post("/xac-thuc-chu-ky/", {"file": _upload(signed)})
    html = r.content.decode()
    assert r.status_code == 200 and "SỞ XÂY DỰNG" in html and "Chữ ký hợp lệ" in html and "PAdES B-T" in html


def test_officer_signs_the_result_through_the_api(province, actors, keys, intake_data):  # noqa: F811
    d = _approved(province, actors, intake_data)
    c = APIClient()
    c.force_authenticate(province.clerk)
    leader = APIClient()
    leader.force_authenticate(province.leader)
    r = leader.post(f"/api/v1/signing/dossiers/{d.code}/result/",
                    {"file": _upload(make_pdf(2)), "key_id": keys["leader"].pk, "version": d.version},
                    format="multipart")
    assert r.status_code == 201 and r.json()["step"] == "person", r.content
    r = c.post(f"/api/v1/signing/dossiers/{d.code}/result/",
               {"key_id": keys["seal"].pk, "version": r.json()["version"]}, format="multipart")
    assert r.status_code == 201, r.content
    assert r.json()["status"] == Status.FINISHED and r.json()["step"] == "seal"
    r = c.post(f"/api/v1/signing/dossiers/{d.code}/result/",
               {"step": "seal", "key_id": keys["seal"].pk}, format="multipart")
    assert r.status_code == 409 and r.json()["code"] == "not_approved"
    r = c.get("/api/v1/signing/certificates/?expiring=1")
    assert r.status_code == 200 and [k["label"] for k in r.json()] == ["Sắp hết hạn"]
    assert r.json()[0]["expiring"] and r.json()[0]["warning"]


def test_secret_document_is_refused_with_a_clear_code(province, keys):  # noqa: F811
    c = APIClient()
    c.force_authenticate(province.leader)
    r = c.post("/api/v1/signing/documents/", {"agency": "000.00.17.H13", "key_id": keys["leader"].pk,
                                              "confidentiality": "MẬT", "file": _upload(make_pdf(1))},
               format="multipart")
    assert r.status_code == 403 and r.json()["code"] == "secret_document_not_signed"
    r = c.post("/api/v1/signing/documents/", {"agency": "000.00.17.H13", "key_id": keys["leader"].pk,
                                              "number_symbol": "15/QĐ-SXD", "secrecy": "thuong",
                                              "file": _upload(make_pdf(1))},
               format="multipart")
    assert r.status_code == 201 and r.json()["pdf_base64"]
    assert APIClient().post("/api/v1/signing/documents/", {}).status_code == 401


def _upload(data, name="tep.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, data, content_type="application/pdf")
