#!/usr/bin/env python
"""Payments confirmed per second through the VNPay IPN, and 1,000 concurrent duplicate IPNs, against a real
gunicorn on loopback (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_pay \
        .venv/bin/python bench/bench_payments.py [--orders 1000] [--concurrency 8] [--workers 2] [--duplicates 1000]

- migrates; creates (once) a small agency, a procedure with a 150,000 đ fee, a citizen and --orders+101
  online dossiers, then one VNPay order per dossier through payments.services.start (amount from the
  catalogue);
- starts `gunicorn motcua.wsgi:application --workers W` with the VNPay settings the IPNs are signed with;
- phase 1: one signed IPN per order (HMAC-SHA512 as VNPay signs) from --concurrency threads: payments
  confirmed per second, latency percentiles, every reply must be RspCode 00;
- phase 2: --duplicates copies of the IPN of ONE new order, all released at once (a barrier) from as many
  threads: exactly one reply 00, each dossier paid exactly once (one Payment row, one history event);
- phase 3: --duplicates IPNs for 100 new orders (10 copies each, shuffled, all at once): each paid once.
Only loopback addresses are used; every loop is bounded.
"""
import argparse
import http.client
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_worklist import ROOT, VENV_BIN, django_setup, sh, summary  # noqa: E402

SECRET, TMN = "bench-secret", "BENCH001"
ENV = {"MOTCUA_PAYMENT_GATEWAYS": "vnpay", "MOTCUA_VNPAY_PAY_URL": "http://127.0.0.1:9/paymentv2/vpcpay.html",
       "MOTCUA_VNPAY_TMN_CODE": TMN, "MOTCUA_VNPAY_HASH_SECRET": SECRET,
       "MOTCUA_VNPAY_RETURN_URL": "http://127.0.0.1:8767/thanh-toan/vnpay/ket-qua/", "MOTCUA_NATIONAL_PORTAL": ""}


