"""Batch job: recompute the due moments of open dossiers after a calendar change (a new holiday, a
make-up working day, changed office hours). Dossiers without pauses go through the vectorised
`WorkCalendar.due_batch`; the few with pauses take the scalar path."""
import time
from datetime import datetime, timezone as dt_timezone

import numpy as np
from django.db import connection, transaction
from tqdm import tqdm

from motcua.agencies.calendar import calendar_for_hours, invalidate
from motcua.agencies.models import Agency

from .deadlines import due_with_pauses
from .models import CLOSED_STATUSES, Dossier, Pause, Status

CHUNK = 50_000


def _epoch(dt):
    return int(dt.timestamp())


def recompute_open_dossiers(dry_run=False, progress=False):
    invalidate()
    started = time.perf_counter()
    hours_by_agency = {pk: tuple(map(tuple, hours or [])) for pk, hours in Agency.objects.values_list("pk", "office_hours")}
    open_qs = (Dossier.objects.exclude(status__in=list(CLOSED_STATUSES) + [Status.FINISHED])
               .filter(clock_start__isnull=False))
    paused_ids = set(Pause.objects.filter(dossier__in=open_qs).values_list("dossier_id", flat=True))
    checked = changed = 0
    bar = tqdm(total=open_qs.count(), unit="hồ sơ", disable=not progress)
    rows = open_qs.order_by("id").values_list("id", "agency_id", "clock_start", "statutory_minutes", "due_at",
                                              "appointment_at").iterator(chunk_size=CHUNK)
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            changed += _process(batch, hours_by_agency, paused_ids, dry_run)
            checked += len(batch)
            bar.update(len(batch))
            batch = []
    if batch:
        changed += _process(batch, hours_by_agency, paused_ids, dry_run)
        checked += len(batch)
        bar.update(len(batch))
    bar.close()
    return {"checked": checked, "changed": changed, "seconds": time.perf_counter() - started}


def _process(batch, hours_by_agency, paused_ids, dry_run):
    updates = []
    groups = {}
    for row in batch:
        if row[0] in paused_ids:
            pk, agency_id, start, minutes, due, appointment = row
            cal = calendar_for_hours(hours_by_agency.get(agency_id) or None)
            pauses = list(Pause.objects.filter(dossier_id=pk).values_list("started_at", "ended_at"))
            new_due = due_with_pauses(cal, start, minutes, pauses)
            if new_due != due:
                updates.append((pk, new_due, appointment == due))
        else:
            groups.setdefault(hours_by_agency.get(row[1]) or (), []).append(row)
    for hours, rows in groups.items():
        cal = calendar_for_hours(hours or None)
        starts = np.fromiter((_epoch(r[2]) for r in rows), dtype=np.int64, count=len(rows))
        minutes = np.fromiter((r[3] for r in rows), dtype=np.int64, count=len(rows))
        dues = cal.due_batch(starts, minutes)
        for r, new in zip(rows, dues.tolist()):
            old = r[4]
            if old is None or _epoch(old) != new:
                updates.append((r[0], datetime.fromtimestamp(new, dt_timezone.utc), r[5] == old))
    if updates and not dry_run:
        _write(updates)
    return len(updates)


def _write(updates):
    table = Dossier._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(f"UPDATE {table} SET due_at = %s WHERE id = %s", [(due, pk) for pk, due, _f in updates])
        follow = [(due, pk) for pk, due, follows in updates if follows]
        if follow:
            cur.executemany(f"UPDATE {table} SET appointment_at = %s WHERE id = %s", follow)
