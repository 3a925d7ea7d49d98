import time

from django.core.management.base import BaseCommand

from motcua.datastore.contrib.kho_dvcqg.sim import Simulator


class Command(BaseCommand):
    help = ("Chạy bộ mô phỏng kho số hóa kết quả trên Cổng DVCQG (GetKetQuaGiayTo, GetGiayToByUrl) trên 127.0.0.1. "
            "Run the DVCQG digitised-results store simulator on 127.0.0.1.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8003)
        parser.add_argument("--token", default="", help="bearer token the simulator requires ('' = none)")

    def handle(self, *args, **o):
        sim = Simulator(port=o["port"], token=o["token"]).start()
        self.stdout.write(f"Kho-DVCQG-sim: {sim.url} (Ctrl-C để dừng)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
