"""A dossier's result is signed by the Decree 30 plan `ket-qua` (plan.py): the leader's signature (person),
then the agency seal applied by the clerk (văn thư), each appearance in its own place, each an incremental
update that leaves the earlier signature's bytes intact.

    sign_result(actor, code, key_id, step="person", pdf_bytes=...)   the leader: uploads and signs
    sign_result(actor, code, key_id, step="seal")                    the clerk: seals the leader's signed file
    result_progress(actor, dossier)                                  who signed, what is next

| step | who | key | what it writes (one history event each) |
|---|---|---|---|
| `person` | agency leader | their personal certificate | `sign_result_person`: the signed file, an internal document until sealed |
| `seal` | clerk (văn thư) | the agency's certificate | `sign_result_seal`: the sealed file is the dossier's result; then `mark_result_ready` (status 9) |

Permission is checked here (and again by the dossier's act rules): 404 outside the officer's scope, the
step's role in the competent agency, a personal key only by its holder, fail closed. The dossier moves to
"result ready" only when the plan is complete; `motcua.dossiers.services.mark_result_ready` asks
`plan_problem` for procedures that require a signed result, so no other path skips a step.
"""
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.agencies.models import Role
from motcua.core.errors import Conflict, ValidationFailed

from . import cosign, pdf, services
from . import plan as plans
from .models import CertificateKind, SignatureRecord, SigningKey

PLAN = "ket-qua"
ACTS = {"person": "sign_result_person", "seal": "sign_result_seal"}
# Separation of duties: the person with authority signs, the clerk (văn thư) applies the agency's seal.
STEP_ROLES = {"person": (Role.AGENCY_LEADER,), "seal": (Role.CLERK,)}
STEP_LABELS = {"person": gettext_lazy("Lãnh đạo ký số"), "seal": gettext_lazy("Văn thư đóng dấu (chữ ký số của cơ quan)")}


def the_plan():
    return plans.get_plan(PLAN)


def plan_problem(content):
    """None when `content` carries every step of the result plan with every signature intact, valid, trusted
    and not changed after signing (offline, against the trust roots); otherwise what is missing or wrong."""
    plan = the_plan()
    try:
        done, _found = plans.progress(content, plan)
    except plans.PlanError:
        return {"done": [], "missing": list(plan.steps), "invalid": []}
    missing = [s for s in plan.steps if s not in done]
    if done != list(plan.steps):
        return {"done": done, "missing": missing, "invalid": []}
    report = pdf.verify_pdf(content, services.trust_roots(), allow_fetching=False)
    if report.get("error"):
        return {"done": done, "missing": [], "invalid": list(plan.steps)}
    by_field = {s["field"]: s for s in report["signatures"]}
    invalid = []
    for step in plan.steps:
        s = by_field.get(plan.field(step))
        if not (s and s["intact"] and s["valid"] and s.get("trusted", True) and not s.get("changed_after_signing")
                and s.get("revocation") != "revoked"):
            invalid.append(step)
    return {"done": done, "missing": [], "invalid": invalid} if invalid else None


def _events(dossier):
    """The plan's signing events since the dossier was (last) approved, oldest first."""
    qs = dossier.history.filter(action__in=ACTS.values()).order_by("seq")
    if dossier.approved_at:
        qs = qs.filter(at__gte=dossier.approved_at)
    return list(qs)


def _state(dossier):
    """(person event, seal event) of the current round: a new leader's signature starts a new round."""
    person = seal = None
    for e in _events(dossier):
        if e.action == ACTS["person"]:
            person, seal = e, None
        elif e.action == ACTS["seal"] and person is not None:
            seal = e
    return person, seal


def _attachment(dossier, event):
    if event is None:
        return None
    return dossier.attachments.filter(pk=(event.data or {}).get("attachment")).first()


def result_progress(actor, dossier):
    """The plan's progress on this dossier for the dossier page and the API: the steps (who signed, when,
    with which certificate), the next step, and the draft (the leader's signed file) or the sealed result."""
    person, seal = _state(dossier)
    events = {"person": person, "seal": seal}
    steps = []
    for step in the_plan().steps:
        e = events[step]
        steps.append({"step": step, "label": str(STEP_LABELS[step]), "done": e is not None,
                      "by": e.actor_name if e else None, "at": e.at if e else None,
                      "signer": (e.data or {}).get("signer") if e else None,
                      "key": (e.data or {}).get("key_label") if e else None})
    pending = [s["step"] for s in steps if not s["done"]]
    return {"plan": PLAN, "steps": steps, "next_step": pending[0] if pending else None,
            "complete": not pending, "draft": _attachment(dossier, person) if seal is None else None,
            "result": _attachment(dossier, seal)}


def keys_for_step(actor, dossier, step, *, now=None):
    """The keys the actor may use for `step` on this dossier (the step's role in the competent agency;
    personal keys only their holder's, the seal with the agency's certificate)."""
    now = now or timezone.now()
    org = dossier.agency.organisation
    if not any(actor.has_role(r, org.path) for r in STEP_ROLES[step]):
        return []
    qs = SigningKey.objects.select_related("agency").filter(agency=org, active=True, not_after__gt=now)
    if step == "person":
        return list(qs.filter(kind=CertificateKind.PERSONAL, holder_id=actor.user_id))
    return list(qs.filter(kind=CertificateKind.ORGANISATION))


