"""motcua signing expiring [--days N]   certificates that expire soon (exit code 1 if any)
motcua signing verify FILE.pdf [--json]  report on every signature of a PDF (exit code 1 if not all valid)
motcua signing extend [--before-days N]   re-timestamp archived signed files whose last timestamp expires
                                          within N days (B-LTA; exit code 1 if any failed)"""
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
        ext = sub.add_parser("extend", help="gia hạn dấu thời gian của tệp đã ký lưu trữ (PAdES B-LTA)")
        ext.add_argument("--before-days", type=int, default=None,
                         help="gia hạn khi dấu thời gian cuối cùng hết hạn trong số ngày này "
                              "(mặc định MOTCUA_SIGNING_ARCHIVE_BEFORE_DAYS)")
        ext.add_argument("--limit", type=int, default=None)

    def handle(self, *args, what, **opts):
        if what == "extend":
            return self._extend(opts)
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
                kind = f"PAdES {s['level']}" if s.get("level") else s.get("format", "?")
                self.stdout.write(f"- {s.get('signer', '?')} ({s.get('agency', '')}) {s.get('signing_time', '')} "
                                  f"{kind}: {s['summary']}")
        if not report["valid"]:
            sys.exit(1)

    def _extend(self, opts):
        from motcua.signing.archive import extend_archive
        result = extend_archive(before_days=opts["before_days"], limit=opts["limit"])
        for row in result["extended"]:
            self.stdout.write(f"gia hạn\t{row['attachment']}\t{ap.iso_local(row['timestamp'])}\t"
                              f"{ap.iso_local(row['previous_until'])} -> {ap.iso_local(row['protected_until'])}")
        for att in result["no_timestamp"]:
            self.stdout.write(f"không có dấu thời gian (B-B), không gia hạn được\t{att}")
        for att in result["tsa_expiring"]:
            self.stdout.write(f"chứng thư của dịch vụ cấp dấu thời gian sắp hết hạn, cần TSA có chứng thư mới\t{att}")
        for row in result["failed"]:
            self.stdout.write(f"lỗi\t{row['attachment']}\t{row['code']}\t{row.get('message', '')}")
        self.stdout.write(f"Đã kiểm tra {result['checked']} tệp, gia hạn {len(result['extended'])}, "
                          f"lỗi {len(result['failed'])}.")
        if result["failed"] or result["tsa_expiring"]:
            sys.exit(1)
