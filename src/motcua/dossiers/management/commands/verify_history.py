import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from motcua.dossiers import history
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = "Verify the hash chain of every dossier's history (or one dossier with --dossier CODE)."

    def add_arguments(self, parser):
        parser.add_argument("--dossier")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, **opts):
        if opts.get("dossier"):
            d = Dossier.objects.filter(code=opts["dossier"]).first()
            if d is None:
                self.stderr.write(f"Không có hồ sơ {opts['dossier']}")
                sys.exit(2)
            broken = [(d.code, p) for p in [history.verify_chain(d)] if p]
            total = 1
        else:
            total = Dossier.objects.count()
            bar = tqdm(total=total, unit="hồ sơ", disable=opts["quiet"] or not sys.stderr.isatty())
            broken = list(history.verify_all(progress=bar.update))
            bar.close()
        for code, problems in broken:
            self.stdout.write(f"BROKEN {code}: {problems}")
        self.stdout.write(f"{total - len(broken)} of {total} dossier histories intact")
        if broken:
            sys.exit(1)