def prepare(n):
    """n dossiers with a fresh VNPay order each; returns the orders' IPN query strings."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from motcua.agencies.models import Agency, AgencyKind
    from motcua.agencies.scope import actor_for
    from motcua.catalog.models import Fee, Field, Procedure
    from motcua.dossiers import services as dossiers
    from motcua.integrations.payments import services
    from motcua.integrations.payments.contrib.vnpay import signing

    root, _c = Agency.objects.get_or_create(code="000.00.00.B99", defaults={"name": "Tỉnh đo tải",
                                                                           "kind": AgencyKind.PROVINCE})
    agency, _c = Agency.objects.get_or_create(code="000.00.17.B99", defaults={"name": "Sở đo tải", "parent": root,
                                                                             "kind": AgencyKind.DEPARTMENT})
    field, _c = Field.objects.get_or_create(code="BENCHPAY", defaults={"name": "Đo tải thanh toán"})
    proc, created = Procedure.objects.get_or_create(code="9.999999", defaults={
        "name": "Thủ tục đo tải thanh toán", "field": field, "time_value": Decimal(3), "online_level": "full"})
    if created:
        proc.agencies.add(agency)
        Fee.objects.create(procedure=proc, name="Lệ phí cấp phép", amount=150000)
    user, _c = get_user_model().objects.get_or_create(username="bench.congdan")
    actor = actor_for(user)
    queries = []
    t0 = time.perf_counter()
    for i in range(n):
        d, _c = dossiers.intake(actor, {"procedure": proc.code, "agency": agency.code, "channel": 2,
                                        "applicant_name": "Nguyễn Văn Đo", "applicant_phone": "0912345678"},
                                owner=user)
        order = services.start(actor, d.code, provider="vnpay", purpose="fee", ip="127.0.0.1")
        params = {"vnp_Amount": str(order.amount * 100), "vnp_BankCode": "NCB", "vnp_CardType": "ATM",
                  "vnp_OrderInfo": f"Thanh toan ho so {d.code}", "vnp_PayDate": order.gateway_time,
                  "vnp_ResponseCode": "00", "vnp_TmnCode": TMN, "vnp_TransactionNo": str(10_000_000 + i),
                  "vnp_TransactionStatus": "00", "vnp_TxnRef": order.reference, "vnp_BankTranNo": f"VNP{i}"}
        queries.append((order.reference, "/thanh-toan/vnpay/ipn/?" + signing.signed_query(SECRET, params)))
    print(f"prepared {n} dossiers and orders in {time.perf_counter() - t0:.1f} s", flush=True)
    return queries


def fire(host, port, items, concurrency, barrier=False):
    """GET every path; returns (elapsed s, [(ms, RspCode or error)])."""
    it, lock, out = iter(items), threading.Lock(), []
    gate = threading.Barrier(concurrency) if barrier else None

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=120)
        if gate:
            gate.wait()
        while True:
            with lock:
                item = next(it, None)
            if item is None:
                break
            t = time.perf_counter()
            try:
                conn.request("GET", item[1])
                r = conn.getresponse()
                body = r.read()
                import json
                code = json.loads(body).get("RspCode") if r.status == 200 else f"http_{r.status}"
            except Exception as exc:   # noqa: BLE001 - counted as an error
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=120)
                code = type(exc).__name__
            with lock:
                out.append(((time.perf_counter() - t) * 1000, code, item[0]))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t0, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--duplicates", type=int, default=1000)
    ap.add_argument("--bind", default="127.0.0.1:8767")
    args = ap.parse_args()
    host, port = args.bind.split(":")
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit("loopback addresses only")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("warning: DATABASE_URL is not PostgreSQL; figures are not meaningful", file=sys.stderr)
    os.environ.update(ENV)
    django_setup()
    sh("migrate", "-v0")
    from collections import Counter

    from motcua.dossiers.models import HistoryEvent, Payment
    from motcua.integrations.payments.models import PaymentOrder

    queries = prepare(args.orders + 101)
    main_q, dup_one, dup_many = queries[:args.orders], queries[args.orders], queries[args.orders + 1:]
    log = open("/tmp/motcua-bench-payments.log", "w")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MOTCUA_LOG_LEVEL="ERROR")
    server = subprocess.Popen([str(VENV_BIN / "python"), "-m", "gunicorn", "motcua.wsgi:application", "--bind",
                               args.bind, "--workers", str(args.workers), "--backlog", "2048", "--log-level", "warning"],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                c = http.client.HTTPConnection(host, int(port), timeout=5)
                c.request("GET", "/thanh-toan/vnpay/ipn/")
                c.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start; see /tmp/motcua-bench-payments.log") from None
                time.sleep(0.3)
        elapsed, out = fire(host, int(port), main_q, args.concurrency)
        codes = Counter(c for _ms, c, _r in out)
        print(f"phase 1: {len(out)} IPNs, {len(out) / elapsed:.1f} payments confirmed/s with {args.workers} gunicorn "
              f"workers, concurrency {args.concurrency}; replies {dict(codes)}")
        print(summary("IPN latency", [ms for ms, _c, _r in out]))
        ok1 = codes == Counter({"00": len(main_q)})

        elapsed, out = fire(host, int(port), [dup_one] * args.duplicates, args.duplicates, barrier=True)
        codes = Counter(c for _ms, c, _r in out)
        order = PaymentOrder.objects.get(reference=dup_one[0])
        pays = Payment.objects.filter(dossier_id=order.dossier_id).count()
        events = HistoryEvent.objects.filter(dossier_id=order.dossier_id, action="pay_online").count()
        print(f"phase 2: {args.duplicates} copies of one IPN at once in {elapsed:.1f} s: replies {dict(codes)}; "
              f"order {order.state}, payments {pays}, history events {events}")
        ok2 = codes.get("00") == 1 and pays == 1 and events == 1

        many = [q for q in dup_many for _i in range(max(args.duplicates // len(dup_many), 1))]
        random.Random(7).shuffle(many)
        elapsed, out = fire(host, int(port), many, min(len(many), 200), barrier=True)
        codes = Counter(c for _ms, c, _r in out)
        refs = [r for r, _q in dup_many]
        dossier_ids = list(PaymentOrder.objects.filter(reference__in=refs).values_list("dossier_id", flat=True))
        per = Counter(Payment.objects.filter(dossier_id__in=dossier_ids).values_list("dossier_id", flat=True))
        ok3 = len(per) == len(refs) and set(per.values()) == {1} and codes.get("00") == len(refs)
        print(f"phase 3: {len(many)} IPNs for {len(refs)} orders ({len(many) // len(refs)} copies each) at once in "
              f"{elapsed:.1f} s: replies {dict(codes)}; orders paid exactly once: {sum(1 for v in per.values() if v == 1)}"
              f"/{len(refs)}")
    finally:
        if server.poll() is None:
            os.killpg(server.pid, 15)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
        log.close()
    print("RESULT:", "each order paid exactly once" if ok1 and ok2 and ok3 else "FAILED")
    return 0 if ok1 and ok2 and ok3 else 1


if __name__ == "__main__":
    sys.exit(main())
