"""The `motcua` console command: Django's management commands under one name.

`motcua demo`, `motcua seed`, `motcua token USERNAME`, `motcua calendar due ...`, `motcua serve`,
`motcua verify-history` ... are management commands of the Motcua apps; Django's own commands
(migrate, createsuperuser, ...) work too.
"""
import os
import sys

ALIASES = {"verify-history": "verify_history", "history-checkpoint": "history_checkpoint",
           "import-catalog": "import_catalog", "export-catalog": "export_catalog", "dvcqg-sim": "dvcqg_sim",
           "dvcqg-poll": "dvcqg_poll", "dvcqg-import-procedures": "dvcqg_import_procedures",
           "paygate-sim": "paygate_sim"}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    if argv:
        argv[0] = ALIASES.get(argv[0], argv[0].replace("-", "_"))   # cleanup-uploads -> cleanup_uploads
    from django.core.management import execute_from_command_line

    execute_from_command_line(["motcua", *argv])


if __name__ == "__main__":
    main()
