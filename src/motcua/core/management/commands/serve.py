import os
import sys

from django.core.management.base import BaseCommand

from motcua.core.processes import gunicorn_command


class Command(BaseCommand):
    help = "Serve Motcua with gunicorn (MOTCUA_BIND, default 127.0.0.1:8000). The command becomes gunicorn " \
           "(exec), so a signal to it (SIGTERM from a service manager, Ctrl-C) reaches the server itself."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("MOTCUA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WORKERS", "3")))

    def handle(self, *args, **opts):
        self.stdout.write(f"Motcua: http://{opts['bind']}/api/v1/docs/")
        self.stdout.flush()
        sys.stderr.flush()
        cmd = gunicorn_command(opts["bind"], opts["workers"])
        os.execv(cmd[0], cmd)
