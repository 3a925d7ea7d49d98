"""The citizen portal (cổng dịch vụ công): catalogue, online filing, my dossiers, supplements, rating,
public status lookup and on-time rates. State changes go through motcua.dossiers.services."""
import secrets
import shutil

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.views import LoginView
from django.core.cache import caches
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.agencies.models import Agency
from motcua.agencies.scope import actor_for
from motcua.catalog.models import Field, OnlineLevel, Procedure
from motcua.core.errors import DomainError
from motcua.core import limits
from motcua.core.forms import FormErrors, Problems, VersionForm, present, validated
from motcua.core.logins import LimitedAuthenticationForm
from motcua.core.security import local_redirect
from motcua.dossiers import lookup as dossier_lookup
from motcua.dossiers import services, visibility
from motcua.dossiers.api import _mask_name
from motcua.citizens.checks import check_cccd, check_email, check_tax_code, normalise_phone
from motcua.dossiers.models import ApplicantKind, Attachment, AttachmentKind, Channel, Dossier, ResultDelivery, Status
from motcua.dossiers.uploads import file_response, pending_dir, reserve_pending

from .originals import originals_for
from .context import CONTRAST_COOKIE, SIZE_COOKIE, SIZES
from .text import fold
from motcua.datastore.services import reuse_all

from .web import atomic, attach_all, attach_posted_files, citizen_required, read_uploads, show_error



# ---------------------------------------------------------------- home, display preferences

def home(request):
    return render(request, "portal/home.html", {"levels": OnlineLevel.choices})


@require_POST
def display(request):
    resp = redirect(local_redirect(request, request.POST.get("next")))
    year = 365 * 24 * 3600
    if request.POST.get("size") in SIZES:
        resp.set_cookie(SIZE_COOKIE, request.POST["size"], max_age=year, samesite="Lax")
    if request.POST.get("contrast") in ("0", "1"):
        resp.set_cookie(CONTRAST_COOKIE, request.POST["contrast"], max_age=year, samesite="Lax")
    return resp


# ---------------------------------------------------------------- catalogue

def _catalogue_rows():
    """All active procedures with their folded search text; cached briefly (the catalogue changes rarely)."""
    from django.db.models import Max
    stamp = Procedure.objects.aggregate(n=Count("pk"), at=Max("updated_at"), top=Max("pk"))
    key = f"portal:catalogue:{stamp['n']}:{stamp['top']}:{stamp['at'].timestamp() if stamp['at'] else 0}"
    rows = caches["local"].get(key)
    if rows is None:
        rows = []
        qs = Procedure.objects.filter(is_active=True).select_related("field").prefetch_related("agencies")
        for p in qs.order_by("name"):
            agencies = [(a.code, a.name) for a in p.agencies.all()]
            rows.append({"code": p.code, "name": p.name, "field": p.field.name, "field_code": p.field.code,
                         "level": p.online_level, "level_label": p.get_online_level_display(),
                         "agencies": agencies, "agency_codes": {a[0] for a in agencies},
                         "agency_names": sorted({a[1] for a in agencies})[:3], "n_agencies": len(agencies),
                         "text": fold(f"{p.code} {p.name} {p.field.name}")})
        caches["local"].set(key, rows, 600)
    return rows


def catalog(request):
    p = request.GET
    q, agency, field, level = (p.get("q", "").strip(), p.get("agency", ""), p.get("field", ""), p.get("level", ""))
    words = fold(q).split()
    rows = [r for r in _catalogue_rows()
            if all(w in r["text"] for w in words)
            and (not agency or agency in r["agency_codes"]) and (not field or r["field_code"] == field)
            and (not level or r["level"] == level)]
    ctx = {"rows": rows, "q": q, "agency": agency, "field": field, "level": level,
           "levels": OnlineLevel.choices, "fields": Field.objects.all(),
           "agencies": Agency.objects.filter(procedures__isnull=False, kind__in=["department", "centre", "province"])
           .distinct().only("code", "name").order_by("name")}
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "portal/_catalog_results.html", ctx)
    return render(request, "portal/catalog.html", ctx)


