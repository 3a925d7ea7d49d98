"""Per-dossier facts and the monthly cube, kept current incrementally.

A dossier's fact (DossierFact) says, in month coordinates, when it was received, when it ended (the first of
processed, returned, stopped/refused), when its statutory due is (extended by pauses, never by
extensions), whether it ended late, how it ended, and its digitisation/payment/rating flags. The cube
(MonthlyCube) is the sum of facts per (agency, procedure, months, outcome).

refresh() finds the dossiers whose history grew since the last high-water mark (HistoryEvent is append-only
and ordered by id; every act, file, payment and rating appends one event) and the dossiers that got new
feedback, recomputes their facts, and applies old-minus-new deltas to the cube. The mark is re-read with a
lookback window, because an event id can commit after a higher one; recomputing a fact is idempotent, so
overlap costs nothing but time. rebuild() recomputes everything from scratch in chunks.
"""
import json
from collections import defaultdict

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from motcua.agencies.calendar import calendar_for_hours

from .models import CUBE_KEY, CUBE_MEASURES, OPEN_MONTH, DossierFact, MonthlyCube, RefreshState

LOOKBACK = 5000          # history ids re-read each refresh (out-of-order commits)
CHUNK = 100_000
LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving time
FACT_COLS = ("dossier_id", "agency_id", "procedure_id", "recv_month", "end_month", "due_month", "end_kind",
             "ended_late", "forced_month", "online", "digitised", "e_result", "paid", "paid_online", "rating", "complaint",
             "minutes", "statutory")

FINISHED, RETURNED, NOT_RECEIVED, WITHDRAWN, STOPPED = 9, 10, 3, 7, 8
ONLINE = 2
ONLINE_PAYMENT = (1, 2)


def month_of_epoch(s):
    """Months since 1970-01 of epoch seconds, in local time (vectorised)."""
    s = np.asarray(s, dtype=np.int64) + LOCAL_OFFSET
    return (s // 86400).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_index(year, month):
    return (year - 1970) * 12 + month - 1


def _epoch(col):
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM {col}) AS BIGINT)"
    return f"CAST(strftime('%%s', {col}) AS INTEGER)"


def _t(model_name):
    from django.apps import apps
    app, name = model_name.split(".")
    return apps.get_model(app, name)._meta.db_table


def _select_sql(where):
    d, a = _t("dossiers.Dossier"), _t("agencies.Agency")
    att, pay, rat, fb = _t("dossiers.Attachment"), _t("dossiers.Payment"), _t("dossiers.Rating"), \
        _t("feedback.Feedback")
    pa = _t("dossiers.Pause")
    e = _epoch
    return f"""
        SELECT d.id, d.agency_id, d.procedure_id, d.status, d.channel, {e('d.received_at')},
               COALESCE({e('d.clock_start')}, {e('d.received_at')}), {e('d.due_at')}, {e('d.finished_at')},
               {e('d.returned_at')}, {e('d.closed_at')}, {e('d.paused_since')}, d.supplement_requests,
               d.statutory_minutes, COALESCE(ag.office_hours, '[]'),
               EXISTS (SELECT 1 FROM {att} x WHERE x.dossier_id = d.id AND x.kind IN ('component', 'supplement')),
               EXISTS (SELECT 1 FROM {att} x WHERE x.dossier_id = d.id AND x.kind = 'result'),
               EXISTS (SELECT 1 FROM {att} x WHERE x.dossier_id = d.id AND x.kind = 'result' AND x.signed),
               EXISTS (SELECT 1 FROM {pay} x WHERE x.dossier_id = d.id),
               EXISTS (SELECT 1 FROM {pay} x WHERE x.dossier_id = d.id AND x.channel IN (1, 2)),
               COALESCE((SELECT r.score FROM {rat} r WHERE r.dossier_id = d.id), 0),
               EXISTS (SELECT 1 FROM {fb} x WHERE x.dossier_id = d.id),
               (SELECT {e('p.started_at')} FROM {pa} p WHERE p.dossier_id = d.id AND p.kind = 'supplement'
                AND p.started_at >= d.received_at ORDER BY p.started_at, p.id LIMIT 1 OFFSET 1)
        FROM {d} d JOIN {a} ag ON ag.id = d.agency_id
        WHERE d.received_at IS NOT NULL AND {where}"""


