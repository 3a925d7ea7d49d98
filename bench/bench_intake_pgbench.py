#!/usr/bin/env python
"""The ceiling for intake on this machine: pgbench running the same INSERT/UPDATE statements as one real
intake (daily counter upsert, dossier, components, steps, history, idempotency key, outbox message, task
row), in one transaction, with unique values per run. Compare its transactions/s with
bench/bench_intake.py's intakes/s on the same database and machine:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench \
        .venv/bin/python bench/bench_intake_pgbench.py [--clients 12] [--seconds 20] [--print-script]

The script is captured from a real `services.intake` (Django's executed SQL with its parameters), then the
per-dossier values are made unique: the dossier's id comes back with `RETURNING id \\gset`, its code, the
idempotency key and the task id are generated per transaction. Bounded (-T seconds), loopback only.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")


def capture():
    import django
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import bench_delivery
    from motcua.dossiers import services

    receiver, _s = bench_delivery.province()
    data = {"procedure": "9.999999", "channel": 1, "applicant_name": "Nguyễn Văn Bench",
            "applicant_id_number": "001203004567", "request": "bench"}
    services.intake(receiver, data, idempotency_key="warm-up-" + os.urandom(6).hex())   # caches warm
    with CaptureQueriesContext(connection) as ctx:
        d = services.intake(receiver, data, idempotency_key="pgbench-probe-" + os.urandom(6).hex())[0]
    return d, [q["sql"] for q in ctx.captured_queries]


def script(dossier, statements):
    out = ["\\set n random(1, 2000000000)", "BEGIN;"]
    code, did = dossier.code, str(dossier.pk)
    for sql in statements:
        head = sql.lstrip().split(None, 1)[0].upper()
        if head not in ("INSERT", "UPDATE", "WITH"):   # WITH: the act's final rows in one statement
            continue
        sql = sql.replace(f"'{code}'", "'PGB-' || :client_id || '-' || :n")
        sql = re.sub(r"'pgbench-probe-[0-9a-f]+'", "'pgb-' || :client_id || '-' || :n", sql)
        sql = re.sub(r"'[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}'::uuid", "gen_random_uuid()", sql)
        if 'INTO "dossiers_dossier"' in sql:
            sql = sql.rstrip(";") + ("" if "RETURNING" in sql else ' RETURNING "dossiers_dossier"."id"')
            out.append(" ".join(sql.split()) + "\n\\gset d_")
            continue
        # the dossier id, as a value in the later rows (between delimiters)
        sql = re.sub(rf"(?<=[(, {{]){did}(?=[,) }}])", ":d_id", sql)
        sql = re.sub(r'RETURNING .*$', "", sql.strip().rstrip(";"))
        out.append(" ".join(sql.split()) + ";")
    out.append("COMMIT;")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=12)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--print-script", action="store_true")
    a = ap.parse_args()
    import dj_database_url
    db = dj_database_url.parse(os.environ["DATABASE_URL"])
    dossier, statements = capture()
    text = script(dossier, statements)
    if a.print_script:
        print(text)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(text)
    cmd = ["pgbench", "-n", "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres",
           "-c", str(a.clients), "-j", str(a.jobs), "-T", str(a.seconds), "-f", f.name, db["NAME"]]
    res = subprocess.run(cmd, capture_output=True, text=True)
    print(res.stdout[-1500:], res.stderr[-1500:])
    tps = re.search(r"tps = ([0-9.]+)", res.stdout)
    print(f"pgbench, the same writes as one intake: {tps.group(1) if tps else '?'} transactions/s "
          f"({a.clients} clients, {a.seconds} s)")


if __name__ == "__main__":
    main()
