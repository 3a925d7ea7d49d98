"""A 1,000-document exchange between two Motcua instances (tests/documents/pair.py: two databases, two web
servers, two workers on 127.0.0.1): A signs N công văn first (not timed), then issues them all to B; the clock
runs from the first issue to the last registration on B. Counted on both sides: B's incoming documents, A's
delivered envelopes and the 01/03 statuses A got back. 0 lost = every count equals N.

    .venv/bin/python bench/bench_exchange.py [--n 1000] [--pg postgres://postgres@127.0.0.1:5432/motcua_docx_bench]
        [--ports 8450,8451]     # the two web servers' ports (default: any free ones)
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.documents import pair  # noqa: E402
from tests.documents.pair import COUNT_A, COUNT_B, ISSUE_ALL, SIGN_DRAFTS, make_pair  # noqa: E402


def value(out, key):
    return out.split(f"{key}=")[1].split()[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--pg", default="")
    ap.add_argument("--ports", default="", help="A,B: the two web servers' ports (a shared machine's range)")
    o = ap.parse_args()
    if o.ports:
        ports = iter(int(p) for p in o.ports.split(","))
        pair.free_port = lambda: next(ports)
    with tempfile.TemporaryDirectory(prefix="motcua-exchange-bench-") as tmp:
        a, b = make_pair(tmp, pg_base=o.pg or None)
        try:
            a.start(), b.start()
            a.wait_up(), b.wait_up()
            ids = value(a.run(SIGN_DRAFTS, N=o.n, timeout=7200), "IDS")
            t0 = float(value(a.run(ISSUE_ALL, IDS=ids, timeout=7200), "T0"))
            out_b = b.run(COUNT_B, N=o.n, timeout=7200)
            out_a = a.run(COUNT_A, N=o.n, timeout=7200)
            elapsed = float(value(out_b, "B_LAST")) - t0
            counts = {k: int(value(out_a if k.startswith("A_") else out_b, k))
                      for k in ("A_SENT", "A_STATUSES", "A_DOCS_WITH_03", "B_INCOMING", "B_REFUSED")}
            lost = o.n - min(counts["A_SENT"], counts["B_INCOMING"], counts["A_DOCS_WITH_03"])
            print(f"documents={o.n} elapsed={elapsed:.1f}s rate={o.n / elapsed:.2f} documents/s lost={lost} "
                  f"counts={counts} db={'postgresql' if o.pg else 'sqlite'} load={os.getloadavg()}")
        finally:
            a.stop(), b.stop()


if __name__ == "__main__":
    main()
