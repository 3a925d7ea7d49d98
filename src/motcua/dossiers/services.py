"""The dossier lifecycle: the only place a dossier's state changes.

Every public function here is one transaction, checks the actor's permission itself, claims the dossier
with an optimistic version check (exactly one of two concurrent acts wins; the other gets 409), and
appends exactly one event to the dossier's hash-chained history.
"""
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.calendar import calendar_for
from motcua.agencies.models import Agency, Role
from motcua.agencies.scope import Actor
from motcua.catalog.cache import active_procedure
from motcua.catalog.models import PausePolicy
from motcua.core import batch
from motcua.core.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationFailed

from . import history
from .codes import new_code
from .deadlines import due_with_pauses
from .models import (OPEN_STATUSES, Channel, Dossier, DossierComponent, DossierStep, Extension, IdempotentRequest, Pause,
                     PauseKind, ResultDelivery, Status)

S = Status
R = Role
INTAKE, AGENCY, EITHER = "intake", "agency", "either"


@dataclass(frozen=True)
class Rule:
    """Which statuses an act starts from, who may do it, and on which side (intake centre or the
    competent agency)."""
    from_statuses: tuple
    roles: tuple
    side: str = AGENCY
    needs_reason: bool = False
    owner_may: bool = False


RULES = {
    "receive": Rule((S.NEW,), (R.RECEIVING_OFFICER,), EITHER),
    "refuse": Rule((S.NEW, S.RECEIVED, S.PROCESSING), (R.RECEIVING_OFFICER, R.SPECIALIST, R.UNIT_HEAD,
                                                       R.AGENCY_LEADER), EITHER, needs_reason=True),
    "request_supplement": Rule((S.NEW, S.RECEIVED, S.PROCESSING), (R.RECEIVING_OFFICER, R.SPECIALIST,
                                                                   R.UNIT_HEAD), EITHER, needs_reason=True),
    "supplement_received": Rule((S.SUPPLEMENT_REQUESTED,), (R.RECEIVING_OFFICER, R.SPECIALIST), EITHER),
    "forward": Rule((S.RECEIVED, S.PROCESSING), (R.RECEIVING_OFFICER, R.SPECIALIST, R.UNIT_HEAD,
                                                 R.AGENCY_LEADER), EITHER),
    "return_step": Rule((S.PROCESSING,), (R.SPECIALIST, R.UNIT_HEAD, R.AGENCY_LEADER), AGENCY, needs_reason=True),
    "approve": Rule((S.PROCESSING,), (R.UNIT_HEAD, R.AGENCY_LEADER)),
    "request_financial": Rule((S.PROCESSING,), (R.SPECIALIST, R.UNIT_HEAD), AGENCY, needs_reason=True),
    "financial_fulfilled": Rule((S.FINANCIAL_OBLIGATION,), (R.RECEIVING_OFFICER, R.SPECIALIST), EITHER),
    "stop": Rule((S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION),
                 (R.UNIT_HEAD, R.AGENCY_LEADER), AGENCY, needs_reason=True),
    "withdraw": Rule((S.NEW, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION),
                     (R.RECEIVING_OFFICER,), EITHER, needs_reason=True, owner_may=True),
    "extend": Rule((S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.FINANCIAL_OBLIGATION),
                   (R.AGENCY_LEADER,), AGENCY, needs_reason=True),
    "mark_result_ready": Rule((S.PROCESSING,), (R.CLERK, R.AGENCY_LEADER, R.UNIT_HEAD)),
    "return_result": Rule((S.FINISHED,), (R.RECEIVING_OFFICER, R.CLERK), EITHER),
}

ACTIONS = tuple(RULES)

# Acts that add to a dossier without moving its status.
EXTRA_RULES = {
    # components: scans at the counter, and digitised copies certified by the agency (clerk, leader)
    "attach_component": Rule(OPEN_STATUSES, (R.RECEIVING_OFFICER, R.SPECIALIST, R.CLERK, R.AGENCY_LEADER), EITHER,
                             owner_may=True),
    "attach_supplement": Rule((S.SUPPLEMENT_REQUESTED,), (R.RECEIVING_OFFICER, R.SPECIALIST), EITHER, owner_may=True),
    "attach_result": Rule((S.PROCESSING, S.FINISHED), (R.CLERK, R.AGENCY_LEADER, R.UNIT_HEAD, R.SPECIALIST)),
    "attach_other": Rule(OPEN_STATUSES + (S.FINISHED,), (R.RECEIVING_OFFICER, R.SPECIALIST, R.UNIT_HEAD,
                                                      R.AGENCY_LEADER, R.CLERK), EITHER),
    "record_payment": Rule(OPEN_STATUSES + (S.FINISHED,), (R.RECEIVING_OFFICER, R.CLERK), EITHER),
    "rate": Rule((S.RETURNED,), (), EITHER, owner_may=True),
    # the result's signing plan (Decree 30, motcua.signing.results): the leader signs the result (kept as an
    # internal document until sealed), then the clerk applies the agency seal (the result the applicant gets)
    "sign_result_person": Rule((S.PROCESSING,), (R.AGENCY_LEADER,)),
    "sign_result_seal": Rule((S.PROCESSING,), (R.CLERK,)),
}
SIGNING_ACTS = {"sign_result_person": "other", "sign_result_seal": "result"}


# ---------------------------------------------------------------- reading

def can_read(actor: Actor, dossier: Dossier) -> bool:
    return (actor.user_id is not None and dossier.owner_id == actor.user_id) or \
        actor.covers(dossier.agency_path) or actor.covers(dossier.intake_path)


def visible_dossiers(actor: Actor, qs=None):
    qs = Dossier.objects.all() if qs is None else qs
    if not actor.org_paths:
        return qs.filter(owner_id=actor.user_id) if actor.user_id else qs.none()
    return qs.filter(actor.scope_q("agency_path", "intake_path"))


def get_for(actor: Actor, code: str) -> Dossier:
    """The dossier, or 404 when it does not exist *or* the actor may not see it (no existence leak)."""
    dossier = Dossier.objects.select_related("procedure", "agency", "intake_agency").filter(code=code).first()
    if dossier is None or not can_read(actor, dossier):
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code}, code="dossier_not_found")
    return dossier


def allowed_actions(actor: Actor, dossier: Dossier):
    return [name for name in ACTIONS if _permission_problem(actor, dossier, name) is None
            and dossier.status in RULES[name].from_statuses]


# Acts that end or set back a dossier: never offered first, shown apart, confirmed before they run.
DANGEROUS = ("refuse", "stop", "withdraw", "return_step")
# The act an officer expects next, most natural first; whichever of these the actor may do comes first.
NATURAL_ORDER = ("receive", "supplement_received", "financial_fulfilled", "mark_result_ready", "approve", "forward",
                 "return_result", "request_supplement", "request_financial", "extend")


