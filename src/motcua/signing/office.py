"""Signing in the back office (trang cán bộ): the leader signs the result from the dossier page, the clerk
applies the agency seal, a digitised copy is certified from the page, and keys are registered. Thin views
over motcua.signing.services; the PIN typed here opens the token / the remote service's confirmation for
this one signature and is never stored."""
import base64

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency, Role
from motcua.agencies.scope import agencies_in_scope
from motcua.core.errors import DomainError, ValidationFailed
from motcua.portal.web import show_error, staff_required

from . import results, services
from .models import CertificateKind

app_name = "signing_office"


def _pdf(request, field="file"):
    f = request.FILES.get(field)
    if f is None:
        raise ValidationFailed(_("Hãy chọn tệp PDF."), code="file_required", details={"field": field})
    from django.conf import settings
    if f.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("Tệp vượt quá dung lượng cho phép."), code="file_too_large")
    return f.name, f.read()


def _int(value, field):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Hãy chọn %(field)s.") % {"field": field}, code="field_required",
                               details={"field": field}) from None


def _secrets(request):
    pin = request.POST.get("pin", "")
    return {"pin": pin} if pin else None


@require_POST
@staff_required
def sign_result(request, code):
    """One step of the result's plan: the leader signs the uploaded result, or the clerk seals the file the
    leader signed (motcua.signing.results)."""
    step = request.POST.get("step", "")
    try:
        data = _pdf(request)[1] if step == "person" else None
        name = request.FILES["file"].name if step == "person" else "ket-qua.pdf"
        out = results.sign_result(request.actor, code, _int(request.POST.get("key_id"), "key_id"), step=step,
                                  pdf_bytes=data, filename=name, note=request.POST.get("note", ""),
                                  version=request.POST.get("version") or None, secrets=_secrets(request))
    except DomainError as exc:
        show_error(request, exc)
    else:
        if out["complete"]:
            messages.success(request, _("Đã đóng dấu số kết quả; kết quả đã được ký đủ, hồ sơ chuyển "
                                        "“Đã xử lý xong”."))
        else:
            messages.success(request, _("Đã ký số kết quả; chờ văn thư đóng dấu số của cơ quan."))
        for w in out["warnings"]:
            messages.warning(request, w)
    return redirect("office:dossier", code=code)


@require_POST
@staff_required
def certify_copy(request, code):
    try:
        name, data = _pdf(request)
        out = services.certify_digitised_copy(request.actor, code, _int(request.POST.get("component"), "component"),
                                              data, _int(request.POST.get("key_id"), "key_id"), filename=name,
                                              version=request.POST.get("version") or None,
                                              secrets=_secrets(request))
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã chứng thực bản sao điện tử số %(n)s.") % {"n": out["number_symbol"]})
        for w in out["warnings"]:
            messages.warning(request, w)
    return redirect("office:dossier", code=code)


def _registrable_agencies(actor):
    return [a for a in agencies_in_scope(actor).exclude(kind="unit").order_by("name")
            if actor.has_role(Role.ADMINISTRATOR, a.path) or actor.has_role(Role.AGENCY_LEADER, a.path)]


@staff_required
def keys_page(request):
    """The certificate registry of the officer's scope, with expiry, and the form to register a key."""
    actor = request.actor
    agencies = _registrable_agencies(actor)
    if request.method == "POST":
        try:
            _register(request, actor)
        except DomainError as exc:
            show_error(request, exc)
        else:
            messages.success(request, _("Đã đăng ký chứng thư số."))
            return redirect("signing_office:keys")
    warnings = {row["key"].pk: row for row in services.expiring_keys(actor)}
    rows = [(k, warnings.get(k.pk)) for k in services.keys_for(actor)]
    return render(request, "signing/office/keys.html", {
        "rows": rows, "agencies": agencies, "kinds": CertificateKind.choices, "values": request.POST})


def _register(request, actor):
    P = request.POST
    source = P.get("source", "pkcs12")
    agency = Agency.objects.filter(code=P.get("agency", "")).first()
    holder = None
    if P.get("kind") == CertificateKind.PERSONAL:
        holder = request.user      # a personal certificate is registered by its holder (leader) from the page
    secrets = _secrets(request)
    if source == "pkcs12":
        f = request.FILES.get("p12")
        if f is None:
            raise ValidationFailed(_("Hãy chọn tệp PKCS#12 (.p12/.pfx)."), code="file_required",
                                   details={"field": "p12"})
        config = {"data_b64": base64.b64encode(f.read()).decode("ascii")}
    elif source == "pkcs11":
        config = {k: P.get(k, "").strip() for k in ("module", "token_label", "key_label", "cert_label")
                  if P.get(k, "").strip()}
    elif source == "csc":
        config = {k: P.get(k, "").strip() for k in ("service_url", "credential_id", "username", "password_env",
                                                    "token_env") if P.get(k, "").strip()}
    else:
        raise ValidationFailed(_("Nguồn khóa không được hỗ trợ."), code="unknown_key_source")
    images = {}
    for field in ("signature_image", "seal_image"):
        f = request.FILES.get(field)
        if f is not None:
            images[field] = f.read()
    return services.register_key(actor, agency.code if agency else P.get("agency", ""), label=P.get("label", ""),
                                 kind=P.get("kind", ""), source=source, config=config, holder=holder,
                                 holder_name=P.get("holder_name", ""), holder_title=P.get("holder_title", ""),
                                 authority=P.get("authority", ""), secrets=secrets, **images)


urlpatterns = [
    path("chung-thu-so/", keys_page, name="keys"),
    path("ho-so/<str:code>/ky-ket-qua/", sign_result, name="sign_result"),
    path("ho-so/<str:code>/chung-thuc-ban-sao/", certify_copy, name="certify_copy"),
]
