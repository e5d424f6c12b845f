"""The one decision of what a locality's figure is compared against: the edition (its own previous figure,
"so với 2016" when 2017–2018 have none) and whether the change is comparable (series break, change of N or
of the kind of rank). The trend frame (``analytics.trends.trend``) works it out per locality; the headline
cards and the findings both read it here, so they never contradict.

    change_since(trend(con, cat, "par_index", "old-p-74"), 2019)
    # Comparison(prev_year=2016, comparable=True, rank_change=-12, value_change=None, break_note=None, ...)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.fmt import is_missing


@dataclass(frozen=True)
class Comparison:
    prev_year: int | None          # the edition compared against (None: no earlier figure)
    comparable: bool | None        # False across a break / a change of N or of rank kind
    rank_change: int | None        # previous rank − rank (+ = moved up); None when not comparable
    value_change: float | None     # value − previous value; None when not comparable
    break_note: str | None         # the series break's note, in the trend's language
    prev_of: int | None            # N of the edition compared against
    of: int | None                 # N of this edition

    @property
    def n_changed(self) -> bool:
        return self.prev_of is not None and self.of is not None and self.prev_of != self.of


def _opt(x, kind):
    return None if is_missing(x) else kind(x)


def change_since(tr: pd.DataFrame, year: int) -> Comparison | None:
    """The comparison of ``year``'s figure in a locality's trend frame; None when the year has no row."""
    rows = tr[tr["year"] == int(year)]
    if rows.empty:
        return None
    r = rows.iloc[0]
    prev = _opt(r.get("prev_year"), int)
    prev_rows = tr[tr["year"] == prev] if prev is not None else tr.iloc[0:0]
    note = r.get("break_note")
    return Comparison(
        prev_year=prev,
        comparable=_opt(r.get("comparable"), bool),
        rank_change=_opt(r.get("rank_change"), int),
        value_change=_opt(r.get("value_change"), float),
        break_note=note if isinstance(note, str) and note else None,
        prev_of=_opt(prev_rows["of"].iloc[0], int) if len(prev_rows) else None,
        of=_opt(r.get("of"), int),
    )