def next_action(actor: Actor, dossier: Dossier, allowed=None):
    """The natural next act for this actor on this dossier (None when there is none): receive a new dossier,
    forward a step, approve at the last step, issue the result once approved, return it; never a dangerous
    act."""
    allowed = set(allowed_actions(actor, dossier) if allowed is None else allowed)
    if dossier.approved_at:
        allowed -= {"approve", "forward"}
    else:
        allowed -= {"mark_result_ready"}
    if "approve" in allowed and dossier.steps.order_by("-order").values_list("order", flat=True).first() \
            == dossier.current_step:
        allowed -= {"forward"}
    else:
        allowed -= {"approve"}
    return next((name for name in NATURAL_ORDER if name in allowed), None)


# ---------------------------------------------------------------- permission

def _side_paths(dossier, side):
    if side == AGENCY:
        return (dossier.agency_path,)
    if side == INTAKE:
        return (dossier.intake_path,)
    return (dossier.agency_path, dossier.intake_path)


def _holds(actor, roles, paths):
    return any(actor.has_role(role, path) for role in roles for path in paths)


def _permission_problem(actor, dossier, action):
    rule = RULES.get(action) or EXTRA_RULES[action]
    if rule.owner_may and actor.user_id is not None and dossier.owner_id == actor.user_id:
        return None
    roles = rule.roles
    if action in ("forward", "return_step", "approve") and dossier.current_role:
        # Acting on a step: the step's own role, or a leader above it.
        # (approve's own roles are the unit head and the leader only, so no step role is added to them)
        roles = tuple({dossier.current_role, R.UNIT_HEAD, R.AGENCY_LEADER} & set(rule.roles)) or rule.roles
    paths = _side_paths(dossier, rule.side)
    if dossier.current_role == R.RECEIVING_OFFICER and action == "forward":
        paths = (dossier.agency_path, dossier.intake_path)
    elif action == "forward":
        paths = (dossier.agency_path,)
    if _holds(actor, roles, paths):
        return None
    return roles


def _check_permission(actor, dossier, action):
    """The actor's roles allow `action` on `dossier` (the caller has checked that the actor may read it)."""
    roles = _permission_problem(actor, dossier, action)
    if roles is not None:
        raise NotAllowed(_("Bạn không có vai trò phù hợp để thực hiện thao tác này trên hồ sơ."),
                         code="role_required", details={"action": action, "roles": sorted(str(r) for r in roles)})


# ---------------------------------------------------------------- the act machinery

class Act:
    """One act on one dossier inside one transaction: claim the version, change fields, append history."""

    def __init__(self, actor, dossier, action, now):
        self.actor, self.dossier, self.action, self.now = actor, dossier, action, now
        self.status_before = dossier.status
        self.changes = {}

    def set(self, **fields):
        self.changes.update(fields)
        for k, v in fields.items():
            setattr(self.dossier, k, v)

    def claim(self):
        """Take the dossier: bump its version only if nobody else did since we read it. Everything after
        this runs under the dossier's row lock, so of two concurrent acts exactly one gets here."""
        d = self.dossier
        claimed = Dossier.objects.filter(pk=d.pk, version=d.version).update(version=F("version") + 1)
        if claimed != 1:
            raise Conflict(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại."),
                           code="stale_version", details={"version": d.version})
        d.version += 1

    def commit(self, reason="", data=None):
        d = self.dossier
        Dossier.objects.filter(pk=d.pk).update(updated_at=self.now, **self.changes)
        history.append(d, at=self.now, actor_id=self.actor.user_id, actor_name=self.actor.username,
                       action=self.action, reason=reason, status_before=self.status_before,
                       status_after=d.status, data=data or {})
        return d


def _begin(actor, code, action, version, reason, now):
    dossier = Dossier.objects.select_related("procedure", "agency").filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code}, code="dossier_not_found")
    if not can_read(actor, dossier):
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": dossier.code}, code="dossier_not_found")
    # The version first: a loser of a race must learn that the dossier moved on (409), not be judged
    # against the winner's new step (whose role it may not hold).
    if version is not None and int(version) != dossier.version:
        raise Conflict(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại."),
                       code="stale_version", details={"version": dossier.version, "yours": int(version)})
    _check_permission(actor, dossier, action)
    rule = RULES.get(action) or EXTRA_RULES[action]
    if dossier.status not in rule.from_statuses:
        raise Conflict(
            _("Không thể thực hiện “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": ACTION_LABELS.get(action, action), "status": dossier.get_status_display()},
            code="invalid_transition",
            details={"action": action, "status": dossier.status, "allowed_from": [int(s) for s in rule.from_statuses]})
    if rule.needs_reason and not (reason or "").strip():
        raise ValidationFailed(_("Phải nêu rõ lý do."), code="reason_required", details={"field": "reason"})
    act = Act(actor, dossier, action, now or timezone.now())
    act.claim()
    return act


ACTION_LABELS = {
    "receive": gettext_lazy("Tiếp nhận"), "refuse": gettext_lazy("Từ chối"), "request_supplement": gettext_lazy("Yêu cầu bổ sung"),
    "supplement_received": gettext_lazy("Nhận hồ sơ bổ sung"), "forward": gettext_lazy("Chuyển bước tiếp theo"),
    "return_step": gettext_lazy("Trả về bước trước"), "approve": gettext_lazy("Phê duyệt"),
    "request_financial": gettext_lazy("Yêu cầu nghĩa vụ tài chính"), "financial_fulfilled": gettext_lazy("Đã thực hiện nghĩa vụ tài chính"),
    "stop": gettext_lazy("Dừng xử lý"), "withdraw": gettext_lazy("Rút hồ sơ"), "extend": gettext_lazy("Xin lỗi và gia hạn"),
    "mark_result_ready": gettext_lazy("Có kết quả"), "return_result": gettext_lazy("Trả kết quả"),
    "sign_result_person": gettext_lazy("Lãnh đạo ký số kết quả"),
    "sign_result_seal": gettext_lazy("Văn thư đóng dấu số kết quả"),
    "pay_online": gettext_lazy("Thanh toán trực tuyến"),
}


def _cal(dossier):
    return calendar_for(dossier.agency)


def _pauses(dossier):
    return list(dossier.pauses.values_list("started_at", "ended_at"))


def _start_step(dossier, step, at, cal, pauses=()):
    step.started_at = at
    step.finished_at = None
    step.timing = ""
    step.rounds += 1
    step.due_at = due_with_pauses(cal, cal.next_working_moment(at), step.allowance_minutes, pauses)
    step.save(update_fields=["started_at", "finished_at", "timing", "rounds", "due_at"])


def _finish_step(step, at, actor, cal, outcome):
    step.finished_at = at
    step.handled_by_id = actor.user_id
    step.handled_by_name = actor.username
    step.outcome = outcome
    step.timing = cal.classify(at, step.due_at) if step.due_at else ""
    step.save(update_fields=["finished_at", "handled_by", "handled_by_name", "outcome", "timing"])


def _step(dossier, order):
    return dossier.steps.filter(order=order).first()


