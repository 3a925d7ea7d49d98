"""What the rest of Motcua calls for online payment (never a gateway directly).

- `options(actor, dossier)`: what the applicant may pay online now (the procedure's fees, or the amount
  of the financial obligation of a status-6 dossier), always computed here, never taken from the browser.
- `start(...)`: a PaymentOrder and the gateway's payment URL. A gateway down at INIT leaves a failed order
  and raises GatewayUnavailable (503): nothing paid, nothing half-written.
- `notify(provider, data)`: the IPN / CONFIRM. Checksum, order, amount, then one conditional UPDATE of the
  order's state: of any number of identical notifications (replayed, or ten at once) exactly one
  applies; the others are answered "already confirmed". Fail closed: a bad checksum, an unknown order or a
  different amount changes nothing. A confirmed payment becomes a dossiers.Payment through
  dossiers.services.confirm_online_payment (one history event, hence one DVCQG sync message with
  DuocThanhToanTrucTuyen=1); money that cannot be applied (paid twice, dossier closed meanwhile) is kept
  on the order with refund due and listed as a discrepancy for an officer.
- `returned(provider, data)`: the browser's return; shown only, changes nothing.
- `poll_pending()`: QUERY / querydr for orders without an answer, 30 min to 3 days old (ThanhHoa's
  schedule); older ones expire (a late CONFIRM is still accepted).
- `reconcile(provider, day)`: compares the day's orders with the gateway's answers; `resolve()`,
  `refund()`.
"""
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Role
from motcua.core.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import CLOSED_STATUSES, Dossier, HistoryEvent, Payment, Status
from motcua.worktime import TZ

from . import receipts, registry
from .base import (ALREADY, BAD_AMOUNT, BAD_SIGNATURE, CONFIRMED, ERROR, NOT_FOUND, GatewayError, NotSupported)
from .models import (DiffKind, Discrepancy, GatewayCall, OrderState, OPEN_STATES, PaymentOrder, Purpose,
                     RefundState)

log = logging.getLogger("motcua.payments")


class GatewayUnavailable(DomainError):
    status_code = 503
    code = "gateway_unavailable"


def conf(name):
    defaults = {"poll_after_minutes": 30, "poll_max_days": 3, "poll_every_minutes": 33}
    return getattr(settings, "MOTCUA_PAYMENTS", {}).get(name, defaults[name])


def gateway(provider):
    if provider not in registry.enabled_identifiers():
        raise ValidationFailed(_("Cổng thanh toán không được hỗ trợ."), code="unknown_gateway",
                               details={"provider": provider, "allowed": list(registry.enabled_identifiers())})
    return registry.register.get(provider)


# ---------------------------------------------------------------- what is owed

def fee_kind(name):
    """phí or lệ phí, from the fee's name in the catalogue ("Lệ phí ..." is a lệ phí, anything else a phí)."""
    return "le_phi" if (name or "").strip().lower().startswith("lệ phí") else "phi"


def fee_lines(dossier):
    return [{"kind": fee_kind(f.name), "name": f.name, "code": str(f.pk), "amount": int(f.amount)}
            for f in dossier.procedure.fees.all()]


def _obligation_request(dossier):
    return (HistoryEvent.objects.filter(dossier=dossier, action="request_financial").order_by("-seq")
            .values_list("at", "data", "reason").first())


def outstanding(dossier, purpose):
    """(amount still owed in đồng, lines) for a purpose; 0 when nothing is owed."""
    if purpose == Purpose.FEE:
        paid = Payment.objects.filter(dossier=dossier).exclude(order__purpose=Purpose.OBLIGATION)
        total = paid.aggregate(s=Sum("amount"))["s"] or 0
        due = max(int(dossier.fee_total) - int(total), 0)
        lines = fee_lines(dossier) if due == dossier.fee_total else \
            [{"kind": "phi", "name": _("Phí, lệ phí còn phải nộp"), "code": "", "amount": due}]
        return due, lines
    request = _obligation_request(dossier)
    if request is None or dossier.status != Status.FINANCIAL_OBLIGATION:
        return 0, []
    at, data, reason = request
    try:
        asked = int((data or {}).get("amount") or 0)
    except (TypeError, ValueError):
        asked = 0
    paid = PaymentOrder.objects.filter(dossier=dossier, purpose=Purpose.OBLIGATION, payment__isnull=False,
                                       settled_at__gte=at).aggregate(s=Sum("amount"))["s"] or 0
    due = max(asked - int(paid), 0)
    return due, [{"kind": "phi", "name": (reason or _("Nghĩa vụ tài chính"))[:255], "code": "", "amount": due}]


