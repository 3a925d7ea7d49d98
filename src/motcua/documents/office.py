"""Back-office pages (trang cán bộ) for official documents: the registers, outgoing documents (list, draft
form, review / approve / sign / issue), incoming documents (list, register form with the duplicate warning,
assignment, follow-up with overdue warnings, completion) and the archive (what is due, export). Thin views
over services, registers and archive; out of scope is 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency, Role
from motcua.agencies.scope import agencies_in_scope
from motcua.core.errors import DomainError, NotFound, ValidationFailed
from motcua.portal.web import show_error, staff_required
from motcua.signing.models import CertificateKind, SecrecyLevel, SigningKey
from motcua.worktime import TZ

from . import archive, registers, services
from .models import DocumentType, OutgoingStatus

app_name = "documents_office"
ORG_KINDS = ("province", "department", "district", "commune", "centre")


def _year(request):
    raw = request.GET.get("nam") or str(timezone.now().astimezone(TZ).year)
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationFailed(_("Năm không hợp lệ."), code="invalid_year", details={"year": raw})
    return int(raw)


def _orgs(actor):
    return agencies_in_scope(actor).filter(kind__in=ORG_KINDS).order_by("name")


def _units(actor):
    return agencies_in_scope(actor).order_by("path")


def _upload(request, field):
    f = request.FILES.get(field)
    if f is None:
        return None
    from django.conf import settings
    if f.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("Tệp vượt quá dung lượng cho phép."), code="file_too_large")
    return f.read()


def _or_404(call, *args, **kw):
    try:
        return call(*args, **kw)
    except NotFound:
        raise Http404


def _download(data, ctype, name):
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------- registers

@staff_required
def registers_page(request):
    year = _year(request)
    outgoing, incoming = services.registers_in_scope(request.actor, year)
    return render(request, "documents/office/registers.html", {
        "year": year, "outgoing": outgoing, "incoming": incoming, "agencies": _orgs(request.actor)})


@staff_required
def registers_xlsx(request, code):
    year = _year(request)
    return _download(registers.registers_xlsx(request.actor, code, year),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"so-van-ban-{year}.xlsx")


@staff_required
def registers_pdf(request, code):
    year = _year(request)
    return _download(registers.registers_pdf(request.actor, code, year), "application/pdf", f"so-van-ban-{year}.pdf")


# ---------------------------------------------------------------- outgoing

def _recipients(text):
    return [{"OrganId": "", "OrganName": line.strip()} for line in (text or "").splitlines() if line.strip()]


@staff_required
def outgoing_page(request):
    actor = request.actor
    if request.method == "POST":
        P = request.POST
        try:
            doc = services.create_draft(
                actor, P.get("agency", ""), type_name=P.get("type_name", ""), subject=P.get("subject", ""),
                secrecy=P.get("secrecy", ""), drafting_unit_code=P.get("drafting_unit") or None,
                recipients=_recipients(P.get("recipients")), signer_authority=P.get("signer_authority", ""),
                signer_position=P.get("signer_position", ""), pdf_bytes=_upload(request, "file"),
                dossier_code=P.get("dossier") or None)
        except DomainError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo văn bản."))
            return redirect("documents_office:outgoing_detail", id=doc.pk)
    return render(request, "documents/office/outgoing.html", {
        "documents": services.outgoing_in_scope(actor)[:200], "agencies": _orgs(actor), "units": _units(actor),
        "types": DocumentType.objects.all(), "secrecy": SecrecyLevel.choices, "values": request.POST,
        "dossier": request.GET.get("ho_so", "")})


@staff_required
def outgoing_detail(request, id):
    actor = request.actor
    doc = _or_404(services.get_outgoing, actor, id)
    keys = SigningKey.objects.filter(agency=doc.agency, active=True, not_after__gt=timezone.now())
    return render(request, "documents/office/outgoing_detail.html", {
        "doc": doc, "events": doc.events.all(), "status": OutgoingStatus,
        "person_keys": keys.filter(kind=CertificateKind.PERSONAL, holder_id=actor.user_id),
        "seal_keys": keys.filter(kind=CertificateKind.ORGANISATION),
        "is_secret": services.is_secret(doc)})


@require_POST
@staff_required
def outgoing_act(request, id, action):
    actor, P = request.actor, request.POST
    acts = {
        "kiem-tra": lambda: services.review(actor, id, note=P.get("note", "")),
        "duyet": lambda: services.approve(actor, id, note=P.get("note", "")),
        "ky": lambda: services.sign(actor, id, _upload(request, "file"), P.get("key_id") or None,
                                    step=P.get("step") or None, secrets={"pin": P["pin"]} if P.get("pin") else None),
        "phat-hanh": lambda: services.issue(actor, id),
    }
    _or_404(services.get_outgoing, actor, id)
    if action not in acts:
        raise Http404
    try:
        _or_404(acts[action])
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã cập nhật văn bản."))
    return redirect("documents_office:outgoing_detail", id=id)


@staff_required
def outgoing_pdf(request, id):
    doc = _or_404(services.get_outgoing, request.actor, id)
    content = doc.signed_pdf or doc.draft_pdf
    if not content:
        raise Http404
    return _download(bytes(content), "application/pdf", f"van-ban-{doc.pk}.pdf")


# ---------------------------------------------------------------- incoming

@staff_required
def incoming_page(request):
    actor = request.actor
    if request.method == "POST":
        P = request.POST
        try:
            from datetime import date
            try:
                issued = date.fromisoformat(P.get("issued_date", ""))
            except ValueError:
                raise ValidationFailed(_("Ngày văn bản không hợp lệ."), code="invalid_date",
                                       details={"field": "issued_date"})
            doc, warnings = services.register_incoming(
                actor, P.get("agency", ""), sender_name=P.get("sender_name", ""), sender_code=P.get("sender_code", ""),
                number_symbol=P.get("number_symbol", ""), issued_date=issued, subject=P.get("subject", ""),
                secrecy=P.get("secrecy", ""), type_name=P.get("type_name", ""), scan_pdf=_upload(request, "file"))
        except DomainError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Đã vào sổ văn bản đến số %(n)d.") % {"n": doc.arrival_number})
            for w in warnings:
                messages.warning(request, w["message"])
            return redirect("documents_office:incoming_detail", id=doc.pk)
    return render(request, "documents/office/incoming.html", {
        "documents": services.incoming_in_scope(actor)[:200], "follow_up": services.follow_up(actor),
        "agencies": _orgs(actor), "types": DocumentType.objects.all(), "secrecy": SecrecyLevel.choices,
        "values": request.POST})


@staff_required
def incoming_detail(request, id):
    doc = _or_404(services.get_incoming, request.actor, id)
    return render(request, "documents/office/incoming_detail.html", {
        "doc": doc, "events": doc.events.all(), "units": Agency.objects.filter(path__startswith=doc.agency.path,
                                                                               is_active=True).order_by("path"),
        "is_leader": request.actor.has_role(Role.AGENCY_LEADER, doc.agency.path)})


@require_POST
@staff_required
def incoming_act(request, id, action):
    actor, P = request.actor, request.POST
    _or_404(services.get_incoming, actor, id)
    try:
        if action == "phan-cong":
            days = P.get("working_days") or None
            services.assign(actor, id, lead_unit_code=P.get("lead_unit", ""),
                            support_unit_codes=[c for c in P.getlist("support_units") if c],
                            working_days=float(days) if days and days.replace(".", "", 1).isdigit() else None)
        elif action == "hoan-thanh":
            services.complete(actor, id)
        else:
            raise Http404
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã cập nhật văn bản."))
    return redirect("documents_office:incoming_detail", id=id)


# ---------------------------------------------------------------- archive

@staff_required
def archive_page(request):
    actor = request.actor
    if request.method == "POST":
        try:
            if request.POST.get("kind") == "file":
                package = archive.export_file(actor, int(request.POST.get("id") or 0))
            else:
                package = archive.export_dossier(actor, request.POST.get("code", ""))
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError):
                show_error(request, exc)
        else:
            messages.success(request, _("Đã xuất gói lưu trữ (SHA-256 của danh mục: %(h)s).")
                             % {"h": package.manifest_sha256})
        return redirect("documents_office:archive")
    return render(request, "documents/office/archive.html", {"rows": archive.due(actor)})


urlpatterns = [
    path("", registers_page, name="registers"),
    path("di/", outgoing_page, name="outgoing"),
    path("di/<int:id>/", outgoing_detail, name="outgoing_detail"),
    path("di/<int:id>/van-ban.pdf", outgoing_pdf, name="outgoing_pdf"),
    path("di/<int:id>/<str:action>/", outgoing_act, name="outgoing_act"),
    path("den/", incoming_page, name="incoming"),
    path("den/<int:id>/", incoming_detail, name="incoming_detail"),
    path("den/<int:id>/<str:action>/", incoming_act, name="incoming_act"),
    path("luu-tru/", archive_page, name="archive"),
    path("<str:code>/so-van-ban.xlsx", registers_xlsx, name="registers_xlsx"),
    path("<str:code>/so-van-ban.pdf", registers_pdf, name="registers_pdf"),
]