def _close(act, status):
    """Close the dossier. Stopped or withdrawn while waiting for the applicant (supplement or financial
    obligation): that wait ends now and is not counted, so the due moves by it (DOMAIN.md, 2.1)."""
    dossier = act.dossier
    waiting = dossier.paused_since is not None
    act.set(status=status, closed_at=act.now, paused_since=None)
    Pause.objects.filter(dossier=dossier, ended_at__isnull=True).update(ended_at=act.now)
    if waiting and dossier.received_at and dossier.clock_start:
        act.set(due_at=due_with_pauses(_cal(dossier), dossier.clock_start, dossier.statutory_minutes,
                                       _pauses(dossier)))


def _require(value, field, message):
    if value in (None, "", []):
        raise ValidationFailed(message, code=f"{field}_required", details={"field": field})
    return value


# ---------------------------------------------------------------- intake

def _fingerprint(payload):
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _competent_agency(procedure, agency_code):
    """The deciding agency of an online filing (portal, national portal): named, or the only one."""
    competent = list(procedure.agencies.all())
    if agency_code:
        for agency in competent:
            if agency.code == agency_code:
                return agency
        raise _not_competent(agency_code)
    if len(competent) == 1:
        return competent[0]
    if not competent:
        raise ValidationFailed(_("Thủ tục chưa được gán cơ quan có thẩm quyền."), code="procedure_without_agency")
    raise _agency_required(competent)


def _not_competent(agency_code):
    return ValidationFailed(_("Cơ quan %(code)s không có thẩm quyền giải quyết thủ tục này.") % {"code": agency_code},
                            code="agency_not_competent", details={"field": "agency", "agency": agency_code})


def _agency_required(options):
    return ValidationFailed(_("Thủ tục do nhiều cơ quan giải quyết: phải chọn cơ quan giải quyết."),
                            code="agency_required", details={"field": "agency", "agencies": [a.code for a in options]})


# ---------------------------------------------------------------- where an officer may receive

def receiving_points(actor):
    """[(organisation, scope path)] where the actor is a receiving officer. An organisation receives for
    itself and what lies under it; a public administration service centre (the kinds in
    MOTCUA_PROVINCE_WIDE_RECEIPT_KINDS) receives for every agency of its province (Decree 118/2025)."""
    from django.conf import settings

    paths = sorted({path for role, path in actor.roles if role == R.RECEIVING_OFFICER})
    if not paths:
        return []
    wide = set(settings.MOTCUA_PROVINCE_WIDE_RECEIPT_KINDS)
    orgs = actor.receiving_orgs   # read with the actor's roles (actor_for): no second query
    if orgs is None or [o.path for o in orgs] != paths:
        orgs = Agency.objects.filter(path__in=paths).select_related("parent").order_by("path")
    points = []
    for org in orgs:
        scope = org.parent.path if org.kind in wide and org.parent_id else org.path
        points.append((org, scope))
    return points


def _intake_point(points, competent):
    """The organisation that receives for `competent`: the officer's own (it contains `competent`), else a
    province-wide centre; None if the officer may not receive for it."""
    own = [org for org, _scope in points if competent.path.startswith(org.path)]
    if own:
        return own[-1]
    return next((org for org, scope in points if competent.path.startswith(scope)), None)


def receivable_agencies(actor, procedure, points=None):
    """The competent agencies of `procedure` the actor may receive for, and the one a form preselects (and
    intake chooses when none is named): the only one, or the officer's own organisation."""
    points = receiving_points(actor) if points is None else points
    options = [a for a in procedure.agencies.all() if _intake_point(points, a) is not None]
    if len(options) == 1:
        return options, options[0]
    own = [a for a in options if any(a.pk == org.pk for org, _scope in points)]
    return options, own[0] if len(own) == 1 else None


def receipt_out_of_scope(agencies):
    return NotAllowed(_("Bạn chỉ tiếp nhận được hồ sơ thuộc thẩm quyền của cơ quan mình; hồ sơ của cơ quan khác "
                        "được tiếp nhận tại Trung tâm Phục vụ hành chính công."), code="receipt_out_of_scope",
                      details={"agencies": [a.code for a in agencies]})


def _counter_routing(actor, procedure, agency_code, intake_code):
    """(deciding agency, intake agency) of a counter or postal intake, checked against where the officer may
    receive."""
    points = receiving_points(actor)
    if not points:
        raise NotAllowed(_("Chỉ cán bộ tiếp nhận mới được tiếp nhận hồ sơ."), code="role_required",
                         details={"roles": [R.RECEIVING_OFFICER]})
    named = None
    if intake_code:
        # usually the officer's own organisation (a centre naming itself): no query then
        named = next((org for org, _scope in points if org.code == intake_code), None) or \
            Agency.objects.filter(code=intake_code).first()
        if named is None:
            raise ValidationFailed(_("Không có cơ quan mã %(code)s.") % {"code": intake_code},
                                   code="unknown_agency", details={"field": "intake_agency", "agency": intake_code})
        points = [(org, scope) for org, scope in points if named.path.startswith(org.path)]
        if not points:
            raise NotAllowed(_("Bạn không phải cán bộ tiếp nhận của nơi tiếp nhận này."), code="role_required",
                             details={"roles": [R.RECEIVING_OFFICER]})
    competent = list(procedure.agencies.all())
    if not competent:
        raise ValidationFailed(_("Thủ tục chưa được gán cơ quan có thẩm quyền."), code="procedure_without_agency")
    if agency_code:
        agency = next((a for a in competent if a.code == agency_code), None)
        if agency is None:
            raise _not_competent(agency_code)
    else:
        options, agency = receivable_agencies(actor, procedure, points)
        if not options:
            raise receipt_out_of_scope(competent)
        if agency is None:
            raise _agency_required(options)
    point = _intake_point(points, agency)
    if point is None:
        raise receipt_out_of_scope([agency])
    return agency, named or point


def _lookup_secret(phone):
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    from django.conf import settings
    n = settings.MOTCUA_LOOKUP_SECRET_DIGITS
    return digits[-n:] if len(digits) >= n else secrets.token_hex(3).upper()


def _components_from(procedure, given):
    """Checklist rows: the procedure's components, with what the applicant actually brought."""
    catalogue = {c.id: c for c in procedure.components.all()}
    rows, seen = [], set()
    for item in given or []:
        comp = catalogue.get(item.get("component_id")) if item.get("component_id") else None
        if item.get("component_id") and comp is None:
            raise ValidationFailed(_("Thành phần hồ sơ không thuộc thủ tục này."), code="unknown_component",
                                   details={"component_id": item.get("component_id")})
        if comp:
            seen.add(comp.id)
        name = item.get("name") or (comp.name if comp else "")
        if not name:
            raise ValidationFailed(_("Thành phần hồ sơ ngoài danh mục phải có tên."), code="component_name_required",
                                   details={"field": "components"})
        rows.append(DossierComponent(component=comp, name=name,
                                     form=item.get("form") or (comp.form if comp else "original"),
                                     count=item.get("count") or (comp.count if comp else 1),
                                     provided=item.get("provided", True)))
    for comp in catalogue.values():
        if comp.id not in seen:
            rows.append(DossierComponent(component=comp, name=comp.name, form=comp.form, count=comp.count,
                                         provided=given is None))
    return rows


