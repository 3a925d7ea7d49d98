#!/usr/bin/env python
"""Server time of the web pages (citizen portal and back office) on the demo data.

    .venv/bin/python bench/bench_pages.py [--requests 60] [--dossiers 0]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/bench_pages.py

1. uses DATABASE_URL, or else its own SQLite file var/bench-pages.sqlite3; migrates it and loads the demo
   province (`motcua seed`, ~1,000 dossiers in every status) if absent, plus --dossiers N synthetic ones;
2. renders each page --requests times in-process through Django's full stack (middleware, sessions,
   templates; Django's test client, so no network time) after two warm-up requests, logged in as the
   demo accounts that use them;
3. prints p50/p95/max per page and overall p95 in milliseconds; exits 1 if any page's p95 is over
   --target (default 100 ms). PDFs (slips, register) are reported separately: they are documents, not pages.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOTCUA = [sys.executable, "-m", "motcua.cli"]   # this checkout's code (PYTHONPATH=src below)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--dossiers", type=int, default=0)
    ap.add_argument("--target", type=float, default=100.0)
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL"):
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-pages.sqlite3'}"
    os.environ.setdefault("MOTCUA_LOOKUP_RATE", "1000000/min")   # measure the page, not the rate limit
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    subprocess.run([*MOTCUA, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    seed = [*MOTCUA, "seed"] + (["--dossiers", str(args.dossiers)] if args.dossiers else [])
    subprocess.run(seed, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from motcua.dossiers.models import Dossier, Status

    User = get_user_model()
    officer = User.objects.get(username="sxd.tiepnhan")
    leader = User.objects.get(username="sxd.lanhdao")
    d = (Dossier.objects.filter(agency__symbol="SXD", status=Status.PROCESSING).order_by("id").first()
         or Dossier.objects.filter(agency__symbol="SXD").order_by("id").first())
    owned = Dossier.objects.filter(owner__isnull=False).select_related("owner").order_by("id").first()
    citizen = owned.owner if owned else User.objects.get(username="congdan1")
    proc = d.procedure.code
    anon, off, lead, cit = Client(), Client(), Client(), Client()
    off.force_login(officer)
    lead.force_login(leader)
    cit.force_login(citizen)
    pages = [
        ("portal: home", anon, "/"),
        ("portal: catalogue", anon, "/thu-tuc/"),
        ("portal: catalogue search 'cap giay phep'", anon, "/thu-tuc/?q=cap+giay+phep"),
        ("portal: procedure", anon, f"/thu-tuc/{proc}/"),
        ("portal: lookup form (from the QR)", anon, f"/tra-cuu/?code={d.code}"),  # the lookup itself is a rate-limited POST
        ("portal: on-time rates", anon, "/ty-le-dung-han/"),
        ("portal: filing form", cit, f"/thu-tuc/{proc}/nop/"),
        ("portal: my dossiers", cit, "/ho-so-cua-toi/"),
        ("office: worklist all", off, "/can-bo/"),
        ("office: worklist to_process", off, "/can-bo/?list=to_process"),
        ("office: worklist overdue", lead, "/can-bo/?list=overdue"),
        ("office: worklist search", off, "/can-bo/?list=all&q=Nguy"),
        ("office: dossier page", lead, f"/can-bo/ho-so/{d.code}/"),
        ("office: intake form", off, f"/can-bo/tiep-nhan/?procedure={proc}"),
        ("office: register 7 page", off, "/can-bo/so-theo-doi/"),
    ]
    if owned:
        pages.append(("portal: my dossier", cit, f"/ho-so-cua-toi/{owned.code}/"))
    documents = [("slip 1 PDF", off, f"/can-bo/ho-so/{d.code}/phieu/1.pdf"),
                 ("register 7 Excel", off, "/can-bo/so-theo-doi.xlsx")]

    def measure(client, url, n):
        for _ in range(2):
            r = client.get(url)
            assert r.status_code == 200, (url, r.status_code)
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        return times

    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}; dossiers: {Dossier.objects.count()}; "
          f"{args.requests} requests per page")
    print(f"{'page':45} {'p50':>8} {'p95':>8} {'max':>8}")
    worst, every = 0.0, []
    for name, client, url in pages:
        t = measure(client, url, args.requests)
        p95 = statistics.quantiles(t, n=20, method='inclusive')[18]
        worst = max(worst, p95)
        every += t
        print(f"{name:45} {statistics.median(t):8.1f} {p95:8.1f} {max(t):8.1f}")
    print(f"{'all pages':45} {statistics.median(every):8.1f} {statistics.quantiles(every, n=20, method='inclusive')[18]:8.1f} "
          f"{max(every):8.1f}")
    for name, client, url in documents:
        t = measure(client, url, max(5, args.requests // 6))
        print(f"{'(document) ' + name:45} {statistics.median(t):8.1f} {statistics.quantiles(t, n=20, method='inclusive')[18]:8.1f} "
              f"{max(t):8.1f}")
    print(f"worst page p95: {worst:.1f} ms (target {args.target:.0f} ms)")
    return 0 if worst <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