def _pause_minutes(ids, cal_of_id, starts, ends):
    """Working minutes of the dossiers' pauses that fall between clock start and end."""
    if not len(ids):
        return {}
    pa = _t("dossiers.Pause")
    out = defaultdict(int)
    idx = {int(i): k for k, i in enumerate(ids)}
    with connection.cursor() as cur:
        for lo in range(0, len(ids), 5000):
            part = [int(i) for i in ids[lo:lo + 5000]]
            marks = ", ".join(["%s"] * len(part))
            cur.execute(f"SELECT dossier_id, {_epoch('started_at')}, {_epoch('ended_at')} FROM {pa} "
                        f"WHERE ended_at IS NOT NULL AND dossier_id IN ({marks})", part)
            for did, a, b in cur.fetchall():
                k = idx[did]
                a, b = max(a, starts[k]), min(b, ends[k])
                if b > a:
                    cal = cal_of_id[did]
                    out[did] += int((_w(cal, b) - _w(cal, a)) // 60)
    return out


def _w(cal, s):
    """Working-time coordinate (seconds) of epoch seconds s (vectorised over numpy arrays)."""
    s = np.clip(np.asarray(s, dtype=np.int64), cal.range_start, cal.range_end - 1)
    i = np.searchsorted(cal.ps_arr, s, side="right") - 1
    return cal.cs_arr[i] + np.minimum(s, cal.pe_arr[i]) - cal.ps_arr[i]


def compute_facts(rows):
    """Rows of _select_sql -> list of fact tuples (FACT_COLS order)."""
    if not rows:
        return []
    cols = list(zip(*rows))
    n = len(rows)
    ids = np.array(cols[0], dtype=np.int64)
    status = np.array(cols[3], dtype=np.int64)

    def arr(i):
        return np.array([-1 if v is None else v for v in cols[i]], dtype=np.int64)

    received, start, due, fin, ret, closed, paused = (arr(i) for i in range(5, 12))
    supp = np.array(cols[12], dtype=np.int64)
    statutory = np.array(cols[13], dtype=np.int64)
    big = np.iinfo(np.int64).max
    candidates = np.stack([np.where(fin >= 0, fin, big), np.where(ret >= 0, ret, big),
                           np.where((closed >= 0) & np.isin(status, (NOT_RECEIVED, STOPPED)), closed, big)])
    end = candidates.min(axis=0)
    end_kind = np.select([np.isin(status, (FINISHED, RETURNED)), np.isin(status, (NOT_RECEIVED, STOPPED)),
                          status == WITHDRAWN], [1, 2, 3], 0)
    ended = (end_kind == 1) | (end_kind == 2)
    end = np.where(ended & (end != big), end, -1)
    end_kind = np.where(ended & (end < 0), 0, end_kind)   # defensive: a closed dossier without a moment
    ended = end >= 0
    # the moment of the second supplement request after receipt: late from then on, whatever the dates; a
    # period that ended before it is judged without it (a closed period never changes afterwards)
    forced_at = arr(22)
    forced_at = np.where((forced_at < 0) & (supp > 1), np.maximum(received, 0), forced_at)  # rows without pauses
    forced = forced_at >= 0
    ended_late = ended & ((forced & (forced_at <= end)) | ((due >= 0) & (end > due)))
    forced_month = np.where(forced, month_of_epoch(np.maximum(forced_at, 0)), OPEN_MONTH)
    recv_month = month_of_epoch(received)
    # withdrawn: the month of withdrawal (left out of that period and later ones, open in earlier ones)
    withdrawn = (end_kind == 3) & (closed >= 0)
    end_kind = np.where((end_kind == 3) & ~withdrawn, 0, end_kind)
    end_month = np.where(ended, month_of_epoch(np.maximum(end, 0)),
                         np.where(withdrawn, month_of_epoch(np.maximum(closed, 0)), OPEN_MONTH))
    # an open dossier paused before its due is never overdue while the clock stands still
    paused_in_time = (~ended) & (paused >= 0) & ((due < 0) | (paused <= due))
    due_month = np.where((due < 0) | paused_in_time, OPEN_MONTH, month_of_epoch(np.maximum(due, 0)))
    # working minutes from clock start to end, by calendar (office hours may differ per agency)
    minutes = np.zeros(n, dtype=np.int64)
    cal_of_id = {}
    hours = cols[14]
    by_hours = defaultdict(list)
    for k, h in enumerate(hours):
        by_hours[h if isinstance(h, str) else json.dumps(h)].append(k)
    for key, ks in by_hours.items():
        raw = json.loads(key) if key.startswith("[") else None
        cal = calendar_for_hours(raw or None)
        ks = np.array(ks)
        sel = ks[ended[ks]]
        if len(sel):
            minutes[sel] = (_w(cal, end[sel]) - _w(cal, start[sel])) // 60
        for k in ks:
            cal_of_id[int(ids[k])] = cal
    ended_ids = ids[ended]
    if len(ended_ids):
        pm = _pause_minutes(ids, cal_of_id, start, np.where(ended, end, 0))
        if pm:
            for k in np.flatnonzero(ended):
                minutes[k] -= pm.get(int(ids[k]), 0)
    minutes = np.maximum(minutes, 0)
    has_comp, has_res, signed = (np.array(cols[i], dtype=bool) for i in (15, 16, 17))
    paid, paid_online = np.array(cols[18], dtype=bool), np.array(cols[19], dtype=bool)
    rating = np.array(cols[20], dtype=np.int64)
    complaint = np.array(cols[21], dtype=bool)
    online = np.array(cols[4], dtype=np.int64) == ONLINE
    out = zip(ids.tolist(), cols[1], cols[2], recv_month.tolist(), end_month.tolist(), due_month.tolist(),
              end_kind.tolist(), ended_late.tolist(), forced_month.tolist(), online.tolist(), (has_comp & has_res).tolist(),
              signed.tolist(), paid.tolist(), paid_online.tolist(), rating.tolist(), complaint.tolist(),
              np.where(ended, minutes, 0).tolist(), statutory.tolist())
    return list(out)


def _contrib(fact, sign, acc):
    f = dict(zip(FACT_COLS, fact))
    key = tuple(int(f[k]) if not isinstance(f[k], bool) else f[k] for k in CUBE_KEY)
    r = f["rating"]
    neg = [f["complaint"] or (0 < r <= t) for t in (1, 2, 3)]
    vals = (1, f["online"], f["digitised"], f["e_result"], f["paid"], f["paid_online"], r > 0, *neg,
            f["minutes"] if f["end_kind"] == 1 else 0, f["statutory"] if f["end_kind"] == 1 else 0)
    m = acc[key]
    for i, v in enumerate(vals):
        m[i] += sign * int(v)


def _apply_cube(acc):
    rows = [(*(int(x) for x in key), *m) for key, m in acc.items() if any(m)]
    if not rows:
        return
    table = MonthlyCube._meta.db_table
    cols = CUBE_KEY + CUBE_MEASURES
    marks = ", ".join(["%s"] * len(cols))
    if connection.vendor == "postgresql":
        rows = [(*r[:6], bool(r[6]), *r[7:]) for r in rows]
    upd = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in CUBE_MEASURES)
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks}) "
           f"ON CONFLICT ({', '.join(CUBE_KEY)}) DO UPDATE SET {upd}")
    with connection.cursor() as cur:
        cur.executemany(sql, rows)
        cur.execute(f"DELETE FROM {table} WHERE n = 0")


