"""`motcua search-reindex [--kind KIND ...] [--new]`: rebuild the full-text search index from the data (after a bulk
load, a restore, or to repair rows an after-commit indexing missed)."""
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from motcua.search import services
from motcua.search.kinds import kinds


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", default=None,
                            help="only this kind (repeatable): " + ", ".join(sorted(k for k, _c in kinds)))
        parser.add_argument("--new", action="store_true",
                            help="keep the index, add only objects newer than the newest indexed (after a bulk load)")
        parser.add_argument("--batch", type=int, default=5000, help="objects read per batch (default 5000)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        unknown = set(opts["kind"] or ()) - {k for k, _c in kinds}
        if unknown:
            raise CommandError(f"Loại không có: {', '.join(sorted(unknown))}.")
        bar = tqdm(unit="mục", desc="search-reindex", disable=True if opts["quiet"] else None, file=sys.stderr)
        done = services.reindex(opts["kind"], new=opts["new"], batch=max(1, opts["batch"]), progress=lambda _k, n: bar.update(n))
        bar.close()
        for name, n in done.items():
            self.stdout.write(f"{name}: {n}")