class Source:
    """Who brings a dossier in. Only the online sources create channel 2 (online) dossiers."""
    COUNTER = "counter"                   # a receiving officer: channel 1 (in person) or 3 (postal)
    PORTAL = "portal"                     # the applicant's own account on the citizen portal or API
    NATIONAL_PORTAL = "national_portal"   # DVCQG inbound: a system actor, never reachable from a request
    ONLINE = (PORTAL, NATIONAL_PORTAL)


# The actor of dossiers that arrive from the national public service portal (DVCQG inbound).
NATIONAL_PORTAL_ACTOR = Actor(user_id=None, username="dvcqg")
# The name the DVCQG inbound adapter passes (motcua.integrations.inbound).
SOURCE_DVCQG = Source.NATIONAL_PORTAL


def intake(actor: Actor, data: dict, *, idempotency_key=None, now=None, owner=None, source=None):
    """Create a dossier. Channel 1 (counter) and 3 (postal) by a receiving officer: received at once,
    the clock starts. Channel 2 (online) only from an online source: the applicant's own account (the
    portal; the default for an account without a role) or DVCQG inbound (source=Source.NATIONAL_PORTAL,
    with NATIONAL_PORTAL_ACTOR); status NEW until an officer receives it. A receiving officer may not
    record a counter intake as online.
    With an idempotency key, the same request again returns the first dossier (replayed=True); keys
    belong to an account, so DVCQG inbound (no account) dedupes by the national dossier code instead.

    A key is not looked up first: retries are rare, so the key row is inserted with the dossier and a
    repeat trips its unique constraint, which rolls the repeat back (daily number included) and replays
    the first answer. That saves a query on every intake."""
    now = now or timezone.now()
    key_user = actor.user_id
    if idempotency_key:
        if len(idempotency_key) > 128:
            raise ValidationFailed(_("Idempotency-Key quá dài (tối đa 128 ký tự)."), code="idempotency_key_invalid")
        fingerprint = _fingerprint(data)
    try:
        # The act's final rows (history events, outbox message and job, idempotency key) go in one statement
        # on PostgreSQL, still in this transaction (motcua.core.batch).
        with transaction.atomic(), batch.deferred_inserts():
            dossier = _intake(actor, data, now, owner, source)
            if idempotency_key:
                batch.insert(IdempotentRequest, [IdempotentRequest(
                    user_id=key_user, key=idempotency_key, fingerprint=fingerprint, dossier=dossier)])
            return dossier, False
    except (IntegrityError, DomainError) as exc:
        # A repeat is replayed even if the request would now fail (e.g. the procedure was withdrawn since).
        if idempotency_key and (replay := _replay(key_user, idempotency_key, fingerprint)):
            return replay, True
        raise exc


def _replay(user_id, key, fingerprint):
    previous = IdempotentRequest.objects.select_related("dossier").filter(user_id=user_id, key=key).first()
    if previous is None:
        return None
    if previous.fingerprint != fingerprint:
        raise Conflict(_("Idempotency-Key này đã được dùng cho một yêu cầu khác."), code="idempotency_key_reused")
    return previous.dossier


def _result_delivery(data):
    """How the result goes back: counter (default), postal (needs a delivery address) or electronic."""
    delivery = data.get("result_delivery") or ResultDelivery.COUNTER
    if delivery not in ResultDelivery.values:
        raise ValidationFailed(_("Cách nhận kết quả không hợp lệ."), code="result_delivery_invalid",
                               details={"field": "result_delivery", "allowed": ResultDelivery.values})
    address = " ".join(str(data.get("delivery_address") or "").split())[:500]
    if delivery == ResultDelivery.POSTAL and not address:
        raise ValidationFailed(_("Nhận kết quả qua bưu chính cần địa chỉ nhận."), code="delivery_address_required",
                               details={"field": "delivery_address"})
    return delivery, address if delivery == ResultDelivery.POSTAL else ""


def _intake(actor, data, now, owner, source):
    channel = int(data.get("channel") or Channel.IN_PERSON)
    if channel not in Channel.values:
        raise ValidationFailed(_("Kênh tiếp nhận không hợp lệ."), code="invalid_channel", details={"field": "channel"})
    source = source or (Source.COUNTER if actor.roles else Source.PORTAL)
    if source not in (Source.COUNTER, *Source.ONLINE):
        raise ValueError(f"unknown intake source {source!r}")
    if source == Source.COUNTER and channel == Channel.ONLINE:
        raise ValidationFailed(_("Hồ sơ tiếp nhận tại quầy không được ghi là nộp trực tuyến: chọn kênh trực tiếp "
                                 "hoặc bưu chính."), code="channel_not_allowed",
                               details={"field": "channel", "allowed": [Channel.IN_PERSON, Channel.POSTAL]})
    online = source in Source.ONLINE and channel == Channel.ONLINE
    if source in Source.ONLINE and not online:
        if source == Source.NATIONAL_PORTAL:
            raise ValidationFailed(_("Hồ sơ từ Cổng Dịch vụ công quốc gia là hồ sơ trực tuyến."),
                                   code="channel_not_allowed", details={"field": "channel", "allowed": [Channel.ONLINE]})
        raise NotAllowed(_("Chỉ cán bộ tiếp nhận mới được tiếp nhận hồ sơ."), code="role_required",
                         details={"roles": [R.RECEIVING_OFFICER]})
    if source == Source.PORTAL and actor.user_id is None:
        raise NotAllowed(_("Cần đăng nhập tài khoản để nộp hồ sơ trực tuyến."), code="not_authenticated")
    procedure = active_procedure(data.get("procedure"))
    if procedure is None:
        raise ValidationFailed(_("Không có thủ tục mã %(code)s đang áp dụng.") % {"code": data.get("procedure")},
                               code="unknown_procedure", details={"field": "procedure"})
    _require((data.get("applicant_name") or "").strip(), "applicant_name", _("Phải có họ tên người nộp hồ sơ."))
    component_rows = _components_from(procedure, data.get("components"))
    then = None
    if not online and (missing := [r.name for r in component_rows if r.component and r.component.required
                                   and not r.provided]):
        then = _if_incomplete(data, missing)
    if online:
        agency = _competent_agency(procedure, data.get("agency"))
        intake_agency = agency
    else:
        agency, intake_agency = _counter_routing(actor, procedure, data.get("agency"), data.get("intake_agency"))
    submitted_at = data.get("submitted_at") or now
    if isinstance(submitted_at, str):
        submitted_at = datetime.fromisoformat(submitted_at)
    if submitted_at > now:
        raise ValidationFailed(_("Thời điểm nộp không được ở tương lai."), code="submitted_in_future")
    phone = data.get("applicant_phone", "")
    delivery, delivery_address = _result_delivery(data)
    dossier = Dossier(
        code=new_code(agency, submitted_at), procedure=procedure, agency=agency, intake_agency=intake_agency,
        agency_path=agency.path, intake_path=intake_agency.path, channel=channel, status=S.NEW,
        applicant_kind=data.get("applicant_kind") or "citizen", applicant_name=data["applicant_name"].strip(),
        applicant_id_number=data.get("applicant_id_number", ""), applicant_address=data.get("applicant_address", ""),
        applicant_phone=phone, applicant_email=data.get("applicant_email", ""), request=data.get("request", ""),
        sets_count=data.get("sets_count") or 1,
        owner=owner if owner is not None else (_user(actor) if source == Source.PORTAL else None),
        lookup_secret=_lookup_secret(phone), submitted_at=submitted_at,
        statutory_minutes=0, fee_total=sum(f.amount for f in procedure.fees.all()),
        return_place=data.get("return_place") or intake_agency.name,
        result_delivery=delivery, delivery_address=delivery_address,
    )
    receipt, steps = (None, []) if online or then else _receipt(dossier, data.get("received_at") or now)
    if receipt:
        for k, v in receipt.items():
            setattr(dossier, k, v)
    dossier.save(force_insert=True)
    components = DossierComponent.objects.bulk_create([_with(c, dossier=dossier) for c in component_rows])
    DossierStep.objects.bulk_create(steps)
    dossier.created_rows = {"components": components, "steps": steps}   # lets the API answer without a re-read
    state = history.state_of(dossier)   # the row as stored, recorded by both first events
    submit = history.build_event(
        dossier, seq=1, prev_hash=history.GENESIS, at=now, actor_id=actor.user_id, actor_name=actor.username,
        action="submit", status_before=None, status_after=S.NEW, state=state,
        data={"channel": channel, "procedure": procedure.code, "agency": agency.code,
              "intake_agency": intake_agency.code, "result_delivery": delivery,
              **({"delivery_address": delivery_address} if delivery_address else {})})
    events = [submit]
    if receipt:
        events.append(history.build_event(
            dossier, seq=2, prev_hash=submit.hash, at=now, actor_id=actor.user_id, actor_name=actor.username,
            action="receive", status_before=S.NEW, status_after=S.RECEIVED, data=_receipt_data(receipt),
            state=state))
    history.append_built(dossier, events)
    if then:
        batch.flush()   # the acts below read the history just built
    if then == "refuse":       # Form 3: not received, with written reasons
        return refuse(actor, dossier.code, reason=data["reason"], now=now)
    if then == "request_supplement":   # Form 2: status 5 before receipt; the clock has not started
        return request_supplement(actor, dossier.code, reason=data["reason"], components=missing, now=now)
    return dossier


