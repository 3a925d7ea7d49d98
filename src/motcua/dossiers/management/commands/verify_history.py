import json
import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from motcua.dossiers import checkpoints, history
from motcua.dossiers.models import Dossier


class Command(BaseCommand):
    help = ("Verify every dossier's history: the hash chain, the dossier row against its last event, and the "
            "chain heads anchored by the signed, time-stamped checkpoints (or one dossier with --dossier CODE). "
            "Exit code 1 if anything is broken.")

    def add_arguments(self, parser):
        parser.add_argument("--dossier")
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument("--no-checkpoints", action="store_true", help="check the chains only")

    def handle(self, *args, **opts):
        anchors, checkpoint_problems = ({}, []) if opts["no_checkpoints"] else checkpoints.load_anchors()
        for p in checkpoint_problems:
            self.stdout.write(f"BROKEN CHECKPOINT {p['checkpoint']}: {json.dumps(p, ensure_ascii=False)}")
        if opts.get("dossier"):
            d = Dossier.objects.filter(code=opts["dossier"]).first()
            if d is None:
                self.stderr.write(f"Không có hồ sơ {opts['dossier']}")
                sys.exit(2)
            broken = [(d.code, p) for p in [history.verify_chain(d, anchors)] if p]
            total = 1
        else:
            total = Dossier.objects.count()
            bar = tqdm(total=total, unit="hồ sơ", disable=opts["quiet"] or not sys.stderr.isatty())
            broken = list(history.verify_all(progress=bar.update, anchors=anchors))
            bar.close()
        for code, problems in broken:
            self.stdout.write(f"BROKEN {code}: {json.dumps(problems, ensure_ascii=False)}")
        self.stdout.write(f"{total - len([b for b in broken if b[1][0]['problem'] != 'dossier_missing'])} "
                          f"of {total} dossier histories intact")
        if anchors or checkpoint_problems:
            self.stdout.write(f"{len(anchors)} chain heads anchored by checkpoints; "
                              f"{len(checkpoint_problems)} checkpoint problems")
        if broken or checkpoint_problems:
            sys.exit(1)
