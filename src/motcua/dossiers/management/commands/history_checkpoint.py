import sys

from django.core.management.base import BaseCommand

from motcua.dossiers import checkpoints


class Command(BaseCommand):
    help = ("Write a signed, RFC 3161 time-stamped checkpoint of the history chain heads that grew since the "
            "last one (all of them with --full) into MOTCUA_HISTORY_CHECKPOINT_DIR. Run it periodically "
            "(every few minutes); keep that directory on other storage than the database.")

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="anchor every chain, not only the changed ones")

    def handle(self, *args, **opts):
        try:
            path = checkpoints.make_checkpoint(full=opts["full"])
        except checkpoints.CheckpointError as exc:
            self.stderr.write(f"{exc.code}: {exc}")
            sys.exit(1)
        if path is None:
            self.stdout.write("Không có gì thay đổi từ điểm neo trước; không ghi điểm neo mới.")
        else:
            self.stdout.write(str(path))
