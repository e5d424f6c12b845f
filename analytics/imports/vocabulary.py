"""The words that name columns, title cells and index families, read from ``data/import_vocabulary.yaml``.

The file is checked against a schema when it is loaded, so a typo in it fails loudly at start-up instead
of silently not recognising a header.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from analytics.paths import ROOT
from analytics.text import key, split_parenthetical

VOCABULARY_PATH = ROOT / "data" / "import_vocabulary.yaml"

_WORDS = {"type": "array", "items": {"type": "string"}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ignore", "grade", "roles", "locality_prefixes", "note_prefixes", "summary_prefixes",
                 "meta_keys", "families", "level_words", "missing", "index_words"],
    "properties": {
        "ignore": _WORDS, "grade": _WORDS, "locality_prefixes": _WORDS, "note_prefixes": _WORDS,
        "summary_prefixes": _WORDS, "missing": _WORDS, "index_words": _WORDS,
        "roles": {"type": "object", "additionalProperties": False,
                  "required": ["indicator", "locality", "year", "value", "official_rank", "component",
                               "source_url", "note"],
                  "patternProperties": {".*": _WORDS}},
        "meta_keys": {"type": "object", "additionalProperties": False,
                      "required": ["indicator", "year", "source", "within"],
                      "patternProperties": {".*": _WORDS}},
        "families": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["family", "words", "by_level"],
            "properties": {"family": {"type": "string"}, "words": _WORDS,
                           "by_level": {"type": "object", "additionalProperties": {"type": "string"}}}}},
        "level_words": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["level", "words"],
            "properties": {"level": {"enum": ["province", "district", "commune", "agency"]}, "words": _WORDS}}},
    },
}


class VocabularyError(ValueError):
    """The vocabulary file does not match its schema."""


def load_vocabulary(path: Path = VOCABULARY_PATH) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        jsonschema.validate(doc, SCHEMA)
    except jsonschema.ValidationError as e:
        where = "/".join(str(p) for p in e.absolute_path) or "(top)"
        raise VocabularyError(f"{path}: {where}: {e.message}") from e
    return doc


@lru_cache(maxsize=1)
def _default() -> dict[str, Any]:
    return load_vocabulary()


_V = _default()
IGNORE_KEYS = frozenset(_V["ignore"])
GRADE_KEYS = frozenset(_V["grade"])
LONG_ROLES: dict[str, frozenset[str]] = {role: frozenset(words) for role, words in _V["roles"].items()}
LOCALITY_PREFIXES = tuple(_V["locality_prefixes"])
NOTE_PREFIXES = tuple(_V["note_prefixes"])
SUMMARY_PREFIXES = tuple(_V["summary_prefixes"])
META_KEYS: dict[str, frozenset[str]] = {what: frozenset(words) for what, words in _V["meta_keys"].items()}
# Index families recognised in title text → the catalog id by level of the ranked units.
FAMILIES: list[tuple[str, tuple[str, ...], dict[str, str]]] = [
    (f["family"], tuple(f["words"]), dict(f["by_level"])) for f in _V["families"]]
LEVEL_WORDS: list[tuple[str, tuple[str, ...]]] = [(lw["level"], tuple(lw["words"])) for lw in _V["level_words"]]
MISSING = frozenset(_V["missing"])
# Header words that name an index score (preferred over a generic "Điểm …" column for the index value).
INDEX_WORDS = tuple(_V["index_words"])
# Signs of text decoded with the wrong encoding (UTF-8 read as Latin-1) or typed in the legacy TCVN3 font.
MOJIBAKE = re.compile("Ã.|Æ°|Ä‘|áº|á»|Ä\u0090")
TCVN3 = re.compile("[¬µ¸¶·¹¨©®ª«­]{1}")


def header_key(text: Any) -> str:
    """The folded key of a header without its parenthetical ("Điểm (tối đa 100)" → "diem")."""
    base, _ = split_parenthetical(str(text)) if "(" in str(text) else (str(text), None)
    return key(base)


INDEX_WORDS = ("parindex", "chisocchc", "chisocaicach", "pci", "papi", "sipas", "dti", "ictindex", "tongdiem",
               "ketqua", "totalscore", "indexscore", "index", "chiso")
MOJIBAKE = re.compile("Ã.|Æ°|Ä‘|áº|á»|Ä\u0090")
TCVN3 = re.compile("[¬µ¸¶·¹¨©®ª«­]{1}")


def classify_header(text: Any) -> str | None:
    if text is None:
        return None
    s = str(text).strip()
    if not s:
        return None
    k = header_key(s)
    if not k:
        k = key(s)
    if k in IGNORE_KEYS:
        return "ignore"
    if k in GRADE_KEYS:
        return "grade"
    for role, keys in LONG_ROLES.items():
        if k in keys:
            return role
    if "xephang" in k or "thuhang" in k or k.endswith("rank"):
        return "official_rank"
    if any(w in k for w in INDEX_WORDS):
        return "value"
    if k.startswith(LOCALITY_PREFIXES):
        return "locality"
    if "tongdiem" in k or (k.startswith("chiso") and len(k) > 5) or k.startswith(("diem", "ketqua", "score")):
        return "value"
    if k.startswith(("ghichu", "note")):
        return "note"
    return None

