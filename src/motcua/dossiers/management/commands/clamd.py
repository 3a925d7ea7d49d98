"""`motcua clamd start|stop|status`: the project's own ClamAV daemon, config and socket under var/clamav
(see motcua.dossiers.clamav). `./run demo` starts it when clamd is installed."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers import clamav


class Command(BaseCommand):
    help = "Khởi động / dừng / kiểm tra clamd của dự án (var/clamav)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args, action, **options):
        folder = Path(settings.VAR_DIR) / "clamav"
        sock = settings.MOTCUA_CLAMD_SOCKET
        if action == "status":
            ok = clamav.ping(sock)
            self.stdout.write(f"clamd on {sock}: {'answers' if ok else 'unavailable'}")
            if not ok:
                raise CommandError("clamd unavailable")
        elif action == "start":
            if sock.startswith("tcp://"):
                raise CommandError("MOTCUA_CLAMD_SOCKET points at a remote clamd; start it there")
            try:
                clamav.start(folder, Path(sock))
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"clamd answers on {sock}")
        else:
            self.stdout.write("stopped" if clamav.stop(folder) else "not running")
