from django.core.management import call_command
from django.core.management.base import BaseCommand

from motcua.agencies.models import Agency


class Command(BaseCommand):
    help = "Migrate, load the demo province (once) and serve on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args, **opts):
        call_command("migrate", verbosity=0)
        if not Agency.objects.exists():
            self.stdout.write("Đang tạo dữ liệu mẫu của tỉnh demo...")
            call_command("seed")
        else:
            self.stdout.write("Dữ liệu mẫu đã có; bỏ qua bước tạo dữ liệu.")
        self.stdout.write("Tài khoản mẫu: xem `motcua seed --help`; mật khẩu mặc định 'motcua-demo'.")
        if not opts["no_serve"]:
            call_command("serve", bind=opts["bind"])
