"""Back-office pages (trang cán bộ) for OCR: the bulk scanning page with its progress list (polled while a
job is open, announced through aria-live), the counter scan button of the dossier page, the password
retry and the download of the searchable PDF. Thin views over motcua.ocr.services."""
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.uploads import read_limited
from motcua.portal.web import show_error, staff_required

from . import engine, services
from .models import State

app_name = "ocr_office"
OPEN = (State.QUEUED, State.RUNNING)


def _jobs(request):
    return list(services.visible_jobs(request.actor).filter(attachment__isnull=True)
                .select_related("agency")[:100])


@staff_required
def bulk(request):
    if request.method == "POST":
        return _bulk_upload(request)
    return render(request, "ocr/office/bulk.html", {
        "agencies": services.bulk_agencies(request.actor), **_progress(request),
        "max_files": engine.conf("bulk_max_files"), "max_pages": engine.conf("max_pages")})


def _progress(request):
    jobs = _jobs(request)
    return {"jobs": jobs, "polling": any(j.state in OPEN for j in jobs)}


@staff_required
def progress(request):
    """The progress list alone: what the bulk page polls (htmx) while a job is queued or running."""
    return render(request, "ocr/office/_progress.html", _progress(request))


def _bulk_upload(request):
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, _("Hãy chọn ít nhất một tệp ảnh hoặc PDF."))
        return redirect("ocr_office:bulk")
    if len(files) > engine.conf("bulk_max_files"):
        messages.error(request, _("Tối đa %(n)d tệp một lần.") % {"n": engine.conf("bulk_max_files")})
        return redirect("ocr_office:bulk")
    queued = 0
    for f in files:
        try:
            services.enqueue_upload(request.actor, request.POST.get("agency", ""), f.name, read_limited(f))
            queued += 1
        except DomainError as exc:
            messages.error(request, f"{f.name}: {exc.message}")
    if queued:
        messages.success(request, _("Đã nhận %(n)d tệp để số hóa.") % {"n": queued})
    return redirect("ocr_office:bulk")


@require_POST
@staff_required
def scan_attachment(request, attachment_id):
    try:
        job = services.enqueue_attachment(request.actor, attachment_id)
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        show_error(request, exc)
        from motcua.dossiers.models import Attachment
        att = Attachment.objects.select_related("dossier").get(pk=attachment_id)
        return redirect("office:dossier", code=att.dossier.code)
    messages.success(request, _("Đã gửi “%(name)s” đi số hóa (OCR).") % {"name": job.input_name})
    return redirect("office:dossier", code=job.attachment.dossier.code)


def _job_or_404(request, job_id):
    try:
        return services.get_for(request.actor, job_id)
    except NotFound:
        raise Http404 from None


@require_POST
@staff_required
def password(request, job_id):
    job = _job_or_404(request, job_id)
    try:
        services.supply_password(request.actor, job.pk, request.POST.get("password", ""))
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã nhận mật khẩu; tệp được số hóa lại."))
    if job.attachment_id:
        return redirect("office:dossier", code=job.attachment.dossier.code)
    return redirect("ocr_office:bulk")


@staff_required
def pdf(request, job_id):
    job = _job_or_404(request, job_id)
    if not job.output_file:
        raise Http404
    resp = FileResponse(job.output_file.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=services._output_name(job))
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp


urlpatterns = [
    path("", bulk, name="bulk"),
    path("tien-do/", progress, name="progress"),
    path("tep/<int:attachment_id>/", scan_attachment, name="scan_attachment"),
    path("<int:job_id>/mat-khau/", password, name="password"),
    path("<int:job_id>/ban-so-hoa.pdf", pdf, name="pdf"),
]
