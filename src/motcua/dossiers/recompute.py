"""Batch job: recompute the due moments of open dossiers after a calendar change (a new holiday, a
make-up working day, changed office hours).

Dossiers without pauses go through the vectorised `WorkCalendar.due_batch`; the few with pauses take
the scalar path. Each changed dossier gets its version bumped and one `recompute_due` event in its
history, written in chunks: rows are locked, any dossier an officer changed since it was read is left
for the next run (counted as `skipped`), never overwritten.
"""
import time
from datetime import datetime, timezone as dt_timezone

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from motcua.agencies.calendar import calendar_for_hours, invalidate
from motcua.agencies.models import Agency

from . import history
from .deadlines import due_with_pauses
from .models import OPEN_STATUSES, Dossier, HistoryEvent, Pause

CHUNK = 20_000
FIELDS = ("id", "agency_id", "clock_start", "statutory_minutes", "due_at", "appointment_at", "code", "status",
          "version")
REASON = "Cập nhật hạn giải quyết do thay đổi lịch làm việc"


def _epoch(dt):
    return int(dt.timestamp())


def recompute_open_dossiers(dry_run=False, progress=False):
    invalidate()
    started = time.perf_counter()
    hours_by_agency = {pk: tuple(map(tuple, hours or [])) for pk, hours in Agency.objects.values_list("pk", "office_hours")}
    open_qs = Dossier.objects.filter(status__in=OPEN_STATUSES, clock_start__isnull=False)
    paused_ids = set(Pause.objects.filter(dossier__in=open_qs).values_list("dossier_id", flat=True))
    totals = {"checked": 0, "changed": 0, "skipped": 0}
    bar = tqdm(total=open_qs.count(), unit="hồ sơ", disable=not progress)
    batch = []
    for row in open_qs.order_by("id").values_list(*FIELDS).iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            _process(batch, hours_by_agency, paused_ids, dry_run, totals)
            bar.update(len(batch))
            batch = []
    if batch:
        _process(batch, hours_by_agency, paused_ids, dry_run, totals)
        bar.update(len(batch))
    bar.close()
    totals["seconds"] = time.perf_counter() - started
    return totals


def _process(batch, hours_by_agency, paused_ids, dry_run, totals):
    updates = []   # (row, new_due)
    groups = {}
    pauses_of = {}
    paused_here = [row[0] for row in batch if row[0] in paused_ids]
    for dossier_id, started, ended in (Pause.objects.filter(dossier_id__in=paused_here)
                                       .values_list("dossier_id", "started_at", "ended_at").iterator()):
        pauses_of.setdefault(dossier_id, []).append((started, ended))
    for row in batch:
        if row[0] in paused_ids:
            cal = calendar_for_hours(hours_by_agency.get(row[1]) or None)
            new_due = due_with_pauses(cal, row[2], row[3], pauses_of.get(row[0], []))
            if new_due is not None and new_due != row[4]:
                updates.append((row, new_due))
        else:
            groups.setdefault(hours_by_agency.get(row[1]) or (), []).append(row)
    for hours, rows in groups.items():
        cal = calendar_for_hours(hours or None)
        starts = np.fromiter((_epoch(r[2]) for r in rows), dtype=np.int64, count=len(rows))
        minutes = np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows))
        for r, new in zip(rows, cal.due_batch(starts, minutes).tolist()):
            if r[4] is None or _epoch(r[4]) != new:
                updates.append((r, datetime.fromtimestamp(new, dt_timezone.utc)))
    totals["checked"] += len(batch)
    if updates and not dry_run:
        written = _write(updates)
        totals["changed"] += written
        totals["skipped"] += len(updates) - written
    elif dry_run:
        totals["changed"] += len(updates)


def _write(updates):
    """Apply one chunk in one transaction; returns how many dossiers were changed."""
    now = timezone.now()
    table = Dossier._meta.db_table
    with transaction.atomic():
        ids = [row[0] for row, _due in updates]
        versions = dict(Dossier.objects.select_for_update().filter(id__in=ids).values_list("id", "version"))
        fresh = [(row, due) for row, due in updates if versions.get(row[0]) == row[8]]
        if not fresh:
            return 0
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {table} SET due_at = %s, version = version + 1 WHERE id = %s",
                            [(due, row[0]) for row, due in fresh])
            follow = [(due, row[0]) for row, due in fresh if row[5] == row[4]]
            if follow:
                cur.executemany(f"UPDATE {table} SET appointment_at = %s WHERE id = %s", follow)
        last = {}
        for dossier_id, seq, digest in (HistoryEvent.objects.filter(dossier_id__in=[row[0] for row, _d in fresh])
                                        .order_by("dossier_id", "seq").values_list("dossier_id", "seq", "hash")):
            last[dossier_id] = (seq, digest)
        stored = Dossier.objects.in_bulk([row[0] for row, _due in fresh])   # the rows as written, for `state`
        events = []
        for row, due in fresh:
            seq, prev = last.get(row[0], (0, history.GENESIS))
            events.append(history.build_event(
                stored[row[0]], seq=seq + 1, prev_hash=prev, at=now, actor_id=None,
                actor_name="system", action="recompute_due", reason=REASON, status_before=row[7],
                status_after=row[7], data={"previous_due": row[4].isoformat() if row[4] else None,
                                           "due_at": due.isoformat()}))
        HistoryEvent.objects.bulk_create(events, batch_size=5000)
    return len(fresh)