def options(actor, dossier):
    """[(purpose, amount)] the applicant may pay online now (empty for anyone but the applicant)."""
    if actor.user_id is None or dossier.owner_id != actor.user_id or not registry.enabled_identifiers():
        return []
    if dossier.status in CLOSED_STATUSES:
        return []
    out = []
    for purpose in (Purpose.OBLIGATION, Purpose.FEE):
        due, _lines = outstanding(dossier, purpose)
        if due > 0:
            out.append((purpose, due))
    return out


# ---------------------------------------------------------------- start

def _reference(dossier, now):
    return f"MC{dossier.pk}-{now.astimezone(TZ):%y%m%d%H%M%S}-{secrets.token_hex(3)}"


def start(actor, code, *, provider, purpose, ip="", now=None):
    """Create the order and register it with the gateway; returns the order (its pay_url)."""
    plugin = gateway(provider)
    if purpose not in Purpose.values:
        raise ValidationFailed(_("Khoản thanh toán không hợp lệ."), code="invalid_purpose")
    now = now or timezone.now()
    with transaction.atomic():
        dossier = Dossier.objects.select_related("procedure", "agency").filter(code=code).first()
        if dossier is None or not dossier_services.can_read(actor, dossier):
            raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code}, code="dossier_not_found")
        if dossier.owner_id is None or dossier.owner_id != actor.user_id:
            raise NotAllowed(_("Chỉ người nộp hồ sơ được thanh toán trực tuyến."), code="owner_required")
        if dossier.status in CLOSED_STATUSES:
            raise Conflict(_("Hồ sơ đã kết thúc, không thể thanh toán."), code="dossier_closed")
        due, lines = outstanding(dossier, purpose)
        if due <= 0:
            raise Conflict(_("Hồ sơ không còn khoản nào phải nộp."), code="nothing_to_pay",
                           details={"purpose": purpose})
        order = PaymentOrder.objects.create(
            provider=provider, reference=_reference(dossier, now), dossier=dossier, purpose=purpose, amount=due,
            lines=lines, created_at=now, created_by_id=actor.user_id, ip=(ip or "")[:45],
            gateway_time=now.astimezone(TZ).strftime("%Y%m%d%H%M%S"))
    info = f"Thanh toan ho so {dossier.code}"
    try:
        started = plugin.start(order, ip=ip, info=info, dossier=dossier)
    except GatewayError as exc:
        PaymentOrder.objects.filter(pk=order.pk).update(state=OrderState.FAILED, error=f"[{exc.code}] {exc.reason}",
                                                        settled_at=timezone.now())
        log.warning("payment %s: gateway %s at INIT: %s", order.reference, provider, exc.reason)
        raise GatewayUnavailable(_("Cổng thanh toán đang gián đoạn, chưa thể thanh toán. Vui lòng thử lại sau."),
                                 details={"provider": provider, "reason": exc.code}) from None
    PaymentOrder.objects.filter(pk=order.pk, state=OrderState.CREATED).update(state=OrderState.PENDING,
                                                                               pay_url=started.pay_url)
    order.state, order.pay_url = OrderState.PENDING, started.pay_url
    return order


# ---------------------------------------------------------------- notifications

def _log_call(provider, kind, reference, raw, outcome):
    body = {str(k): v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)
            for k, v in (raw or {}).items()} if isinstance(raw, dict) else {"raw": str(raw)[:4000]}
    GatewayCall.objects.create(provider=provider, kind=kind, reference=str(reference)[:64], body=body,
                               outcome=outcome, at=timezone.now())


def notify(provider, data, *, kind="ipn"):
    """Handle an IPN / CONFIRM; returns (HTTP status, body) in the gateway's own reply format."""
    plugin = registry.register.get(provider)
    notice = None
    try:
        notice = plugin.read_notification(data)
        if not notice.valid:
            outcome = BAD_SIGNATURE
        else:
            outcome = settle(provider, notice)
    except Exception:   # noqa: BLE001 - the gateway gets "unknown error" and retries; we log
        log.exception("payment notification from %s failed", provider)
        outcome = ERROR
    ref = notice.reference if notice else ""
    _log_call(provider, kind, ref, data, outcome)
    if outcome in (BAD_SIGNATURE, BAD_AMOUNT, NOT_FOUND):
        log.warning("payment notification %s from %s refused: %s", ref, provider, outcome)
    return plugin.reply(outcome, notice or _empty())


