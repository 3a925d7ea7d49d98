from django.core.management.base import BaseCommand

from motcua.catalog import excel


class Command(BaseCommand):
    help = "Export the procedure catalogue to an Excel workbook."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        with open(file, "wb") as fh:
            fh.write(excel.export_catalog())
        self.stdout.write(f"Đã ghi {file}")