def procedure(request, code):
    proc = (Procedure.objects.filter(code=code, is_active=True).select_related("field")
            .prefetch_related("components", "fees", "agencies", "steps").first())
    if proc is None:
        raise Http404
    ctx = {"proc": proc, "online": proc.online_level != OnlineLevel.NONE}
    if request.user.is_authenticated and actor_for(request.user).roles:   # officers see the DVCQG mapping
        from motcua.integrations.models import ProcedureMapping
        ctx["dvcqg"] = {"code": ProcedureMapping.objects.filter(procedure=proc).values_list("remote_code", flat=True)
                        .first() or ""}
    return render(request, "portal/procedure.html", ctx)


def blank_form(request, code, component_id):
    """The blank form of one component of a published procedure, served with the attachments' safe headers."""
    from motcua.catalog.models import Component
    from motcua.dossiers.uploads import file_response
    comp = (Component.objects.filter(pk=component_id, procedure__code=code, procedure__is_active=True)
            .exclude(template_file="").first())
    if comp is None:
        raise Http404
    return file_response(comp)


# ---------------------------------------------------------------- online filing

def _pending_dir(user, token):
    """Unsubmitted files live per account (capped, and removed by `motcua cleanup-uploads` when old)."""
    return pending_dir(user.pk, token)


def _clear_pending(request, token):
    request.session.pop(f"filing:{token}", None)
    if token and token.isalnum():
        shutil.rmtree(_pending_dir(request.user, token), ignore_errors=True)


@citizen_required
def file_online(request, code):
    proc = (Procedure.objects.filter(code=code, is_active=True)
            .prefetch_related("components", "fees", "agencies").first())
    if proc is None or proc.online_level == OnlineLevel.NONE:
        raise Http404
    user = request.user
    agencies = list(proc.agencies.all())
    from motcua.citizens.services import filing_defaults, profile_for
    from motcua.datastore.services import offers_for_citizen
    offers = offers_for_citizen(user, proc)     # the data store: owner = the account's verified CCCD only
    ctx = {"proc": proc, "agencies": agencies, "values": filing_defaults(user),   # from the profile, correctable
           "deliveries": ResultDelivery.choices, "kinds": ApplicantKind.choices,
           "profile": profile_for(user),
           # (component, its data-store offers, the offer picked in the form sent back, if still offered)
           "components": [(c, offers.get(c.id, []), _picked(request, c.id, offers)) for c in proc.components.all()],
           "originals": originals_for(proc, proc.components.all(),
                                      request.POST.get("result_delivery") or ResultDelivery.COUNTER)}
    step = request.POST.get("step")
    if request.method == "POST" and step == "review":
        ctx["values"] = request.POST
        try:
            data, manifest, reused = _validate_filing(request, proc, agencies, offers)
            reserve_pending(user.pk, [len(content) for _c, _n, content in manifest])
        except DomainError as exc:
            ctx["errors"] = errors = filing_errors(proc)
            errors.add_error(exc)
            return render(request, "portal/file.html", ctx, status=422)
        token = secrets.token_hex(16)
        folder = _pending_dir(user, token)
        folder.mkdir(parents=True, exist_ok=True)
        stored = []
        for i, (comp_id, name, content) in enumerate(manifest):
            (folder / str(i)).write_bytes(content)
            stored.append([comp_id, name, i])
        request.session[f"filing:{token}"] = {"procedure": proc.code, "data": data, "files": stored,
                                              "reuse": [[c, d.pk] for c, d in reused.items()]}
        comp_names = {c.id: c.name for c in proc.components.all()}
        ctx.update(token=token, data=data, files=[(comp_names.get(c), n) for c, n, _i in stored] + [
                       (comp_names.get(c), _("Giấy tờ trong kho dữ liệu: %(n)s") % {"n": d.name})
                       for c, d in reused.items()],
                   delivery_label=ResultDelivery(data["result_delivery"]).label,
                   agency_name=next((a.name for a in agencies if a.code == data.get("agency")), agencies[0].name
                                    if agencies else ""))
        return render(request, "portal/review.html", ctx)
    if request.method == "POST" and step == "confirm":
        token = request.POST.get("token", "")
        pending = request.session.get(f"filing:{token}")
        if not pending or pending["procedure"] != proc.code:
            messages.error(request, _("Phiên nộp hồ sơ đã hết hạn, vui lòng nhập lại."))
            return redirect("portal:file", code=proc.code)
        folder = _pending_dir(user, token)
        try:
            items = [(comp_id, name, (folder / str(i)).read_bytes()) for comp_id, name, i in pending["files"]]
            actor = actor_for(user)
            with atomic():
                dossier, _r = services.intake(actor, pending["data"], idempotency_key=f"web-{token}",
                                               source=services.Source.PORTAL)
                by_catalogue = {c.component_id: c.id for c in dossier.components.all()}
                if not _r:
                    attach_all(actor, dossier.code, [(by_catalogue.get(c), n, b) for c, n, b in items],
                               AttachmentKind.COMPONENT)
                    # chosen from the data store: the service re-checks the owner on every link
                    reuse_all(actor, dossier.code, [(by_catalogue.get(c), d) for c, d in pending.get("reuse", [])])
        except (DomainError, FileNotFoundError) as exc:
            messages.error(request, getattr(exc, "message", _("Phiên nộp hồ sơ đã hết hạn, vui lòng nhập lại.")))
            return redirect("portal:file", code=proc.code)
        _clear_pending(request, token)
        # the dossier page (?moi=1) says it once, with the code and the lookup secret: no second message
        return redirect(reverse("portal:my_dossier", args=[dossier.code]) + "?moi=1")
    return render(request, "portal/file.html", ctx)


