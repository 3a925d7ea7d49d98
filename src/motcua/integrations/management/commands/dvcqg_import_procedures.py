import json

from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Role
from motcua.agencies.scope import Actor
from motcua.core.errors import DomainError
from motcua.integrations.procedure_import import import_procedures


class Command(BaseCommand):
    help = ("Nhập thủ tục từ phiếu thủ tục của Cổng DVCQG (LayThuTuc) vào danh mục và ghi ánh xạ mã. "
            "Import procedure cards from DVCQG into the catalogue.")

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="mã TTHC trên Cổng DVCQG (mặc định: mọi thủ tục Cổng liệt kê)")
        parser.add_argument("--force", action="store_true",
                            help="ghi đè cả thủ tục đã sửa tại địa phương / tạo tại địa phương")
        parser.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")

    def handle(self, *args, codes, force, **opts):
        operator = Actor(user_id=None, username="cli", roles=frozenset({(Role.ADMINISTRATOR, "/")}), org_paths=("/",))
        try:
            report = import_procedures(operator, codes or None, force=force)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}")
        if opts["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            self.stdout.write(f"tạo mới {len(report['created'])}, cập nhật {len(report['updated'])}, "
                              f"không đổi {len(report['unchanged'])}, giữ bản địa phương {len(report['kept_local'])}, "
                              f"lỗi {len(report['errors'])}")
            for e in report["kept_local"]:
                self.stdout.write(f"  giữ {e['remote_code']}: {e['code']}: {e['message']}")
            for e in report["errors"]:
                self.stdout.write(f"  lỗi {e['remote_code'] or '-'}: {e['code']}: {e['message']}")
        if report["errors"]:
            raise SystemExit(2)
