#!/usr/bin/env python
"""Delivery benchmarks (not timed tests): real `motcua worker` processes, the DVCQG simulator on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_delivery_bench \
        .venv/bin/python bench/bench_delivery.py outage  [--outage 600] [--workers 2] [--rate 20]
        .venv/bin/python bench/bench_delivery.py kill    [--messages 2000] [--kills 5] [--workers 2]
        .venv/bin/python bench/bench_delivery.py drain   [--messages 3000] [--workers 2]

- outage: the receiver is down for --outage seconds while acts keep flowing (intakes and forwards at
  about --rate acts/s); then it comes back. Checks: 100 % delivered, per-dossier order kept, 0 duplicates
  applied by the simulator; prints the time to catch up and the act-to-receipt lag p95.
- kill: a backlog of --messages, then `kill -9` of a random worker in the middle of its batch, --kills
  times (a new worker replaces it). Checks: 0 messages lost, order kept, 0 duplicates applied.
- drain: a backlog of --messages delivered by --workers workers: messages/s and act-to-receipt lag.
Everything on 127.0.0.1; the simulator runs in this process (a thread), workers are child processes
stopped by this script. Retry timing is scaled for a benchmark (back-off cap 5 s, lease 10 s).
"""
import argparse
import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
BENCH_ENV = {"MOTCUA_DELIVERY_BACKOFF_CAP": "5", "MOTCUA_DELIVERY_BACKOFF_BASE": "0.5",
             "MOTCUA_DELIVERY_MAX_ATTEMPTS": "10000", "MOTCUA_DELIVERY_LEASE_SECONDS": "10",
             "MOTCUA_DELIVERY_STALE_TASK_SECONDS": "10", "MOTCUA_DELIVERY_SWEEP_AFTER_SECONDS": "30",
             "MOTCUA_DVCQG_AUTH": "lgsp", "MOTCUA_DVCQG_CLIENT_ID": "motcua",
             "MOTCUA_DVCQG_CLIENT_SECRET": "motcua-secret", "MOTCUA_DVCQG_TIMEOUT": "5"}


def setup():
    os.environ.update(BENCH_ENV)
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)


def province():
    """A small bench province (idempotent): one department, one procedure with 3 steps, two officers."""
    from django.contrib.auth import get_user_model

    from motcua.agencies.models import Agency, AgencyKind, Membership, Role
    from motcua.agencies.scope import actor_for
    from motcua.catalog.models import Field, Procedure, ProcessStep, TimeUnit
    from motcua.integrations.models import AgencyMapping, ProcedureMapping

    root, _c = Agency.objects.get_or_create(code="000.00.00.B99", defaults={"name": "Tỉnh bench",
                                                                           "kind": AgencyKind.PROVINCE})
    dept, _c = Agency.objects.get_or_create(code="000.00.17.B99", defaults={"name": "Sở bench", "parent": root,
                                                                           "kind": AgencyKind.DEPARTMENT})
    field, _c = Field.objects.get_or_create(code="BENCH", defaults={"name": "Bench"})
    proc, created = Procedure.objects.get_or_create(code="9.999999", defaults={
        "name": "Thủ tục bench", "field": field, "time_value": Decimal(3), "time_unit": TimeUnit.DAYS})
    if created:
        proc.agencies.add(dept)
        for order, role in ((1, Role.RECEIVING_OFFICER), (2, Role.SPECIALIST), (3, Role.AGENCY_LEADER)):
            ProcessStep.objects.create(procedure=proc, order=order, name=f"Bước {order}", role=role,
                                       allowance_hours=Decimal(8))
    ProcedureMapping.objects.get_or_create(procedure=proc, defaults={"remote_code": "9.999999.000.00.00.B99"})
    AgencyMapping.objects.get_or_create(agency=dept, defaults={"remote_code": dept.code})
    User = get_user_model()
    users = []
    for name, role in (("bench.tiepnhan", Role.RECEIVING_OFFICER), ("bench.chuyenvien", Role.SPECIALIST)):
        u, _c = User.objects.get_or_create(username=name)
        Membership.objects.get_or_create(user=u, agency=dept, role=role)
        users.append(actor_for(u))
    return users


