"""The documents API as a client uses it, every answer checked against docs/openapi.yaml: draft with a PDF,
review, approve, issue; register an incoming document (duplicate warning), assign, overdue list, complete;
the registers as PDF; another agency's officer gets 404 and empty lists; bad input has an error code."""
import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.defaults import ensure_types

from ..signing.samples import make_pdf
from .schema_check import check


def test_outgoing_and_incoming_through_the_api(province, client_for, settings):
    ensure_types()
    specialist, head, leader, clerk = (client_for(getattr(province, n)) for n in ("specialist", "head", "leader", "clerk"))
    other = client_for(province.other)
    form = {"agency": province.sxd.code, "type_name": "Quyết định", "subject": "Về việc cấp phép", "secrecy": "thuong",
            "signer_authority": "KT. Giám đốc", "recipients": "Sở Tư pháp\nUBND huyện Lương Sơn",
            "file": SimpleUploadedFile("du-thao.pdf", make_pdf(1), content_type="application/pdf")}
    created = check(specialist.post("/api/v1/documents/outgoing/", form, format="multipart"))
    assert created["status"] == "draft" and created["has_draft_pdf"] and len(created["recipients"]) == 2
    doc = created["id"]
    bad = check(specialist.post("/api/v1/documents/outgoing/", dict(form, secrecy="", file=None) | {"file": ""},
                                format="multipart"))
    assert bad["code"] == "secrecy_required"
    assert check(leader.post(f"/api/v1/documents/outgoing/{doc}/actions/approve/", {}, format="json"))["code"] \
        == "invalid_transition"                                          # not reviewed yet: 409
    assert check(head.post(f"/api/v1/documents/outgoing/{doc}/actions/review/", {"note": "Đạt"},
                           format="json"))["status"] == "reviewed"
    assert check(leader.post(f"/api/v1/documents/outgoing/{doc}/actions/approve/", {}, format="json"))["status"] \
        == "approved"
    resp = other.post(f"/api/v1/documents/outgoing/{doc}/actions/issue/", {}, format="json")
    assert resp.status_code == 404 and check(resp)["code"] == "document_not_found"
    assert other.get(f"/api/v1/documents/outgoing/{doc}/").status_code == 404
    assert check(other.get("/api/v1/documents/outgoing/"))["count"] == 0
    issued = check(clerk.post(f"/api/v1/documents/outgoing/{doc}/actions/issue/", {}, format="json"))
    assert issued["number_symbol"].startswith("01/QĐ-SXD") and issued["status"] == "issued"
    detail = check(clerk.get(f"/api/v1/documents/outgoing/{doc}/"))
    assert [e["action"] for e in detail["events"]] == ["draft", "review", "approve", "issue"]
    assert check(clerk.get("/api/v1/documents/outgoing/?status=issued"))["count"] == 1
    assert check(clerk.get("/api/v1/documents/outgoing/?status=nope"))["code"] == "invalid_status"
    assert check(clerk.post(f"/api/v1/documents/outgoing/{doc}/actions/dance/", {}, format="json"))["code"] \
        == "unknown_action"

    body = {"agency": province.sxd.code, "sender_code": "000.00.18.H13", "sender_name": "Sở Tư pháp",
            "number_symbol": "120/STP-VP", "issued_date": "2026-02-27", "subject": "Góp ý", "secrecy": "thuong"}
    first = check(clerk.post("/api/v1/documents/incoming/", body, format="json"))
    assert first["arrival_number"] == 1 and first["warnings"] == []
    again = check(clerk.post("/api/v1/documents/incoming/", body, format="json"))
    assert [w["code"] for w in again["warnings"]] == ["duplicate"] and again["duplicate_of"] == first["id"]
    assert check(clerk.post("/api/v1/documents/incoming/", dict(body, issued_date="27/02"), format="json"))["code"] \
        == "invalid_date"
    assigned = check(leader.post(f"/api/v1/documents/incoming/{first['id']}/actions/assign/",
                                 {"lead_unit": province.sxd_unit.code, "working_hours": 0.01}, format="json"))
    assert assigned["status"] == "assigned" and assigned["lead_unit"] == province.sxd_unit.code
    assert other.post(f"/api/v1/documents/incoming/{first['id']}/actions/complete/", {}, format="json").status_code == 404
    assert check(other.get("/api/v1/documents/incoming/?overdue=1"))["count"] == 0
    done = check(specialist.post(f"/api/v1/documents/incoming/{first['id']}/actions/complete/", {}, format="json"))
    assert done["status"] == "done"
    year = date.today().year
    pdf = clerk.get(f"/api/v1/documents/registers/{province.sxd.code}/?nam={year}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    xlsx = clerk.get(f"/api/v1/documents/registers/{province.sxd.code}/?nam={year}&format=xlsx")
    from openpyxl import load_workbook
    assert load_workbook(io.BytesIO(xlsx.content)).worksheets[1]["B3"].value == 1
    assert other.get(f"/api/v1/documents/registers/{province.sxd.code}/?nam={year}").status_code == 403
    assert check(clerk.get("/api/v1/documents/archive/due/")) == []
    assert check(clerk.post("/api/v1/documents/archive/exports/", {}, format="json"))["code"] == "field_required"