def _write_facts(facts, replace_ids=None):
    table = DossierFact._meta.db_table
    with connection.cursor() as cur:
        if replace_ids:
            for lo in range(0, len(replace_ids), 5000):
                part = list(replace_ids[lo:lo + 5000])
                cur.execute(f"DELETE FROM {table} WHERE dossier_id IN ({', '.join(['%s'] * len(part))})", part)
        if not facts:
            return
        if connection.vendor == "postgresql":
            with connection.connection.cursor() as raw, raw.copy(
                    f"COPY {table} ({', '.join(FACT_COLS)}) FROM STDIN") as cp:
                for f in facts:
                    cp.write_row(f)
        else:
            marks = ", ".join(["%s"] * len(FACT_COLS))
            cur.executemany(f"INSERT INTO {table} ({', '.join(FACT_COLS)}) VALUES ({marks})", facts)


def _old_facts(ids):
    table = DossierFact._meta.db_table
    out = []
    with connection.cursor() as cur:
        for lo in range(0, len(ids), 5000):
            part = list(ids[lo:lo + 5000])
            cur.execute(f"SELECT {', '.join(FACT_COLS)} FROM {table} WHERE dossier_id IN "
                        f"({', '.join(['%s'] * len(part))})", part)
            out.extend(cur.fetchall())
    return out


