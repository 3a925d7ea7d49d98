"""The append-only, hash-chained history of a dossier.

Each dossier has its own chain: event n stores hash(n-1) as prev_hash and
hash(n) = sha256(prev_hash + canonical JSON of the event's content). Changing, removing or reordering
any stored event breaks every later hash, which `verify_chain` reports.
"""
import hashlib
import json
from datetime import timezone as dt_timezone

from .models import HistoryEvent

GENESIS = "0" * 64


def _ts(value):
    return value.astimezone(dt_timezone.utc).isoformat(timespec="microseconds")


def canonical(event_fields):
    return json.dumps(event_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_of(code, seq, at, actor_name, action, reason, status_before, status_after, data):
    return {
        "dossier": code, "seq": seq, "at": _ts(at), "actor": actor_name, "action": action,
        "reason": reason or "", "before": status_before, "after": status_after, "data": data or {},
    }


def chain_hash(prev_hash, content):
    return hashlib.sha256((prev_hash + canonical(content)).encode("utf-8")).hexdigest()


def build_event(dossier, *, seq, prev_hash, at, actor_id, actor_name, action, reason="", status_before=None,
                status_after=None, data=None):
    """An unsaved HistoryEvent with its hash (bulk_create-able)."""
    data = data or {}
    content = content_of(dossier.code, seq, at, actor_name, action, reason, status_before, status_after, data)
    return HistoryEvent(
        dossier=dossier, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action, reason=reason or "",
        status_before=status_before, status_after=status_after, data=data, prev_hash=prev_hash,
        hash=chain_hash(prev_hash, content),
    )


def append(dossier, **kwargs):
    """Append one event after the dossier's last one. Call inside the transaction that changed the
    dossier, after its version was claimed, so no other writer can append concurrently."""
    last = (HistoryEvent.objects.filter(dossier=dossier).order_by("-seq").values_list("seq", "hash").first())
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = build_event(dossier, seq=seq, prev_hash=prev, **kwargs)
    event.save(force_insert=True)
    recorded(dossier, event)
    return event


def append_built(dossier, events):
    """Store events built with `build_event` (a new dossier's first events) in one INSERT."""
    HistoryEvent.objects.bulk_create(events)
    recorded(dossier, events[-1])


def recorded(dossier, event):
    """Every act's history ends here: each integration (DVCQG sync...) gets its outbox message and job in
    the act's own transaction (motcua.integrations.delivery)."""
    from motcua.integrations.delivery import record
    record(dossier, event)


def verify_events(code, events):
    """Check one dossier's events (ordered by seq). Returns a list of problems (empty = intact)."""
    problems = []
    prev = GENESIS
    expected_seq = 1
    for e in events:
        if e.seq != expected_seq:
            problems.append({"seq": e.seq, "problem": "gap_or_reorder", "expected_seq": expected_seq})
        if e.prev_hash != prev:
            problems.append({"seq": e.seq, "problem": "prev_hash_mismatch"})
        content = content_of(code, e.seq, e.at, e.actor_name, e.action, e.reason, e.status_before,
                             e.status_after, e.data)
        if chain_hash(e.prev_hash, content) != e.hash:
            problems.append({"seq": e.seq, "problem": "hash_mismatch"})
        prev = e.hash
        expected_seq = e.seq + 1
    return problems


def verify_chain(dossier):
    return verify_events(dossier.code, list(HistoryEvent.objects.filter(dossier=dossier).order_by("seq")))


def verify_all(batch_size=2000, progress=None):
    """Walk every chain in dossier order; yields (dossier_code, problems) for broken chains."""
    from .models import Dossier

    codes = dict(Dossier.objects.values_list("id", "code").iterator(chunk_size=batch_size))
    current_id, bucket = None, []
    qs = HistoryEvent.objects.order_by("dossier_id", "seq").iterator(chunk_size=batch_size)
    for event in qs:
        if event.dossier_id != current_id:
            if bucket:
                problems = verify_events(codes[current_id], bucket)
                if problems:
                    yield codes[current_id], problems
                if progress:
                    progress(1)
            current_id, bucket = event.dossier_id, []
        bucket.append(event)
    if bucket:
        problems = verify_events(codes[current_id], bucket)
        if problems:
            yield codes[current_id], problems
        if progress:
            progress(1)
