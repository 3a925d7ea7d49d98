"""The back office (trang cán bộ): worklists, counter intake, the dossier page with every lifecycle act,
slips and register 7. Every state change goes through motcua.dossiers.services."""
import operator
from functools import reduce

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, DateTimeField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.agencies.calendar import calendar_for
from motcua.catalog.models import ComponentForm, Procedure
from motcua.citizens.services import verified_provider
from motcua.core.errors import DomainError, ValidationFailed
from motcua.datastore import services as store
from motcua.dossiers import services
from motcua.dossiers.api import ACTION_ARGS, ORDERINGS, WORKLISTS, _worklist_filter
from motcua.core.forms import FormErrors, present, validated
from motcua.dossiers.serializers import IntakeSerializer
from motcua.dossiers.models import (CLOSED_STATUSES, AttachmentKind, Channel, DossierStep, HistoryEvent, PaymentChannel,
                                    ResultDelivery, Status)
from motcua.office.forms import ActForm, ComponentCountForm, IntakeForm, PaymentForm
from motcua.portal.web import attach_posted_files, aware, atomic, attach_all, read_uploads, show_error, staff_required

LIST_LABELS = {
    "mine": gettext_lazy("Việc cần làm ngay"),
    "to_receive": gettext_lazy("Chờ tiếp nhận"), "to_process": gettext_lazy("Cần xử lý"),
    "to_approve": gettext_lazy("Chờ phê duyệt"), "to_return": gettext_lazy("Chờ trả kết quả"),
    "assigned_to_me": gettext_lazy("Được giao cho tôi"), "paused": gettext_lazy("Đang tạm dừng"),
    "overdue": gettext_lazy("Quá hạn"), "all": gettext_lazy("Tất cả"), "archive": gettext_lazy("Đã đóng các năm trước"),
}
# "What I must do now": every list whose next act is the officer's.
MINE = ("to_receive", "to_process", "to_approve", "to_return", "assigned_to_me")
REASON_ACTIONS = {name for name, rule in services.RULES.items() if rule.needs_reason}
PAGE_SIZE = 25
STATUS_KEYS = {str(v) for v in Status.values}
HISTORY_LABELS = {**services.ACTION_LABELS, "submit": gettext_lazy("Nộp hồ sơ"),
                  "attach_component": gettext_lazy("Đính kèm thành phần"),
                  "attach_supplement": gettext_lazy("Nộp bổ sung"), "attach_result": gettext_lazy("Đính kèm kết quả"),
                  "attach_other": gettext_lazy("Đính kèm tài liệu"), "record_payment": gettext_lazy("Thanh toán"),
                  "rate": gettext_lazy("Đánh giá hài lòng"), "ocr_requested": gettext_lazy("Yêu cầu số hóa (OCR)"),
                  "ocr_finished": gettext_lazy("Số hóa (OCR) xong")}


def _soon_limit(now):
    return calendar_for(None).add_working_minutes(now, 480)


@staff_required
def worklist(request):
    actor, now = request.actor, timezone.now()
    p = request.GET
    current = p.get("list") or "mine"
    if current not in LIST_LABELS:
        current = "mine"
    base = services.visible_dossiers(actor)
    filters = {name: _worklist_filter(actor, name, now) for name in WORKLISTS}
    filters["mine"] = reduce(operator.or_, (filters[name] for name in MINE))
    # Dossiers closed before this year are not on the first screens: their own tab shows them.
    year_start = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    filters["archive"] = Q(status__in=CLOSED_STATUSES, closed_at__lt=year_start)
    filters["all"] = ~filters["archive"]
    # One aggregate query for every list's count.
    counts = base.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    qs = base.filter(filters[current])
    if p.get("q"):
        qs = qs.filter(Q(code__startswith=p["q"].strip()) | Q(applicant_name__istartswith=p["q"].strip()))
    if p.get("procedure"):
        qs = qs.filter(procedure__code=p["procedure"])
    if p.get("status") in STATUS_KEYS:
        qs = qs.filter(status=int(p["status"]))
    ordering = p.get("ordering") if p.get("ordering") in ORDERINGS | {"urgency"} else "urgency"
    qs = qs.select_related("procedure").only(
        "code", "status", "applicant_name", "submitted_at", "received_at", "due_at", "appointment_at", "finished_at",
        "closed_at", "channel", "current_role", "paused_since", "procedure__code", "procedure__name")
    qs = with_urgency(qs).order_by(*((F("deadline").asc(nulls_last=True), "submitted_at") if ordering == "urgency"
                                      else (ordering,)), "id")
    page = Paginator(qs, PAGE_SIZE).get_page(p.get("page"))
    ctx = {
        "lists": [(name, label, counts.get(name, 0)) for name, label in LIST_LABELS.items()],
        "current": current, "page": page, "now": now, "soon_limit": _soon_limit(now),
        "statuses": Status.choices, "ordering": ordering, "q": p.get("q", ""), "status": p.get("status", ""),
        "procedure": p.get("procedure", ""),
        "orderings": [("urgency", _("Khẩn cấp nhất (quá hạn, rồi sắp đến hạn)")), ("due_at", _("Hạn xử lý sớm nhất")),
                      ("-due_at", _("Hạn xử lý muộn nhất")),
                      ("-submitted_at", _("Mới nộp nhất")), ("submitted_at", _("Nộp sớm nhất")),
                      ("code", _("Mã hồ sơ"))],
        "querystring": _qs_without(request, "page"),
    }
    template = "office/_worklist_table.html" if request.headers.get("HX-Request") else "office/worklist.html"
    return render(request, template, ctx)


