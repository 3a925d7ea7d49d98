#!/usr/bin/env python
"""Deterministic measures of one intake through the API, in-process (no gunicorn, no load generator):
the SQL statements of one POST /api/v1/dossiers/ and the CPU time of the Python side per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
        .venv/bin/python bench/intake_inprocess.py [--requests 300] [--statements] [--profile 40]

The request goes through Django's full stack (middleware, DRF, token authentication, the intake service,
the enqueue) with the test client: the same code path gunicorn runs. CPU is `time.process_time()` of this
process (PostgreSQL's own CPU is not included), so it is stable on a busy machine where wall time is not.
Every loop is bounded.
"""
import argparse
import cProfile
import json
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_worklist import django_setup, sh  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--statements", action="store_true", help="print the SQL of one intake")
    ap.add_argument("--profile", type=int, default=0, help="print the top N functions (cProfile, tottime)")
    ap.add_argument("--dump", help="write the cProfile stats of the --calls run to this file")
    ap.add_argument("--calls", type=int, default=50,
                    help="intakes run under cProfile to count Python function calls per intake (deterministic)")
    args = ap.parse_args()
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench_intake import officers_and_payloads

    chosen = officers_and_payloads(12)
    tokens = {u: sh("token", u) for u, _p in chosen}
    client = Client(HTTP_HOST="127.0.0.1")

    def post(i):
        user, tpl = chosen[i % len(chosen)]
        payload = dict(tpl, channel=1, applicant_name="Nguyễn Văn An", applicant_id_number=f"017{i:09d}",
                       applicant_phone="0912345678", applicant_address="Tổ 5, phường Phương Lâm",
                       request="Hồ sơ đo tải")
        r = client.post("/api/v1/dossiers/", data=json.dumps(payload, ensure_ascii=False),
                        content_type="application/json", HTTP_AUTHORIZATION=f"Token {tokens[user]}",
                        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), HTTP_ACCEPT="application/json")
        if r.status_code != 201:
            raise SystemExit(f"intake failed: {r.status_code} {r.content[:300]!r}")

    for i in range(args.warmup):
        post(i)
    counts = []
    for i in range(len(chosen)):       # one intake per officer: the statement count may depend on the agency
        with CaptureQueriesContext(connection) as ctx:
            post(i)
        counts.append(len(ctx.captured_queries))
        if args.statements and i == 0:
            for q in ctx.captured_queries:
                print(f"  [{q['time']}] {q['sql'][:220]}")
    if args.calls:
        counter = cProfile.Profile()
        counter.enable()
        for i in range(args.calls):
            post(i)
        counter.disable()
        calls = pstats.Stats(counter).total_calls / args.calls
        if args.dump:
            counter.dump_stats(args.dump)
    prof = cProfile.Profile(time.process_time) if args.profile else None   # CPU, not wall
    c0, w0 = time.process_time(), time.perf_counter()
    if prof:
        prof.enable()
    for i in range(args.requests):
        post(i)
    if prof:
        prof.disable()
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    counts.sort()
    print(f"SQL statements per intake (one per officer, {len(chosen)} officers): median {counts[len(counts) // 2]}, "
          f"min {counts[0]}, max {counts[-1]} (a max above the median: the 30 s catalogue cache expired)")
    if args.calls:
        print(f"Python function calls per intake (cProfile, {args.calls} intakes): {calls:,.0f}")
    print(f"{args.requests} intakes in-process{' (under cProfile)' if prof else ''}: "
          f"CPU {cpu / args.requests * 1000:.2f} ms/intake, wall {wall / args.requests * 1000:.2f} ms/intake")
    if prof:
        st = pstats.Stats(prof)
        st.sort_stats("tottime").print_stats(args.profile)
        st.sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
