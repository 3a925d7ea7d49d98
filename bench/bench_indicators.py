"""Benchmark: all Decision 766 indicators for all agencies for a year, from the incremental cube, against
DuckDB computing the same dossier figures by scanning the same rows. Not part of the test suite.

    # a database with the demo province and N synthetic dossiers (COPY, ~7,000 dossiers/s):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/motcua migrate
    DATABASE_URL=... .venv/bin/motcua seed --dossiers 10000000 --quiet --chunk 50000 --now 2026-12-31T12:00:00+07:00
    DATABASE_URL=... .venv/bin/python bench/bench_indicators.py --period 2026 [--rebuild] [--runs 5]

What it does:
1. (--rebuild) recomputes facts and cube from scratch and reports the time (a one-off, on first install).
2. times `compute.report()` for every agency of every kind (departments, districts, communes): the same call
   the API, the pages and `motcua indicators` make, including the incremental refresh check.
3. times a plain PostgreSQL scan computing 2.1 and 3.3 per agency directly from the dossier table (what one
   would do without the cube).
4. exports the dossier rows the figures depend on with COPY to CSV, loads them into DuckDB (in memory), and
   times DuckDB computing 2.1 (population, on time) and 3.3 (received, online) per agency; then checks the
   figures are identical to the cube's and prints the ratio.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.indicators import compute, facts  # noqa: E402
from motcua.indicators.periods import parse  # noqa: E402

KINDS = ("department", "district", "commune")


def timed(fn, runs):
    out, times = None, []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, times


def fmt(times):
    return f"median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"


def epoch(col):
    return f"CAST(EXTRACT(EPOCH FROM {col}) AS BIGINT)"


def scan_sql(period):
    """2.1 and 3.3 per agency straight from the dossier table (same rules as the facts)."""
    s, t = int(period.start.timestamp()), int(period.end.timestamp())
    return f"""
    WITH d AS (
      SELECT agency_id, status, channel, supplement_requests AS supp, {epoch('received_at')} AS rec,
             {epoch('due_at')} AS due, {epoch('paused_since')} AS paused,
             CASE WHEN status IN (9, 10, 3, 8) THEN LEAST({epoch('finished_at')}, {epoch('returned_at')},
                  CASE WHEN status IN (3, 8) THEN {epoch('closed_at')} END) END AS ended
      FROM dossiers_dossier WHERE received_at IS NOT NULL AND received_at < to_timestamp({t}))
    SELECT agency_id,
      SUM(CASE WHEN status <> 7 AND (ended IS NULL OR ended >= {s}) THEN 1 ELSE 0 END),
      SUM(CASE WHEN status <> 7 AND (ended IS NULL OR ended >= {s}) AND (
            (ended < {t} AND supp <= 1 AND (due IS NULL OR ended <= due)) OR
            ((ended IS NULL OR ended >= {t}) AND supp <= 1 AND (due IS NULL OR due >= {t} OR
              (ended IS NULL AND paused IS NOT NULL AND paused <= due)))) THEN 1 ELSE 0 END),
      SUM(CASE WHEN rec >= {s} THEN 1 ELSE 0 END),
      SUM(CASE WHEN rec >= {s} AND channel = 2 THEN 1 ELSE 0 END)
    FROM d GROUP BY agency_id"""


def duck_sql(period):
    s, t = int(period.start.timestamp()), int(period.end.timestamp())
    return f"""
    WITH d AS (
      SELECT agency_id, status, channel, supp, rec, due, paused,
             CASE WHEN status IN (9, 10, 3, 8) THEN LEAST(fin, ret, CASE WHEN status IN (3, 8) THEN closed END)
             END AS ended
      FROM dossiers WHERE rec < {t})
    SELECT agency_id,
      SUM(CASE WHEN status <> 7 AND (ended IS NULL OR ended >= {s}) THEN 1 ELSE 0 END),
      SUM(CASE WHEN status <> 7 AND (ended IS NULL OR ended >= {s}) AND (
            (ended < {t} AND supp <= 1 AND (due IS NULL OR ended <= due)) OR
            ((ended IS NULL OR ended >= {t}) AND supp <= 1 AND (due IS NULL OR due >= {t} OR
              (ended IS NULL AND paused IS NOT NULL AND paused <= due)))) THEN 1 ELSE 0 END),
      SUM(CASE WHEN rec >= {s} THEN 1 ELSE 0 END),
      SUM(CASE WHEN rec >= {s} AND channel = 2 THEN 1 ELSE 0 END)
    FROM d GROUP BY agency_id"""


def cube_figures(period):
    sums = compute._cube_sums(period)
    out = {}
    for (aid, _pid), v in sums.items():
        o = out.setdefault(aid, [0, 0, 0, 0])
        for k, name in enumerate(("pop", "on_time", "recv", "recv_online")):
            o[k] += v[name]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--period", default="2026")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--skip-scan", action="store_true")
    ap.add_argument("--csv", default=None, help="reuse/keep the exported CSV at this path")
    ap.add_argument("--grow-to", type=int, default=None,
                    help="replicate the existing dossier rows server-side (INSERT ... SELECT, new codes) until the "
                         "table holds this many; much faster than the seeder, which also writes history and steps")
    args = ap.parse_args()
    period = parse(args.period)
    if args.grow_to:
        grow(args.grow_to)
    n = Dossier.objects.count()
    print(f"database: {connection.vendor}, dossiers: {n:,}, period: {period.code}")
    if args.rebuild:
        t0 = time.perf_counter()
        rows = facts.rebuild()
        print(f"rebuild facts + cube: {rows:,} facts in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    changed = facts.refresh()
    print(f"incremental refresh: {changed} dossiers changed, {(time.perf_counter() - t0) * 1000:.0f} ms")
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM indicators_monthlycube")
        print(f"cube rows: {cur.fetchone()[0]:,}")

    def all_reports():
        return [compute.report(period, kind=k) for k in KINDS]

    reps, times = timed(all_reports, args.runs)
    n_agencies = sum(len(r["agencies"]) for r in reps)
    n_ind = len(reps[0]["agencies"][0]["indicators"]) if reps[0]["agencies"] else 0
    print(f"report, all {n_ind} indicators x {n_agencies} agencies (3 calls, one per kind): {fmt(times)}")
    _r, times_dep = timed(lambda: compute.report(period), args.runs)
    print(f"report, 17 departments ranked: {fmt(times_dep)}")
    cube, times_cube = timed(lambda: cube_figures(period), args.runs)
    print(f"cube query only (2.1, 3.3 and the rest, all agencies): {fmt(times_cube)}")

    if not args.skip_scan:
        def pg_scan():
            with connection.cursor() as cur:
                cur.execute(scan_sql(period))
                return {r[0]: list(map(int, r[1:])) for r in cur.fetchall()}
        scan, times_scan = timed(pg_scan, max(1, min(args.runs, 3)))
        print(f"PostgreSQL scan of the dossier table (2.1, 3.3 only): {fmt(times_scan)}")
        assert_same("PostgreSQL scan", scan, cube)

    import duckdb
    path = Path(args.csv) if args.csv else Path(tempfile.gettempdir()) / "motcua_dossiers.csv"
    if not path.exists():
        t0 = time.perf_counter()
        raw = connection.connection
        with raw.cursor() as cur, open(path, "wb") as fh:
            with cur.copy(f"""COPY (SELECT agency_id, status, channel, supplement_requests, {epoch('received_at')},
                {epoch('due_at')}, {epoch('finished_at')}, {epoch('returned_at')}, {epoch('closed_at')},
                {epoch('paused_since')} FROM dossiers_dossier WHERE received_at IS NOT NULL) TO STDOUT
                WITH (FORMAT csv)""") as cp:
                for block in cp:
                    fh.write(block)
        print(f"export with COPY to {path}: {time.perf_counter() - t0:.1f} s, {path.stat().st_size / 1e6:.0f} MB")
    con = duckdb.connect()
    t0 = time.perf_counter()
    con.execute(f"""CREATE TABLE dossiers AS SELECT * FROM read_csv('{path}', header=false, columns={{
        'agency_id': 'BIGINT', 'status': 'SMALLINT', 'channel': 'SMALLINT', 'supp': 'SMALLINT', 'rec': 'BIGINT',
        'due': 'BIGINT', 'fin': 'BIGINT', 'ret': 'BIGINT', 'closed': 'BIGINT', 'paused': 'BIGINT'}})""")
    print(f"DuckDB load: {time.perf_counter() - t0:.1f} s ({duckdb.__version__}, threads "
          f"{con.execute('SELECT current_setting(' + chr(39) + 'threads' + chr(39) + ')').fetchone()[0]})")
    duck, times_duck = timed(lambda: {r[0]: list(map(int, r[1:])) for r in con.execute(duck_sql(period)).fetchall()},
                             args.runs)
    print(f"DuckDB scan (2.1, 3.3 only): {fmt(times_duck)}")
    assert_same("DuckDB", duck, cube)
    ratio = statistics.median(times_duck) / statistics.median(times_cube)
    print(f"ratio DuckDB scan / Motcua cube query: {ratio:.1f}x; full Motcua report (all indicators, all agencies) "
          f"vs DuckDB (2 indicators): {statistics.median(times) / statistics.median(times_duck):.2f}x")
    if not args.csv:
        path.unlink()


def grow(target):
    """Copy the existing dossier rows (same agencies, procedures, moments and statuses) under new codes, one
    round of at most the original row count at a time, until the table has `target` rows. Facts must then be
    rebuilt (--rebuild): the copies have no history events for the incremental refresh to follow."""
    from django.db import transaction
    cols = [f.column for f in Dossier._meta.concrete_fields if f.column != "id"]
    sel = ", ".join(f"d.code || '-R' || %s" if c == "code" else f"d.{c}" for c in cols)
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*), MAX(id) FROM dossiers_dossier")
        count, base_max = cur.fetchone()
    t0, round_no = time.perf_counter(), 0
    while count < target:
        round_no += 1
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f'INSERT INTO dossiers_dossier ({", ".join(chr(34) + c + chr(34) for c in cols)}) '
                        f"SELECT {sel} FROM dossiers_dossier d WHERE d.id <= %s ORDER BY d.id LIMIT %s",
                        [round_no, base_max, target - count])
            count += cur.rowcount
        print(f"  grow: {count:,} dossiers ({time.perf_counter() - t0:.0f} s)", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE dossiers_dossier")


def assert_same(name, other, cube):
    keys = set(other) | set(cube)
    bad = [k for k in keys if other.get(k, [0, 0, 0, 0]) != cube.get(k, [0, 0, 0, 0])]
    if bad:
        print(f"MISMATCH {name} vs cube for {len(bad)} agencies, e.g. {bad[0]}: {other.get(bad[0])} != "
              f"{cube.get(bad[0])}")
    else:
        tot = [sum(v[k] for v in cube.values()) for k in range(4)]
        print(f"{name} figures identical to the cube for {len(keys)} agencies "
              f"(population {tot[0]:,}, on time {tot[1]:,}, received {tot[2]:,}, online {tot[3]:,})")


if __name__ == "__main__":
    main()
