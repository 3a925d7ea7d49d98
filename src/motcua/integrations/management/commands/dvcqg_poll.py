import json

from django.core.management.base import BaseCommand

from motcua.integrations.inbound import poll_once


class Command(BaseCommand):
    help = "Lấy các hồ sơ mới nộp trên Cổng DVCQG một lần (danh sách, từng hồ sơ, xác nhận). Poll DVCQG once."

    def handle(self, *args, **opts):
        self.stdout.write(json.dumps(poll_once(), ensure_ascii=False))
