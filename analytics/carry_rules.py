"""Rules applied when reference rows are carried into data/observations (scripts/carry_reference.py).

Pure functions, no I/O except reading the wordings file, so the rules can be tested on their own:
- rank basis: whether a row's rank was published or read from the order in which a text lists
  provinces. Decided from the wordings listed in data/rank_basis_wordings.csv (data, not code).
- conflicts: which of several rows for one (indicator, unit, year) is `primary`. Figures that agree to
  the precision of the less precise one are one figure (45.78 and 45.7875), not a conflict; a row that
  the reference itself marks as doubtful loses; file order never decides.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

RANK_BASES = ("published", "listing_order")
# Words with which the reference marks its own row as the doubtful side of a disagreement.
DOUBT_MARKERS = ("probably", "CONFLICT", "DISAGREES")


class RuleError(ValueError):
    """A rules data file is malformed (names the file, row and column)."""


@dataclass(frozen=True)
class Wording:
    text: str
    from_rank: int  # the wording decides ranks >= from_rank; a higher place in the same note was stated
    rank_basis: str


def load_wordings(path: Path) -> list[Wording]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            text, start, basis = row.get("wording") or "", row.get("from_rank") or "", row.get("rank_basis") or ""
            if not text.strip():
                raise RuleError(f"{path}:{n}: column 'wording' is empty")
            if not start.isdigit() or int(start) < 1:
                raise RuleError(f"{path}:{n}: column 'from_rank' must be a whole number >= 1, got {start!r}")
            if basis not in RANK_BASES:
                raise RuleError(f"{path}:{n}: column 'rank_basis' must be one of {RANK_BASES}, got {basis!r}")
            out.append(Wording(text, int(start), basis))
    return out


def rank_basis(note: str, rank: str, wordings: list[Wording]) -> str:
    """The basis of a row's rank: the first wording (in file order: most specific first) found in the
    note decides; ranks above its `from_rank` were stated, so `published`. No wording: `published`.
    Empty when the row has no rank."""
    if not rank.strip():
        return ""
    low = note.casefold()
    for w in wordings:
        if w.text.casefold() in low:
            return w.rank_basis if int(float(rank)) >= w.from_rank else "published"
    return "published"


# ------------------------------------------------------------------------------------------ conflicts
def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.strip())
    except InvalidOperation as e:
        raise RuleError(f"not a number: {text!r}") from e


def _places(text: str) -> int:
    d = _decimal(text)
    return max(0, -d.as_tuple().exponent)


def values_agree(a: str, b: str) -> bool:
    """True when two figures as written agree to the precision of the less precise one: they differ
    by less than one unit in its last place (45.78 ~ 45.7875, 72.8 ~ 72.814339, 5938 ~ 5938.64;
    89.6 vs 89.06 and 91.87 vs 91.81 disagree)."""
    unit = Decimal(1).scaleb(-min(_places(a), _places(b)))
    return abs(_decimal(a) - _decimal(b)) < unit


def is_doubted(row: dict) -> bool:
    note = row.get("note", "")
    return any(m.casefold() in note.casefold() if m.islower() else m in note for m in DOUBT_MARKERS)


def _clusters(rows: list[dict], field: str) -> list[list[dict]]:
    """Rows grouped by agreeing figures; the most precise figure represents its cluster."""
    having = sorted((r for r in rows if r[field].strip()), key=lambda r: (-_places(r[field]), r[field]))
    clusters: list[list[dict]] = []
    for r in having:
        for c in clusters:
            if values_agree(c[0][field], r[field]):
                c.append(r)
                break
        else:
            clusters.append([r])
    return clusters


def _cluster_order(cluster: list[dict], field: str, priority) -> tuple:
    sources = {r["source_url"] for r in cluster}
    return (
        all(is_doubted(r) for r in cluster),                        # a doubted figure loses
        field == "official_rank" and all(r["rank_basis"] != "published" for r in cluster),  # read > guessed
        -len(sources),                                               # more independent sources
        min(priority(r) for r in cluster),                           # publisher > portal > press
        -_places(cluster[0][field]),                                 # then precision, then the figure:
        cluster[0][field],                                           # never file order
    )


def mark_status(rows: list[dict], priority) -> None:
    """Set `status` on every row: primary (one per indicator-unit-year), corroborating, alternative."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["indicator_id"], r["unit_id"], r["year"])].append(r)
    for group in groups.values():
        losers: set[int] = set()
        best_value: list[dict] = []
        for field in ("value", "official_rank"):
            clusters = _clusters(group, field)
            if not clusters:
                continue
            clusters.sort(key=lambda c: _cluster_order(c, field, priority))
            if field == "value":
                best_value = clusters[0]
            for c in clusters[1:]:
                losers.update(id(r) for r in c)
        winners = [r for r in group if id(r) not in losers]
        # The primary carries the most precise agreeing figure; a row with a value before one without, a
        # published rank before a listing-order one.
        precise = {id(r) for r in best_value if _places(r["value"]) == _places(best_value[0]["value"])}
        winners.sort(key=lambda r: (id(r) not in precise, r["value"] == "", r["official_rank"] == "",
                                    r["rank_basis"] == "listing_order", priority(r), r["source_url"], r["note"]))
        for r in group:
            r["status"] = "alternative" if id(r) in losers else "corroborating"
        if winners:
            winners[0]["status"] = "primary"
        else:  # every row lost on one field or the other: the best value row stays primary
            fallback = sorted(group, key=lambda r: (is_doubted(r), priority(r), r["source_url"]))[0]
            fallback["status"] = "primary"
