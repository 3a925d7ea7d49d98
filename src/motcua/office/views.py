"""The back office (trang cán bộ): worklists, counter intake, the dossier page with every lifecycle act,
slips and register 7. Every state change goes through motcua.dossiers.services."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from motcua.agencies.calendar import calendar_for
from motcua.catalog.models import ComponentForm, Procedure
from motcua.citizens.services import verified_provider
from motcua.core.errors import DomainError, ValidationFailed
from motcua.datastore import services as store
from motcua.dossiers import services
from motcua.dossiers.api import ACTION_ARGS, ORDERINGS, WORKLISTS, _worklist_filter
from motcua.core.forms import present, validated
from motcua.dossiers.serializers import IntakeSerializer
from motcua.dossiers.models import AttachmentKind, Channel, HistoryEvent, PaymentChannel, ResultDelivery, Status
from motcua.office.forms import ActForm, ComponentCountForm, IntakeForm, PaymentForm
from motcua.portal.web import attach_posted_files, aware, atomic, attach_all, read_uploads, show_error, staff_required

LIST_LABELS = {
    "to_receive": _l("Chờ tiếp nhận"), "to_process": _l("Cần xử lý"), "to_approve": _l("Chờ phê duyệt"),
    "to_return": _l("Chờ trả kết quả"), "paused": _l("Đang tạm dừng"), "overdue": _l("Quá hạn"), "all": _l("Tất cả"),
}
REASON_ACTIONS = {name for name, rule in services.RULES.items() if rule.needs_reason}
PAGE_SIZE = 25
STATUS_KEYS = {str(v) for v in Status.values}
HISTORY_LABELS = {**services.ACTION_LABELS, "submit": _l("Nộp hồ sơ"), "attach_component": _l("Đính kèm thành phần"),
                  "attach_supplement": _l("Nộp bổ sung"), "attach_result": _l("Đính kèm kết quả"),
                  "attach_other": _l("Đính kèm tài liệu"), "record_payment": _l("Thanh toán"),
                  "rate": _l("Đánh giá hài lòng"), "ocr_requested": _l("Yêu cầu số hóa (OCR)"),
                  "ocr_finished": _l("Số hóa (OCR) xong")}


def _soon_limit(now):
    return calendar_for(None).add_working_minutes(now, 480)


@staff_required
def worklist(request):
    actor, now = request.actor, timezone.now()
    p = request.GET
    current = p.get("list") or "all"
    if current not in LIST_LABELS:
        current = "all"
    base = services.visible_dossiers(actor)
    # One aggregate query for every list's count.
    counts = base.aggregate(**{name: Count("pk", filter=_worklist_filter(actor, name, now)) for name in WORKLISTS},
                            all=Count("pk"))
    qs = base if current == "all" else base.filter(_worklist_filter(actor, current, now))
    if p.get("q"):
        qs = qs.filter(Q(code__startswith=p["q"].strip()) | Q(applicant_name__istartswith=p["q"].strip()))
    if p.get("procedure"):
        qs = qs.filter(procedure__code=p["procedure"])
    if p.get("status") in STATUS_KEYS:
        qs = qs.filter(status=int(p["status"]))
    ordering = p.get("ordering") if p.get("ordering") in ORDERINGS else "due_at"
    qs = qs.select_related("procedure").only(
        "code", "status", "applicant_name", "submitted_at", "received_at", "due_at", "appointment_at", "finished_at",
        "closed_at", "channel", "current_role", "paused_since", "procedure__code", "procedure__name")
    qs = qs.order_by(ordering, "id")
    page = Paginator(qs, PAGE_SIZE).get_page(p.get("page"))
    ctx = {
        "lists": [(name, LIST_LABELS[name], counts.get(name, 0)) for name in [*WORKLISTS, "all"]],
        "current": current, "page": page, "now": now, "soon_limit": _soon_limit(now),
        "statuses": Status.choices, "ordering": ordering, "q": p.get("q", ""), "status": p.get("status", ""),
        "procedure": p.get("procedure", ""),
        "orderings": [("due_at", _("Hạn xử lý sớm nhất")), ("-due_at", _("Hạn xử lý muộn nhất")),
                      ("-submitted_at", _("Mới nộp nhất")), ("submitted_at", _("Nộp sớm nhất")),
                      ("code", _("Mã hồ sơ"))],
        "querystring": _qs_without(request, "page"),
    }
    template = "office/_worklist_table.html" if request.headers.get("HX-Request") else "office/worklist.html"
    return render(request, template, ctx)


def _qs_without(request, *names):
    q = request.GET.copy()
    for n in names:
        q.pop(n, None)
    return q.urlencode()


# ---------------------------------------------------------------- counter intake

@staff_required
def intake(request):
    actor = request.actor
    code = request.GET.get("procedure") or request.POST.get("procedure")
    procedures = Procedure.objects.filter(is_active=True).only("code", "name").order_by("name")
    proc = None
    if code:
        proc = Procedure.objects.filter(code=code, is_active=True).prefetch_related("components", "fees",
                                                                                    "agencies").first()
        if proc is None:
            messages.error(request, _("Không có thủ tục mã %(code)s đang áp dụng.") % {"code": code})
    ctx = {"procedures": procedures, "proc": proc, "forms": ComponentForm.choices,
           "deliveries": ResultDelivery.choices,
           "channels": [(Channel.IN_PERSON, Channel.IN_PERSON.label), (Channel.POSTAL, Channel.POSTAL.label)],
           "values": request.POST,
           "ticked": None if request.method != "POST" else {
               int(k[1:-9]) for k, v in request.POST.items()
               if k.startswith("c") and k.endswith("_provided") and k[1:-9].isdigit() and v == "on"}}
    if proc:
        # The deciding agency: a choice whenever the procedure has several, among those this officer may
        # receive for, preselected when one is evident (the only one, or the officer's own organisation).
        options, preselected = services.receivable_agencies(actor, proc)
        chosen = request.POST.get("agency") or (preselected.code if preselected else "")
        ctx.update(agencies=options, several_agencies=len(proc.agencies.all()) > 1, agency_chosen=chosen)
        if not options:
            messages.error(request, services.receipt_out_of_scope([]).message)
    if request.method == "POST" and proc and request.POST.get("lookup_store"):
        # the data store: offers by the applicant's ID number and name, within this officer's receipt scope
        try:
            ctx["store_offers"] = store.offers_at_counter(actor, proc, request.POST.get("applicant_id_number", ""),
                                                          request.POST.get("applicant_name", ""))
            ctx["store_looked_up"] = True
        except DomainError as exc:
            show_error(request, exc)
        return render(request, "office/intake.html", ctx)
    if request.method == "POST" and proc:
        try:
            dossier = _do_intake(request, actor, proc)
        except DomainError as exc:
            show_error(request, exc)
            if exc.code == "components_missing":
                # Not received: the officer chooses Form 2 (supplement) or Form 3 (refusal), with a reason.
                ctx["missing"] = exc.details["components"]
                ctx["missing_reason"] = request.POST.get("reason") or _(
                    "Hồ sơ thiếu thành phần bắt buộc: %(names)s.") % {"names": "; ".join(ctx["missing"])}
        else:
            if dossier.status == Status.SUPPLEMENT_REQUESTED:
                messages.success(request, _("Hồ sơ %(code)s chưa được tiếp nhận: đã lập phiếu yêu cầu bổ sung, "
                                            "hoàn thiện hồ sơ (Mẫu 2).") % {"code": dossier.code})
            elif dossier.status == Status.NOT_RECEIVED:
                messages.success(request, _("Hồ sơ %(code)s không được tiếp nhận: đã lập phiếu từ chối (Mẫu 3).")
                                 % {"code": dossier.code})
            else:
                messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s. Hạn trả kết quả: %(due)s.") % {
                    "code": dossier.code,
                    "due": timezone.localtime(dossier.appointment_at).strftime("%H:%M %d/%m/%Y")})
            return redirect(reverse("office:dossier", args=[dossier.code]) + "?printed=1")
    return render(request, "office/intake.html", ctx)


def _do_intake(request, actor, proc):
    P = request.POST
    components, uploads, reused = [], [], []
    for comp in proc.components.all():
        chosen = P.get(f"c{comp.id}_store", "").strip()
        if chosen:
            reused.append((comp.id, chosen))
        provided = P.get(f"c{comp.id}_provided") == "on" or bool(request.FILES.getlist(f"c{comp.id}_file")) \
            or bool(chosen)
        try:
            count = validated(ComponentCountForm, {"count": P.get(f"c{comp.id}_count") or comp.count})["count"]
        except ValidationFailed:
            raise ValidationFailed(_("Số lượng giấy tờ không hợp lệ: %(name)s.") % {"name": comp.name},
                                   code="invalid_count")
        form = P.get(f"c{comp.id}_form") or comp.form
        components.append({"component_id": comp.id, "form": form, "count": count, "provided": provided})
        uploads += [(comp.id, f) for f in request.FILES.getlist(f"c{comp.id}_file")]
    files = read_uploads(uploads)
    numbers = validated(IntakeForm, present(P, "channel", "sets_count"))
    data = {
        "procedure": proc.code, "agency": P.get("agency", ""), "channel": numbers["channel"],
        "applicant_kind": P.get("applicant_kind") or "citizen", "applicant_name": P.get("applicant_name", ""),
        "applicant_id_number": P.get("applicant_id_number", "").strip(),
        "applicant_address": P.get("applicant_address", "").strip(),
        "applicant_phone": P.get("applicant_phone", "").strip(), "applicant_email": P.get("applicant_email", "").strip(),
        "request": P.get("request", ""), "sets_count": numbers["sets_count"],
        "return_place": P.get("return_place", ""), "components": components,
        "result_delivery": P.get("result_delivery") or "counter", "delivery_address": P.get("delivery_address", ""),
        # only the "Form 2 / Form 3" button chooses; the receipt button never turns into either
        "if_incomplete": P.get("if_incomplete", "") if P.get("confirm_incomplete") else "",
        "reason": P.get("reason", "").strip(),
    }
    data = validated(IntakeSerializer, data)     # the API's bounds: texts fit their columns
    with atomic():
        dossier, _replayed = services.intake(actor, data, idempotency_key=P.get("idempotency_key") or None)
        if not _replayed and dossier.status != Status.NOT_RECEIVED:   # a refused dossier keeps no files
            by_catalogue = {c.component_id: c.id for c in dossier.components.all()}
            attach_all(actor, dossier.code, [(by_catalogue.get(cid), name, content) for cid, name, content in files],
                       AttachmentKind.COMPONENT)
            # documents chosen from the data store: the service re-checks the applicant's ownership
            store.reuse_all(actor, dossier.code, [(by_catalogue.get(cid), doc) for cid, doc in reused])
            if P.get("fee_paid") == "on" and dossier.fee_total and dossier.received_at:
                services.record_payment(actor, dossier.code, amount=dossier.fee_total, channel=PaymentChannel.COUNTER)
    return dossier


# ---------------------------------------------------------------- dossier page

def _dossier_for(actor, code):
    d = services.get_for(actor, code)
    return d


@staff_required
def dossier(request, code):
    actor = request.actor
    d = _dossier_for(actor, code)
    now = timezone.now()
    components = d.components.select_related("component").prefetch_related("attachments").all()
    ctx = {
        "unprovided": [c for c in components if not c.provided and not c.attachments.all()],
        "d": d, "components": components, "steps": d.steps.all(), "pauses": d.pauses.all(),
        "extensions": d.extensions.all(), "payments": d.payments.all(),
        "attachments": d.attachments.select_related(None).filter(component__isnull=True),
        "history": HistoryEvent.objects.filter(dossier=d).order_by("seq").only(
            "seq", "at", "actor_name", "action", "reason", "status_before", "status_after", "data"),
        "actions": [(a, services.ACTION_LABELS[a], a in REASON_ACTIONS) for a in services.allowed_actions(actor, d)],
        "attach_kinds": [(k, label) for k, label in AttachmentKind.choices if _may(actor, d, f"attach_{k}")],
        "may_pay": _may(actor, d, "record_payment"),
        "status_labels": dict(Status.choices), "action_labels": HISTORY_LABELS,
        "open_pause": d.pauses.filter(ended_at__isnull=True).first(),
        "now": now, "soon_limit": _soon_limit(now), "slips": _slips_for(d),
        "payment_channels": PaymentChannel.choices,
        "identity_verified": verified_provider(d.owner_id, d.applicant_id_number),
        "payment_orders": _payment_orders(d),
    }
    return render(request, "office/dossier.html", ctx)


def _payment_orders(d):
    from motcua.integrations.payments.models import PaymentOrder
    return PaymentOrder.objects.filter(dossier=d).prefetch_related("receipts").order_by("-created_at")[:50]


def _may(actor, d, name):
    rule = services.EXTRA_RULES[name]
    return d.status in rule.from_statuses and services._permission_problem(actor, d, name) is None


def _slips_for(d):
    from motcua.slips.views import available_slips
    return available_slips(d)


@require_POST
@staff_required
def act(request, code, action):
    actor = request.actor
    if action not in services.TRANSITIONS:
        raise Http404
    P = request.POST
    kwargs = {}
    for name in ACTION_ARGS[action]:
        if name in ("reason", "note"):
            kwargs[name] = P.get(name, "").strip()
        elif name == "components":
            items = P.getlist("components") + [line.strip() for line in P.get("components_other", "").splitlines()]
            kwargs[name] = [i for i in items if i]
        elif name == "provided":
            kwargs[name] = [int(i) for i in P.getlist("provided") if i.isdigit() and len(i) < 10]
        elif name == "new_appointment":
            kwargs[name] = None
    try:
        numbers = validated(ActForm, present(P, "version", "amount"))
        if "amount" in ACTION_ARGS[action]:
            kwargs["amount"] = numbers.get("amount")
        if "new_appointment" in ACTION_ARGS[action]:
            kwargs["new_appointment"] = aware(P.get("new_appointment", ""))
        services.TRANSITIONS[action](actor, code, version=numbers.get("version"), **kwargs)
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": services.ACTION_LABELS[action]})
    return redirect("office:dossier", code=code)


@require_POST
@staff_required
def upload(request, code):
    actor = request.actor
    kind = request.POST.get("kind", "")
    try:
        n_files = attach_posted_files(request, actor, code, kind)
    except DomainError as exc:
        show_error(request, exc)
    else:
        messages.success(request, _("Đã đính kèm %(n)d tệp.") % {"n": n_files})
    return redirect("office:dossier", code=code)


@require_POST
@staff_required
def payment(request, code):
    try:
        v = validated(PaymentForm, present(request.POST, "amount", "channel", "reference"))
        services.record_payment(request.actor, code, amount=v["amount"], channel=v["channel"],
                                reference=v["reference"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã ghi nhận thanh toán."))
    return redirect("office:dossier", code=code)
