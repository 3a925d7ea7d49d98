"""Benchmark: recompute 1,000,000 due moments after a calendar change.

Usage (from the repo root):
    PYTHONPATH=src .venv/bin/python bench/bench_deadlines.py [--rows N] [--seed S]

Generates N random (clock start, working minutes) pairs over 2024-2026, builds
the default calendar (VN holidays, 2015-2040), times ``due_batch`` over all rows
and a scalar ``add_working_minutes`` loop over a sample, then checks 1,000
random batch results against the scalar path.  Exits 1 if any result differs
or if the batch throughput is below 500,000 rows/s.
"""
from __future__ import annotations

import argparse
import sys
import time as timer
from datetime import datetime

import numpy as np

from motcua.worktime import TZ, WorkCalendar

TARGET_ROWS_PER_S = 500_000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20250301)
    ap.add_argument("--scalar-sample", type=int, default=20_000)
    ap.add_argument("--check", type=int, default=1_000)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    lo = int(datetime(2024, 1, 1, tzinfo=TZ).timestamp())
    hi = int(datetime(2027, 1, 1, tzinfo=TZ).timestamp())
    starts = rng.integers(lo, hi, size=args.rows, dtype=np.int64)  # second resolution
    # Typical limits: 0.5 to 30 working days, plus odd hour counts.
    minutes = rng.choice(
        np.array([240, 480, 960, 1440, 2400, 4800, 7200, 14400], dtype=np.int64), size=args.rows
    ) + rng.integers(0, 2, size=args.rows, dtype=np.int64) * rng.integers(0, 480, size=args.rows)

    t0 = timer.perf_counter()
    cal = WorkCalendar()  # what a calendar change costs: rebuild from scratch
    t_build = timer.perf_counter() - t0

    cal.due_batch(starts[:1000], minutes[:1000])  # warm-up
    best = float("inf")
    for _ in range(3):
        t0 = timer.perf_counter()
        due = cal.due_batch(starts, minutes)
        best = min(best, timer.perf_counter() - t0)
    batch_rate = args.rows / best

    n_scalar = min(args.scalar_sample, args.rows)
    dts = [datetime.fromtimestamp(int(s), TZ) for s in starts[:n_scalar]]
    ms = minutes[:n_scalar].tolist()
    t0 = timer.perf_counter()
    for dt, m in zip(dts, ms):
        cal.add_working_minutes(dt, m)
    t_scalar = timer.perf_counter() - t0
    scalar_rate = n_scalar / t_scalar

    idx = rng.choice(args.rows, size=min(args.check, args.rows), replace=False)
    bad = 0
    for i in idx:
        want = cal.add_working_minutes(datetime.fromtimestamp(int(starts[i]), TZ), int(minutes[i]))
        if int(want.timestamp()) != int(due[i]):
            bad += 1
            if bad <= 5:
                print(f"MISMATCH row {i}: start={starts[i]} minutes={minutes[i]} "
                      f"batch={due[i]} scalar={int(want.timestamp())}", file=sys.stderr)

    print(f"rows                  {args.rows:,}")
    print(f"calendar build        {t_build * 1000:.1f} ms ({len(cal.ps_arr) - 1:,} working periods)")
    print(f"due_batch (best of 3) {best * 1000:.1f} ms  -> {batch_rate:,.0f} rows/s")
    print(f"scalar loop           {n_scalar:,} rows in {t_scalar * 1000:.1f} ms -> {scalar_rate:,.0f} rows/s")
    print(f"batch / scalar        {batch_rate / scalar_rate:.0f}x")
    print(f"verified              {len(idx):,} random rows, {bad} mismatches")
    if bad:
        print("FAIL: batch and scalar results differ", file=sys.stderr)
        return 1
    if batch_rate < TARGET_ROWS_PER_S:
        print(f"FAIL: below {TARGET_ROWS_PER_S:,} rows/s", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