def _empty():
    from .base import Notice
    return Notice(valid=False)


def settle(provider, notice, *, now=None):
    """Apply a verified notice to its order; returns an outcome. Retried when a concurrent act on the
    dossier wins the version race (the whole attempt rolls back)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _settle_once(provider, notice, now or timezone.now())
        except Conflict:
            continue
    return ERROR


def _settle_once(provider, notice, now):
    order = PaymentOrder.objects.select_for_update().filter(provider=provider, reference=notice.reference).first()
    if order is None:
        return NOT_FOUND
    if notice.amount is None or int(notice.amount) != int(order.amount):
        return BAD_AMOUNT
    if order.state not in OPEN_STATES:
        return ALREADY
    if notice.paid is None:
        return CONFIRMED          # still pending there (QUERY): nothing to change
    new = OrderState.PAID if notice.paid else OrderState.FAILED
    claimed = PaymentOrder.objects.filter(pk=order.pk, state=order.state).update(
        state=new, settled_at=now, gateway_txn=notice.gateway_txn[:64], bank_code=notice.bank_code[:20],
        response_code=notice.code[:10])
    if claimed != 1:
        return ALREADY
    if notice.paid:
        order.state, order.settled_at, order.gateway_txn = new, now, notice.gateway_txn
        _apply(order, now)
    return CONFIRMED


def _apply(order, now):
    plugin = registry.register.get(order.provider)
    dossier = Dossier.objects.get(pk=order.dossier_id)
    due, _lines = outstanding(dossier, order.purpose)
    usable = dossier.status not in CLOSED_STATUSES and due >= order.amount and \
        (order.purpose != Purpose.OBLIGATION or dossier.status == Status.FINANCIAL_OBLIGATION)
    receipts.issue(order, dossier, now)      # money received: a receipt, cancelled if it is refunded
    if not usable:
        PaymentOrder.objects.filter(pk=order.pk).update(refund=RefundState.DUE)
        Discrepancy.objects.get_or_create(
            provider=order.provider, reference=order.reference, kind=DiffKind.DOUBLE,
            defaults={"order": order, "local_amount": 0, "remote_amount": order.amount, "found_at": now,
                      "details": {"dossier": dossier.code, "status": dossier.status, "due": due}})
        log.warning("payment %s confirmed but not applicable to %s (due %s): refund due", order.reference,
                    dossier.code, due)
        return None
    payment = dossier_services.confirm_online_payment(
        dossier.code, amount=order.amount, channel=plugin.channel, reference=order.reference,
        provider=order.provider, purpose=order.purpose,
        settles_obligation=order.purpose == Purpose.OBLIGATION and due == order.amount, now=now)
    PaymentOrder.objects.filter(pk=order.pk).update(payment=payment)
    return payment


def returned(provider, data):
    """The browser came back from the gateway: (order or None, notice). Changes nothing."""
    plugin = registry.register.get(provider)
    notice = plugin.read_return(data)
    order = PaymentOrder.objects.select_related("dossier").filter(provider=provider, reference=notice.reference).first()
    _log_call(provider, "return", notice.reference, data, "shown" if order else NOT_FOUND)
    return order, notice


# ---------------------------------------------------------------- polling, reconciliation, refunds

def poll_pending(now=None):
    """Ask the gateways about orders still without an answer; returns {outcome: count}."""
    now = now or timezone.now()
    counts = {}
    young = now - timedelta(minutes=conf("poll_after_minutes"))
    old = now - timedelta(days=conf("poll_max_days"))
    PaymentOrder.objects.filter(state=OrderState.PENDING, created_at__lt=old).update(state=OrderState.EXPIRED)
    for order in PaymentOrder.objects.filter(state=OrderState.PENDING, created_at__lt=young, created_at__gte=old):
        try:
            notice = registry.register.get(order.provider).query(order)
        except NotSupported:
            continue
        except GatewayError as exc:
            counts["error"] = counts.get("error", 0) + 1
            log.warning("payment %s: query failed: %s", order.reference, exc.reason)
            continue
        outcome = settle(order.provider, notice, now=now) if notice.reference == order.reference else NOT_FOUND
        _log_call(order.provider, "query", order.reference, notice.raw, outcome)
        key = {True: "paid", False: "failed", None: "pending"}[notice.paid] if outcome == CONFIRMED else outcome
        counts[key] = counts.get(key, 0) + 1
    return counts


def fetch_receipts(now=None, limit=200):
    """The platform's own receipt (PayGov GET_BILL) for paid orders that have none yet (last 30 days);
    returns how many were stored. A gateway without receipts is skipped."""
    now = now or timezone.now()
    stored = 0
    providers = [ident for ident, cls in registry.register if cls.has_receipt]
    for order in PaymentOrder.objects.filter(state=OrderState.PAID, receipt_pdf__isnull=True, provider__in=providers,
                                             settled_at__gte=now - timedelta(days=30)).order_by("settled_at")[:limit]:
        try:
            pdf = registry.register.get(order.provider).receipt(order)
        except GatewayError as exc:
            log.warning("payment %s: receipt not fetched: %s", order.reference, exc.reason)
            continue
        if pdf:
            PaymentOrder.objects.filter(pk=order.pk, receipt_pdf__isnull=True).update(receipt_pdf=pdf)
            stored += 1
    return stored


def reconcile(provider, day, now=None):
    """Compare the orders of `day` (local date) with what the gateway says about each; record each
    difference once. Returns the discrepancies found."""
    from datetime import datetime, time
    now = now or timezone.now()
    plugin = registry.register.get(provider)
    lo = datetime.combine(day, time.min, tzinfo=TZ)
    found = []
    for order in PaymentOrder.objects.filter(provider=provider, created_at__gte=lo, created_at__lt=lo + timedelta(days=1)):
        try:
            notice = plugin.query(order)
        except NotSupported:
            return found
        except GatewayError as exc:
            log.warning("reconcile %s: %s", order.reference, exc.reason)
            continue
        kind = None
        if notice.paid and order.state != OrderState.PAID:
            kind = DiffKind.THERE_NOT_HERE
        elif order.state == OrderState.PAID and not notice.paid:
            kind = DiffKind.HERE_NOT_THERE
        elif notice.paid and notice.amount is not None and int(notice.amount) != int(order.amount):
            kind = DiffKind.AMOUNT
        if kind:
            diff, created = Discrepancy.objects.get_or_create(
                provider=provider, reference=order.reference, kind=kind,
                defaults={"order": order, "local_amount": order.amount if order.state == OrderState.PAID else 0,
                          "remote_amount": notice.amount if notice.paid else 0, "found_at": now,
                          "details": {"state": order.state, "gateway_code": notice.code}})
            if created:
                found.append(diff)
    return found


FINANCE_ROLES = (Role.RECEIVING_OFFICER, Role.CLERK, Role.AGENCY_LEADER)


def require_finance(actor, dossier, not_found):
    """Out of the actor's scope: NotFound (no existence leak); in scope without a finance role: NotAllowed."""
    if not (actor.covers(dossier.agency_path) or actor.covers(dossier.intake_path)):
        raise not_found
    if not any(actor.has_role(r, p) for r in FINANCE_ROLES for p in (dossier.agency_path, dossier.intake_path)):
        raise NotAllowed(_("Bạn không có vai trò phù hợp để xử lý thanh toán."), code="role_required")


