#!/usr/bin/env python
"""Full-text search latency on a large PostgreSQL database, as an officer of one department.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_search_bench \\
        .venv/bin/python bench/bench_search.py [--dossiers 1000000] [--repeat 40] [--explain]

1. makes sure the database holds at least --dossiers dossiers (`motcua migrate`, then `motcua seed
   --lifecycle 0 --dossiers K` for the missing ones: COPY, as the bulk seed does) and their index rows
   (`motcua search-reindex --kind dossier --new`: only dossiers not indexed yet);
2. as the specialist of the busiest department (actor_for, in process: no HTTP), runs
   `motcua.search.services.search` (counts per kind + the first page of every kind, what the page and the
   API do) for: an applicant's full name, an accent-free phrase (a procedure's name folded), a dossier
   code, an ID number, a rare word; --repeat different values of each;
3. prints p50/p95 per kind of query and overall, the hit counts, and with --explain the plan of one name
   query.
Only the given database is touched; every loop is bounded.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MOTCUA = str(VENV_BIN / "motcua") if (VENV_BIN / "motcua").exists() else "motcua"


def sh(*args):
    res = subprocess.run([MOTCUA, *args], cwd=ROOT, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    return res.stdout.strip()


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dossiers", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--no-generate", action="store_true", help="measure what the database holds")
    opts = ap.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (this benchmark is for PostgreSQL)")
    sh("migrate", "-v0")
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    django.setup()
    from django.db import connection
    from django.db.models import Count

    from motcua.agencies.models import Agency, Membership, Role
    from motcua.agencies.scope import actor_for
    from motcua.dossiers.models import Dossier
    from motcua.search import services, text
    from motcua.search.models import SearchEntry

    have = Dossier.objects.count()
    t0 = time.monotonic()
    if not opts.no_generate and have < opts.dossiers:
        sh("seed", "--lifecycle", "0", "--dossiers", str(opts.dossiers - have), "--quiet")
        print(f"generated {opts.dossiers - have} dossiers in {time.monotonic() - t0:.0f} s")
    t1 = time.monotonic()
    if not opts.no_generate:
        sh("search-reindex", "--kind", "dossier", "--new", "--quiet")
        print(f"indexed new dossiers in {time.monotonic() - t1:.0f} s")
    n_dossiers, n_rows = Dossier.objects.count(), SearchEntry.objects.count()
    with connection.cursor() as cur:
        cur.execute("ANALYZE search_searchentry")
        cur.execute("SELECT pg_size_pretty(pg_relation_size('search_body_fts')), "
                    "pg_size_pretty(pg_total_relation_size('search_searchentry'))")
        gin_size, table_size = cur.fetchone()
    busiest = (Dossier.objects.values("agency").annotate(n=Count("id")).order_by("-n").first())
    dept = Agency.objects.get(pk=busiest["agency"])
    member = Membership.objects.filter(agency__path__startswith=dept.path, role=Role.SPECIALIST).select_related(
        "user").first() or Membership.objects.filter(agency=dept).select_related("user").first()
    actor = actor_for(member.user)
    in_scope = SearchEntry.objects.filter(services.scope_q(actor)).count()
    print(f"database: {n_dossiers} dossiers, {n_rows} index rows (table {table_size}, GIN {gin_size}); officer "
          f"{member.user.username} of {dept.name}: {in_scope} rows in scope")

    rng = random.Random(2026)
    sample = list(Dossier.objects.filter(agency_path__startswith=dept.path).order_by("?").values(
        "code", "applicant_name", "applicant_id_number", "procedure__name")[:opts.repeat])
    other = list(Dossier.objects.exclude(agency_path__startswith=dept.path).order_by("?").values(
        "applicant_name")[:opts.repeat])
    queries = {
        "name (in scope)": [s["applicant_name"] for s in sample],
        "name (any)": [o["applicant_name"] for o in other],
        "accent-free phrase": [" ".join(text.words(s["procedure__name"])[:4]) for s in sample],
        "code": [s["code"] for s in sample],
        "ID number": [s["applicant_id_number"] or s["code"] for s in sample],
        "surname + word": [f"{text.fold(s['applicant_name']).split()[0]} {rng.choice(['cap', 'giay', 'dang ky'])}"
                           for s in sample],
    }
    for qs in queries.values():           # warm-up: one of each
        services.search(actor, qs[0])
    all_ms = []
    print(f"{'query':<20} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  hits (median)")
    for label, qs in queries.items():
        ms, hits = [], []
        for q in qs:
            t = time.perf_counter()
            res = services.search(actor, q)
            ms.append((time.perf_counter() - t) * 1000)
            hits.append(res.total)
        all_ms += ms
        print(f"{label:<20} {len(ms):>4} {percentile(ms, 50):8.1f} {percentile(ms, 95):8.1f} {max(ms):8.1f}  "
              f"{statistics.median(hits):.0f}")
    print(f"{'all':<20} {len(all_ms):>4} {percentile(all_ms, 50):8.1f} {percentile(all_ms, 95):8.1f} "
          f"{max(all_ms):8.1f}")
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if opts.explain:
        sql, params = services._match(services.parse(queries["name (in scope)"][0]))
        qs = SearchEntry.objects.filter(services.scope_q(actor)).extra(where=[sql], params=params)
        print(qs.filter(kind="dossier").order_by("-id")[:5].explain(analyze=True))


if __name__ == "__main__":
    main()