def start_workers(n, url):
    env = {**os.environ, "MOTCUA_DVCQG_URL": url, "MOTCUA_NATIONAL_PORTAL": "dvcqg"}
    return [subprocess.Popen([sys.executable, "-m", "motcua.cli", "worker", "--interval", "0.2"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            for _i in range(n)]


def stop(procs):
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)


def acts(receiver, specialist, n=None, seconds=None, rate=20.0):
    """Intakes and forwards: returns the number of acts. Bounded by n acts or by seconds."""
    from motcua.dossiers import services
    data = {"procedure": "9.999999", "channel": 1, "applicant_name": "Nguyễn Văn Bench",
            "applicant_id_number": "001203004567", "request": "bench"}
    open_codes, done, t0 = [], 0, time.time()
    while (n is None or done < n) and (seconds is None or time.time() - t0 < seconds):
        if open_codes and random.random() < 0.5:
            code, step = open_codes.pop(random.randrange(len(open_codes)))
            services.forward(receiver if step == 1 else specialist, code)
            if step == 1:
                open_codes.append((code, 2))
        else:
            d = services.intake(receiver, data)[0]
            open_codes.append((d.code, 1))
        done += 1
        if rate:
            time.sleep(max(0.0, done / rate - (time.time() - t0)))
    return done


def wait_delivered(timeout):
    from motcua.integrations.models import MessageState, OutboxMessage
    t0 = time.time()
    while time.time() - t0 < timeout:
        left = OutboxMessage.objects.exclude(state=MessageState.DELIVERED).count()
        if left == 0:
            return time.time() - t0
        time.sleep(0.5)
    return None


def verify(sim, since_pk):
    """Every message delivered, per-dossier order kept, 0 duplicates applied. Returns figures."""
    from motcua.integrations.models import MessageState, OutboxMessage
    msgs = list(OutboxMessage.objects.filter(pk__gt=since_pk).values("pk", "dossier_id", "seq", "state", "created_at"))
    with sim.state.lock:
        received = list(sim.state.received)
    applied = [r for r in received if r["applied"] and r["service"] == "DongBoHoSoMC"]
    ids = [r["message_id"] for r in applied]
    first_at = {}
    for r in applied:
        first_at.setdefault(r["message_id"].rsplit(":", 1)[0] if r["message_id"].endswith(":u") else
                            r["message_id"].rsplit(":", 1)[0], r["at"])
    order_ok = True
    per = {}
    for r in applied:
        _i, dossier, seq = r["message_id"].split(":")[:3]
        per.setdefault(dossier, []).append(int(seq))
    for seqs in per.values():
        order_ok &= seqs == sorted(seqs)
    lags = sorted(first_at[f"dvcqg:{m['dossier_id']}:{m['seq']}"] - m["created_at"].timestamp()
                  for m in msgs if f"dvcqg:{m['dossier_id']}:{m['seq']}" in first_at)
    p95 = lags[int(0.95 * (len(lags) - 1))] if lags else None
    return {"messages": len(msgs), "delivered": sum(m["state"] == MessageState.DELIVERED for m in msgs),
            "applied_dongbo": len(ids), "duplicate_applied": len(ids) - len(set(ids)),
            "duplicates_refused_by_receiver": sim.state.duplicates, "order_kept": order_ok,
            "lag_p50_s": round(lags[len(lags) // 2], 3) if lags else None,
            "lag_p95_s": None if p95 is None else round(p95, 3)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario", choices=["outage", "kill", "drain"])
    ap.add_argument("--outage", type=float, default=600)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--kills", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=900)
    a = ap.parse_args()
    setup()
    from motcua.integrations.models import OutboxMessage
    from motcua.integrations.portal.contrib.dvcqg.sim import Simulator

    receiver, specialist = province()
    since = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # earlier runs' leftovers are not part of this run's figures
    OutboxMessage.objects.exclude(state="delivered").update(state="delivered")
    sim = Simulator().start()
    workers = []
    try:
        if a.scenario == "outage":
            workers = start_workers(a.workers, sim.url)
            sim.mode("down")
            t0 = time.time()
            n = acts(receiver, specialist, seconds=a.outage, rate=a.rate)
            print(f"receiver down for {time.time() - t0:.0f} s while {n} acts flowed", flush=True)
            sim.mode("ok")
            catch_up = wait_delivered(a.timeout)
            print(f"caught up {catch_up and round(catch_up, 1)} s after the receiver came back", flush=True)
        elif a.scenario == "kill":
            n = acts(receiver, specialist, n=a.messages, rate=0)
            workers = start_workers(a.workers, sim.url)
            for k in range(a.kills):
                time.sleep(random.uniform(1.0, 3.0))
                victim = random.randrange(len(workers))
                os.killpg(workers[victim].pid, signal.SIGKILL)
                workers[victim].wait()
                workers[victim] = start_workers(1, sim.url)[0]
                print(f"kill -9 #{k + 1}: worker {victim} replaced", flush=True)
            wait_delivered(a.timeout)
        else:
            n = acts(receiver, specialist, n=a.messages, rate=0)
            t0 = time.time()
            workers = start_workers(a.workers, sim.url)
            took = wait_delivered(a.timeout)
            print(f"{n} messages delivered in {took and round(took, 1)} s by {a.workers} workers: "
                  f"{took and round(n / took, 1)} messages/s (includes worker start-up)", flush=True)
        print(verify(sim, since), flush=True)
    finally:
        stop(workers)
        sim.stop()


if __name__ == "__main__":
    main()