# The online filing form's fields: name -> input id (portal/file.html), in the page's order.
FILING_FIELDS = {
    "applicant_kind": "kind", "applicant_name": "name", "applicant_id_number": "idn", "applicant_address": "addr",
    "applicant_phone": "phone", "applicant_email": "email", "agency": "agency", "request": "req",
    "result_delivery": f"delivery-{ResultDelivery.choices[0][0]}", "delivery_address": "daddr",
}


def filing_errors(proc):
    """The FormErrors of the online filing form: each component's file input and its data-store choice too."""
    ids = dict(FILING_FIELDS)
    for comp in proc.components.all():
        ids[f"c{comp.id}_file"] = f"c{comp.id}"
        ids[f"c{comp.id}_store"] = f"c{comp.id}s"
    return FormErrors(ids)


def _picked(request, cid, offers):
    picked = request.POST.get(f"c{cid}_store", "")
    return picked if any(str(d.pk) == picked for d in offers.get(cid, [])) else ""


def _validate_filing(request, proc, agencies, offers):
    """Every field of the online filing checked at once, before anything is stored: (data for the review,
    the checked files [(component id, name, bytes)], {component id: document chosen from the data store}),
    or one ValidationFailed listing each problem by field with its own code (core.forms.Problems)."""
    P = request.POST
    problems = Problems()
    kind = P.get("applicant_kind") or ApplicantKind.CITIZEN
    if kind not in ApplicantKind.values:
        problems.add("applicant_kind", _("Loại người nộp không hợp lệ."), "applicant_kind_invalid")
    name = P.get("applicant_name", "").strip()
    if not name:
        problems.add("applicant_name", _("Phải có họ tên người nộp hồ sơ."), "applicant_name_required")
    id_number = P.get("applicant_id_number", "").strip()
    if id_number and kind in ApplicantKind.values:
        id_number = problems.check("applicant_id_number",
                                   check_cccd if kind == ApplicantKind.CITIZEN else check_tax_code, id_number,
                                   default=id_number)
    phone = P.get("applicant_phone", "").strip()
    if not phone or sum(ch.isdigit() for ch in phone) < 8:
        problems.add("applicant_phone", _("Phải có số điện thoại (ít nhất 8 chữ số): 4 số cuối là mã tra cứu hồ sơ."),
                     "applicant_phone_required")
    else:
        problems.check("applicant_phone", normalise_phone, phone, code="applicant_phone_invalid")
    email = problems.check("applicant_email", check_email, P.get("applicant_email", ""), default="")
    agency = P.get("agency", "")
    if len(agencies) > 1 and agency not in {a.code for a in agencies}:
        problems.add("agency", _("Phải chọn cơ quan giải quyết."), "agency_required")
    delivery = P.get("result_delivery") or ResultDelivery.COUNTER
    delivery_address = " ".join(P.get("delivery_address", "").split())[:500]
    if delivery not in ResultDelivery.values:
        problems.add("result_delivery", _("Cách nhận kết quả không hợp lệ."), "result_delivery_invalid")
    elif delivery == ResultDelivery.POSTAL and not delivery_address:
        problems.add("delivery_address", _("Nhận kết quả qua bưu chính cần địa chỉ nhận."),
                     "delivery_address_required")
    # documents chosen from the data store: only among those offered (owner = the account's verified CCCD)
    reused, store_refused = {}, set()
    for cid, docs in offers.items():
        picked = P.get(f"c{cid}_store", "")
        doc = next((d for d in docs if str(d.pk) == picked), None) if picked else None
        if doc is not None:
            reused[cid] = doc
        elif picked:
            problems.add(f"c{cid}_store", _("Không tìm thấy giấy tờ trong kho dữ liệu."), "document_not_found")
            store_refused.add(cid)
    manifest, components = [], []
    for comp in proc.components.all():
        if comp.id in reused:
            components.append({"component_id": comp.id, "provided": True})
            continue
        files = request.FILES.getlist(f"c{comp.id}_file")
        if comp.required and not files and comp.id not in store_refused:
            problems.add(f"c{comp.id}_file", _("Thiếu tệp cho thành phần bắt buộc: %(name)s.") % {"name": comp.name},
                         "component_file_required")
        manifest += problems.check(f"c{comp.id}_file", read_uploads, [(comp.id, f) for f in files], default=[])
        components.append({"component_id": comp.id, "provided": bool(files)})
    problems.raise_any()
    data = {"procedure": proc.code, "agency": agency if len(agencies) > 1 else "", "channel": Channel.ONLINE,
            "applicant_kind": kind, "applicant_name": name,
            "applicant_id_number": id_number[:20],
            "applicant_address": P.get("applicant_address", "").strip()[:500], "applicant_phone": phone[:20],
            "applicant_email": email, "request": P.get("request", "").strip()[:5000],
            "components": components, "result_delivery": delivery,
            "delivery_address": delivery_address if delivery == ResultDelivery.POSTAL else ""}
    return data, manifest, reused