def with_urgency(qs):
    """Annotate each dossier's deadline: the earlier of its statutory due and its current step's due (the
    moment the officer must act by), or for a dossier not yet received the moment it was submitted (it has
    waited longest). Sorted ascending, overdue dossiers come first, then those due soonest."""
    step_due = Subquery(DossierStep.objects.filter(dossier=OuterRef("pk"), order=OuterRef("current_step"),
                                                   finished_at__isnull=True).values("due_at")[:1])
    qs = qs.annotate(step_due=step_due)
    soonest = Least(Coalesce("step_due", "due_at"), Coalesce("due_at", "step_due"))
    return qs.annotate(deadline=Case(When(status=Status.NEW, then=F("submitted_at")),
                                     When(status__in=CLOSED_STATUSES, then=Value(None)),
                                     default=soonest, output_field=DateTimeField()))


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
            ctx["errors"] = errors = intake_errors(proc)
            errors.add_error(exc)
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
            slip = "?slip=1" if dossier.status == Status.RECEIVED else ""
            return redirect(reverse("office:dossier", args=[dossier.code]) + slip)
    return render(request, "office/intake.html", ctx)


# The counter intake form's fields: name -> (input id, label) for the error summary and marks.
INTAKE_FIELDS = {
    "applicant_name": ("name", gettext_lazy("Họ tên người nộp")),
    "applicant_id_number": ("idn", gettext_lazy("Số định danh/CCCD/MST")),
    "applicant_address": ("addr", gettext_lazy("Địa chỉ")), "applicant_phone": ("phone", gettext_lazy("Điện thoại")),
    "applicant_email": ("email", gettext_lazy("Thư điện tử")), "agency": ("agency", gettext_lazy("Cơ quan giải quyết")),
    "request": ("req", gettext_lazy("Nội dung yêu cầu")), "channel": ("channel", gettext_lazy("Kênh tiếp nhận")),
    "sets_count": ("sets", gettext_lazy("Số bộ hồ sơ")), "return_place": ("place", gettext_lazy("Nơi trả kết quả")),
    "result_delivery": ("delivery", gettext_lazy("Cách nhận kết quả")),
    "delivery_address": ("daddr", gettext_lazy("Địa chỉ nhận kết quả qua bưu chính")),
    "reason": ("inc-reason", gettext_lazy("Lý do")),
}


def intake_errors(proc):
    fields = dict(INTAKE_FIELDS)
    for comp in proc.components.all() if proc else ():
        fields[f"c{comp.id}_count"] = (f"c{comp.id}c", _("Số lượng") + ": " + comp.name)
        fields[f"c{comp.id}_file"] = (f"c{comp.id}f", _("Tệp") + ": " + comp.name)
    return FormErrors({k: v[0] for k, v in fields.items()}, {k: v[1] for k, v in fields.items()})


def _do_intake(request, actor, proc):
    """Every field is checked before anything is stored, and every error is reported at once."""
    P = request.POST
    components, files, problems, reused = [], [], {}, []
    for comp in proc.components.all():
        chosen = P.get(f"c{comp.id}_store", "").strip()
        if chosen:
            reused.append((comp.id, chosen))
        provided = P.get(f"c{comp.id}_provided") == "on" or bool(request.FILES.getlist(f"c{comp.id}_file")) \
            or bool(chosen)
        try:
            count = validated(ComponentCountForm, {"count": P.get(f"c{comp.id}_count") or comp.count})["count"]
        except ValidationFailed:
            problems[f"c{comp.id}_count"] = [_("Số lượng giấy tờ không hợp lệ: %(name)s.") % {"name": comp.name}]
            count = comp.count
        form = P.get(f"c{comp.id}_form") or comp.form
        components.append({"component_id": comp.id, "form": form, "count": count, "provided": provided})
        try:
            files += read_uploads([(comp.id, f) for f in request.FILES.getlist(f"c{comp.id}_file")])
        except ValidationFailed as exc:
            problems[f"c{comp.id}_file"] = [exc.message]
    try:
        numbers = validated(IntakeForm, present(P, "channel", "sets_count"))
    except ValidationFailed as exc:
        problems.update(exc.details)
        numbers = {"channel": Channel.IN_PERSON, "sets_count": 1}
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
    if not data["applicant_name"].strip():
        problems["applicant_name"] = [_("Phải nhập họ tên người nộp.")]
    try:
        data = validated(IntakeSerializer, data)     # the API's bounds: texts fit their columns
    except ValidationFailed as exc:
        for field, msgs in exc.details.items():
            problems.setdefault(field, msgs if isinstance(msgs, list) else [msgs])
    if problems:
        first = next(iter(problems.values()))
        raise ValidationFailed(first[0] if isinstance(first, list) and first else str(first),
                               code="validation_error", details=problems)
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
    return _dossier_page(request, code)


