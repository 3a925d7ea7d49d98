"""The back-office document pages as an officer uses them (Django's test client): draft form with a PDF,
review / approve / issue buttons, register an incoming document (duplicate warning shown), the leader assigns,
the follow-up list warns when overdue, completion, the archive page; another agency's officer gets 404."""
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.documents.models import IncomingDocument, OutgoingDocument

from ..signing.samples import make_pdf


def test_outgoing_pages_draft_to_issue(client, province):
    client.force_login(province.specialist)
    page = client.get("/can-bo/van-ban/di/?ho_so=ABC")
    assert page.status_code == 200 and 'value="ABC"' in page.content.decode()
    resp = client.post("/can-bo/van-ban/di/", {
        "agency": province.sxd.code, "type_name": "Quyết định", "subject": "Về việc cấp phép", "secrecy": "",
        "recipients": "Sở Tư pháp"})
    assert resp.status_code == 200 and "độ mật" in resp.content.decode() and not OutgoingDocument.objects.exists()
    resp = client.post("/can-bo/van-ban/di/", {
        "agency": province.sxd.code, "type_name": "Quyết định", "subject": "Về việc cấp phép", "secrecy": "thuong",
        "recipients": "Sở Tư pháp\nUBND huyện", "signer_authority": "KT. Giám đốc",
        "file": SimpleUploadedFile("d.pdf", make_pdf(1), content_type="application/pdf")})
    doc = OutgoingDocument.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/can-bo/van-ban/di/{doc.pk}/"
    assert client.get(f"/can-bo/van-ban/di/{doc.pk}/van-ban.pdf").content.startswith(b"%PDF-")
    for user, action, status in [(province.head, "kiem-tra", "reviewed"), (province.leader, "duyet", "approved"),
                                 (province.clerk, "phat-hanh", "issued")]:
        client.force_login(user)
        assert client.post(f"/can-bo/van-ban/di/{doc.pk}/{action}/").status_code == 302
        doc.refresh_from_db()
        assert doc.status == status, action
    page = client.get(f"/can-bo/van-ban/di/{doc.pk}/").content.decode()
    assert "01/QĐ-SXD" in page and "phát hành" in page
    client.force_login(province.other)
    assert client.get(f"/can-bo/van-ban/di/{doc.pk}/").status_code == 404
    assert client.post(f"/can-bo/van-ban/di/{doc.pk}/phat-hanh/").status_code == 404
    assert client.get(f"/can-bo/van-ban/di/{doc.pk}/van-ban.pdf").status_code == 404
    assert "01/QĐ-SXD" not in client.get("/can-bo/van-ban/di/").content.decode()


def test_incoming_pages_register_assign_follow_up_complete(client, province):
    client.force_login(province.clerk)
    form = {"agency": province.sxd.code, "sender_name": "Sở Tư pháp", "sender_code": "000.00.18.H13",
            "number_symbol": "120/STP-VP", "issued_date": "2026-02-27", "subject": "Góp ý", "secrecy": "thuong"}
    client.post("/can-bo/van-ban/den/", form)
    resp = client.post("/can-bo/van-ban/den/", form, follow=True)
    text = resp.content.decode()
    assert "có thể trùng" in text.lower() and "Có thể trùng với văn bản đến số 1" in text
    first, second = IncomingDocument.objects.order_by("arrival_number")
    client.force_login(province.leader)
    resp = client.post(f"/can-bo/van-ban/den/{first.pk}/phan-cong/",
                       {"lead_unit": province.sxd_unit.code, "working_days": "1"})
    first.refresh_from_db()
    assert resp.status_code == 302 and first.status == "assigned" and first.deadline is not None
    IncomingDocument.objects.filter(pk=first.pk).update(deadline=timezone.now() - timedelta(hours=1))
    page = client.get("/can-bo/van-ban/den/").content.decode()
    assert "Quá hạn" in page
    client.force_login(province.other)
    assert client.get(f"/can-bo/van-ban/den/{first.pk}/").status_code == 404
    assert client.post(f"/can-bo/van-ban/den/{first.pk}/hoan-thanh/").status_code == 404
    client.force_login(province.specialist)
    client.post(f"/can-bo/van-ban/den/{first.pk}/hoan-thanh/")
    first.refresh_from_db()
    assert first.status == "done"
    assert "Quá hạn" not in client.get("/can-bo/van-ban/den/").content.decode()
    client.force_login(province.clerk)
    assert client.get("/can-bo/van-ban/luu-tru/").status_code == 200
    pdf = client.get(f"/can-bo/van-ban/{province.sxd.code}/so-van-ban.pdf?nam={first.arrival_date.year}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
