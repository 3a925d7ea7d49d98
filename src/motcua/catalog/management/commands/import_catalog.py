import json

from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Role
from motcua.agencies.scope import Actor
from motcua.catalog import excel
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = "Import the procedure catalogue from an Excel workbook (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        operator = Actor(user_id=None, username="cli", roles=frozenset({(Role.ADMINISTRATOR, "/")}), org_paths=("/",))
        try:
            with open(file, "rb") as fh:
                result = excel.import_catalog(operator, fh)
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {file}")
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}\n{json.dumps(exc.details, ensure_ascii=False, indent=1)}")
        self.stdout.write(f"{result['created']} thủ tục mới, {result['updated']} thủ tục cập nhật")
