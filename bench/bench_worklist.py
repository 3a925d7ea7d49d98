#!/usr/bin/env python
"""Officer worklist latency on a large database, over real HTTP (gunicorn on loopback).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
        .venv/bin/python bench/bench_worklist.py [--dossiers 1000000] [--requests 600] [--workers 2]

1. makes sure the database holds at least --dossiers dossiers (runs `motcua migrate`, then
   `motcua seed --dossiers K` for the missing ones; the base province is seeded first if absent);
2. starts `motcua serve --bind 127.0.0.1:8765` in a subprocess;
3. GETs /api/v1/dossiers/?list=to_process and ?list=overdue (default ordering due_at) for officers of
   several agencies (receiving officers, specialists, unit heads, leaders of the busiest departments, a
   district, a commune and the centre), one persistent connection, --requests requests after a warm-up;
4. prints p50/p95/p99 per list and overall, and EXPLAIN ANALYZE of the worklist query and of the
   pagination COUNT for the busiest officer (--explain).

Only loopback addresses are used; every loop is bounded.
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
MOTCUA = str(VENV_BIN / "motcua") if (VENV_BIN / "motcua").exists() else "motcua"


def sh(*args, check=True, capture=True):
    res = subprocess.run([MOTCUA, *args], cwd=ROOT, capture_output=capture, text=True)
    if check and res.returncode != 0:
        raise SystemExit(f"motcua {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    return res.stdout.strip() if capture else ""


def django_setup():
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    django.setup()


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100 * (len(s) - 1)))))
    return s[k]


def summary(label, ms):
    return (f"{label:<28} n={len(ms):>5}  p50={percentile(ms, 50):7.1f} ms  p95={percentile(ms, 95):7.1f} ms  "
            f"p99={percentile(ms, 99):7.1f} ms  mean={statistics.fmean(ms) if ms else float('nan'):7.1f} ms")


class Server:
    """`motcua serve` (gunicorn) in a subprocess; stopped by its own pid only."""

    def __init__(self, bind, workers, log_path):
        self.bind, self.workers, self.log_path = bind, workers, log_path
        self.proc = None

    def __enter__(self):
        self.log = open(self.log_path, "w")
        env = dict(os.environ, MOTCUA_LOG_LEVEL=os.environ.get("MOTCUA_LOG_LEVEL", "ERROR"))
        self.proc = subprocess.Popen([MOTCUA, "serve", "--bind", self.bind, "--workers", str(self.workers)],
                                     cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        return self

    def wait_ready(self, token, timeout=60):
        host, port = self.bind.split(":")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited early; see {self.log_path}")
            try:
                c = http.client.HTTPConnection(host, int(port), timeout=5)
                c.request("GET", "/api/v1/me/", headers={"Authorization": f"Token {token}"})
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"server not ready after {timeout}s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)  # the process group we started (gunicorn master + its workers)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
        self.log.close()


def ensure_dossiers(n):
    sh("migrate", "-v0")
    django_setup()
    from motcua.dossiers.models import Dossier
    have = Dossier.objects.count()
    if have < n:
        print(f"database has {have:,} dossiers; seeding {n - have:,} more ...", flush=True)
        t = time.monotonic()
        subprocess.run([MOTCUA, "seed", "--dossiers", str(n - have)], cwd=ROOT, check=True)
        print(f"seeded in {time.monotonic() - t:.0f} s", flush=True)
        from django.db import connection
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return Dossier.objects.count()


def pick_officers(limit):
    """Officers of the busiest organisations: (username, agency code, role)."""
    from django.db.models import Count

    from motcua.agencies.models import Agency, AgencyKind, Membership, Role
    from motcua.dossiers.models import Dossier

    busiest = list(Dossier.objects.values("agency_id").annotate(n=Count("id")).order_by("-n")[:4])
    orgs = [b["agency_id"] for b in busiest]
    district = Agency.objects.filter(kind=AgencyKind.DISTRICT).order_by("code").first()
    commune = Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("code").first()
    centre = Agency.objects.filter(kind=AgencyKind.CENTRE).first()
    orgs += [a.pk for a in (district, commune, centre) if a]
    roles = [Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.AGENCY_LEADER]
    out = []
    for org in orgs:
        for m in Membership.objects.filter(role__in=roles).select_related("user", "agency", "agency__parent"):
            if m.agency.organisation.pk == org:
                out.append((m.user.username, m.agency.organisation.code, m.role))
    seen, uniq = set(), []
    for o in out:
        if o[0] not in seen:
            seen.add(o[0])
            uniq.append(o)
    return uniq[:limit]


def explain(username, name):
    """EXPLAIN ANALYZE of the queries the view runs (page + COUNT) for one officer and one list."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from motcua.agencies.scope import actor_for
    from motcua.dossiers import services
    from motcua.dossiers.api import _worklist_filter

    actor = actor_for(get_user_model().objects.get(username=username))
    qs = services.visible_dossiers(actor).select_related("procedure", "agency")
    qs = qs.filter(_worklist_filter(actor, name, timezone.now())).order_by("due_at", "id")
    out = []
    for label, q in (("page", qs[:50]), ("count", None)):
        if q is None:
            sql, params = qs.values("id").query.sql_with_params()
            sql = f"SELECT COUNT(*) FROM ({sql}) c"
        else:
            sql, params = q.query.sql_with_params()
        if connection.vendor != "postgresql":
            return "EXPLAIN ANALYZE needs PostgreSQL"
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
        out.append(f"--- {name} {label} for {username}\n{sql % tuple(repr(p) for p in params)}\n{plan}")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dossiers", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--warmup", type=int, default=40)
    ap.add_argument("--bind", default="127.0.0.1:8765")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--officers", type=int, default=16)
    ap.add_argument("--lists", default="to_process,overdue")
    ap.add_argument("--page-size", type=int, default=50)
    ap.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE for the busiest officer")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args()
    host, port = args.bind.split(":")
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback addresses only")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("warning: DATABASE_URL is not PostgreSQL; figures are not meaningful", file=sys.stderr)

    total = ensure_dossiers(args.dossiers)
    officers = pick_officers(args.officers)
    tokens = {u: sh("token", u) for u, _a, _r in officers}
    lists = [x for x in args.lists.split(",") if x]
    print(f"{total:,} dossiers; {len(officers)} officers; lists {lists}; {args.requests} requests; "
          f"gunicorn workers={args.workers}", flush=True)

    jobs = [(u, lst) for u, _a, _r in officers for lst in lists]
    results = {lst: [] for lst in lists}
    sizes = {}
    errors = 0
    with Server(args.bind, args.workers, "/tmp/motcua-bench-worklist.log") as server:
        server.wait_ready(tokens[officers[0][0]])
        conn = http.client.HTTPConnection(host, int(port), timeout=30)

        def get(user, lst):
            path = f"/api/v1/dossiers/?list={lst}&page_size={args.page_size}"
            t = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Token {tokens[user]}", "Accept": "application/json"})
            r = conn.getresponse()
            body = r.read()
            return (time.perf_counter() - t) * 1000, r.status, body

        for i in range(args.warmup):
            get(*jobs[i % len(jobs)])
        for i in range(args.requests):
            user, lst = jobs[i % len(jobs)]
            ms, status, body = get(user, lst)
            if status != 200:
                errors += 1
                continue
            results[lst].append(ms)
            if (user, lst) not in sizes:
                sizes[(user, lst)] = json.loads(body).get("count")
        conn.close()

    print("\nworklist sizes (count) per officer:")
    for (u, lst), n in sorted(sizes.items()):
        print(f"  {u:<24} {lst:<11} {n}")
    print()
    all_ms = [m for v in results.values() for m in v]
    for lst, ms in results.items():
        print(summary(f"list={lst}", ms))
    print(summary("all", all_ms))
    print(f"errors: {errors}")
    p95 = percentile(all_ms, 95)
    print(f"target p95 < 50 ms: {'MET' if p95 < 50 else 'MISSED'} (p95 = {p95:.1f} ms)")
    if args.explain:
        busiest = officers[0][0]
        for lst in lists:
            print(explain(busiest, lst))
    if args.json:
        Path(args.json).write_text(json.dumps({
            "dossiers": total, "requests": len(all_ms), "errors": errors,
            "p50": percentile(all_ms, 50), "p95": p95, "p99": percentile(all_ms, 99),
            "per_list": {lst: {"p50": percentile(v, 50), "p95": percentile(v, 95), "p99": percentile(v, 99)}
                         for lst, v in results.items()}}, indent=2))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
