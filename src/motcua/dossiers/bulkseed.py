"""Synthetic dossiers in bulk for benchmarks (`motcua seed --dossiers N`): consistent codes, counters,
deadlines and hash chains, written with COPY on PostgreSQL."""
import json
import sys
import time as _time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import numpy as np
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from tqdm import tqdm

from motcua.agencies import demodata as PV
from motcua.agencies.calendar import calendar_for
from motcua.agencies.models import Agency, AgencyKind, Membership, Role
from motcua.catalog.models import Procedure
from motcua.dossiers import history
from motcua.dossiers.models import (DailyCounter, Dossier, DossierStep, HistoryEvent, Pause, PauseKind,
                                    ResultDelivery)

UTC = dt_timezone.utc
DAY = 86400
LOCAL_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh has no daylight saving time


STATUS_P = {1: 0.03, 2: 0.04, 3: 0.02, 4: 0.12, 5: 0.03, 6: 0.01, 7: 0.01, 8: 0.01, 9: 0.05, 10: 0.68}
OPEN_RECENT = (1, 2, 4, 5, 6, 9)
SECOND_ACTION = {2: "receive", 3: "refuse", 4: "forward", 5: "request_supplement", 6: "request_financial",
                 7: "withdraw", 8: "stop", 9: "mark_result_ready", 10: "return_result"}
REASONS = {3: "Hồ sơ không đủ điều kiện tiếp nhận.", 5: "Thành phần hồ sơ chưa đầy đủ, đề nghị bổ sung.",
           6: "Đề nghị thực hiện nghĩa vụ tài chính.", 7: "Công dân đề nghị rút hồ sơ.",
           8: "Tạm dừng giải quyết do có tranh chấp liên quan."}
WITH_STEPS = (2, 4, 5, 6)


def _iso_utc(epochs):
    """int64 epoch seconds -> list of ISO strings (UTC)."""
    return np.datetime_as_string(np.asarray(epochs, dtype="datetime64[s]"), timezone="UTC").tolist()


