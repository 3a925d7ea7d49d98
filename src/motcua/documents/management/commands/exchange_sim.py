import time

from django.core.management.base import BaseCommand, CommandError

from motcua.documents.contrib import platform_sim


class Command(BaseCommand):
    help = ("Chạy bộ mô phỏng trục liên thông văn bản quốc gia trên 127.0.0.1 (kiểm thử, demo). "
            "Run the national document exchange platform simulator on 127.0.0.1.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8002)
        parser.add_argument("--system", action="append", default=[],
                            help="SYSTEM_ID:SECRET:CODE1,CODE2 (repeatable): a connected system and its agencies")

    def handle(self, *args, **o):
        systems = {}
        for spec in o["system"] or ["motcua:motcua-platform-secret:000.00.00.H13"]:
            parts = spec.split(":")
            if len(parts) != 3 or not all(parts):
                raise CommandError(f"--system must be SYSTEM_ID:SECRET:CODES, got {spec!r}")
            systems[parts[0]] = (parts[1], parts[2].split(","))
        sim = platform_sim.start(systems, port=o["port"])
        self.stdout.write(f"exchange-sim: {sim.url} (GET {sim.url}/_sim/state; Ctrl-C để dừng)")
        self.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
