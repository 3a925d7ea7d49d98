import os
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Motcua with gunicorn (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("MOTCUA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WORKERS", "3")))

    def handle(self, *args, **opts):
        self.stdout.write(f"Motcua: http://{opts['bind']}/api/v1/docs/")
        cmd = [sys.executable, "-m", "gunicorn", "motcua.wsgi:application", "--bind", opts["bind"],
               "--workers", str(opts["workers"]), "--access-logfile", "-"]
        raise SystemExit(subprocess.call(cmd))