# ---------------------------------------------------------------- my dossiers

@citizen_required
def my_dossiers(request):
    qs = (Dossier.objects.filter(owner=request.user).select_related("procedure")
          .only("code", "status", "submitted_at", "appointment_at", "procedure__name").order_by("-submitted_at"))
    return render(request, "portal/my_dossiers.html", {"dossiers": qs[:200]})


@citizen_required
def my_dossier(request, code):
    actor = request.actor
    d = services.get_for(actor, code)
    if d.owner_id != request.user.pk:
        raise Http404
    from motcua.dossiers.models import Rating
    from motcua.slips.render import FOR_APPLICANT, available
    components = list(d.components.prefetch_related(
        Prefetch("attachments", queryset=visibility.applicant_attachments(Attachment.objects.all()))))
    pause = d.pauses.filter(ended_at__isnull=True).first()
    asked = set(pause.components) if pause and pause.components else set()
    ctx = {
        # only what the applicant may see (motcua.dossiers.visibility): no internal notes or documents
        "d": d, "components": components,
        # their own uploads with no component (supplements filed as "other papers")
        "other_uploads": visibility.applicant_attachments(
            d.attachments.filter(component__isnull=True, kind__in=[AttachmentKind.COMPONENT,
                                                                   AttachmentKind.SUPPLEMENT])),
        # a supplement upload defaults to the (first) component the officer asked for
        "supplement_default": next((c.id for c in components if c.name in asked), None),
        "originals": originals_for(d.procedure, components, d.result_delivery),
        "results": visibility.applicant_attachments(d.attachments.filter(kind=AttachmentKind.RESULT)),
        "pause": pause,
        "history": visibility.history_for(actor, d),
        "labels": {**services.ACTION_LABELS, "submit": _("Nộp hồ sơ"), "attach_supplement": _("Nộp bổ sung"),
                   "attach_result": _("Đính kèm kết quả"), "record_payment": _("Thanh toán"),
                   "rate": _("Đánh giá hài lòng")},
        "rating": Rating.objects.filter(dossier=d).first(), "new": request.GET.get("moi") == "1",
        "may_withdraw": "withdraw" in services.allowed_actions(actor, d),
        "slips": [n for n in available(d) if n in FOR_APPLICANT],
        **_online_payment(actor, d),
        "status_labels": dict(Status.choices), "scores": [(5, _("Rất hài lòng")), (4, _("Hài lòng")),
                                                          (3, _("Bình thường")), (2, _("Không hài lòng")),
                                                          (1, _("Rất không hài lòng"))],
    }
    return render(request, "portal/my_dossier.html", ctx)


