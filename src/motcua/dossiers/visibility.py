"""What the applicant may see of their own dossier, and what stays inside the administration.

Officers in scope (the deciding agency's or the intake place's organisation) see everything. The applicant
sees the status history and the reasons addressed to them (refusal, supplement, financial obligation, stop,
withdrawal, apology), never an officer's internal note (forward, approve, hand-over notes, step outcomes)
nor an internal attachment. Unknown or new kinds of event are internal until listed here. Every read path
(the file download, the citizen's dossier page, the API's dossier and history) asks this module."""
from dataclasses import dataclass

from motcua.agencies.scope import Actor


@dataclass(frozen=True)
class Shown:
    """How the applicant sees one kind of event."""
    reason: bool = False      # the reason is addressed to the applicant
    data: tuple = ()          # the keys of the event's data they see
    status_change_only: bool = False   # shown only when it moved the status


FOR_APPLICANT = {
    "submit": Shown(data=("channel", "procedure", "agency", "intake_agency")),
    "receive": Shown(data=("received_at", "due_at")),
    "refuse": Shown(reason=True),
    "request_supplement": Shown(reason=True, data=("components",)),
    "supplement_received": Shown(),
    "forward": Shown(status_change_only=True),
    "request_financial": Shown(reason=True, data=("amount",)),
    "financial_fulfilled": Shown(),
    "stop": Shown(reason=True),
    "withdraw": Shown(reason=True),
    "extend": Shown(reason=True, data=("previous_appointment", "new_appointment")),
    "mark_result_ready": Shown(data=("timing",)),
    "return_result": Shown(),
    "attach_supplement": Shown(data=("kind", "filename")),
    "attach_result": Shown(data=("kind", "filename")),
    "sign_result_seal": Shown(data=("kind", "filename")),     # the sealed result (the leader's draft is internal)
    "record_payment": Shown(data=("amount", "channel")),
    "pay_online": Shown(data=("amount", "channel", "reference", "obligation_settled")),
    "rate": Shown(reason=True, data=("score",)),
}


def sees_everything(actor: Actor, dossier) -> bool:
    """An officer whose scope holds the dossier (its deciding agency or its intake place)."""
    return actor.covers(dossier.agency_path) or actor.covers(dossier.intake_path)


def applicant_view(actor: Actor, dossier) -> bool:
    """True when the actor reads the dossier as its applicant (not as an officer in scope)."""
    return not sees_everything(actor, dossier)


def attachment_visible(actor: Actor, attachment) -> bool:
    from .services import can_read
    dossier = attachment.dossier
    if not can_read(actor, dossier):
        return False
    return sees_everything(actor, dossier) or not attachment.internal


def applicant_attachments(qs):
    return qs.filter(internal=False)


def event_for_applicant(event):
    """The applicant's view of one history event (a dict in the shape of HistorySerializer), or None."""
    shown = FOR_APPLICANT.get(event.action)
    if shown is None or (shown.status_change_only and event.status_before == event.status_after):
        return None
    data = event.data or {}
    return {"seq": event.seq, "at": event.at, "actor_name": event.actor_name, "action": event.action,
            "reason": event.reason if shown.reason else "", "status_before": event.status_before,
            "status_after": event.status_after, "data": {k: data[k] for k in shown.data if k in data},
            "prev_hash": event.prev_hash, "hash": event.hash}


def history_for(actor: Actor, dossier):
    """The events the actor may read: all of them for officers in scope, the applicant's view otherwise."""
    events = dossier.history.order_by("seq")
    if sees_everything(actor, dossier):
        return list(events)
    return [view for view in (event_for_applicant(e) for e in events.filter(action__in=list(FOR_APPLICANT)))
            if view is not None]
