import time

from django.core.management.base import BaseCommand

from motcua.integrations.notifications.sims import SmsSimulator, ZnsSimulator


class Command(BaseCommand):
    help = ("Chạy các máy chủ mô phỏng Zalo ZNS, SMS brandname (và SMTP nếu có aiosmtpd) trên 127.0.0.1 cho demo. "
            "Run the Zalo ZNS, SMS brandname (and, with aiosmtpd installed, SMTP) simulators on 127.0.0.1.")

    def add_arguments(self, parser):
        parser.add_argument("--zns-port", type=int, default=8002)
        parser.add_argument("--sms-port", type=int, default=8003)
        parser.add_argument("--smtp-port", type=int, default=8025, help="0: no SMTP server")
        parser.add_argument("--zns-token", default="zns-demo-token")
        parser.add_argument("--zns-templates", default="231001", help="approved template ids, comma separated")
        parser.add_argument("--sms-templates", default="9001")

    def handle(self, *args, **o):
        zns = ZnsSimulator(port=o["zns_port"], access_token=o["zns_token"],
                           templates=o["zns_templates"].split(",")).start()
        sms = SmsSimulator(port=o["sms_port"], templates=o["sms_templates"].split(",")).start()
        smtp = self._smtp(o["smtp_port"]) if o["smtp_port"] else None
        env = {"MOTCUA_ZALO_ZNS_URL": zns.url, "MOTCUA_ZALO_ZNS_ACCESS_TOKEN": o["zns_token"],
               "MOTCUA_ZALO_ZNS_TEMPLATE_ID": o["zns_templates"].split(",")[0], "MOTCUA_SMS_URL": sms.url + "/",
               "MOTCUA_SMS_APIUSER": sms.apiuser, "MOTCUA_SMS_APIPASS": sms.apipass,
               "MOTCUA_SMS_TEMPLATEID": o["sms_templates"].split(",")[0]}
        if smtp:
            env.update(MOTCUA_EMAIL_HOST="127.0.0.1", MOTCUA_EMAIL_PORT=str(o["smtp_port"]))
        self.stdout.write(f"ZNS-sim: {zns.url}  SMS-sim: {sms.url}" + (f"  SMTP: 127.0.0.1:{o['smtp_port']}" if smtp
                                                                    else "") + " (GET /_sim/state; Ctrl-C để dừng)")
        self.stdout.write("\n".join(f"export {k}={v}" for k, v in env.items()))
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            zns.stop()
            sms.stop()
            if smtp:
                smtp.stop()

    def _smtp(self, port):
        try:
            from aiosmtpd.controller import Controller
        except ImportError:
            self.stderr.write("aiosmtpd chưa được cài (requirements-test.txt): không chạy máy chủ SMTP.")
            return None
        out = self.stdout

        class Printer:
            async def handle_DATA(self, server, session, envelope):
                out.write(f"SMTP: thư tới {', '.join(envelope.rcpt_tos)} ({len(envelope.original_content)} byte)")
                return "250 Message accepted for delivery"
        controller = Controller(Printer(), hostname="127.0.0.1", port=port)
        controller.start()
        return controller