def _online_payment(actor, d):
    """"Thanh toán trực tuyến": what the applicant owes now (amounts computed by the payment services) and
    their payment orders."""
    from motcua.integrations.payments import registry as gateways
    from motcua.integrations.payments import services as payments
    from motcua.integrations.payments.models import PaymentOrder
    return {"pay_options": payments.options(actor, d),
            "gateways": [(ident, g.verbose_name) for ident, g in gateways.enabled()],
            "orders": PaymentOrder.objects.filter(dossier=d).prefetch_related("receipts").order_by("-created_at")[:20]}


@require_POST
@citizen_required
def supplement(request, code):
    actor = request.actor
    try:
        n_files = attach_posted_files(request, actor, code, AttachmentKind.SUPPLEMENT)
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã nộp %(n)d tệp bổ sung. Cán bộ sẽ kiểm tra và tiếp tục xử lý.") % {"n": n_files})
    return redirect("portal:my_dossier", code=code)


@require_POST
@citizen_required
def rate(request, code):
    try:
        services.rate(request.actor, code, score=int(request.POST.get("score") or 0),
                      comment=request.POST.get("comment", "").strip())
    except ValueError:
        messages.error(request, _("Điểm đánh giá phải từ 1 đến 5."))
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("portal:my_dossier", code=code)


@require_POST
@citizen_required
def withdraw(request, code):
    try:
        version = validated(VersionForm, present(request.POST, "version")).get("version")
        services.withdraw(request.actor, code, reason=request.POST.get("reason", "").strip(), version=version)
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã rút hồ sơ."))
    return redirect("portal:my_dossier", code=code)


@citizen_required
def download(request, pk):
    att = Attachment.objects.select_related("dossier").filter(pk=pk).first()
    if att is None or not visibility.attachment_visible(request.actor, att):
        raise Http404
    return file_response(att)   # CSP, nosniff, attachment unless PDF/image, quarantined files never served


# ---------------------------------------------------------------- public lookup and on-time rates