INCOMPLETE_CHOICES = ("request_supplement", "refuse")


def _if_incomplete(data, missing):
    """A counter intake missing a mandatory component is not received: the officer chooses a supplement
    request (Form 2) or a refusal (Form 3), with a reason, through the lifecycle's own acts."""
    then = data.get("if_incomplete") or ""
    if then not in INCOMPLETE_CHOICES:
        raise ValidationFailed(
            _("Hồ sơ thiếu thành phần bắt buộc: %(names)s. Không tiếp nhận: hãy lập phiếu yêu cầu bổ sung (Mẫu 2) "
              "hoặc từ chối tiếp nhận (Mẫu 3).") % {"names": "; ".join(missing)},
            code="components_missing", details={"components": missing, "if_incomplete": list(INCOMPLETE_CHOICES)})
    if not (data.get("reason") or "").strip():
        raise ValidationFailed(_("Phải nêu rõ lý do."), code="reason_required", details={"field": "reason"})
    return then


def missing_components(dossier):
    """Names of the dossier's mandatory components (catalogue `required`) neither brought nor attached."""
    from .models import Attachment
    return list(dossier.components.filter(component__required=True, provided=False)
                .exclude(pk__in=Attachment.objects.filter(dossier=dossier, component__isnull=False)
                         .values("component_id"))
                .values_list("name", flat=True))


def _mark_provided(dossier, ids):
    """The officer checked these components (ids of the dossier's rows) as brought now."""
    ids = {int(i) for i in ids or []}
    if not ids:
        return []
    rows = dossier.components.filter(pk__in=ids)
    if len(rows) != len(ids):
        raise ValidationFailed(_("Thành phần hồ sơ không thuộc hồ sơ này."), code="unknown_component",
                               details={"field": "provided", "components": sorted(ids)})
    rows.update(provided=True)
    return sorted(ids)


def _with(obj, **fields):
    for k, v in fields.items():
        setattr(obj, k, v)
    return obj


def _user(actor):
    from django.contrib.auth import get_user_model
    return get_user_model().objects.filter(pk=actor.user_id).first() if actor.user_id else None


# ---------------------------------------------------------------- transitions

@transaction.atomic
def receive(actor, code, *, provided=None, version=None, now=None, received_at=None):
    """Valid receipt: the clock starts (next working moment, or next working day after a cut-off). A dossier
    still missing a mandatory component is not received (422 components_missing): ask for a supplement
    (Form 2) or refuse (Form 3). `provided`: ids of the dossier's components the officer checked as brought."""
    act = _begin(actor, code, "receive", version, "", now)
    marked = _mark_provided(act.dossier, provided)
    if missing := missing_components(act.dossier):
        raise ValidationFailed(
            _("Hồ sơ thiếu thành phần bắt buộc: %(names)s. Không tiếp nhận: hãy yêu cầu bổ sung (Mẫu 2) hoặc từ "
              "chối tiếp nhận (Mẫu 3).") % {"names": "; ".join(missing)},
            code="components_missing", details={"components": missing, "if_incomplete": list(INCOMPLETE_CHOICES)})
    fields, steps = _receipt(act.dossier, received_at or act.now)
    DossierStep.objects.bulk_create(steps)
    act.set(**fields)
    data = _receipt_data(fields)
    if marked:
        data["provided"] = marked
    return act.commit(data=data)


def _receipt(dossier, received_at):
    """Fields of a valid receipt and the dossier's steps (unsaved; the first one started)."""
    if isinstance(received_at, str):
        received_at = datetime.fromisoformat(received_at)
    procedure = dossier.procedure
    cal = _cal(dossier)
    start = cal.clock_start(received_at, procedure.cutoff)
    minutes = procedure.minutes_for(cal.office_hours.minutes_per_day)
    due = cal.add_working_minutes(start, minutes)
    template = sorted(procedure.steps.all(), key=lambda t: t.order)
    steps = [DossierStep(dossier=dossier, order=t.order, name=t.name, unit_name=t.unit_name, role=t.role,
                         allowance_minutes=t.allowance_minutes) for t in template]
    if not steps:
        steps = [DossierStep(dossier=dossier, order=1, name=_("Xử lý hồ sơ"), role=R.SPECIALIST,
                             allowance_minutes=minutes)]
    first = steps[0]
    first.started_at, first.rounds = received_at, 1
    first.due_at = cal.add_working_minutes(start, first.allowance_minutes)
    fields = dict(status=S.RECEIVED, received_at=received_at, clock_start=start, statutory_minutes=minutes,
                  due_at=due, appointment_at=due, current_step=first.order, current_role=first.role)
    return fields, steps


