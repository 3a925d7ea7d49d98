import os
import subprocess

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.agencies.models import Agency
from motcua.core.processes import gunicorn_command, supervise


class Command(BaseCommand):
    help = "Migrate, load the demo province (once) and serve on MOTCUA_BIND (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--bind", default=os.environ.get("MOTCUA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WORKERS", "3")))
        parser.add_argument("--no-sync", action="store_true", help="without the worker and the DVCQG simulator")
        parser.add_argument("--sim-port", type=int, default=8001, help="port of the DVCQG simulator")

    def handle(self, *args, **opts):
        call_command("migrate", verbosity=0)
        if not Agency.objects.exists():
            self.stdout.write("Đang tạo dữ liệu mẫu của tỉnh demo...")
            call_command("seed")
        else:
            self.stdout.write("Dữ liệu mẫu đã có; bỏ qua bước tạo dữ liệu.")
        self.stdout.write("Tài khoản mẫu: xem `motcua seed --help`; mật khẩu mặc định 'motcua-demo'.")
        self.demo_signing(opts["bind"])
        if opts["no_serve"]:
            return
        if opts["no_sync"]:
            call_command("serve", bind=opts["bind"], workers=opts["workers"])
            return
        from motcua.integrations import demo
        demo.ensure_mappings()
        procs = demo.start(opts["bind"], opts["sim_port"])
        self.stdout.write(f"Đồng bộ: worker + mô phỏng Cổng DVCQG http://127.0.0.1:{opts['sim_port']}/_sim/state; "
                          "quản trị đồng bộ: /can-bo/dong-bo/; mô phỏng cổng thanh toán http://127.0.0.1:8002/_sim/state "
                          "(Ctrl-C dừng tất cả)")
        self.stdout.write(f"Motcua: http://{opts['bind']}/")
        web = subprocess.Popen(gunicorn_command(opts["bind"], opts["workers"]))
        # Ctrl-C or SIGTERM stops the web server, the worker and the simulators together; so does any of them ending
        raise SystemExit(supervise([web, *procs]))

    def demo_signing(self, bind):
        """Test keys for the demo province from its own test PKI, and the settings the server needs to sign
        with them (B-T, revocation checked against the PKI that Motcua itself serves under /demo-pki/)."""
        from motcua.signing.demopki import DemoPKI
        directory = str(settings.VAR_DIR / "demo-pki")
        call_command("signing", "demo-pki", "--dir", directory, "--base-url", f"http://{bind}")
        pki = DemoPKI(directory)
        base = pki.base_url()
        for name, value in (("MOTCUA_SIGNING_DEMO_PKI", directory), ("MOTCUA_SIGNING_TRUST_ROOTS", str(pki.root_path)),
                            ("MOTCUA_SIGNING_TSA_URL", f"{base}/demo-pki/tsa"),
                            ("MOTCUA_SIGNING_FETCH_ALLOW", base.split("://", 1)[1])):
            os.environ.setdefault(name, value)
