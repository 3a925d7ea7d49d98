#!/usr/bin/env python
"""Intakes per second through POST /api/v1/dossiers/ against a real gunicorn on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
        .venv/bin/python bench/bench_intake.py [--requests 5000] [--concurrency 16] [--workers 4]

- migrates and runs the base seed if the demo province is missing (`motcua seed`);
- starts `python -m gunicorn motcua.wsgi:application --workers K --bind 127.0.0.1:8766`;
- tokens from `motcua token USERNAME` for receiving officers of several agencies (departments, the
  centre receiving for departments, districts, communes);
- a bounded load generator: --requests POSTs shared by --concurrency threads, each thread with its own
  keep-alive http.client connection, every request with its own Idempotency-Key;
- prints requests/s, latency p50/p95/p99, and the error count (anything but 201 is an error);
- then, in the same run, pgbench executes the same write statements as one intake (captured from a real
  intake through the API; one transaction each) and the ratio intakes/s / pgbench transactions/s is printed.

With --profile the gunicorn workers run under cProfile (one file per worker pid in /tmp) and the top
functions by cumulative time are printed after the run.
Only loopback addresses are used; every loop is bounded.
"""
import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_worklist import MOTCUA, ROOT, VENV_BIN, django_setup, percentile, sh, summary  # noqa: E402

PROFILE_CONF = """
import cProfile, os
_profiles = {}
def post_fork(server, worker):
    p = cProfile.Profile(); p.enable(); _profiles[os.getpid()] = p
def worker_exit(server, worker):
    p = _profiles.get(os.getpid())
    if p:
        p.disable(); p.dump_stats(f"/tmp/motcua-intake-{os.getpid()}.prof")
"""


def officers_and_payloads(n_agencies):
    """[(username, payload template)] for receiving officers of several agencies."""
    from motcua.agencies.models import Agency, AgencyKind, Membership, Role
    from motcua.catalog.models import Procedure

    sh("migrate", "-v0")
    if not Agency.objects.filter(kind=AgencyKind.PROVINCE).exists():
        print("seeding the demo province ...", flush=True)
        sh("seed", "--quiet", "--lifecycle", "200")
    chosen = []
    kinds = [AgencyKind.CENTRE] + [AgencyKind.DEPARTMENT] * 6 + [AgencyKind.DISTRICT] * 3 + [AgencyKind.COMMUNE] * 3
    used = set()
    for kind in kinds:
        if len(chosen) >= n_agencies:
            break
        for m in Membership.objects.filter(role=Role.RECEIVING_OFFICER, agency__kind=kind).select_related(
                "user", "agency").order_by("agency__code"):
            if m.agency_id in used:
                continue
            if kind == AgencyKind.CENTRE:
                proc = Procedure.objects.filter(agencies__kind=AgencyKind.DEPARTMENT).order_by("code").first()
                competent = proc.agencies.filter(kind=AgencyKind.DEPARTMENT).first()
                payload = {"procedure": proc.code, "agency": competent.code, "intake_agency": m.agency.code}
            else:
                proc = Procedure.objects.filter(agencies=m.agency).order_by("code").first()
                if proc is None:
                    continue
                payload = {"procedure": proc.code, "agency": m.agency.code}
            used.add(m.agency_id)
            chosen.append((m.user.username, payload))
            break
    return chosen


