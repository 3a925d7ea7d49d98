"""`motcua cleanup-uploads`: remove files of online filings that were never submitted (older than
MOTCUA_PENDING_UPLOAD_HOURS, 24 by default). Run it from cron (hourly is plenty), e.g.
`17 * * * * cd /srv/motcua && ./run cleanup-uploads`."""
from django.core.management.base import BaseCommand

from motcua.dossiers.uploads import cleanup_pending


class Command(BaseCommand):
    help = "Xoá tệp của hồ sơ trực tuyến chưa nộp quá thời hạn (MOTCUA_PENDING_UPLOAD_HOURS)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None, help="age limit in hours (default: the setting)")

    def handle(self, *args, hours=None, **options):
        r = cleanup_pending(max_age_hours=hours)
        self.stdout.write(f"removed {r['filings']} unsubmitted filing(s): {r['files']} file(s), {r['bytes']} bytes")