def sign_result(actor, dossier_code, key_id, *, step=None, pdf_bytes=None, filename="ket-qua.pdf", level=None,
                note="", version=None, secrets=None, now=None):
    """Sign one step of the result's plan. `step` defaults to the plan's next step. The leader's step takes
    the result file (`pdf_bytes`); the seal is applied to the file the leader signed. Returns
    {"attachment", "dossier", "signed", "step", "done", "next_step", "complete", "warnings"}."""
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import Status

    now = now or timezone.now()
    dossier = dossiers.get_for(actor, dossier_code)          # 404 outside the officer's scope
    plan = the_plan()
    person_event, seal_event = _state(dossier)
    if step in (None, ""):
        step = "person" if person_event is None else "seal"
    if step not in plan.steps:
        raise ValidationFailed(_("Bước ký không thuộc kế hoạch ký kết quả (lãnh đạo ký, văn thư đóng dấu)."),
                               code="step_not_in_plan", details={"steps": list(plan.steps)})
    org = dossier.agency.organisation
    services._check_signer(actor, org, roles=STEP_ROLES[step])
    key = services._usable_key(actor, key_id, org, now)
    if step == "seal" and key.kind != CertificateKind.ORGANISATION:
        raise ValidationFailed(_("Con dấu của cơ quan phải dùng chứng thư số của cơ quan."),
                               code="organisation_key_required")
    if step == "person" and key.kind != CertificateKind.PERSONAL:
        raise ValidationFailed(_("Lãnh đạo ký kết quả bằng chứng thư số cá nhân của mình; con dấu của cơ quan do "
                                 "văn thư đóng ở bước sau."), code="personal_key_required")
    if dossier.status != Status.PROCESSING or not dossier.approved_at:
        raise Conflict(_("Chỉ ký kết quả khi hồ sơ đang xử lý và đã được phê duyệt."), code="not_approved",
                       details={"status": dossier.status})
    if version is not None and int(version) != dossier.version:
        raise Conflict(_("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại."),
                       code="stale_version", details={"version": dossier.version, "yours": int(version)})
    if step == "person":
        if not pdf_bytes:
            raise ValidationFailed(_("Hãy chọn tệp kết quả (PDF) để ký."), code="file_required",
                                   details={"field": "file"})
        document = bytes(pdf_bytes)
    else:
        if pdf_bytes:
            raise ValidationFailed(_("Văn thư đóng dấu lên chính tệp lãnh đạo đã ký, không tải tệp khác."),
                                   code="file_not_expected", details={"field": "file"})
        draft = _attachment(dossier, person_event)
        if person_event is None or draft is None:
            raise Conflict(_("Chưa đến lượt đóng dấu: lãnh đạo chưa ký kết quả."), code="plan_out_of_order",
                           details={"done": [], "missing": ["person"]})
        if seal_event is not None:
            raise Conflict(_("Bước ký này đã được thực hiện trên văn bản."), code="step_already_signed",
                           details={"step": step})
        with draft.file.open("rb") as fh:
            document = fh.read()
        filename = (person_event.data or {}).get("result_filename") or draft.filename
    if not document.startswith(b"%PDF-"):
        raise ValidationFailed(_("Chỉ ký được tệp PDF."), code="not_a_pdf")
    try:
        look = plans.next_look(document, plan, step, cosign._look(step, key, org, now, ""))
    except plans.PlanError as e:
        if e.code == "invalid_pdf":
            raise ValidationFailed(_("Chỉ ký được tệp PDF."), code="not_a_pdf") from e
        messages = {"plan_out_of_order": _("Chưa đến lượt ký: các bước trước chưa được ký theo thứ tự."),
                    "step_already_signed": _("Bước ký này đã được thực hiện trên văn bản.")}
        raise Conflict(messages.get(e.code, str(e)), code=e.code, details=e.details) from e
    if step == "seal":
        cosign._earlier_signatures_hold(document)
    # one transaction: the signature's record, the stored file, its history event and the status change are
    # written together or not at all
    with transaction.atomic():
        signed = services._sign(actor, key, document, look, level=level, purpose=SignatureRecord.Purpose.RESULT,
                                now=now, dossier_code=dossier.code, secrets=secrets,
                                reason=_("Kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code})
        done, _found = plans.progress(signed, plan)
        later = [s for s in plan.steps if s not in done]
        data = {"plan": PLAN, "step": step, "key": key.pk, "key_label": key.label, "signer": key.holder_name,
                "certificate": key.fingerprint, "signed_sha256": hashlib.sha256(signed).hexdigest(), "done": done,
                "next_step": later[0] if later else None}
        if step == "person":
            # the leader's signed file waits for the seal as an internal document (not the applicant's yet)
            attachment = dossiers.attach(actor, dossier.code, kind="other", filename=_draft_name(filename),
                                         content=signed, internal=True, version=version, now=now,
                                         act_as=ACTS[step], data=dict(data, result_filename=filename))
        else:
            attachment = dossiers.attach(actor, dossier.code, kind="result", filename=filename, content=signed,
                                         signed=True, version=version, now=now, act_as=ACTS[step], data=data)
            # filed under the applicant in the data store, in this same transaction
            from motcua.datastore import services as store
            from motcua.datastore.models import Source
            store.file_document(actor, attachment, source=Source.SIGNED_RESULT, now=now,
                                signer=(person_event.data or {}).get("signer") or "")
        dossier = dossiers.get_for(actor, dossier.code)
        if not later:
            dossier = dossiers.mark_result_ready(actor, dossier.code, note=services.nfc(note), now=now)
    return {"attachment": attachment, "dossier": dossier, "signed": signed, "step": step, "done": done,
            "next_step": later[0] if later else None, "complete": not later,
            "warnings": [w for w in [services.expiry_warning(key, now)] if w]}


def _draft_name(filename):
    stem = (filename or "ket-qua.pdf").rsplit(".", 1)[0]
    return f"{stem}-lanh-dao-da-ky.pdf"

