"""Vietnamese text as the search index stores it: lower case, no diacritics, đ -> d, one code point for one.

`fold` keeps the length (character i of the folded text is character i of the NFC text), so a match found
in the folded text is highlighted at the same place in the original. `words` is what both databases index
and query: runs of letters and digits (punctuation and "_" separate words), so PostgreSQL's 'simple'
configuration and SQLite FTS5's unicode61 tokenizer see the same words."""
import re
import unicodedata

WORD = re.compile(r"[^\W_]+")


def _fold_char(ch):
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
    base = "".join(c for c in base if not unicodedata.combining(c))
    return base if len(base) == 1 else (base[:1] or " ")


class _FoldTable(dict):
    """str.translate's table, filled on first use of each character (translate runs in C)."""
    def __missing__(self, code):
        self[code] = value = _fold_char(chr(code))
        return value


_TABLE = _FoldTable()


def nfc(text):
    return unicodedata.normalize("NFC", text or "")


def fold(text):
    """Lower case without diacritics, as long as nfc(text)."""
    return nfc(text).translate(_TABLE)


def words(text):
    return WORD.findall(fold(text))


def body(*parts):
    """The normalised body of an index row: the folded words of every part, separated by spaces."""
    return " ".join(w for part in parts if part for w in words(part))
