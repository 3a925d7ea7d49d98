"""English is the second language: every string in the English catalogue has its translation."""
import re
from pathlib import Path

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


def test_the_compiled_catalogue_is_newer_than_its_source():
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1
