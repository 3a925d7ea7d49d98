"""History hash scheme 2: every field of an event is hashed (the actor's id too) together with a digest of
the dossier row the act left.

Existing chains are first verified under scheme 1; if any is broken the migration stops (investigate with
`motcua verify-history` on the previous release). Intact chains are re-hashed under scheme 2, the last
event of each recording the dossier's current row. The append-only triggers are lifted for the rewrite
and restored in the same transaction.
"""
import hashlib
import json
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db import migrations, models

GENESIS = "0" * 64
TABLE = "dossiers_historyevent"

STATE_FIELDS = (
    "code", "procedure_id", "agency_id", "intake_agency_id", "channel", "status", "version",
    "applicant_kind", "applicant_name", "applicant_id_number", "applicant_address", "applicant_phone",
    "applicant_email", "request", "sets_count", "owner_id", "submitted_at", "received_at", "clock_start",
    "due_at", "appointment_at", "statutory_minutes", "paused_since", "supplement_requests", "approved_at",
    "finished_at", "returned_at", "closed_at", "timing", "current_step", "current_role", "status_before_pause",
    "fee_total", "return_place",
)

DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS history_no_update;", "DROP TRIGGER IF EXISTS history_no_delete;"],
    "postgresql": [f"ALTER TABLE {TABLE} DISABLE TRIGGER history_no_update;"],
}
RESTORE = {
    "sqlite": [
        f"CREATE TRIGGER history_no_update BEFORE UPDATE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;",
        f"CREATE TRIGGER history_no_delete BEFORE DELETE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;",
    ],
    "postgresql": [f"ALTER TABLE {TABLE} ENABLE TRIGGER history_no_update;"],
}


def _ts(value):
    return value.astimezone(dt_timezone.utc).isoformat(timespec="microseconds")


def _canonical(obj):
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash(prev, content):
    return hashlib.sha256((prev + _canonical(content)).encode("utf-8")).hexdigest()


def _plain(value):
    if isinstance(value, datetime):
        return _ts(value)
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    return str(value)


def _v1(code, e):
    return {"dossier": code, "seq": e.seq, "at": _ts(e.at), "actor": e.actor_name, "action": e.action,
            "reason": e.reason or "", "before": e.status_before, "after": e.status_after, "data": e.data or {}}


def _v2(code, e, state_hash):
    return {"scheme": 2, "dossier": code, "seq": e.seq, "at": _ts(e.at), "actor_id": e.actor_id,
            "actor": e.actor_name, "action": e.action, "reason": e.reason or "", "before": e.status_before,
            "after": e.status_after, "data": e.data or {}, "state": state_hash}


def rehash(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    HistoryEvent = apps.get_model("dossiers", "HistoryEvent")
    vendor = schema_editor.connection.vendor
    # On SQLite, AddField rebuilt the table and its triggers went with it: they are recreated below in
    # every case.
    for sql in DROP.get(vendor, []):
        schema_editor.execute(sql)
    broken = []
    for d in Dossier.objects.order_by("id").iterator(chunk_size=2000):
        events = list(HistoryEvent.objects.filter(dossier_id=d.id).order_by("seq"))
        prev = GENESIS
        for i, e in enumerate(events, start=1):
            if e.seq != i or e.prev_hash != prev or _hash(prev, _v1(d.code, e)) != e.hash:
                broken.append(d.code)
                break
            prev = e.hash
        else:
            state = {name: _plain(getattr(d, name)) for name in STATE_FIELDS}
            last_state = hashlib.sha256(_canonical(state).encode("utf-8")).hexdigest()
            prev = GENESIS
            for i, e in enumerate(events, start=1):
                e.state_hash = last_state if i == len(events) else ""
                e.scheme = 2
                e.prev_hash = prev
                e.hash = _hash(prev, _v2(d.code, e, e.state_hash))
                prev = e.hash
            HistoryEvent.objects.bulk_update(events, ["state_hash", "scheme", "prev_hash", "hash"])
    if broken:
        raise RuntimeError(f"history chains already broken before the upgrade, not re-hashed: {broken[:20]}")
    for sql in RESTORE.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_worklist_pattern_indexes")]

    operations = [
        migrations.AddField(model_name="historyevent", name="state_hash",
                            field=models.CharField(blank=True, default="", max_length=64), preserve_default=False),
        migrations.AddField(model_name="historyevent", name="scheme",
                            field=models.PositiveSmallIntegerField(default=2)),
        # Last: on SQLite every schema change of the table rebuilds it and loses the triggers.
        migrations.RunPython(rehash, migrations.RunPython.noop),
    ]
