"""motcua signing expiring [--days N]   certificates that expire soon (exit code 1 if any)
motcua signing verify FILE.pdf [--json]  report on every signature of a PDF (exit code 1 if not all valid)"""
import json
import sys

from django.core.management.base import BaseCommand

from motcua.signing import appearance as ap
from motcua.signing import services


class Command(BaseCommand):
    help = "Ký số: cảnh báo chứng thư sắp hết hạn; kiểm tra chữ ký của tệp PDF."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        exp = sub.add_parser("expiring", help="chứng thư số sắp hết hạn")
        exp.add_argument("--days", type=int, default=None)
        ver = sub.add_parser("verify", help="kiểm tra chữ ký số của tệp PDF")
        ver.add_argument("file")
        ver.add_argument("--json", action="store_true")

    def handle(self, *args, what, **opts):
        if what == "expiring":
            rows = services.expiring_keys(within_days=opts["days"])
            for r in rows:
                k = r["key"]
                state = "ĐÃ HẾT HẠN" if r["expired"] else f"còn {r['days_left']} ngày"
                self.stdout.write(f"{k.agency.code}\t{k.label}\t{k.subject}\t{ap.iso_local(k.not_after)}\t{state}")
            if rows:
                sys.exit(1)
            self.stdout.write("Không có chứng thư số nào sắp hết hạn.")
            return
        with open(opts["file"], "rb") as fh:
            report = services.verify(fh.read())
        if opts["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report["summary"])
            for s in report["signatures"]:
                self.stdout.write(f"- {s.get('signer', '?')} ({s.get('agency', '')}) {s.get('signing_time', '')} "
                                  f"PAdES {s.get('level', '?')}: {s['summary']}")
        if not report["valid"]:
            sys.exit(1)
