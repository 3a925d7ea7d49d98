"""motcua signing expiring [--days N]   certificates that expire soon (exit code 1 if any)
motcua signing verify FILE.pdf [--json]  report on every signature of a PDF (exit code 1 if not all valid)
motcua signing register --as USER --agency CODE --label L --kind organisation|personal
                        (--p12 FILE [--passphrase-env VAR] | --source pkcs11|csc --config JSON) [--pin-env VAR]
                        [--holder USER] [--holder-title T] [--authority A] [--seal PNG] [--signature PNG]
motcua signing demo-pki [--dir var/demo-pki] [--base-url http://127.0.0.1:8000]
                        test PKI for the demo province, keys registered (never for production)
motcua signing extend [--before-days N]   re-timestamp archived signed files whose last timestamp expires
                                          within N days (B-LTA; exit code 1 if any failed)"""
import base64
import json
import os
import sys

from django.core.management.base import BaseCommand, CommandError

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
        reg = sub.add_parser("register", help="đăng ký chứng thư số cho cơ quan")
        reg.add_argument("--as", dest="as_user", required=True, help="tài khoản quản trị/lãnh đạo cơ quan")
        reg.add_argument("--agency", required=True)
        reg.add_argument("--label", required=True)
        reg.add_argument("--kind", required=True, choices=["organisation", "personal"])
        reg.add_argument("--source", default="pkcs12", choices=["pkcs12", "pkcs11", "csc"])
        reg.add_argument("--p12", help="tệp .p12/.pfx (lưu vào cơ sở dữ liệu)")
        reg.add_argument("--passphrase-env", help="biến môi trường chứa mật khẩu tệp .p12 (lưu tên biến)")
        reg.add_argument("--config", help="cấu hình nguồn khóa (JSON), ví dụ cho pkcs11/csc")
        reg.add_argument("--pin-env", help="biến môi trường chứa PIN/mật khẩu chỉ dùng để đọc chứng thư (không lưu)")
        reg.add_argument("--holder", help="tài khoản người được cấp (chứng thư cá nhân)")
        reg.add_argument("--holder-name", default="")
        reg.add_argument("--holder-title", default="")
        reg.add_argument("--authority", default="")
        reg.add_argument("--seal", help="ảnh con dấu (PNG)")
        reg.add_argument("--signature", help="ảnh chữ ký (PNG)")
        demo = sub.add_parser("demo-pki", help="PKI thử nghiệm cho tỉnh demo (không dùng thật)")
        demo.add_argument("--dir", default=os.path.join("var", "demo-pki"))
        demo.add_argument("--base-url", default="http://127.0.0.1:8000")

        ext = sub.add_parser("extend", help="gia hạn dấu thời gian của tệp đã ký lưu trữ (PAdES B-LTA)")
        ext.add_argument("--before-days", type=int, default=None,
                         help="gia hạn khi dấu thời gian cuối cùng hết hạn trong số ngày này "
                              "(mặc định MOTCUA_SIGNING_ARCHIVE_BEFORE_DAYS)")
        ext.add_argument("--limit", type=int, default=None)

    def handle(self, *args, what, **opts):
        if what == "register":
            return self.register(opts)
        if what == "demo-pki":
            return self.demo_pki(opts)
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

    def register(self, o):
        from django.contrib.auth import get_user_model

        from motcua.agencies.scope import actor_for
        from motcua.core.errors import DomainError
        User = get_user_model()

        def user(name):
            u = User.objects.filter(username=name).first()
            if u is None:
                raise CommandError(f"Không có tài khoản {name}.")
            return u
        config = json.loads(o["config"]) if o["config"] else {}
        if o["p12"]:
            with open(o["p12"], "rb") as fh:
                config["data_b64"] = base64.b64encode(fh.read()).decode("ascii")
        if o["passphrase_env"]:
            config["passphrase_env"] = o["passphrase_env"]
        secrets = None
        if o["pin_env"]:
            if o["pin_env"] not in os.environ:
                raise CommandError(f"Biến môi trường {o['pin_env']} chưa được đặt.")
            secrets = {"pin": os.environ[o["pin_env"]]}
        images = {}
        for field, arg in (("seal_image", "seal"), ("signature_image", "signature")):
            if o[arg]:
                with open(o[arg], "rb") as fh:
                    images[field] = fh.read()
        try:
            key = services.register_key(
                actor_for(user(o["as_user"])), o["agency"], label=o["label"], kind=o["kind"], source=o["source"],
                config=config, holder=user(o["holder"]) if o["holder"] else None, holder_name=o["holder_name"],
                holder_title=o["holder_title"], authority=o["authority"], secrets=secrets, **images)
        except DomainError as e:
            raise CommandError(f"{e.code}: {e.message}") from e
        self.stdout.write(f"Đã đăng ký chứng thư số #{key.pk} cho {key.agency.name}: {key.subject} "
                          f"(hết hạn {ap.iso_local(key.not_after)})")

    def demo_pki(self, o):
        from django.contrib.auth import get_user_model

        from motcua.agencies.scope import actor_for
        from motcua.signing import demopki
        admin = get_user_model().objects.filter(username="admin").first()
        if admin is None:
            raise CommandError("Chưa có tỉnh demo: chạy `motcua seed` trước.")
        pki = demopki.DemoPKI(o["dir"])
        if not pki.exists():
            pki.create(o["base_url"].rstrip("/"))
        n = demopki.register_demo_keys(pki, actor_for(admin))
        self.stdout.write(f"PKI thử nghiệm: {pki.dir}; đã đăng ký {n} chứng thư số. Để ký, đặt:\n"
                          f"  MOTCUA_SIGNING_DEMO_PKI={pki.dir}\n  MOTCUA_SIGNING_TRUST_ROOTS={pki.root_path}\n"
                          f"  MOTCUA_SIGNING_TSA_URL={pki.base_url()}/demo-pki/tsa\n"
                          f"  MOTCUA_SIGNING_FETCH_ALLOW={pki.base_url().split('://', 1)[1]}")

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