def _receipt_data(fields):
    return {"received_at": fields["received_at"].isoformat(), "due_at": fields["due_at"].isoformat()}


@transaction.atomic
def refuse(actor, code, *, reason, version=None, now=None):
    """Refuse to receive (Form 3) or to resolve: written reasons, dossier closed."""
    act = _begin(actor, code, "refuse", version, reason, now)
    _close(act, S.NOT_RECEIVED)
    act.set(finished_at=act.now if act.dossier.received_at else None)
    return act.commit(reason=reason)


@transaction.atomic
def request_supplement(actor, code, *, reason, components=None, version=None, now=None):
    """Form 2: ask for missing/incorrect components. After receipt the clock pauses."""
    act = _begin(actor, code, "request_supplement", version, reason, now)
    d = act.dossier
    _require(components, "components", _("Phải liệt kê giấy tờ cần bổ sung."))
    Pause.objects.create(dossier=d, kind=PauseKind.SUPPLEMENT, started_at=act.now, reason=reason,
                         components=list(components))
    act.set(status=S.SUPPLEMENT_REQUESTED, status_before_pause=d.status, paused_since=act.now,
            supplement_requests=d.supplement_requests + (1 if d.received_at else 0))
    return act.commit(reason=reason, data={"components": list(components)})


def _resume(act, kind):
    d = act.dossier
    Pause.objects.filter(dossier=d, kind=kind, ended_at__isnull=True).update(ended_at=act.now)
    back = d.status_before_pause or (S.PROCESSING if d.received_at else S.NEW)
    changes = {"status": back, "status_before_pause": None, "paused_since": None}
    if d.received_at:
        cal = _cal(d)
        asked = d.pauses.filter(kind=kind, ended_at=act.now).order_by("-started_at").values_list(
            "started_at", flat=True).first()
        # "restart" restarts the clock only for a supplement asked before the due: a late dossier stays late
        if kind == PauseKind.SUPPLEMENT and d.procedure.pause_policy == PausePolicy.RESTART \
                and asked is not None and d.due_at is not None and asked <= d.due_at:
            start = cal.next_working_moment(act.now)
            changes.update(clock_start=start, due_at=cal.add_working_minutes(start, d.statutory_minutes))
            pauses = []
        else:
            pauses = _pauses(d)
            changes["due_at"] = due_with_pauses(cal, d.clock_start, d.statutory_minutes, pauses)
        if d.appointment_at is None or d.appointment_at < changes["due_at"]:
            if not d.extensions.exists():
                changes["appointment_at"] = changes["due_at"]
        step = _step(d, d.current_step)
        if step and step.started_at and not step.finished_at:
            step.due_at = due_with_pauses(cal, cal.next_working_moment(step.started_at), step.allowance_minutes,
                                          pauses)
            step.save(update_fields=["due_at"])
    act.set(**changes)


@transaction.atomic
def supplement_received(actor, code, *, note="", provided=None, version=None, now=None):
    """The applicant brought what was asked; `provided`: ids of the dossier's components now brought."""
    act = _begin(actor, code, "supplement_received", version, "", now)
    marked = _mark_provided(act.dossier, provided)
    _resume(act, PauseKind.SUPPLEMENT)
    return act.commit(reason=note, data={"provided": marked} if marked else None)


@transaction.atomic
def request_financial(actor, code, *, reason, amount=None, version=None, now=None):
    act = _begin(actor, code, "request_financial", version, reason, now)
    d = act.dossier
    Pause.objects.create(dossier=d, kind=PauseKind.FINANCIAL, started_at=act.now, reason=reason)
    act.set(status=S.FINANCIAL_OBLIGATION, status_before_pause=d.status, paused_since=act.now)
    return act.commit(reason=reason, data={"amount": amount} if amount is not None else {})


@transaction.atomic
def financial_fulfilled(actor, code, *, note="", version=None, now=None):
    act = _begin(actor, code, "financial_fulfilled", version, "", now)
    _resume(act, PauseKind.FINANCIAL)
    return act.commit(reason=note)


def next_step(dossier):
    """The step after the current one (None at the last step)."""
    return dossier.steps.filter(order__gt=dossier.current_step or 0).order_by("order").first()


def assignable_staff(dossier, step):
    """The people a dossier may be forwarded to by name at `step`: holding the step's role in the competent
    agency (or, for a receiving step, at the intake point), in the step's own unit when the process names
    one that exists there. Ordered by full name."""
    from django.contrib.auth import get_user_model

    from motcua.agencies.models import AgencyKind, Membership
    if step is None:
        return get_user_model().objects.none()
    homes = [dossier.agency] + ([dossier.intake_agency] if step.role == R.RECEIVING_OFFICER and
                                dossier.intake_agency_id else [])
    units = Agency.objects.filter(kind=AgencyKind.UNIT, name=step.unit_name,
                                  path__startswith=dossier.agency.path) if step.unit_name else Agency.objects.none()
    where = {"agency__in": list(units)} if units else {}
    ids = set()
    for m in Membership.objects.filter(role=step.role, **where).select_related("agency", "agency__parent"):
        org_path = m.agency.organisation.path
        if any(home.path.startswith(org_path) for home in homes if home is not None):
            ids.add(m.user_id)
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name",
                                                                                 "username")


def _assignee(dossier, step, assignee):
    """The named assignee (a user, an id or a username) checked against the step, or None when not named."""
    if assignee in (None, ""):
        return None
    staff = assignable_staff(dossier, step)
    key = getattr(assignee, "pk", assignee)
    user = None
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit() and len(key) < 12):
        user = staff.filter(pk=int(key)).first()
    if user is None and isinstance(key, str) and len(key) <= 150:
        user = staff.filter(username=key).first()
    if user is None:
        role = Role(step.role).label if step.role in Role.values else step.role
        raise ValidationFailed(
            _("Người được giao phải là cán bộ giữ vai trò “%(role)s” của đơn vị thực hiện bước tiếp theo.")
            % {"role": role}, code="assignee_not_eligible",
            details={"field": "assignee", "assignee": str(key)[:150], "role": step.role, "step": step.order})
    return user


def person_name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


@transaction.atomic
def forward(actor, code, *, note="", assignee=None, version=None, now=None):
    """Hand over to the next step of the internal process (Form 6 records each hand-over), to a named
    specialist of that step (`assignee`: a user, id or username holding the step's role in its unit) or
    to the unit to assign."""
    act = _begin(actor, code, "forward", version, "", now)
    d = act.dossier
    steps = list(d.steps.order_by("order"))
    current = next((s for s in steps if s.order == d.current_step), None)
    nxt = next((s for s in steps if s.order > d.current_step), None)
    if nxt is None:
        raise Conflict(_("Đây là bước cuối của quy trình: hãy phê duyệt thay vì chuyển tiếp."),
                       code="last_step", details={"step": d.current_step})
    person = _assignee(d, nxt, assignee)
    cal = _cal(d)
    if current:
        _finish_step(current, act.now, actor, cal, note or "forwarded")
    _start_step(d, nxt, act.now, cal)
    nxt.assignee = person
    nxt.save(update_fields=["assignee"])
    act.set(status=S.PROCESSING, current_step=nxt.order, current_role=nxt.role)
    named = {"assignee": person.pk, "assignee_name": person_name(person)} if person else {}
    return act.commit(reason=note, data={"from_step": d.current_step if current is None else current.order,
                                         "to_step": nxt.order, "step_timing": current.timing if current else "",
                                         **named})


