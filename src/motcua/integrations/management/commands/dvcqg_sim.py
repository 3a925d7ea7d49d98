import time

from django.core.management.base import BaseCommand

from motcua.integrations.portal.contrib.dvcqg.sim import Simulator


class Command(BaseCommand):
    help = ("Chạy bộ mô phỏng Cổng DVCQG và LGSP trên 127.0.0.1 (kiểm thử, demo, benchmark). "
            "Run the DVCQG + LGSP simulator on 127.0.0.1.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--client-id", default="motcua")
        parser.add_argument("--client-secret", default="motcua-secret")
        parser.add_argument("--username", default="motcua")
        parser.add_argument("--password", default="motcua-pass")
        parser.add_argument("--token-lifetime", type=int, default=3600, help="seconds")
        parser.add_argument("--webhook", default="", help="push originated dossiers to this URL (signed)")
        parser.add_argument("--webhook-secret", default="")

    def handle(self, *args, **o):
        sim = Simulator(port=o["port"], clients={o["client_id"]: o["client_secret"]},
                        users={o["username"]: o["password"]}, token_lifetime=o["token_lifetime"])
        if o["webhook"]:
            sim.set_webhook(o["webhook"], o["webhook_secret"])
        sim.start()
        self.stdout.write(f"DVCQG-sim: {sim.url} (GET {sim.url}/_sim/state; Ctrl-C để dừng)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