def _norm(fact):
    return tuple(bool(v) if c in ("ended_late", "online", "digitised", "e_result", "paid", "paid_online",
                                  "complaint") else int(v) for c, v in zip(FACT_COLS, fact))


def update_dossiers(ids):
    """Recompute the facts of these dossiers and apply the deltas to the cube. Returns how many changed."""
    ids = sorted(set(int(i) for i in ids))
    if not ids:
        return 0
    changed = 0
    for lo in range(0, len(ids), 5000):
        part = ids[lo:lo + 5000]
        with connection.cursor() as cur:
            cur.execute(_select_sql(f"d.id IN ({', '.join(['%s'] * len(part))})"), part)
            rows = cur.fetchall()
        new = {f[0]: _norm(f) for f in compute_facts(rows)}
        old = {f[0]: _norm(f) for f in _old_facts(part)}
        acc = defaultdict(lambda: [0] * len(CUBE_MEASURES))
        dirty = [i for i in part if new.get(i) != old.get(i)]
        for i in dirty:
            if i in old:
                _contrib(old[i], -1, acc)
            if i in new:
                _contrib(new[i], +1, acc)
        _apply_cube(acc)
        _write_facts([new[i] for i in dirty if i in new], replace_ids=[i for i in dirty if i in old])
        changed += len(dirty)
    return changed


def _state():
    state = RefreshState.objects.select_for_update().filter(pk=1).first()
    return state or RefreshState.objects.create(pk=1)


@transaction.atomic
def refresh():
    """Bring facts and cube up to date with the history and feedback written since the last call."""
    from motcua.dossiers.models import HistoryEvent
    from motcua.feedback.models import Feedback

    state = _state()
    top = HistoryEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    fb_top = Feedback.objects.order_by("-id").values_list("id", flat=True).first() or 0
    if top == state.history_id and fb_top == state.feedback_id and state.refreshed_at is not None:
        return 0
    ids = set(HistoryEvent.objects.filter(id__gt=max(0, state.history_id - LOOKBACK), id__lte=top)
              .values_list("dossier_id", flat=True).distinct())
    ids |= set(Feedback.objects.filter(id__gt=state.feedback_id, id__lte=fb_top, dossier__isnull=False)
               .values_list("dossier_id", flat=True))
    changed = update_dossiers(ids)
    state.history_id, state.feedback_id, state.refreshed_at = top, fb_top, timezone.now()
    state.save()
    return changed


@transaction.atomic
def rebuild(progress=None):
    """Recompute every fact and the whole cube (first run, or after a definition of a fact changed)."""
    from motcua.dossiers.models import Dossier, HistoryEvent
    from motcua.feedback.models import Feedback

    state = _state()
    top = HistoryEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    fb_top = Feedback.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {DossierFact._meta.db_table}")
        cur.execute(f"DELETE FROM {MonthlyCube._meta.db_table}")
    max_id = Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0
    total = 0
    for lo in range(0, max_id, CHUNK):
        with connection.cursor() as cur:
            cur.execute(_select_sql("d.id > %s AND d.id <= %s"), [lo, lo + CHUNK])
            rows = cur.fetchall()
        facts = compute_facts(rows)
        _write_facts(facts)
        total += len(facts)
        if progress:
            progress(min(lo + CHUNK, max_id), max_id)
    cube_from_facts()
    state.history_id, state.feedback_id, state.refreshed_at = top, fb_top, timezone.now()
    state.save()
    return total


def cube_from_facts():
    """The whole cube as one GROUP BY over the facts (used by rebuild; same sums as _contrib)."""
    def flag(expr):
        return f"SUM(CASE WHEN {expr} THEN 1 ELSE 0 END)"

    neg = [flag(f"complaint OR (rating > 0 AND rating <= {t})") for t in (1, 2, 3)]
    measures = ["COUNT(*)", flag("online"), flag("digitised"), flag("e_result"), flag("paid"), flag("paid_online"),
                flag("rating > 0"), *neg, "SUM(CASE WHEN end_kind = 1 THEN minutes ELSE 0 END)",
                "SUM(CASE WHEN end_kind = 1 THEN statutory ELSE 0 END)"]
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {MonthlyCube._meta.db_table} ({', '.join(CUBE_KEY + CUBE_MEASURES)}) "
                    f"SELECT {', '.join(CUBE_KEY)}, {', '.join(measures)} FROM {DossierFact._meta.db_table} "
                    f"GROUP BY {', '.join(CUBE_KEY)}")
