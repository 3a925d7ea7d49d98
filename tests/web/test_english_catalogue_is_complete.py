"""English is the second language: every string marked for translation in the code and the templates is in the
English catalogue (extracted again here), and every string in the catalogue has its translation.

Update the catalogue with `motcua makemessages` (no fuzzy guesses, no wrapping), translate the new empty entries
in src/motcua/locale/en/LC_MESSAGES/django.po with any .po editor, then `motcua compilemessages -l en`."""
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import motcua

PO = Path(motcua.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def entries(text):
    for block in text.split("\n\n"):
        if block.startswith("#~") or 'msgid ""\nmsgstr ""\n"Project' in block:
            continue
        if "\nmsgid " not in "\n" + block:
            continue
        yield block


def test_every_catalogue_entry_has_an_english_translation():
    untranslated = []
    for block in entries(PO.read_text()):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M).group(1)
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', block, re.M)
        if "#, fuzzy" in block or not strs or any(s == "" for s in strs):
            untranslated.append(msgid)
    assert untranslated == []


def test_the_compiled_catalogue_says_what_the_source_says():
    """The .mo the server reads is compiled from this .po (`motcua compilemessages -l en` after every edit)."""
    with PO.with_suffix(".mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for block in entries(PO.read_text()):
        msgid = unescape(re.search(r'^msgid "(.*)"$', block, re.M).group(1))
        if "\nmsgid_plural " in block:
            continue
        msgstr = unescape(re.search(r'^msgstr "(.*)"$', block, re.M).group(1))
        if compiled.gettext(msgid) != msgstr:
            stale.append(msgid)
    assert stale == []


# `motcua makemessages` run on a copy of the package (so the real catalogue is never touched): its own
# defaults, settings pointed at the copy's locale folder.
EXTRACT = """
import sys
from pathlib import Path
import django
from django.conf import settings
from django.core.management import call_command
import motcua.core.management.commands.makemessages as command
copy = Path(sys.argv[1])
django.setup()
settings.LOCALE_PATHS = [copy / "locale"]
command.PACKAGE = copy
call_command("makemessages", locale=["en"], verbosity=0)
"""


def msgids(text):
    return {re.search(r'^msgid "(.*)"$', block, re.M).group(1) for block in entries(text)}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed "
                                                              "(apt-get install gettext)")
def test_every_string_of_the_source_is_in_the_catalogue(tmp_path):
    """A string marked for translation in the code or a template but never extracted into the .po is shown in
    Vietnamese on the English site: extract again and compare."""
    copy = tmp_path / "motcua"
    shutil.copytree(PO.parents[3], copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    done = subprocess.run([sys.executable, "-c", EXTRACT, str(copy)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "motcua.settings",
                               "PYTHONPATH": str(PO.parents[4])})
    assert done.returncode == 0, done.stderr[-3000:]
    fresh, ours = msgids((copy / PO.relative_to(PO.parents[3])).read_text()), msgids(PO.read_text())
    assert sorted(fresh - ours) == [], "not in the catalogue: run `motcua makemessages` and translate them"
    assert sorted(ours - fresh) == [], "no longer in the source: run `motcua makemessages` (drops them)"


def unescape(s):
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