def discrepancies(actor, *, day=None, provider=None, state="open"):
    """The reconciliation differences the actor may resolve (finance roles, own agencies), newest first;
    `day` (a date) filters on the order's day, `state` open | resolved | all."""
    paths = sorted({p for r, p in actor.roles if r in FINANCE_ROLES})
    if not paths:
        return Discrepancy.objects.none()
    from django.db.models import Q
    scope = Q(pk__in=[])
    for p in paths:
        scope |= Q(order__dossier__agency_path__startswith=p) | Q(order__dossier__intake_path__startswith=p)
    qs = Discrepancy.objects.filter(scope).select_related("order", "order__dossier", "resolved_by")
    if state not in ("open", "resolved", "all"):
        raise ValidationFailed(_("Trạng thái không hợp lệ."), code="invalid_state", details={"field": "state"})
    if state != "all":
        qs = qs.filter(resolved_at__isnull=state == "open")
    if provider:
        if provider not in registry.register:
            raise ValidationFailed(_("Cổng thanh toán không được hỗ trợ."), code="unknown_gateway",
                                   details={"field": "provider"})
        qs = qs.filter(provider=provider)
    if day is not None:
        from datetime import datetime, time
        lo = datetime.combine(day, time.min, tzinfo=TZ)
        qs = qs.filter(order__created_at__gte=lo, order__created_at__lt=lo + timedelta(days=1))
    return qs.order_by("-found_at", "-id")


