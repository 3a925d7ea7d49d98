"""Vietnamese text folding for search: case- and diacritics-insensitive ("cap giay phep" finds
"Cấp giấy phép")."""
import unicodedata


def fold(text: str) -> str:
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split())


def matches(query: str, *fields: str) -> bool:
    """Every word of the query occurs (as a substring) in the folded fields."""
    words = fold(query).split()
    hay = " ".join(fold(f) for f in fields)
    return all(w in hay for w in words)