@transaction.atomic
def return_step(actor, code, *, reason, version=None, now=None):
    act = _begin(actor, code, "return_step", version, reason, now)
    d = act.dossier
    steps = list(d.steps.order_by("order"))
    current = next((s for s in steps if s.order == d.current_step), None)
    previous = [s for s in steps if s.order < d.current_step]
    if not previous:
        raise Conflict(_("Hồ sơ đang ở bước đầu tiên, không có bước trước để trả về."), code="first_step")
    prev = previous[-1]
    cal = _cal(d)
    if current:
        _finish_step(current, act.now, actor, cal, "returned: " + reason)
    _start_step(d, prev, act.now, cal)
    act.set(current_step=prev.order, current_role=prev.role)
    return act.commit(reason=reason, data={"from_step": current.order if current else None, "to_step": prev.order})


@transaction.atomic
def approve(actor, code, *, note="", version=None, now=None):
    """The leader approves at the last step; the result can then be issued (mark_result_ready)."""
    act = _begin(actor, code, "approve", version, "", now)
    d = act.dossier
    if d.approved_at:
        raise Conflict(_("Hồ sơ đã được phê duyệt."), code="already_approved")
    last = d.steps.order_by("-order").first()
    if last is None or last.order != d.current_step:
        raise Conflict(_("Chỉ phê duyệt được ở bước cuối của quy trình."), code="not_last_step",
                       details={"step": d.current_step, "last_step": last.order if last else None})
    _finish_step(last, act.now, actor, _cal(d), note or "approved")
    act.set(approved_at=act.now)
    return act.commit(reason=note, data={"step_timing": last.timing})


@transaction.atomic
def mark_result_ready(actor, code, *, note="", version=None, now=None):
    """Processing finished (status 9): the clock stops; early / on time / late against the statutory due."""
    act = _begin(actor, code, "mark_result_ready", version, "", now)
    d = act.dossier
    if not d.approved_at:
        raise Conflict(_("Hồ sơ chưa được phê duyệt."), code="not_approved")
    if d.procedure.signed_result_required:
        _check_signed_result(d)
    elif not d.attachments.filter(kind="result").exists():
        raise Conflict(_("Chưa có tệp kết quả giải quyết: hãy đính kèm kết quả trước khi chuyển “Đã xử lý xong”."),
                       code="result_file_required")
    timing = _cal(d).classify(act.now, d.due_at) if d.due_at else ""
    act.set(status=S.FINISHED, finished_at=act.now, timing=timing)
    return act.commit(reason=note, data={"timing": timing})


def _check_signed_result(dossier):
    """A procedure that requires a signed result: its latest signed result carries the whole signing plan
    (the leader's signature, then the agency seal), every signature intact and valid (checked offline
    against the trust roots, in motcua.signing.results)."""
    result = dossier.attachments.filter(kind="result", signed=True).order_by("-uploaded_at", "-id").first()
    if result is None:
        raise Conflict(_("Thủ tục này yêu cầu kết quả được ký số: hãy ký số kết quả trước khi chuyển "
                         "“Đã xử lý xong”."), code="signed_result_required")
    from motcua.signing.results import plan_problem
    with result.file.open("rb") as fh:
        problem = plan_problem(fh.read())
    if problem:
        raise Conflict(_("Kết quả chưa được ký đủ theo quy định (lãnh đạo ký, văn thư đóng dấu) hoặc có chữ ký "
                         "không hợp lệ: chưa thể chuyển “Đã xử lý xong”."), code="result_signing_incomplete",
                       details=problem)


def unpaid_fee(dossier):
    """The fee (đồng) still owed on the dossier: fee_total less counter and online payments."""
    from motcua.integrations.payments.models import Purpose
    from motcua.integrations.payments.services import outstanding
    return outstanding(dossier, Purpose.FEE)[0] if dossier.fee_total else 0


@transaction.atomic
def return_result(actor, code, *, note="", unpaid_fee_confirmed=False, version=None, now=None):
    """The result is handed to the applicant. With a fee still unpaid the officer must confirm it
    (`unpaid_fee_confirmed`), and the history event records the amount owed."""
    act = _begin(actor, code, "return_result", version, "", now)
    owed = unpaid_fee(act.dossier)
    if owed and not unpaid_fee_confirmed:
        raise ValidationFailed(
            _("Hồ sơ còn %(amount)s đồng phí, lệ phí chưa thu. Thu phí trước, hoặc xác nhận trả kết quả khi chưa "
              "thu phí.") % {"amount": f"{owed:,}".replace(",", ".")},
            code="fee_unpaid", details={"field": "unpaid_fee_confirmed", "outstanding": owed})
    act.set(status=S.RETURNED, returned_at=act.now, closed_at=act.now)
    return act.commit(reason=note, data={"unpaid_fee": owed} if owed else {})


@transaction.atomic
def stop(actor, code, *, reason, version=None, now=None):
    """Form 5: stop processing, with reasons."""
    act = _begin(actor, code, "stop", version, reason, now)
    _close(act, S.STOPPED)
    act.set(finished_at=act.now)
    return act.commit(reason=reason)


@transaction.atomic
def withdraw(actor, code, *, reason, version=None, now=None):
    """The citizen withdraws the dossier (themselves online, or in writing through the counter)."""
    act = _begin(actor, code, "withdraw", version, reason, now)
    _close(act, S.WITHDRAWN)
    return act.commit(reason=reason)


@transaction.atomic
def extend(actor, code, *, reason, new_appointment, version=None, now=None):
    """Form 4: apology with a reason and a new appointment. The statutory due does not move: a late
    dossier stays late."""
    act = _begin(actor, code, "extend", version, reason, now)
    d = act.dossier
    _require(new_appointment, "new_appointment", _("Phải có ngày hẹn trả mới."))
    if isinstance(new_appointment, str):
        new_appointment = datetime.fromisoformat(new_appointment)
    if timezone.is_naive(new_appointment):
        raise ValidationFailed(_("Ngày hẹn mới phải có múi giờ."), code="naive_datetime",
                               details={"field": "new_appointment"})
    current = d.appointment_at or d.due_at
    if current and new_appointment <= current:
        raise ValidationFailed(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."), code="appointment_not_later",
                               details={"field": "new_appointment", "current": current.isoformat()})
    Extension.objects.create(dossier=d, at=act.now, reason=reason, previous_appointment=current,
                             new_appointment=new_appointment, actor_id=actor.user_id)
    act.set(appointment_at=new_appointment)
    return act.commit(reason=reason, data={"previous_appointment": current.isoformat() if current else None,
                                           "new_appointment": new_appointment.isoformat()})