def _dossier_page(request, code, failed=None, status=200):
    """The dossier page; `failed` = (action, FormErrors) re-renders that act's form open with its errors."""
    actor = request.actor
    d = _dossier_for(actor, code)
    now = timezone.now()
    ctx_slips = _slips_for(d)
    components = d.components.select_related("component").prefetch_related("attachments").all()
    ctx = {
        "unprovided": [c for c in components if not c.provided and not c.attachments.all()],
        "d": d, "components": components, "steps": d.steps.all(), "pauses": d.pauses.all(),
        "extensions": d.extensions.all(), "payments": d.payments.all(),
        "attachments": d.attachments.select_related(None).filter(component__isnull=True),
        "history": HistoryEvent.objects.filter(dossier=d).order_by("seq").only(
            "seq", "at", "actor_name", "action", "reason", "status_before", "status_after", "data"),
        **_action_panel(actor, d),
        "attach_kinds": [(k, label) for k, label in AttachmentKind.choices if _may(actor, d, f"attach_{k}")],
        "may_pay": _may(actor, d, "record_payment"),
        "status_labels": dict(Status.choices), "action_labels": HISTORY_LABELS,
        "open_pause": d.pauses.filter(ended_at__isnull=True).first(),
        "now": now, "soon_limit": _soon_limit(now), "slips": ctx_slips,
        "payment_channels": PaymentChannel.choices,
        "identity_verified": verified_provider(d.owner_id, d.applicant_id_number),
        "payment_orders": _payment_orders(d),
        # "Tiếp nhận và in giấy hẹn": just received here, slip 1 is offered first, focused, to print
        "print_slip": request.GET.get("slip") == "1" and d.received_at is not None and
        any(n == 1 for n, _label in ctx_slips),
        "failed_action": failed[0] if failed else None,
        "act_errors": {failed[0]: failed[1]} if failed else {},
        "posted": request.POST if failed else {},
    }
    return render(request, "office/dossier.html", ctx, status=status)


def act_errors(action, exc):
    """The errors of an act's form, marked on its fields (ids as in office/_act_form.html)."""
    ids = {"reason": f"{action}-reason", "confirm": f"{action}-confirm", "new_appointment": f"{action}-date",
           "amount": f"{action}-amount", "assignee": "forward-assignee", "unpaid_fee_confirmed": "return-unpaid",
           "note": f"{action}-note"}
    errors = FormErrors(ids)
    errors.add_error(exc)
    return errors


def _action_panel(actor, d):
    """The acts offered on the dossier page: the natural next one first (opened), the other routine acts,
    then the dangerous ones (refuse, stop, withdraw, return a step) apart, each confirmed before it runs."""
    allowed = services.allowed_actions(actor, d)
    first = services.next_action(actor, d, allowed)
    routine = [a for a in allowed if a not in services.DANGEROUS]
    routine.sort(key=lambda a: (a != first, services.NATURAL_ORDER.index(a) if a in services.NATURAL_ORDER else 99))
    row = lambda a: (a, services.ACTION_LABELS[a], a in REASON_ACTIONS)  # noqa: E731
    ctx = {"actions": [row(a) for a in routine], "dangerous_actions": [row(a) for a in allowed
                                                                       if a in services.DANGEROUS],
           "first_action": first}
    if "forward" in allowed:
        ctx["assignees"] = [(u.pk, services.person_name(u)) for u in
                            services.assignable_staff(d, services.next_step(d))]
    if "return_result" in allowed:
        ctx["unpaid_fee"] = services.unpaid_fee(d)
    return ctx


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
    if action in services.DANGEROUS and P.get("confirm") != "1":
        exc = ValidationFailed(_("Hãy đánh dấu “Xác nhận” để thực hiện thao tác này."), code="confirmation_required",
                               details={"field": "confirm"})
        if not (P.get("reason") or "").strip():
            exc = ValidationFailed(exc.message, code="validation_error", details={
                "confirm": [exc.message], "reason": [_("Phải nêu rõ lý do.")]})
        show_error(request, exc)
        return _dossier_page(request, code, failed=(action, act_errors(action, exc)), status=422)
    for name in ACTION_ARGS[action]:
        if name == "assignee":
            kwargs[name] = P.get(name, "").strip()
        elif name == "unpaid_fee_confirmed":
            kwargs[name] = P.get(name) == "1"
        elif name in ("reason", "note"):
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
        if exc.code != "stale_version" and exc.status_code == 422:
            return _dossier_page(request, code, failed=(action, act_errors(action, exc)), status=422)
    else:
        messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": services.ACTION_LABELS[action]})
        if action == "receive" and P.get("then") == "slip":
            return redirect(reverse("office:dossier", args=[code]) + "?slip=1")
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