def pgbench_same_writes(user, token, tpl, clients, seconds):
    """pgbench running the INSERT/UPDATE/WITH statements of one real intake through the API (captured
    in-process with Django's test client), per-dossier values made unique (bench_intake_pgbench.script).
    Returns (transactions/s, pgbench output)."""
    import re

    import dj_database_url
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench_intake_pgbench import script
    from motcua.dossiers.models import Dossier

    payload = dict(tpl, channel=1, applicant_name="Nguyễn Văn Pgbench", applicant_id_number="017000000001",
                   applicant_phone="0912345678", applicant_address="Tổ 5, phường Phương Lâm", request="Hồ sơ đo tải")
    client = Client(HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/api/v1/dossiers/", data=json.dumps(payload, ensure_ascii=False),
                        content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}",
                        HTTP_IDEMPOTENCY_KEY="pgbench-probe-" + os.urandom(6).hex())
    if r.status_code != 201:
        raise SystemExit(f"pgbench capture: intake failed {r.status_code} {r.content[:200]!r}")
    dossier = Dossier.objects.get(code=r.json()["code"])
    text = script(dossier, [q["sql"] for q in ctx.captured_queries])
    path = Path("/tmp/motcua-bench-intake-pgbench.sql")
    path.write_text(text)
    db = dj_database_url.parse(os.environ["DATABASE_URL"])
    cmd = ["pgbench", "-n", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres",
           "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", str(path), db["NAME"]]
    res = subprocess.run(cmd, capture_output=True, text=True)
    tps = re.search(r"tps = ([0-9.]+)", res.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", res.stdout)
    if not tps or res.returncode != 0 or (failed and failed.group(1) != "0"):
        raise SystemExit(f"pgbench failed:\n{res.stdout[-1500:]}\n{res.stderr[-1500:]}")
    return float(tps.group(1)), text


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    ap.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread when > 1)")
    ap.add_argument("--agencies", type=int, default=12)
    ap.add_argument("--bind", default="127.0.0.1:8766")
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--json", help="write the figures to this JSON file")
    ap.add_argument("--pgbench-seconds", type=int, default=20,
                    help="after the HTTP run, pgbench runs the same writes as one intake for this long (0: skip)")
    ap.add_argument("--pgbench-clients", type=int, default=12)
    args = ap.parse_args()
    host, port = args.bind.split(":")
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback addresses only")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("warning: DATABASE_URL is not PostgreSQL; figures are not meaningful", file=sys.stderr)

    django_setup()
    chosen = officers_and_payloads(args.agencies)
    tokens = {u: sh("token", u) for u, _p in chosen}
    rng = random.Random(42)
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    given = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Long", "Ngọc Lan"]

    def body(i):
        user, tpl = chosen[i % len(chosen)]
        payload = dict(tpl, channel=1, applicant_name=f"{rng.choice(surnames)} {rng.choice(given)}",
                       applicant_id_number=f"017{rng.randrange(10**9):09d}", applicant_phone=f"09{rng.randrange(10**8):08d}",
                       applicant_address="Tổ 5, phường Phương Lâm, thành phố Hòa Bình", request="Hồ sơ đo tải")
        return user, json.dumps(payload, ensure_ascii=False).encode()

    total = args.warmup + args.requests
    work = [body(i) for i in range(total)]
    cmd = [str(VENV_BIN / "python"), "-m", "gunicorn", "motcua.wsgi:application", "--bind", args.bind,
           "--workers", str(args.workers), "--log-level", "warning"]
    if args.threads > 1:
        cmd += ["--threads", str(args.threads)]
    conf = None
    if args.profile:
        conf = Path("/tmp/motcua-intake-gunicorn-profile.py")
        conf.write_text(PROFILE_CONF)
        cmd += ["-c", str(conf)]
        for old in Path("/tmp").glob("motcua-intake-*.prof"):
            old.unlink()
    log = open("/tmp/motcua-bench-intake.log", "w")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MOTCUA_LOG_LEVEL="ERROR")
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    lat, statuses, errors_sample = [], {}, []
    lock = threading.Lock()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                c = http.client.HTTPConnection(host, int(port), timeout=5)
                c.request("GET", "/api/v1/me/", headers={"Authorization": f"Token {tokens[chosen[0][0]]}"})
                r = c.getresponse()
                r.read()
                if r.status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start; see /tmp/motcua-bench-intake.log")
            time.sleep(0.3)

        def run(items, record):
            it = iter(items)
            it_lock = threading.Lock()

            def worker():
                conn = http.client.HTTPConnection(host, int(port), timeout=60)
                while True:
                    with it_lock:
                        item = next(it, None)
                    if item is None:
                        break
                    user, data = item
                    headers = {"Authorization": f"Token {tokens[user]}", "Content-Type": "application/json",
                               "Idempotency-Key": str(uuid.uuid4()), "Accept": "application/json"}
                    t = time.perf_counter()
                    try:
                        conn.request("POST", "/api/v1/dossiers/", body=data, headers=headers)
                        r = conn.getresponse()
                        payload = r.read()
                        status = r.status
                    except OSError as exc:
                        conn.close()
                        conn = http.client.HTTPConnection(host, int(port), timeout=60)
                        status, payload = f"{type(exc).__name__}", b""
                    ms = (time.perf_counter() - t) * 1000
                    if record:
                        with lock:
                            lat.append(ms)
                            statuses[status] = statuses.get(status, 0) + 1
                            if status != 201 and len(errors_sample) < 5:
                                errors_sample.append((status, payload[:300]))
                conn.close()

            threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
            t0 = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            return time.perf_counter() - t0

        run(work[:args.warmup], record=False)
        elapsed = run(work[args.warmup:], record=True)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
        log.close()

    errors = sum(n for s, n in statuses.items() if s != 201)
    rps = len(lat) / elapsed
    print(f"{len(lat)} intakes by {len(chosen)} receiving officers ({', '.join(u for u, _p in chosen)}); "
          f"concurrency={args.concurrency}; gunicorn workers={args.workers} threads={args.threads}")
    print(f"elapsed {elapsed:.1f} s -> {rps:.1f} requests/s")
    print(summary("POST /api/v1/dossiers/", lat))
    print(f"statuses: {statuses}; errors: {errors}")
    for s, p in errors_sample:
        print(f"  sample error {s}: {p!r}")
    print(f"target >= 300/s: {'MET' if rps >= 300 else 'MISSED'}")
    tps = None
    if args.pgbench_seconds > 0:
        user, tpl = chosen[1 % len(chosen)]
        tps, text = pgbench_same_writes(user, tokens[user], tpl, args.pgbench_clients, args.pgbench_seconds)
        n = sum(1 for line in text.splitlines() if line.split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "WITH"))
        print(f"pgbench, the same {n} write statements as one intake in one transaction "
              f"({args.pgbench_clients} clients, {args.pgbench_seconds} s, script /tmp/motcua-bench-intake-pgbench.sql): "
              f"{tps:.1f} transactions/s")
        print(f"ratio intakes/s / pgbench transactions/s = {rps / tps:.3f}")
    if args.profile:
        import pstats
        files = [str(p) for p in Path("/tmp").glob("motcua-intake-*.prof")]
        if files:
            st = pstats.Stats(*files)
            st.sort_stats("cumulative").print_stats(45)
            st.sort_stats("tottime").print_stats(25)
    if args.json:
        Path(args.json).write_text(json.dumps({"requests": len(lat), "elapsed_s": elapsed, "rps": rps,
                                               "p50": percentile(lat, 50), "p95": percentile(lat, 95),
                                               "p99": percentile(lat, 99), "errors": errors, "pgbench_tps": tps,
                                               "ratio": rps / tps if tps else None}, indent=2))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
