"""Dossier JSON built directly from model instances, in exactly the shapes of DossierListSerializer and
DossierSerializer (the schema's contract; tests hold them equal). The serializer machinery cost more
than the queries on the hot paths: worklist pages and intake answers."""
from django.utils import timezone

from .models import Status

_STATUS = dict(Status.choices)
_LIST_TIMES = ("submitted_at", "received_at", "due_at", "appointment_at", "finished_at", "returned_at", "paused_since")
LIST_FIELDS = ["code", "procedure", "procedure_name", "agency", "channel", "status", "status_label", "version",
               "applicant_name", "submitted_at", "received_at", "due_at", "appointment_at", "finished_at",
               "returned_at", "current_step", "current_role", "timing", "paused_since"]
LIST_COLUMNS = ("code", "channel", "status", "version", "applicant_name", "submitted_at", "received_at", "due_at",
                "appointment_at", "finished_at", "returned_at", "current_step", "current_role", "timing",
                "paused_since", "procedure__code", "procedure__name", "agency__code")


def iso(value):
    """Same text as DRF's DateTimeField in the current time zone."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def list_row(d):
    row = {"code": d.code, "procedure": d.procedure.code, "procedure_name": d.procedure.name,
           "agency": d.agency.code, "channel": d.channel, "status": d.status,
           "status_label": str(_STATUS[d.status]), "version": d.version, "applicant_name": d.applicant_name,
           "current_step": d.current_step, "current_role": d.current_role, "timing": d.timing}
    for name in _LIST_TIMES:
        row[name] = iso(getattr(d, name))
    return {key: row[key] for key in LIST_FIELDS}


def list_rows(dossiers):
    return [list_row(d) for d in dossiers]


def dossier_dict(d, actor, *, components, steps, pauses, extensions):
    from .services import allowed_actions
    from .visibility import applicant_view

    internal = actor is not None and not applicant_view(actor, d)   # step outcomes are officers' notes
    out = list_row(d)
    out.update({
        "intake_agency": d.intake_agency.code, "applicant_kind": d.applicant_kind,
        "applicant_id_number": d.applicant_id_number, "applicant_address": d.applicant_address,
        "applicant_phone": d.applicant_phone, "applicant_email": d.applicant_email, "request": d.request,
        "sets_count": d.sets_count, "clock_start": iso(d.clock_start), "statutory_minutes": d.statutory_minutes,
        "supplement_requests": d.supplement_requests, "approved_at": iso(d.approved_at),
        "closed_at": iso(d.closed_at), "fee_total": d.fee_total, "return_place": d.return_place,
        "result_delivery": d.result_delivery, "delivery_address": d.delivery_address,
        "components": [{"id": c.id, "component_id": c.component_id, "name": c.name, "form": c.form,
                        "count": c.count, "provided": c.provided} for c in components],
        "steps": [{"order": s.order, "name": s.name, "unit_name": s.unit_name, "role": s.role,
                   "allowance_minutes": s.allowance_minutes, "started_at": iso(s.started_at),
                   "due_at": iso(s.due_at), "finished_at": iso(s.finished_at), "handled_by_name": s.handled_by_name,
                   "outcome": s.outcome if internal else "", "timing": s.timing, "rounds": s.rounds} for s in steps],
        "pauses": [{"kind": p.kind, "started_at": iso(p.started_at), "ended_at": iso(p.ended_at), "reason": p.reason,
                    "components": list(p.components)} for p in pauses],
        "extensions": [{"at": iso(e.at), "reason": e.reason, "previous_appointment": iso(e.previous_appointment),
                        "new_appointment": iso(e.new_appointment)} for e in extensions],
        "allowed_actions": allowed_actions(actor, d) if actor is not None else [],
    })
    return out


def dossier_detail(d, actor):
    """The full dossier, reading its related rows (one query each)."""
    return dossier_dict(d, actor, components=list(d.components.all()), steps=list(d.steps.all()),
                        pauses=list(d.pauses.all()), extensions=list(d.extensions.all()))