@transaction.atomic
def resolve(actor, diff_id, *, note, refunded=False):
    """An officer closes a difference with a note; one transaction, who and when kept on the row.
    `refunded` (a double payment refunded by the agency itself, e.g. PayGov money by bank transfer): the
    order's refund is done and its receipts are cancelled (their numbers stay taken)."""
    diff = Discrepancy.objects.select_for_update(of=("self",)).select_related("order__dossier").filter(
        pk=diff_id).first() if str(diff_id).isdigit() else None
    if diff is None or diff.order is None:
        raise NotFound(_("Không tìm thấy chênh lệch đối soát."), code="discrepancy_not_found")
    require_finance(actor, diff.order.dossier, NotFound(_("Không tìm thấy chênh lệch đối soát."),
                                                        code="discrepancy_not_found"))
    if diff.resolved_at:
        raise Conflict(_("Chênh lệch này đã được xử lý."), code="already_resolved")
    if not (note or "").strip():
        raise ValidationFailed(_("Phải nêu rõ cách xử lý."), code="reason_required", details={"field": "note"})
    now = timezone.now()
    if refunded:
        if diff.kind != DiffKind.DOUBLE or diff.order.refund not in (RefundState.DUE, RefundState.FAILED):
            raise Conflict(_("Giao dịch này không ở trạng thái cần hoàn tiền."), code="refund_not_due")
        PaymentOrder.objects.filter(pk=diff.order_id).update(refund=RefundState.DONE, refund_note=note.strip()[:2000])
        receipts.cancel(diff.order, reason=note.strip(), by=actor.user_id, now=now)
    Discrepancy.objects.filter(pk=diff.pk).update(resolved_at=now, resolved_by_id=actor.user_id,
                                                  resolution=note.strip())
    diff.resolved_at, diff.resolved_by_id, diff.resolution = now, actor.user_id, note.strip()
    return diff


def refund(actor, reference):
    """Refund an order whose money could not be applied (refund due). VNPay: the refund API; PayGov has no
    public refund API: NotSupported (the agency refunds by transfer and resolves the discrepancy)."""
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update(of=("self",)).select_related("dossier").filter(reference=reference).first()
        if order is None:
            raise NotFound(_("Không tìm thấy giao dịch."), code="order_not_found")
        require_finance(actor, order.dossier, NotFound(_("Không tìm thấy giao dịch."), code="order_not_found"))
        if order.refund != RefundState.DUE:
            raise Conflict(_("Giao dịch này không ở trạng thái cần hoàn tiền."), code="refund_not_due")
        PaymentOrder.objects.filter(pk=order.pk).update(refund=RefundState.REQUESTED)
    try:
        answer = registry.register.get(order.provider).refund(order, amount=order.amount, by=actor.username)
    except GatewayError as exc:
        PaymentOrder.objects.filter(pk=order.pk).update(refund=RefundState.DUE, refund_note=f"[{exc.code}] {exc.reason}")
        raise GatewayUnavailable(exc.reason, code=exc.code) from None
    with transaction.atomic():
        PaymentOrder.objects.filter(pk=order.pk).update(refund=RefundState.DONE,
                                                        refund_note=str(answer.get("vnp_TransactionNo", ""))[:200])
        receipts.cancel(order, reason=_("Hoàn tiền thanh toán trùng (giao dịch %(ref)s).") % {"ref": order.reference},
                        by=actor.user_id)
        Discrepancy.objects.filter(order=order, kind=DiffKind.DOUBLE, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by_id=actor.user_id,
            resolution=_("Đã hoàn tiền qua cổng thanh toán."))
    _log_call(order.provider, "refund", order.reference, answer, "done")
    return answer
