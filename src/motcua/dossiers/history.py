"""The append-only, hash-chained history of a dossier.

Each dossier has its own chain: event n stores hash(n-1) as prev_hash and
hash(n) = sha256(prev_hash + canonical JSON of every field of the event). The content covers the
dossier code, sequence number, moment, actor (id and name), action, reason, statuses, data, the hash
scheme and a digest of the dossier row as the act left it (`state`). So:

- changing, removing or reordering any stored event breaks every later hash;
- changing the dossier row behind the history's back no longer matches its last event's state digest;
- removing the last events, or the whole history, leaves a row whose state the (remaining) last event
  does not describe, or a dossier with no history at all;
- rewriting an event and re-hashing everything after it is caught by the signed, time-stamped
  checkpoints of every chain head (motcua.dossiers.checkpoints), kept apart from the database.

`verify_chain` / `verify_all` report every problem found (see PROBLEMS for their codes).
"""
import hashlib
import json
from datetime import datetime
from datetime import timezone as dt_timezone

from .models import Dossier, HistoryEvent

GENESIS = "0" * 64
SCHEME = 2

# The dossier fields an act may change and a verifier checks against the last event. Derived columns
# (materialised agency paths), the lookup secret and the bookkeeping timestamps are left out.
STATE_FIELDS = (
    "code", "procedure_id", "agency_id", "intake_agency_id", "channel", "status", "version",
    "applicant_kind", "applicant_name", "applicant_id_number", "applicant_address", "applicant_phone",
    "applicant_email", "request", "sets_count", "owner_id", "submitted_at", "received_at", "clock_start",
    "due_at", "appointment_at", "statutory_minutes", "paused_since", "supplement_requests", "approved_at",
    "finished_at", "returned_at", "closed_at", "timing", "current_step", "current_role", "status_before_pause",
    "fee_total", "return_place",
)

PROBLEMS = {
    "gap_or_reorder": "sequence numbers are not 1, 2, 3, ...",
    "prev_hash_mismatch": "an event does not link to the hash of the one before it",
    "hash_mismatch": "an event's content does not give its stored hash",
    "unknown_scheme": "an event uses a hash scheme this version does not know",
    "no_history": "the dossier has no history at all",
    "state_mismatch": "the dossier row is not the state its last event recorded",
    "checkpoint_count": "the chain is shorter than a checkpoint recorded",
    "checkpoint_head": "the chain's event at a checkpointed position is not the one anchored",
    "dossier_missing": "a checkpoint anchors a dossier that is no longer in the database",
}


def _ts(value):
    return value.astimezone(dt_timezone.utc).isoformat(timespec="microseconds")


def canonical(event_fields):
    return json.dumps(event_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _plain(value):
    if isinstance(value, datetime):
        return _ts(value)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)   # IntegerChoices members -> plain int
    return str(value)


def _field_value(dossier, name):
    value = getattr(dossier, name)
    field = Dossier._meta.get_field(name[:-3] if name.endswith("_id") else name)
    if name.endswith("_id"):
        return None if value is None else int(value)
    return _plain(field.to_python(value) if value is not None else None)


def state_of(dossier):
    """The dossier row's checked fields as plain JSON values (as the database gives them back)."""
    return {name: _field_value(dossier, name) for name in STATE_FIELDS}


def state_digest(state):
    return hashlib.sha256(canonical(state).encode("utf-8")).hexdigest()


def content_of(code, seq, at, actor_id, actor_name, action, reason, status_before, status_after, data, state_hash,
               scheme=SCHEME):
    return {
        "scheme": scheme, "dossier": code, "seq": seq, "at": _ts(at), "actor_id": actor_id, "actor": actor_name,
        "action": action, "reason": reason or "", "before": status_before, "after": status_after,
        "data": data or {}, "state": state_hash,
    }


def event_content(code, e):
    return content_of(code, e.seq, e.at, e.actor_id, e.actor_name, e.action, e.reason, e.status_before,
                      e.status_after, e.data, e.state_hash, e.scheme)


def chain_hash(prev_hash, content):
    return hashlib.sha256((prev_hash + canonical(content)).encode("utf-8")).hexdigest()


def build_event(dossier, *, seq, prev_hash, at, actor_id, actor_name, action, reason="", status_before=None,
                status_after=None, data=None, state=None):
    """An unsaved HistoryEvent with its hash (bulk_create-able). `state` defaults to the dossier object's
    own fields: pass it explicitly when `dossier` is only a stub (id and code)."""
    data = data or {}
    state_hash = state_digest(state if state is not None else state_of(dossier))
    content = content_of(dossier.code, seq, at, actor_id, actor_name, action, reason, status_before, status_after,
                         data, state_hash)
    return HistoryEvent(
        dossier=dossier, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action, reason=reason or "",
        status_before=status_before, status_after=status_after, data=data, prev_hash=prev_hash,
        state_hash=state_hash, scheme=SCHEME, hash=chain_hash(prev_hash, content),
    )


