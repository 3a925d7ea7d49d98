"""`motcua scan-uploads`: scan the files kept in quarantine because the virus scanner was unavailable
when they arrived. Clean ones become available; infected ones are deleted (the row stays, marked).
Exit code 1 while the scanner is still unavailable. Run it from cron next to cleanup-uploads."""
from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.scanning import rescan_pending


class Command(BaseCommand):
    help = "Quét virus các tệp đang chờ quét (máy quét không sẵn sàng lúc nhận tệp)."

    def handle(self, *args, **options):
        r = rescan_pending()
        self.stdout.write(f"clean {r['clean']}, infected {r['infected']}, still pending {r['pending']}")
        if r["pending"]:
            raise CommandError("virus scanner unavailable: files stay in quarantine")
