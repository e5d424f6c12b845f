"""Name keys: one spelling-insensitive key per name, so "TP.HCM", "Tp. Hồ Chí Minh" and "tp hcm" meet."""

from __future__ import annotations

import re
import unicodedata

# Administrative type words that prefix names in sources; longest first so "thanh pho" wins over "tp".
TYPE_PREFIXES: list[tuple[str, str | None]] = [
    ("thanhphotructhuoctrunguong", "province"),
    ("thanhpho", None),
    ("dackhu", "commune"),
    ("thitran", "commune"),
    ("phuong", "commune"),
    ("thixa", "district"),
    ("huyen", "district"),
    ("quan", "district"),
    ("tinh", "province"),
    ("tp", None),
    ("tx", "district"),
    ("xa", "commune"),
]
_PAREN = re.compile(r"\(([^)]*)\)")


def fold(text: str) -> str:
    """Lower-case, remove diacritics (đ→d) but keep spaces and punctuation."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower()
    text = text.replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def key(text: str) -> str:
    """Compact comparison key: folded, only a-z and 0-9."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def split_parenthetical(name: str) -> tuple[str, str | None]:
    """'Phường Tân Bình (TP.Dĩ An)' → ('Phường Tân Bình', 'TP.Dĩ An')."""
    m = _PAREN.search(name)
    if not m:
        return name.strip(), None
    return _PAREN.sub("", name).strip(), m.group(1).strip()


def strip_type(k: str) -> tuple[str, str | None]:
    """Remove one leading administrative type word from a key; return (rest, level hint)."""
    for prefix, level in TYPE_PREFIXES:
        if k.startswith(prefix) and len(k) > len(prefix) + 1:
            return k[len(prefix):], level
    return k, None


def slug(text: str) -> str:
    """ASCII slug for file names and URLs."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


_EN_SUFFIXES = ("province", "district", "commune", "city", "town", "ward")


def strip_english_type(k: str) -> str:
    """'thudaumotcity' → 'thudaumot' (English sources put the type after the name)."""
    for suffix in _EN_SUFFIXES:
        if k.endswith(suffix) and len(k) > len(suffix) + 1:
            return k[: -len(suffix)]
    return k