TRANSITIONS = {
    "receive": receive, "refuse": refuse, "request_supplement": request_supplement,
    "supplement_received": supplement_received, "forward": forward, "return_step": return_step,
    "approve": approve, "request_financial": request_financial, "financial_fulfilled": financial_fulfilled,
    "stop": stop, "withdraw": withdraw, "extend": extend, "mark_result_ready": mark_result_ready,
    "return_result": return_result,
}


# ---------------------------------------------------------------- files, payments, ratings

@transaction.atomic
def attach(actor, code, *, kind, filename, content, component_id=None, digitised=False, signed=False,
           internal=None, version=None, now=None, act_as=None, data=None):
    """Store a file of the dossier after the full upload inspection (motcua.dossiers.uploads: sniffed type,
    size, active content, bombs, macros, ClamAV). When the virus scanner is unavailable the file is stored
    in quarantine (scan = pending: not served until `motcua scan-uploads` clears it). Citizens attach
    components while the dossier is new and supplements when asked; staff attach scans, digitised copies
    and the result. Staff's "other" documents are internal (never shown to the applicant) unless
    internal=False; components, supplements and results are the applicant's and never internal.
    `act_as` records a signing act of the result's plan (SIGNING_ACTS) instead of a plain attach, with its
    own permission rule and `data` in the one history event."""
    from django.core.files.base import ContentFile

    from .models import Attachment, AttachmentKind
    from .uploads import inspect

    if kind not in AttachmentKind.values:
        raise ValidationFailed(_("Loại tệp đính kèm không hợp lệ."), code="invalid_attachment_kind",
                               details={"allowed": list(AttachmentKind.values)})
    checked = inspect(filename, content)
    clean, content_type, digest = checked.filename, checked.content_type, checked.sha256
    if act_as is not None and SIGNING_ACTS.get(act_as) != kind:
        raise ValueError(f"{act_as} does not attach a {kind}")
    act = _begin(actor, code, act_as or f"attach_{kind}", version, "", now)
    d = act.dossier
    if kind == AttachmentKind.COMPONENT and d.owner_id == actor.user_id and not actor.covers(d.agency_path) \
            and d.status != S.NEW:
        raise Conflict(_("Chỉ bổ sung tệp khi hồ sơ mới nộp hoặc khi được yêu cầu bổ sung."),
                       code="invalid_transition", details={"status": d.status})
    component = None
    if component_id is not None:
        component = d.components.filter(pk=component_id).first()
        if component is None:
            raise ValidationFailed(_("Thành phần hồ sơ không thuộc hồ sơ này."), code="unknown_component",
                                   details={"component_id": component_id})
    internal = kind == AttachmentKind.OTHER and (internal is None or bool(internal))
    att = Attachment(dossier=d, component=component, kind=kind, filename=clean, content_type=content_type,
                     size=len(content), sha256=digest, signed=signed, digitised=digitised, internal=internal,
                     uploaded_by_id=actor.user_id, uploaded_at=act.now, scan=checked.scan,
                     scanned_at=act.now if checked.scan == "clean" else None)
    att.file.save(clean, ContentFile(content), save=False)
    try:
        att.save(force_insert=True)
        act.commit(data={"attachment": att.pk, "kind": kind, "filename": clean, "sha256": digest,
                         "component": component_id, "digitised": digitised, "signed": signed,
                         "scan": checked.scan, **({"internal": True} if internal else {}), **(data or {})})
    except Exception:
        att.file.delete(save=False)   # nothing half-written: no orphan file if the row is not stored
        raise
    return att


@transaction.atomic
def record_payment(actor, code, *, amount, channel, reference="", version=None, now=None):
    from .models import Payment, PaymentChannel

    if int(channel) not in PaymentChannel.values:
        raise ValidationFailed(_("Kênh thanh toán không hợp lệ."), code="invalid_payment_channel")
    if amount is None or int(amount) <= 0:
        raise ValidationFailed(_("Số tiền phải lớn hơn 0."), code="invalid_amount", details={"field": "amount"})
    act = _begin(actor, code, "record_payment", version, "", now)
    if reference and Payment.objects.filter(channel=channel, reference=reference).exists():
        raise Conflict(_("Giao dịch này đã được ghi nhận."), code="duplicate_payment",
                       details={"reference": reference})
    payment = Payment.objects.create(dossier=act.dossier, amount=int(amount), channel=int(channel),
                                     reference=reference, paid_at=act.now)
    act.commit(data={"payment": payment.pk, "amount": int(amount), "channel": int(channel), "reference": reference})
    return payment


@transaction.atomic
def confirm_online_payment(code, *, amount, channel, reference, provider, purpose, settles_obligation=False,
                           now=None):
    """A gateway confirmed an online payment (motcua.integrations.payments.services calls this after it has
    verified the gateway's checksum, the order and the amount; no role: the gateway is the actor). One
    history event "pay_online"; when it settles the financial obligation of a status-6 dossier, the same
    event moves the dossier back to where it was (processing), the clock resuming as for
    financial_fulfilled. Raises Conflict (stale_version) if another act won the race: the caller retries."""
    from motcua.agencies.scope import Actor

    from .models import Payment

    dossier = Dossier.objects.select_related("procedure", "agency").filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code}, code="dossier_not_found")
    if int(amount) <= 0:
        raise ValidationFailed(_("Số tiền phải lớn hơn 0."), code="invalid_amount", details={"field": "amount"})
    act = Act(Actor(user_id=None, username=provider), dossier, "pay_online", now or timezone.now())
    act.claim()
    payment = Payment.objects.create(dossier=dossier, amount=int(amount), channel=int(channel), reference=reference,
                                     paid_at=act.now)
    resumed = settles_obligation and dossier.status == S.FINANCIAL_OBLIGATION
    if resumed:
        _resume(act, PauseKind.FINANCIAL)
    act.commit(data={"payment": payment.pk, "amount": int(amount), "channel": int(channel), "reference": reference,
                     "provider": provider, "purpose": purpose, "obligation_settled": resumed})
    return payment


@transaction.atomic
def rate(actor, code, *, score, comment="", version=None, now=None):
    """The applicant rates the service once the result is returned (one rating per dossier)."""
    from .models import Rating

    if score is None or not 1 <= int(score) <= 5:
        raise ValidationFailed(_("Điểm đánh giá phải từ 1 đến 5."), code="invalid_score", details={"field": "score"})
    act = _begin(actor, code, "rate", version, "", now)
    if Rating.objects.filter(dossier=act.dossier).exists():
        raise Conflict(_("Hồ sơ này đã được đánh giá."), code="already_rated")
    rating = Rating.objects.create(dossier=act.dossier, score=int(score), comment=comment or "", rated_at=act.now)
    act.commit(reason=comment or "", data={"score": int(score)})
    return rating
