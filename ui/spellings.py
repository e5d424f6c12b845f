"""Spellings people type and paste: picker labels that diacritic-free typing finds, and URL values resolved
to a picker's option.

Streamlit's selectbox filters its options by the displayed label (an in-order, case-insensitive match), so
"binh duong" finds nothing in "Bình Dương". A locality's picker label therefore carries, after " · ", its
name without diacritics and the registry's aliases that the folded name does not already cover ("tp hcm",
"sai gon"). Streamlit offers no search text apart from the label, so the spellings are kept out of sight
in the closed picker by a run of tabs before them (PAD): a text input draws each tab to the next tab stop,
which puts the spellings past the picker's right edge, and the option list collapses the run to a space,
so it reads "Bình Dương · binh duong". A multiselect's chips collapse it too: they still show the spellings.

A URL value that is not an option's label is resolved the way the registry resolves any spelling
(``Ha Noi``, ``tp hcm``, an old name) or, for an indicator, from its label in either language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from analytics.i18n import LANGS
from analytics.registry import RegistryError
from analytics.text import fold, key, strip_type
from ui import cache

SEP = " · "  # between a label and its search spellings; never part of a locality's own name
PAD = "\t" * 30  # ≈ 900 px at the pickers' font: wider than any picker, sidebar dragged wide included
_PAREN = re.compile(r"\([^)]*\)")
MAX_ALIASES = 2  # extra spellings per locality: enough for the common abbreviations, short enough to read


def _is_subsequence(needle: str, hay: str) -> bool:
    """The selectbox's fuzzy filter matches an in-order subsequence: an alias it already finds adds nothing."""
    it = iter(hay)
    return all(ch in it for ch in needle)


def _aliases_by_unit() -> dict[str, list[str]]:
    """unit_id → its other names: names it has had (data/name_history.csv) first, then the spellings seen
    in sources (data/aliases.csv)."""
    reg = cache.registry()
    by_unit: dict[str, list[str]] = {}
    for spell in reg.name_history:
        by_unit.setdefault(spell.unit_id, []).append(spell.short_name)
    for uid, alias, _ in reg.aliases:
        by_unit.setdefault(uid, []).append(alias)
    return by_unit


def search_tail(unit_id: str, label: str, aliases: dict[str, list[str]] | None = None) -> str:
    """The spellings appended to a locality's label: its folded label (when it has diacritics) and up to
    MAX_ALIASES registry aliases, folded, that the text so far does not match."""
    aliases = aliases if aliases is not None else _aliases_by_unit()
    folded = fold(label)
    parts = [folded] if folded != label.lower() else []
    have = " ".join([label.lower(), *parts])
    for alias in aliases.get(unit_id, []):
        if len(parts) >= MAX_ALIASES + 1:
            break
        a = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(alias)).split())
        # "Thành phố Hồ Chí Minh" adds nothing to "TP. Hồ Chí Minh": compare without the type word
        if a and not _is_subsequence(a, have) and strip_type(key(a))[0] not in key(have):
            parts.append(a)
            have += " " + a
    return SEP.join(parts)


def search_labels(unit_ids: Sequence[str], labels: dict[str, str]) -> dict[str, str]:
    """unit_id → picker label with its search spellings (kept per database version: 14,000 localities)."""
    ids = tuple(unit_ids)

    def build() -> dict[str, str]:
        out, aliases = {}, _aliases_by_unit()
        for uid in ids:
            lab = labels.get(uid, uid)
            tail = search_tail(uid, lab, aliases)
            out[uid] = f"{lab}{PAD}{SEP}{tail}" if tail else lab
        return out

    return dict(cache.per_version("search_labels", build, ids))


def clean_label(text: str) -> str:
    """A picker label without its search spellings (for a URL value or a link)."""
    return text.split(SEP, 1)[0].rstrip("\t")


def locality_resolver(options: Sequence[str], labels: dict[str, str]) -> Callable[[str], Any]:
    """raw URL value → an option: its label (with or without search spellings), or any spelling the
    registry resolves to an option (a province first when a name is shared by several levels)."""
    allowed = set(options)
    by_label = {clean_label(lab): uid for uid, lab in labels.items()}

    def resolve(raw: str) -> str | None:
        raw = raw.strip()
        hit = by_label.get(raw) or by_label.get(clean_label(raw))
        if hit in allowed:
            return hit
        reg = cache.registry()
        # a name shared by a unit before and after 1 July 2025 means the one the data years (≤ 2024) use
        for hint in ({"vintage": "legacy"}, {}, {"level": "province"}):
            try:
                u = reg.resolve(clean_label(raw), **hint)
            except RegistryError:
                continue
            if u.unit_id in allowed:
                return u.unit_id
        # the typed words inside one locality's name or spellings ("hcm", "Ho Chi Minh"), parentheticals
        # (parent, "2025") left aside; several places matching ("Thanh") is no answer
        folded = " ".join(fold(raw).split())
        if len(folded) < 3:
            return None
        words = re.compile(rf"(?<![a-z0-9]){re.escape(folded)}(?![a-z0-9])")
        hits = [uid for uid, lab in labels.items()
                if uid in allowed and words.search(_PAREN.sub("", lab.split(SEP, 1)[-1]))]
        places = {_PAREN.sub("", clean_label(labels[uid])).strip() for uid in hits}
        return hits[0] if len(places) == 1 else None  # one place (maybe before and after 2025): the first

    return resolve


def indicator_resolver(options: Sequence[str], label_of: Callable[[str, str], str]) -> Callable[[str], Any]:
    """raw URL value → an indicator id: its id, or its short label in any language (case-insensitive)."""
    by_text = {}
    for iid in options:
        by_text[iid.lower()] = iid
        for lg in LANGS:
            by_text.setdefault(label_of(iid, lg).strip().lower(), iid)

    def resolve(raw: str) -> str | None:
        return by_text.get(" ".join(raw.split()).lower())

    return resolve


def year_resolver(options: Sequence[int]) -> Callable[[str], Any]:
    def resolve(raw: str) -> int | None:
        try:
            y = int(str(raw).strip())
        except ValueError:
            return None
        return y if y in options else None

    return resolve
