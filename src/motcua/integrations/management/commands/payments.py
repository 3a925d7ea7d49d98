from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.integrations.payments import registry, services


class Command(BaseCommand):
    help = ("Thanh toán trực tuyến: `payments poll` hỏi cổng về các giao dịch chưa có kết quả; "
            "`payments reconcile [--provider P] [--date YYYY-MM-DD]` đối soát một ngày (mặc định: hôm qua).")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["poll", "reconcile"])
        parser.add_argument("--provider", default="")
        parser.add_argument("--date", default="")

    def handle(self, *args, **o):
        if o["what"] == "poll":
            self.stdout.write(str(services.poll_pending()))
            return
        try:
            day = date.fromisoformat(o["date"]) if o["date"] else timezone.localdate() - timedelta(days=1)
        except ValueError:
            raise CommandError("--date phải có dạng YYYY-MM-DD") from None
        providers = [o["provider"]] if o["provider"] else list(registry.enabled_identifiers())
        for provider in providers:
            if provider not in registry.register:
                raise CommandError(f"Không có cổng thanh toán '{provider}'")
            found = services.reconcile(provider, day)
            self.stdout.write(f"{provider} {day}: {len(found)} chênh lệch mới")
            for d in found:
                self.stdout.write(f"  {d.reference}\t{d.kind}\tMotcua {d.local_amount}\tcổng {d.remote_amount}")
