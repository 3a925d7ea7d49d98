import time

from django.core.management.base import BaseCommand

from motcua.integrations.payments.sim import PaygateSim


class Command(BaseCommand):
    help = ("Chạy bộ mô phỏng cổng thanh toán VNPay và Nền tảng thanh toán DVCQG trên 127.0.0.1. "
            "Run the VNPay + national payment platform simulator on 127.0.0.1.")

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8002)
        parser.add_argument("--tmn-code", default="MOTCUA01")
        parser.add_argument("--hash-secret", default="vnpay-secret")
        parser.add_argument("--ipn-url", default="http://127.0.0.1:8000/thanh-toan/vnpay/ipn/")
        parser.add_argument("--partner-code", default="MOTCUA")
        parser.add_argument("--secret-key", default="paygov-secret")
        parser.add_argument("--access-token", default="paygov-token")
        parser.add_argument("--confirm-url", default="http://127.0.0.1:8000/thanh-toan/paygov/xac-nhan/")
        parser.add_argument("--return-url", default="http://127.0.0.1:8000/thanh-toan/paygov/ket-qua/")
        parser.add_argument("--ipn-retries", type=int, default=10)
        parser.add_argument("--ipn-retry-seconds", type=float, default=60.0)

    def handle(self, *args, **o):
        sim = PaygateSim(port=o["port"], tmn_code=o["tmn_code"], hash_secret=o["hash_secret"], ipn_url=o["ipn_url"],
                         partner_code=o["partner_code"], secret_key=o["secret_key"], access_token=o["access_token"],
                         confirm_url=o["confirm_url"], return_url=o["return_url"], ipn_retries=o["ipn_retries"],
                         ipn_retry_seconds=o["ipn_retry_seconds"]).start()
        self.stdout.write(f"Paygate-sim: {sim.url} (VNPay {sim.url}/paymentv2/vpcpay.html, PayGov {sim.url}/paygov/init; "
                          f"GET {sim.url}/_sim/state; Ctrl-C để dừng)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            sim.stop()