def append(dossier, **kwargs):
    """Append one event after the dossier's last one. Call inside the transaction that changed the
    dossier, after its version was claimed and its row written, so no other writer can append
    concurrently and `dossier` holds the row as stored."""
    last = (HistoryEvent.objects.filter(dossier=dossier).order_by("-seq").values_list("seq", "hash").first())
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = build_event(dossier, seq=seq, prev_hash=prev, **kwargs)
    event.save(force_insert=True)
    recorded(dossier, event)
    return event


def append_built(dossier, events):
    """Store events built with `build_event` (a new dossier's first events) in one INSERT (inside
    motcua.core.batch.deferred_inserts(): with the act's other final rows, in one statement)."""
    from motcua.core import batch
    batch.insert(HistoryEvent, events)
    recorded(dossier, events[-1])


def recorded(dossier, event):
    """Every act's history ends here: each integration (DVCQG sync...) gets its outbox message and job in
    the act's own transaction (motcua.integrations.delivery), and a refusal, extension or stop its form number
    (motcua.slips.numbering)."""
    from motcua.integrations.delivery import record
    from motcua.slips.numbering import number_form
    record(dossier, event)
    number_form(dossier, event)     # forms 3, 4, 5 get their number/symbol in the act's transaction


def verify_events(code, events, dossier=None, anchor=None):
    """Check one dossier's events (ordered by seq). With `dossier`, also check that the row is the state
    the last event recorded; with `anchor` (count, head hash) from a checkpoint, that the chain still holds
    that head at that position. Returns a list of problems (empty = intact)."""
    problems = []
    prev = GENESIS
    expected_seq = 1
    for e in events:
        if e.seq != expected_seq:
            problems.append({"seq": e.seq, "problem": "gap_or_reorder", "expected_seq": expected_seq})
        if e.prev_hash != prev:
            problems.append({"seq": e.seq, "problem": "prev_hash_mismatch"})
        if e.scheme != SCHEME:
            problems.append({"seq": e.seq, "problem": "unknown_scheme", "scheme": e.scheme})
        elif chain_hash(e.prev_hash, event_content(code, e)) != e.hash:
            problems.append({"seq": e.seq, "problem": "hash_mismatch"})
        prev = e.hash
        expected_seq = e.seq + 1
    if dossier is not None:
        if not events:
            problems.append({"seq": 0, "problem": "no_history"})
        elif state_digest(state_of(dossier)) != events[-1].state_hash:
            problems.append({"seq": events[-1].seq, "problem": "state_mismatch"})
    if anchor is not None:
        count, head = anchor
        if len(events) < count:
            problems.append({"seq": len(events), "problem": "checkpoint_count", "expected_at_least": count})
        elif events[count - 1].hash != head or events[count - 1].seq != count:
            problems.append({"seq": count, "problem": "checkpoint_head"})
    return problems


def verify_chain(dossier, anchors=None):
    anchor = (anchors or {}).get(dossier.code)
    return verify_events(dossier.code, list(HistoryEvent.objects.filter(dossier=dossier).order_by("seq")),
                         dossier=Dossier.objects.get(pk=dossier.pk), anchor=anchor)


def verify_all(batch_size=2000, progress=None, anchors=None):
    """Walk every dossier and its chain in id order; yields (dossier_code, problems) for broken ones.
    Dossiers without any event are reported too (their history was deleted)."""
    anchors = anchors or {}
    unseen = set(anchors)
    events = HistoryEvent.objects.order_by("dossier_id", "seq").iterator(chunk_size=batch_size)
    pending = next(events, None)
    for d in Dossier.objects.order_by("id").iterator(chunk_size=batch_size):
        bucket = []
        while pending is not None and pending.dossier_id < d.id:
            pending = next(events, None)   # events of a dossier row that no longer exists: cannot happen (PROTECT)
        while pending is not None and pending.dossier_id == d.id:
            bucket.append(pending)
            pending = next(events, None)
        unseen.discard(d.code)
        problems = verify_events(d.code, bucket, dossier=d, anchor=anchors.get(d.code))
        if problems:
            yield d.code, problems
        if progress:
            progress(1)
    for code in sorted(unseen):   # anchored by a checkpoint, gone from the database
        yield code, [{"seq": 0, "problem": "dossier_missing"}]
