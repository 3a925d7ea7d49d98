"""`motcua makemessages`: Django's, with the project's defaults for the gettext catalogues.

- No line wrapping and no obsolete entries, so a string is one line in the .po file and a diff shows exactly what changed.
- No fuzzy matching: msgmerge would give a new string the translation of the nearest old one (for example
  "Phiên bản hồ sơ" got "Dossier components"), and a fuzzy entry is easy to miss; a new string stays empty
  until a translator fills it, and tests/web/test_english_catalogue_is_complete.py fails until then.
- Run from the package, so the file references are relative to src/motcua.
"""
import os
from pathlib import Path

from django.core.management.commands import makemessages

PACKAGE = Path(__file__).resolve().parents[3]


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["no_wrap"] = True
        options["no_obsolete"] = True
        if not options.get("locale") and not options.get("all"):
            options["locale"] = ["en"]
        here = os.getcwd()
        os.chdir(PACKAGE)
        try:
            return super().handle(*args, **options)
        finally:
            os.chdir(here)
