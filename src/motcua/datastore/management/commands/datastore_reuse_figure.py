import os
import time

from django.core.management.base import BaseCommand

from motcua.datastore.demo import FIRST, SECOND, reuse_share


class Command(BaseCommand):
    help = ("Số liệu cho báo cáo: nộp hai lần cho cùng công dân ở tỉnh demo và in tỷ lệ thành phần hồ sơ được dùng "
            "lại từ kho dữ liệu. Files twice for the same demo citizens and prints the share of components reused.")

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=20)
        parser.add_argument("--start", type=int, default=1000, help="first demo person number (new people)")

    def handle(self, *args, **o):
        t0 = time.monotonic()
        reused, total, by_proc = reuse_share(o["people"], o["start"])
        secs = time.monotonic() - t0
        self.stdout.write(f"Lần 1: {FIRST}; lần 2: {', '.join(SECOND)}; {o['people']} công dân.")
        for code, (r, n) in by_proc.items():
            self.stdout.write(f"  {code}: {r}/{n} thành phần dùng lại từ kho")
        share = 100 * reused / total if total else 0
        self.stdout.write(f"Tỷ lệ thành phần hồ sơ dùng lại sau lần nộp thứ hai: {reused}/{total} = {share:.1f}% "
                          f"({secs:.1f} s, tải máy {os.getloadavg()[0]:.2f})")