def lookup(request):
    """GET shows the form (the QR on slip 1 fills in the code); POST looks up, so the secret never lands in
    access logs. Rate-limited per client address; a dossier's lookup locks after too many wrong secrets."""
    code = (request.GET.get("code") or request.POST.get("code") or "").strip()[:64]
    ctx = {"code": code}
    if request.method != "POST":
        return render(request, "portal/lookup.html", ctx)
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_lookup"]
    if limits.hit("throttle:public_lookup", limits.client_ip(request), rate):
        ctx["error"] = _("Bạn đã gửi quá nhiều yêu cầu, vui lòng thử lại sau.")
        resp = render(request, "portal/lookup.html", ctx, status=429)
        resp["Retry-After"] = str(limits.retry_after("throttle:public_lookup", limits.client_ip(request), rate))
        return resp
    try:
        d = dossier_lookup.find(code, request.POST.get("secret", ""))
    except DomainError as exc:
        ctx["error"] = exc.message
        resp = render(request, "portal/lookup.html", ctx, status=exc.status_code)
        if exc.details.get("retry_after"):
            resp["Retry-After"] = str(exc.details["retry_after"])
        return resp
    ctx.update(d=d, applicant=_mask_name(d.applicant_name), step=dossier_lookup.current_step(d))
    return render(request, "portal/lookup.html", ctx)


def ontime(request):
    """The public on-time rates: the same definition, figures and page part as /chi-so/cong-khai/
    (indicator 2.1 of the period asked; DOMAIN.md)."""
    from motcua.indicators.views import public_context

    return render(request, "portal/ontime.html", public_context(request))


# ---------------------------------------------------------------- accounts

class SignupForm(UserCreationForm):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="Thư điện tử", required=False)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)

    def save(self, commit=True):
        user = super().save(commit=False)
        user.first_name = self.cleaned_data["full_name"]
        user.email = self.cleaned_data.get("email", "")
        if commit:
            user.save()
        return user


def signup(request):
    # `next` (the procedure the citizen started filing) survives the form and is followed only when local
    next_url = local_redirect(request, request.POST.get("next") or request.GET.get("next"), "")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Đã tạo tài khoản."))
        return redirect(next_url or reverse("portal:catalog"))
    return render(request, "portal/signup.html", {"form": form, "next": next_url})


class Login(LoginView):
    """Wrong passwords are limited per account and per address (motcua.core.logins): 429 with a clear message.
    `next` is followed only when it is a local address (LoginView checks url_has_allowed_host_and_scheme)."""
    template_name = "portal/login.html"
    form_class = LimitedAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked:
            response.status_code = 429
            response["Retry-After"] = str(form.locked)
        return response

    def get_default_redirect_url(self):
        if actor_for(self.request.user).roles:
            return reverse("office:worklist")
        return reverse("portal:my_dossiers")


@require_POST
def logout_view(request):
    from django.contrib.auth import logout
    logout(request)
    return redirect("portal:home")


# ---------------------------------------------------------------- feedback (phản ánh, kiến nghị)

@citizen_required
def feedback(request):
    """A citizen's feedback about an agency or one of their dossiers, through motcua.feedback.services."""
    from .context import feedback_enabled
    if not feedback_enabled():
        raise Http404
    from motcua.feedback import services as fb_services
    from motcua.feedback.models import Category

    P = request.POST
    agencies = Agency.objects.filter(kind__in=["department", "district", "commune", "centre"]).only(
        "code", "name").order_by("kind", "name")
    ctx = {"categories": Category.choices, "agencies": agencies, "values": P or {
        "sender_name": request.user.get_full_name() or request.user.get_username(),
        "sender_contact": request.user.email, "dossier": request.GET.get("ho_so", "")}}
    if request.method == "POST":
        try:
            code = P.get("dossier", "").strip()
            agency = P.get("agency", "")
            if code:
                d = services.get_for(request.actor, code)   # only the citizen's own dossiers (404 otherwise)
                agency = agency or d.agency.code
            fb = fb_services.submit(agency_code=agency, category=P.get("category", ""),
                                    sender_name=P.get("sender_name", ""), content=P.get("content", ""),
                                    sender_contact=P.get("sender_contact", ""), dossier_code=code or None,
                                    owner=request.user)
        except DomainError as exc:
            ctx["error"] = exc.message
            return render(request, "portal/feedback.html", ctx, status=422)
        messages.success(request, _("Đã gửi phản ánh, kiến nghị số %(n)s.") % {"n": fb.pk})
        return redirect("portal:home")
    return render(request, "portal/feedback.html", ctx)
