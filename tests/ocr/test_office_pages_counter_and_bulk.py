"""The officer's OCR pages through Django's test client: the "Số hóa (OCR)" button of a component's scan on
the dossier page, the bulk page (many files at once; bad files named in the messages, nothing stored for
them), its polled progress list with aria-live, and 404 for what another agency's officer asks for."""
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.ocr.models import OcrJob, State

from . import samples
from ..dossiers.test_files_payments_ratings import _docx


def test_dossier_page_offers_ocr_for_a_component_scan(client, province, scan_of, counter_dossier):
    att = scan_of(samples.png(samples.page()))
    client.force_login(province.receiver)
    page = client.get(f"/can-bo/ho-so/{counter_dossier.code}/").content.decode()
    assert f'action="/can-bo/so-hoa/tep/{att.pk}/"' in page and "Số hóa (OCR)" in page
    resp = client.post(f"/can-bo/so-hoa/tep/{att.pk}/")
    assert resp.status_code == 302 and resp["Location"] == f"/can-bo/ho-so/{counter_dossier.code}/"
    job = OcrJob.objects.get()
    assert job.attachment_id == att.pk and job.state == State.QUEUED
    page = client.get(f"/can-bo/ho-so/{counter_dossier.code}/").content.decode()
    assert f'data-ocr-job="{job.pk}"' in page and "Đang chờ" in page and "Yêu cầu số hóa (OCR)" in page

    client.force_login(province.other)
    assert client.post(f"/can-bo/so-hoa/tep/{att.pk}/").status_code == 404
    assert OcrJob.objects.count() == 1


def test_bulk_page_takes_many_files_and_lists_their_progress(client, province, media):
    client.force_login(province.receiver)
    page = client.get("/can-bo/so-hoa/").content.decode()
    assert '<label for="ocr-files">' in page and 'aria-live="polite"' in page and "hx-trigger" not in page
    files = [SimpleUploadedFile("trang-1.png", samples.png(samples.page()), "image/png"),
             SimpleUploadedFile("trang-2.pdf", samples.pdf_of(samples.page()), "application/pdf"),
             SimpleUploadedFile("to-khai.docx", _docx()),
             SimpleUploadedFile("bom.png", samples.png_bomb(), "image/png")]
    resp = client.post("/can-bo/so-hoa/", {"agency": str(province.sxd.pk), "files": files}, follow=True)
    page = resp.content.decode()
    assert "bom.png: Ảnh quá lớn" in page and "Đã nhận 3 tệp để số hóa" in page
    jobs = {j.input_name: j for j in OcrJob.objects.all()}
    assert set(jobs) == {"trang-1.png", "trang-2.pdf", "to-khai.docx"}
    assert jobs["to-khai.docx"].state == State.UNSUPPORTED
    assert all(j.uploaded_by_id == province.receiver.pk and j.agency_id == province.sxd.pk for j in jobs.values())
    fragment = client.get("/can-bo/so-hoa/tien-do/").content.decode()
    assert 'hx-trigger="every 3s"' in fragment and 'aria-live="polite"' in fragment   # polled while jobs are open
    assert "chỉ số hóa tệp PDF, JPEG, PNG" in fragment
    # someone else's bulk jobs: not listed, not downloadable
    client.force_login(province.specialist)
    assert "trang-1.png" not in client.get("/can-bo/so-hoa/tien-do/").content.decode()
    assert client.get(f"/can-bo/so-hoa/{jobs['trang-1.png'].pk}/ban-so-hoa.pdf").status_code == 404
    assert client.post(f"/can-bo/so-hoa/{jobs['trang-1.png'].pk}/mat-khau/", {"password": "x"}).status_code == 404
    # an agency that is not the officer's: nothing stored
    client.force_login(province.other)
    resp = client.post("/can-bo/so-hoa/", {"agency": str(province.sxd.pk),
                                           "files": [SimpleUploadedFile("a.png", samples.png(samples.page()))]},
                       follow=True)
    assert "Không tìm thấy cơ quan" in resp.content.decode() and OcrJob.objects.count() == 3


def test_citizen_has_no_ocr_pages(client, province):
    client.force_login(province.citizen)
    assert client.get("/can-bo/so-hoa/").status_code == 403
