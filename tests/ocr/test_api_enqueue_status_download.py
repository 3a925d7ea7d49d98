"""The OCR API as a client sees it, each answer checked against docs/openapi.yaml: a bulk upload is read in
the worker, its status and searchable PDF fetched; a counter scan is queued; nothing of it is visible to
another agency's officer (404, as a missing job)."""
import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.integrations.worker import run_jobs

from . import samples
from ..api.conftest import client_for  # noqa: F401 - fixture
from ..api.schema_check import check


def test_bulk_upload_status_and_searchable_pdf(province, client_for, media, tmp_path):  # noqa: F811
    me, other = client_for(province.receiver), client_for(province.other)
    scan = samples.png(samples.page(samples.VIETNAMESE[3:4], height=260))
    resp = me.post("/api/v1/ocr/jobs/", {"file": SimpleUploadedFile("to-khai.png", scan, content_type="image/png"),
                                          "agency_id": str(province.sxd.pk)}, format="multipart")
    assert resp.status_code == 201, resp.content
    job = check(resp)
    assert job["state"] == "queued" and job["filename"] == "to-khai.png" and job["has_pdf"] is False
    # not an agency of the caller: as if it did not exist
    resp = other.post("/api/v1/ocr/jobs/", {"file": SimpleUploadedFile("a.png", scan, content_type="image/png"),
                                             "agency_id": str(province.sxd.pk)}, format="multipart")
    assert resp.status_code == 404 and check(resp)["code"] == "agency_not_found"

    run_jobs()
    body = check(me.get(f"/api/v1/ocr/jobs/{job['id']}/"))
    assert body["state"] == "done" and body["pages_done"] == body["pages_total"] == 1
    assert "Nguyễn Văn An" in body["text"] and body["has_pdf"]
    listed = check(me.get("/api/v1/ocr/jobs/"))
    assert [j["id"] for j in listed["results"]] == [job["id"]]
    resp = me.get(f"/api/v1/ocr/jobs/{job['id']}/pdf/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    out = tmp_path / "out.pdf"
    out.write_bytes(b"".join(resp.streaming_content))
    assert "Nguyễn Văn An" in subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                             check=True).stdout

    for url in (f"/api/v1/ocr/jobs/{job['id']}/", f"/api/v1/ocr/jobs/{job['id']}/pdf/", "/api/v1/ocr/jobs/999999/"):
        resp = other.get(url)
        assert resp.status_code == 404 and check(resp)["code"] == "ocr_job_not_found"
    resp = other.post(f"/api/v1/ocr/jobs/{job['id']}/password/", {"password": "x"}, format="json")
    assert resp.status_code == 404
    assert check(other.get("/api/v1/ocr/jobs/"))["count"] == 0
    resp = me.post(f"/api/v1/ocr/jobs/{job['id']}/password/", {"password": "x"}, format="json")
    assert resp.status_code == 409 and check(resp)["code"] == "ocr_not_waiting_for_password"


def test_counter_scan_is_queued_for_the_agency_only(province, client_for, scan_of, counter_dossier):  # noqa: F811
    att = scan_of(samples.png(samples.page()))
    resp = client_for(province.other).post(f"/api/v1/ocr/attachments/{att.pk}/")
    assert resp.status_code == 404 and check(resp)["code"] == "attachment_not_found"
    resp = client_for(province.citizen).post(f"/api/v1/ocr/attachments/{att.pk}/")
    assert resp.status_code == 404
    resp = client_for(province.receiver).post(f"/api/v1/ocr/attachments/{att.pk}/")
    assert resp.status_code == 201
    job = check(resp)
    assert job["state"] == "queued" and job["attachment"] == att.pk
    assert check(client_for(province.specialist).get(f"/api/v1/ocr/jobs/{job['id']}/"))["id"] == job["id"]
    resp = client_for(province.specialist).get(f"/api/v1/ocr/jobs/{job['id']}/pdf/")
    assert resp.status_code == 404 and check(resp)["code"] == "ocr_pdf_not_ready"
