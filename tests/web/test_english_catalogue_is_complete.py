"""English is the second language: every string in the English catalogue has its translation.

Update the catalogue with `motcua makemessages` (no fuzzy guesses, no wrapping), translate the new empty entries
in src/motcua/locale/en/LC_MESSAGES/django.po with any .po editor, then `motcua compilemessages -l en`."""
import gettext
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


def unescape(s):
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
