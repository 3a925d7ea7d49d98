"""`motcua seed`: the demo province "tỉnh Hòa Bình Demo", and synthetic dossiers for benchmarks.

    motcua seed                       base seed: 17 departments with units, a public administration
                                      centre, 8 districts x 5 communes, ~50 procedures, staff in every
                                      role, ~1,000 dossiers in all 10 statuses made through the services
    motcua seed --dossiers N [--agency CODE]
                                      N more synthetic dossiers, written in bulk (COPY on PostgreSQL)

The base seed is idempotent: when the demo province already exists it is left as it is; when the
database holds other agencies the command refuses. --dossiers runs the base seed first if needed.

Demo accounts (password "motcua-demo"): `admin` (superuser, administrator of the whole province) and
"<slug>.<role>" where role is tiepnhan (receiving officer), chuyenvien (specialist), truongphong (unit
head), lanhdao (agency leader), vanthu (clerk), quantri (administrator), and slug is
  - a department's symbol in lower case: snv stp stc syt sgddt snnmt sct svhttdl skhcn sgtvt sldtbxh
    sngv ttt bdt bqlkcn sxd vpubnd (e.g. sxd.tiepnhan, stp.chuyenvien, sxd.lanhdao)
  - the centre: ttpvhcc (ttpvhcc.tiepnhan, ttpvhcc.tiepnhan2)
  - a district: tphoabinh luongson kimboi caophong tanlac maichau lacson yenthuy (luongson.tiepnhan)
  - a commune: "<district>-x<1..5>" (luongson-x1.tiepnhan, luongson-x1.chuyenvien, luongson-x1.lanhdao,
    luongson-x1.vanthu); communes have no unit head
Citizen accounts: congdan1 .. congdan5.
"""
import random
import sys
import time as _time
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from motcua.agencies import demodata as PV
from motcua.agencies.demo import build_province, build_staff
from motcua.agencies.models import Agency, AgencyKind
from motcua.catalog.demo import build_catalog
from motcua.demo.hooks import app_seeders
from motcua.dossiers.bulkseed import BulkSeeder
from motcua.dossiers.codes import TZ
from motcua.dossiers.demo import LifecycleSeeder
from motcua.dossiers.models import Dossier, Status


def _help():
    return __doc__


class Command(BaseCommand):
    help = _help()

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=None,
                            help="add N synthetic dossiers in bulk (benchmarks); runs the base seed first if needed")
        parser.add_argument("--agency", default=None,
                            help="with --dossiers: only this competent agency (or, for the centre code, dossiers "
                                 "received at the centre)")
        parser.add_argument("--lifecycle", type=int, default=1000,
                            help="dossiers the base seed creates through the services (default 1000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument("--now", default=None, help="reference moment (ISO 8601); default: the current time")
        parser.add_argument("--chunk", type=int, default=20000, help="rows per bulk chunk (default 20000)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        now = datetime.fromisoformat(opts["now"]) if opts["now"] else timezone.now()
        if timezone.is_naive(now):
            now = now.replace(tzinfo=TZ)
        root = Agency.objects.filter(code=PV.PROVINCE["code"], kind=AgencyKind.PROVINCE).first()
        if root is None:
            if Agency.objects.exists():
                raise CommandError(
                    "Cơ sở dữ liệu đã có cơ quan không thuộc tỉnh demo: không tạo dữ liệu mẫu để tránh trộn lẫn. "
                    "Dùng một cơ sở dữ liệu trống (DATABASE_URL) cho dữ liệu mẫu.")
            self.base(now, opts)
        elif opts["dossiers"] is None:
            self.stdout.write(f"Tỉnh demo ({root.name}) đã có: không tạo lại (seed chỉ chạy một lần).")
        if opts["dossiers"]:
            seeder = BulkSeeder(self.stdout, opts["seed"] + 1 + Dossier.objects.count(), now, opts["agency"],
                                opts["chunk"], opts["quiet"])
            written, secs = seeder.run(opts["dossiers"])
            self.stdout.write(f"Đã tạo {written} hồ sơ tổng hợp trong {secs:.1f} s "
                              f"({written / max(secs, 1e-9):,.0f} hồ sơ/s).")

    def base(self, now, opts):
        t0 = _time.monotonic()
        rng = random.Random(opts["seed"])
        with transaction.atomic():
            tree = build_province()
            procs = build_catalog(tree)
            users = build_staff(tree)
        n_agencies = Agency.objects.count()
        self.stdout.write(f"Cơ quan: {n_agencies} ({len(tree['departments'])} sở, ban, ngành; "
                          f"{len(tree['districts'])} huyện; {len(tree['communes'])} xã); thủ tục: {len(procs)}; "
                          f"tài khoản: {users}")
        n = opts["lifecycle"]
        if n:
            bar = tqdm(total=n, unit="hồ sơ", desc="hồ sơ mẫu", disable=True if opts["quiet"] else None,
                       file=sys.stderr)
            with transaction.atomic():
                counts = LifecycleSeeder(rng, now, tree).run(n, bar.update)
            bar.close()
            self.stdout.write("Hồ sơ theo trạng thái: " + ", ".join(
                f"{s}:{counts.get(s, 0)}" for s in sorted(Status.values)))
        for label, seed_demo in app_seeders():      # each app's own demo data, next to the app
            with transaction.atomic():
                said = seed_demo(tree=tree, now=now, rng=rng)
            if said:
                self.stdout.write(f"{label}: {said}")
        self.stdout.write(f"Xong dữ liệu mẫu trong {_time.monotonic() - t0:.1f} s. Mật khẩu mọi tài khoản: "
                          f"{PV.PASSWORD!r} (admin, sxd.tiepnhan, sxd.chuyenvien, ... xem `motcua seed --help`).")
