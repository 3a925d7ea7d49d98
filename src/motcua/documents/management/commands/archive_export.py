import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.scope import actor_for
from motcua.core.errors import DomainError
from motcua.documents import archive


class Command(BaseCommand):
    help = ("Export a closed dossier (--dossier CODE) or a closed document file (--file ID) as a BagIt package "
            "for the archive, validate a package (--validate DIR), or list what is due for transfer (--due).")

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", help="tài khoản văn thư/lãnh đạo cơ quan")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--dossier", help="mã hồ sơ thủ tục hành chính đã kết thúc")
        what.add_argument("--file", type=int, help="số hiệu hồ sơ công việc đã kết thúc")
        what.add_argument("--validate", metavar="DIR", help="kiểm tra một gói lưu trữ")
        what.add_argument("--due", action="store_true", help="hồ sơ đến hạn nộp lưu trong 30 ngày")
        parser.add_argument("--out", help="thư mục chứa gói (mặc định MOTCUA_ARCHIVE_DIR)")

    def handle(self, *args, **o):
        try:
            if o["validate"]:
                meta = archive.validate_package(o["validate"])
                self.stdout.write(json.dumps(meta, ensure_ascii=False, indent=1))
                return
            if not o["as_user"]:
                raise CommandError("--as is required")
            user = get_user_model().objects.filter(username=o["as_user"], is_active=True).first()
            if user is None:
                raise CommandError(f"no such user: {o['as_user']}")
            actor = actor_for(user)
            if o["due"]:
                for row in archive.due(actor):
                    self.stdout.write(f"{row['due_on'].isoformat()}\t{row['kind']}\t{row['code']}\t{row['title']}")
                return
            if o["dossier"]:
                package = archive.export_dossier(actor, o["dossier"], dest=o["out"])
            else:
                package = archive.export_file(actor, o["file"], dest=o["out"])
        except DomainError as e:
            raise CommandError(f"{e.code}: {e.message}") from e
        self.stdout.write(package.path)
