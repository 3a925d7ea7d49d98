"""OCR on the back-office pages: the counter scan panel of the dossier page and readable states."""
from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

REASONS = {
    "too_many_pages": gettext_lazy("quá số trang cho phép"),
    "pdf_encrypted": gettext_lazy("tệp PDF có mật khẩu"),
    "wrong_password": gettext_lazy("mật khẩu không đúng"),
    "image_too_many_pixels": gettext_lazy("ảnh quá nhiều điểm ảnh"),
    "low_resolution": gettext_lazy("độ phân giải dưới mức tối thiểu"),
    "file_type_not_supported": gettext_lazy("chỉ số hóa tệp PDF, JPEG, PNG"),
    "pdf_has_text": gettext_lazy("tệp PDF đã có lớp chữ, không cần số hóa"),
    "timeout": gettext_lazy("quá thời gian cho phép"),
    "worker_lost": gettext_lazy("tiến trình xử lý bị dừng; hãy tải lên lại"),
    "blank": gettext_lazy("không có chữ"),
    "no_pages": gettext_lazy("tệp không có trang nào"),
    "unreadable": gettext_lazy("tệp hỏng, không đọc được"),
    "ocr_error": gettext_lazy("lỗi khi nhận dạng"),
    "result_not_stored": gettext_lazy("không lưu được bản số hóa"),
}


@register.filter
def ocr_reason(job):
    return REASONS.get(job.reason, job.reason)


@register.filter
def ocr_warnings(job):
    out = []
    for r in job.rotations or []:
        out.append(_("Đã xoay trang %(page)d (%(deg)d°)") % {"page": r["page"], "deg": r["degrees"]})
    for w in job.warnings or []:
        code = w.get("code")
        if code == "blank_pages":
            out.append(_("Trang trắng: %(pages)s") % {"pages": ", ".join(str(p) for p in w.get("pages", []))})
        elif code == "low_confidence":
            out.append(_("Độ tin cậy thấp (%(c)s%%): có thể sai ngôn ngữ hoặc ảnh mờ, cần kiểm tra lại") % {
                "c": w.get("confidence")})
        elif code == "below_200_dpi":
            out.append(_("Độ phân giải %(dpi)s dpi, dưới 200 dpi") % {"dpi": w.get("dpi")})
        elif code == "low_resolution":
            out.append(_("Độ phân giải %(dpi)s dpi, tối thiểu %(min)s dpi") % {"dpi": w.get("dpi"),
                                                                                "min": w.get("min_dpi")})
        elif code == "too_many_pages":
            out.append(_("%(pages)s trang, tối đa %(max)s trang") % {"pages": w.get("pages"),
                                                                    "max": w.get("max_pages")})
        elif code != job.reason:
            out.append(str(REASONS.get(code, code)))
    return out


@register.inclusion_tag("ocr/office/_dossier_panel.html", takes_context=True)
def ocr_panel(context, dossier, components):
    """Counter scans: a "Số hóa (OCR)" button for each scanned component file, and the dossier's OCR jobs."""
    from motcua.dossiers import services as dossiers

    from .. import services
    actor = context["request"].actor
    may = dossier.status in dossiers.EXTRA_RULES["attach_component"].from_statuses and \
        dossiers._permission_problem(actor, dossier, "attach_component") is None
    jobs = list(services.jobs_of_dossier(dossier).select_related("agency", "attachment", "result_attachment")[:50])
    results = {j.result_attachment_id for j in jobs if j.result_attachment_id}
    scans = [a for c in components for a in c.attachments.all()
             if a.content_type in services.OCR_TYPES and a.available and a.kind == "component"
             and a.pk not in results] if may else []
    return {"d": dossier, "request": context["request"], "scans": scans, "jobs": jobs, "csrf_token": context.get("csrf_token"),
            "polling": any(j.state in ("queued", "running") for j in jobs)}