def _next_working(cal, s):
    """Vectorised WorkCalendar.next_working_moment on epoch seconds (rounded up to a minute)."""
    s = -(-np.asarray(s, dtype=np.int64) // 60) * 60
    ps, pe = cal.ps_arr, cal.pe_arr
    i = np.searchsorted(ps, s, side="right") - 1
    inside = s < pe[i]
    j = np.minimum(i + 1, len(ps) - 1)
    return np.where(inside, s, ps[j])


class BulkSeeder:
    def __init__(self, stdout, rng_seed, now, agency_code=None, chunk=20000, quiet=False):
        self.stdout, self.now, self.chunk, self.quiet = stdout, now, chunk, quiet
        self.rng = np.random.default_rng(rng_seed)
        self.cal = calendar_for(None)
        self.pg = connection.vendor == "postgresql"
        self._load(agency_code)

    def _load(self, agency_code):
        people = {}
        for m in Membership.objects.filter(role=Role.RECEIVING_OFFICER).select_related("user", "agency",
                                                                                        "agency__parent"):
            people.setdefault(m.agency.organisation.pk, (m.user_id, m.user.username))
        centre = Agency.objects.filter(kind=AgencyKind.CENTRE).order_by("code").first()
        pairs = []
        target = Agency.objects.filter(code=agency_code).first() if agency_code else None
        if agency_code and target is None:
            raise CommandError(f"Không có cơ quan mã {agency_code}.")
        for proc in Procedure.objects.filter(is_active=True).prefetch_related("agencies", "steps", "fees"):
            agencies = list(proc.agencies.all())
            steps = [(s.order, s.name, s.unit_name, s.role, s.allowance_minutes) for s in proc.steps.all()]
            fee = sum(f.amount for f in proc.fees.all())
            cutoff = proc.cutoff.hour * 3600 + proc.cutoff.minute * 60 if proc.cutoff else -1
            for a in agencies:
                via_centre = target is not None and target.kind == AgencyKind.CENTRE
                if target is not None and not via_centre and a.pk != target.pk:
                    continue
                if via_centre and a.kind != AgencyKind.DEPARTMENT:
                    continue
                intake = target if via_centre else a
                if a.pk not in people or intake.pk not in people:
                    continue
                pairs.append({"proc": proc, "agency": a, "intake": intake, "steps": steps, "fee": fee,
                              "cutoff": cutoff, "minutes": proc.minutes_for(480), "weight": 1.0 / len(agencies),
                              "actor": people[intake.pk], "alt_intake": centre if (
                                  centre and centre.pk in people and a.kind == AgencyKind.DEPARTMENT
                                  and target is None) else None})
        if not pairs:
            raise CommandError("Không có thủ tục nào do cơ quan này giải quyết (hoặc thiếu cán bộ tiếp nhận).")
        self.pairs = pairs
        self.people = people

    # ------------------------------------------------------------------ planning (vectorised)
    def plan(self, n):
        rng, cal, pairs = self.rng, self.cal, self.pairs
        now = int(self.now.timestamp())
        w = np.array([p["weight"] for p in pairs])
        pi = rng.choice(len(pairs), size=n, p=w / w.sum())
        statuses = np.array(list(STATUS_P))
        st = rng.choice(statuses, size=n, p=np.array(list(STATUS_P.values())))
        recent = np.isin(st, OPEN_RECENT)
        age = np.where(recent, rng.uniform(0.02, 30, n), rng.uniform(1, 365, n)) * DAY
        sub = (now - age).astype(np.int64)
        channel = rng.choice([1, 2, 3], size=n, p=[0.35, 0.6, 0.05])
        channel = np.where(np.isin(st, (1, 3)), 2, channel)
        counter = channel != 2
        snapped = _next_working(cal, sub)
        # a counter dossier is submitted at a working moment; one that would fall in the future is online/new
        future = counter & (snapped >= now - 300)
        sub = np.where(counter & ~future, snapped, sub)
        st = np.where(future, 1, st)
        channel = np.where(future, 2, channel)
        counter = channel != 2
        rec = np.where(counter, sub, _next_working(cal, sub + rng.integers(0, 4 * 3600, n)))
        not_yet = (~counter) & (rec >= now - 300) & (st != 3)
        st = np.where(not_yet, 1, st)
        received = ~np.isin(st, (1, 3))
        # clock start, with the procedure's cut-off hour
        cutoff = np.array([p["cutoff"] for p in pairs])[pi]
        tod = (rec + LOCAL_OFFSET) % DAY
        after_cut = (cutoff >= 0) & (tod >= cutoff)
        next_day = rec - tod + DAY
        start = np.where(after_cut, _next_working(cal, next_day), _next_working(cal, rec))
        minutes = np.array([p["minutes"] for p in pairs])[pi]
        start_safe = np.where(received, start, now)
        due = cal.due_batch(start_safe, minutes)
        # end of processing for finished/returned
        factor = np.where(rng.random(n) < 0.85, rng.uniform(0.15, 1.0, n), rng.uniform(1.05, 1.9, n))
        fin = cal.due_batch(start_safe, np.maximum((minutes * factor).astype(np.int64), 1))
        span = np.maximum(now - 600 - rec, 120)
        fin = np.where(fin >= now - 600, rec + (span * rng.uniform(0.3, 0.8, n)).astype(np.int64), fin)
        ret = fin + rng.integers(1800, 5 * DAY, n)
        ret = np.where(ret >= now - 60, fin + ((now - 60 - fin) * 0.9).astype(np.int64), ret)
        mid = rec + (span * rng.uniform(0.05, 0.6, n)).astype(np.int64)  # an act during processing
        closed_refused = sub + rng.integers(600, DAY, n)
        closed_refused = np.where(closed_refused >= now - 60, sub + (np.maximum(now - 60 - sub, 2) // 2),
                                  closed_refused)
        # last event moment per status
        last = np.select([st == 1, st == 2, st == 3, np.isin(st, (4, 5, 6, 7, 8)), st == 9, st == 10],
                         [sub, rec, closed_refused, mid, fin, ret])
        return {"pi": pi, "st": st, "channel": channel, "sub": sub, "rec": rec, "start": start, "due": due,
                "fin": fin, "ret": ret, "mid": mid, "last": last, "received": received,
                "via_centre": rng.random(n) < 0.4, "names": rng.integers(0, 1 << 30, n),
                "step_pick": rng.random(n)}

    def _codes(self, plan):
        """Allocate code sequences from DailyCounter: one upsert per (agency, day) adds the block size, so
        later intakes continue after the block and never collide."""
        pairs = self.pairs
        agency_ids = np.array([p["agency"].pk for p in pairs], dtype=np.int64)[plan["pi"]]
        day = (plan["sub"] + LOCAL_OFFSET) // DAY
        order = np.lexsort((plan["sub"], day, agency_ids))
        key_a, key_d = agency_ids[order], day[order]
        boundary = np.ones(len(order), dtype=bool)
        boundary[1:] = (key_a[1:] != key_a[:-1]) | (key_d[1:] != key_d[:-1])
        starts = np.flatnonzero(boundary)
        counts = np.diff(np.append(starts, len(order)))
        g_agency, g_day = key_a[starts], key_d[starts]
        epoch_day = datetime(1970, 1, 1).date()
        days = [epoch_day + timedelta(days=int(d)) for d in g_day]
        lasts = self._upsert_counters(g_agency.tolist(), days, counts.tolist())
        base = np.array(lasts, dtype=np.int64) - counts
        group_of = np.repeat(np.arange(len(starts)), counts)
        seq_sorted = base[group_of] + (np.arange(len(order)) - starts[group_of]) + 1
        seq = np.empty(len(order), dtype=np.int64)
        seq[order] = seq_sorted
        return seq, days, group_of, order

    def _upsert_counters(self, agency_ids, days, counts):
        table = DailyCounter._meta.db_table
        lasts = []
        with transaction.atomic(), connection.cursor() as cur:
            if self.pg:
                step = 5000
                for i in range(0, len(agency_ids), step):
                    cur.execute(
                        f"WITH v AS (SELECT * FROM unnest(%s::bigint[], %s::date[], %s::int[]) WITH ORDINALITY "
                        f"AS v(agency_id, day, n, ord)), u AS ("
                        f"INSERT INTO {table} (agency_id, day, last) SELECT agency_id, day, n FROM v "
                        f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + EXCLUDED.last "
                        f"RETURNING agency_id, day, last) "
                        f"SELECT u.last FROM v JOIN u USING (agency_id, day) ORDER BY v.ord",
                        [agency_ids[i:i + step], days[i:i + step], counts[i:i + step]])
                    lasts.extend(r[0] for r in cur.fetchall())
            else:
                for a, d, c in zip(agency_ids, days, counts):
                    cur.execute(f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "
                                f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {table}.last + %s RETURNING last",
                                [a, d, c, c])
                    lasts.append(cur.fetchone()[0])
        return lasts

    # ------------------------------------------------------------------ rows
    def _names(self, k):
        s, m, g = PV.SURNAMES, PV.MIDDLE, PV.GIVEN
        return f"{s[k % len(s)]} {m[(k >> 5) % len(m)]} {g[(k >> 10) % len(g)]}"

    def run(self, n):
        t_start = _time.monotonic()
        plan = self.plan(n)
        seq, _days, _g, _o = self._codes(plan)
        fmt_day = np.datetime_as_string(((plan["sub"] + LOCAL_OFFSET) // DAY).astype("datetime64[D]")).tolist()
        yymmdd = [d[2:4] + d[5:7] + d[8:10] for d in fmt_day]
        bar = tqdm(total=n, unit="hồ sơ", desc="seed", disable=True if self.quiet else None, file=sys.stderr)
        written = 0
        for lo in range(0, n, self.chunk):
            hi = min(n, lo + self.chunk)
            with transaction.atomic():
                self._write_chunk(plan, seq, yymmdd, lo, hi)
            written += hi - lo
            bar.update(hi - lo)
        bar.close()
        return written, _time.monotonic() - t_start

    def _write_chunk(self, plan, seq, yymmdd, lo, hi):
        pairs = self.pairs
        sl = slice(lo, hi)
        pi, st, ch = plan["pi"][sl].tolist(), plan["st"][sl].tolist(), plan["channel"][sl].tolist()
        received = plan["received"][sl].tolist()
        sub, rec, start, due = plan["sub"][sl], plan["rec"][sl], plan["start"][sl], plan["due"][sl]
        fin, ret, mid, last = plan["fin"][sl], plan["ret"][sl], plan["mid"][sl], plan["last"][sl]
        iso = {k: _iso_utc(v) for k, v in (("sub", sub), ("rec", rec), ("start", start), ("due", due),
                                            ("fin", fin), ("ret", ret), ("mid", mid), ("last", last))}
        due_local_day = ((due + LOCAL_OFFSET) // DAY).tolist()
        fin_local_day = ((fin + LOCAL_OFFSET) // DAY).tolist()
        fin_l, due_l = fin.tolist(), due.tolist()
        via_centre = plan["via_centre"][sl].tolist()
        names = plan["names"][sl].tolist()
        step_pick = plan["step_pick"][sl].tolist()
        seqs = seq[sl].tolist()
        now_iso = _iso_utc([int(self.now.timestamp())])[0]
        code_format = settings.MOTCUA_DOSSIER_CODE_FORMAT
        dossiers, extra = [], []  # extra: (index, status, current step, pair, intake)
        for k in range(hi - lo):
            p = pairs[pi[k]]
            s = st[k]
            agency, intake = p["agency"], p["intake"]
            if via_centre[k] and p["alt_intake"] is not None and ch[k] != 2:
                intake = p["alt_intake"]
            code = code_format.format(agency=agency.code, yymmdd=yymmdd[lo + k], seq=seqs[k])
            got = received[k]
            steps = p["steps"]
            nsteps = len(steps)
            cur_step, cur_role = 0, ""
            if got and nsteps:
                if s == 2 or s == 7:
                    cur_step = 1
                elif s == 4:
                    cur_step = 2 + int(step_pick[k] * (nsteps - 1)) if nsteps > 1 else 1
                    cur_step = min(cur_step, nsteps)
                elif s in (5, 6, 8):
                    cur_step = min(2, nsteps)
                else:
                    cur_step = nsteps
                cur_role = steps[cur_step - 1][3]
            timing = ""
            if s in (9, 10):
                timing = "early" if fin_local_day[k] < due_local_day[k] else (
                    "on_time" if fin_l[k] <= due_l[k] else "late")
            nm = names[k]
            if p["proc"].field_id and nm % 9 == 0 and p["fee"] > 500000:
                applicant, kind = PV.COMPANIES[nm % len(PV.COMPANIES)], "organisation"
            else:
                applicant, kind = self._names(nm), "citizen"
            phone = f"09{nm % 100000000:08d}"
            closed = iso["last"][k] if s in (3, 7, 8, 10) else None
            row = {
                "code": code, "procedure_id": p["proc"].pk, "agency_id": agency.pk, "intake_agency_id": intake.pk,
                "agency_path": agency.path, "intake_path": intake.path, "channel": ch[k], "status": s,
                "version": 2 if s != 1 else 1, "applicant_kind": kind, "applicant_name": applicant,
                "applicant_id_number": f"017{nm % 1000000000:09d}", "applicant_address": "tỉnh Hòa Bình Demo",
                "applicant_phone": phone, "applicant_email": "", "request": p["proc"].name[:200], "sets_count": 1,
                "owner_id": None, "lookup_secret": phone[-4:], "submitted_at": iso["sub"][k],
                "received_at": iso["rec"][k] if got else None, "clock_start": iso["start"][k] if got else None,
                "due_at": iso["due"][k] if got else None, "appointment_at": iso["due"][k] if got else None,
                "statutory_minutes": p["minutes"] if got else 0,
                "paused_since": iso["mid"][k] if s in (5, 6) else None,
                "supplement_requests": 1 if s == 5 else 0,
                "approved_at": iso["fin"][k] if s in (9, 10) else None,
                "finished_at": iso["fin"][k] if s in (9, 10) else (iso["mid"][k] if s == 8 else None),
                "returned_at": iso["ret"][k] if s == 10 else None, "closed_at": closed, "timing": timing,
                "current_step": cur_step, "current_role": cur_role,
                "status_before_pause": 4 if s in (5, 6) else None, "fee_total": p["fee"],
                "return_place": intake.name, "result_delivery": ResultDelivery.COUNTER.value, "delivery_address": "",
                "created_at": now_iso, "updated_at": now_iso,
            }
            dossiers.append(row)
            extra.append((k, s, cur_step, p, intake))
        ids = self._insert_dossiers(dossiers)
        events, steps_rows, pauses = [], [], []
        for (k, s, cur_step, p, intake), row, did in zip(extra, dossiers, ids):
            actor_id, actor_name = self.people[intake.pk]
            code = row["code"]
            sub_at = row["submitted_at"]
            data1 = {"channel": row["channel"], "procedure": p["proc"].code, "agency": p["agency"].code,
                     "intake_agency": intake.code, "synthetic": True}
            state = _state_hash(row)
            h1 = history.chain_hash(history.GENESIS, history.content_of(
                code, 1, _dt(sub_at), actor_id, actor_name, "submit", "", None, 1, data1, state))
            events.append((did, 1, sub_at, actor_id, actor_name, "submit", "", None, 1, data1, history.GENESIS, h1,
                           state, history.SCHEME))
            if s != 1:
                at = iso["last"][k]
                before = {3: 1, 2: 1, 4: 2, 5: 4, 6: 4, 7: 2, 8: 4, 9: 4, 10: 9}[s]
                reason = REASONS.get(s, "")
                data2 = {"synthetic": True}
                if s == 2:
                    data2.update(received_at=row["received_at"], due_at=row["due_at"])
                h2 = history.chain_hash(h1, history.content_of(code, 2, _dt(at), actor_id, actor_name,
                                                               SECOND_ACTION[s], reason, before, s, data2, state))
                events.append((did, 2, at, actor_id, actor_name, SECOND_ACTION[s], reason, before, s, data2, h1, h2,
                               state, history.SCHEME))
            if s in WITH_STEPS and cur_step:
                for order, name, unit, role, allowance in p["steps"]:
                    if order < cur_step:
                        steps_rows.append((did, order, name, unit, role, allowance, row["clock_start"], None,
                                           iso["mid"][k], None, actor_name, "forwarded", "on_time", 1))
                    elif order == cur_step:
                        started = row["clock_start"] if order == 1 else iso["mid"][k]
                        steps_rows.append((did, order, name, unit, role, allowance, started, None, None, None, "",
                                           "", "", 1))
                    else:
                        steps_rows.append((did, order, name, unit, role, allowance, None, None, None, None, "",
                                           "", "", 0))
            if s in (5, 6):
                pauses.append((did, PauseKind.SUPPLEMENT if s == 5 else PauseKind.FINANCIAL, row["paused_since"],
                               None, REASONS[s], json.dumps(["Giấy tờ còn thiếu"] if s == 5 else [],
                                                            ensure_ascii=False)))
        self._insert_rest(events, steps_rows, pauses)

    # ------------------------------------------------------------------ writers
    def _insert_dossiers(self, rows):
        cols = list(rows[0])
        if self.pg:
            table = Dossier._meta.db_table
            with connection.cursor() as cur:
                cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                            [table, len(rows)])
                ids = [r[0] for r in cur.fetchall()]
            raw = connection.connection
            with raw.cursor() as cur:
                qcols = ", ".join(f'"{c}"' for c in cols)
                with cur.copy(f"COPY {table} (id, {qcols}) FROM STDIN") as cp:
                    for i, r in zip(ids, rows):
                        cp.write_row((i, *r.values()))
            return ids
        objs = [Dossier(**{c: (_dt(v) if c in _DT_COLS and v else v) for c, v in r.items()}) for r in rows]
        created = Dossier.objects.bulk_create(objs, batch_size=500)
        return [o.pk for o in created]

    def _insert_rest(self, events, steps_rows, pauses):
        ev_cols = ["dossier_id", "seq", "at", "actor_id", "actor_name", "action", "reason", "status_before",
                   "status_after", "data", "prev_hash", "hash", "state_hash", "scheme"]
        st_cols = ["dossier_id", "order", "name", "unit_name", "role", "allowance_minutes", "started_at", "due_at",
                   "finished_at", "handled_by_id", "handled_by_name", "outcome", "timing", "rounds"]
        pa_cols = ["dossier_id", "kind", "started_at", "ended_at", "reason", "components"]
        if self.pg:
            raw = connection.connection
            with raw.cursor() as cur:
                for model, cols, rows, json_col in ((HistoryEvent, ev_cols, events, 9),
                                                    (DossierStep, st_cols, steps_rows, None),
                                                    (Pause, pa_cols, pauses, None)):
                    if not rows:
                        continue
                    qcols = ", ".join(f'"{c}"' for c in cols)
                    with cur.copy(f"COPY {model._meta.db_table} ({qcols}) FROM STDIN") as cp:
                        for r in rows:
                            if json_col is not None:
                                r = (*r[:json_col], json.dumps(r[json_col], ensure_ascii=False), *r[json_col + 1:])
                            cp.write_row(r)
            return
        HistoryEvent.objects.bulk_create([HistoryEvent(**dict(zip(ev_cols, (*r[:2], _dt(r[2]), *r[3:]))))
                                          for r in events], batch_size=500)
        DossierStep.objects.bulk_create([DossierStep(**{c: (_dt(v) if c in ("started_at", "due_at", "finished_at")
                                                            and v else v) for c, v in zip(st_cols, r)})
                                         for r in steps_rows], batch_size=500)
        Pause.objects.bulk_create([Pause(**{c: (_dt(v) if c == "started_at" else
                                                json.loads(v) if c == "components" else v)
                                            for c, v in zip(pa_cols, r)}) for r in pauses], batch_size=500)


_DT_COLS = {"submitted_at", "received_at", "clock_start", "due_at", "appointment_at", "paused_since", "approved_at",
            "finished_at", "returned_at", "closed_at", "created_at", "updated_at"}


def _dt(iso):
    return datetime.fromisoformat(iso) if isinstance(iso, str) else iso


def _state_hash(row):
    """The history's state digest of a synthetic dossier row (as history.state_of gives for the stored row)."""
    return history.state_digest({name: (history._ts(_dt(row[name])) if name in _DT_COLS and row[name]
                                        else row[name]) for name in history.STATE_FIELDS})
