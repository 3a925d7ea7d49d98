#!/usr/bin/env python
"""Signatures per second per core for a 2-page result, next to `openssl speed rsa2048` on the same machine.

    .venv/bin/python bench/bench_signing.py [--seconds 20] [--levels B-B,B-T] [--no-appearance]

- builds the local test PKI of tests/signing (root, CA, TSA on 127.0.0.1 in a thread);
- signs a 2-page PDF with an RSA-2048 PKCS#12 key in one process (one core), for --seconds per level,
  with the Decree 30 signature block (embedded DejaVu font, seal and signature images) unless
  --no-appearance; B-T asks the local TSA over HTTP for every signature;
- verifies one result of each level (ours) so the numbers are for good signatures;
- runs `openssl speed -seconds S rsa2048` and prints its RSA-2048 sign/s for comparison;
- prints a table: level, signatures, seconds, signatures/s, ms per signature, share of time spent in RSA.

Only loopback addresses are used; every loop is bounded by time.
"""
import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def openssl_rsa2048(seconds):
    if not shutil.which("openssl"):
        return None, "openssl not installed"
    out = subprocess.run(["openssl", "speed", "-seconds", str(seconds), "rsa2048"], capture_output=True,
                         text=True).stdout
    m = re.search(r"^rsa 2048 bits\s+([\d.]+)s\s+([\d.]+)s\s+([\d.]+)\s+([\d.]+)", out, re.M)
    if not m:
        return None, out[-400:]
    return float(m.group(3)), out.strip().splitlines()[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--levels", default="B-B,B-T")
    ap.add_argument("--no-appearance", action="store_true")
    ap.add_argument("--openssl-seconds", type=int, default=5)
    args = ap.parse_args()

    import base64

    from motcua.signing import appearance
    from motcua.signing import keys as key_sources
    from motcua.signing import pdf
    from tests.signing import pki as testpki
    from tests.signing.samples import make_pdf, seal_png, signature_png

    pki = testpki.start_pki(Path(tempfile.mkdtemp(prefix="bench-signing-")))
    source = key_sources.source_for("pkcs12", {"data_b64": base64.b64encode(pki.leader.p12()).decode(),
                                               "passphrase": testpki.P12_PASSWORD})
    doc = make_pdf(2, "GIAY PHEP XAY DUNG")
    look = None if args.no_appearance else appearance.SignatureBlock(
        title_lines=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Nguyễn Văn Giám", signature_image=signature_png(),
        seal_image=seal_png(), note="Ký số")
    results = []
    for level in args.levels.split(","):
        options = pdf.SignOptions(level=level, tsa_url=pki.tsa_url, trust_roots=[pki.root.asn1])
        signed = pdf.sign_pdf(doc, source, options, look)           # warm-up, and checked below
        report = pdf.verify_pdf(signed, [pki.root.asn1])
        assert report["valid"] and report["signatures"][0]["level"] == level, report
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            pdf.sign_pdf(doc, source, options, look)
            n += 1
        elapsed = time.perf_counter() - start
        results.append((level, n, elapsed, len(signed)))
    pki.server.shutdown()

    rsa, line = openssl_rsa2048(args.openssl_seconds)
    print(f"2-page PDF, RSA-2048 PKCS#12 key, appearance={'no' if args.no_appearance else 'Decree 30 block'}, "
          f"1 process (one core)")
    print(f"{'level':6} {'signatures':>10} {'seconds':>8} {'sig/s':>8} {'ms/sig':>8} {'RSA share':>9} {'bytes':>8}")
    for level, n, elapsed, size in results:
        rate = n / elapsed
        rsa_ops = 1 if level == "B-B" else 2         # B-T: the signer's RSA plus the TSA's RSA (same machine)
        share = f"{100 * rsa_ops * rate / rsa:.1f}%" if rsa else "?"
        print(f"{level:6} {n:>10} {elapsed:>8.1f} {rate:>8.1f} {1000 / rate:>8.1f} {share:>9} {size:>8}")
    print(f"openssl speed rsa2048: {rsa:.1f} sign/s" if rsa else f"openssl speed failed: {line}")
    print(f"  ({line})")


if __name__ == "__main__":
    main()
