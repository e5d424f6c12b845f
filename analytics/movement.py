"""Why did a rank move between two editions of one indicator, for one locality.

Pure functions over the ranking frames of the two editions (``analytics.ranking.ranking``) and the
component frames (``analytics.components.components``); ``explain`` loads them. Three answers:

- the score change split by component (weighted by the method's weights where the catalog has them);
- who passed whom: the localities it overtook and those that overtook it;
- own score vs others' moves: the rank the new score would have had against the others' previous scores
  (the others held at the previous edition). own effect + others' effect = the rank change.

Only where the editions are comparable: the same N basis, no series break between them, a value in both.
Over a partial table (not every ranked unit has a value) the answers hold only among the localities with
data in both editions, and say so (``basis`` = ``"among_n"`` with ``n``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from analytics.catalog import Indicator

WHY_COLUMNS = ["component", "prev_year", "prev_value", "value", "change"]
MOVER_COLUMNS = ["unit_id", "name", "prev_rank", "rank", "prev_value", "value", "value_change"]


@dataclass
class Movement:
    """Everything ``explain`` found; ``reason`` is set (and the rest empty) when not comparable."""

    indicator_id: str
    unit_id: str
    year: int
    prev_year: int | None
    reason: str | None = None            # not comparable: no_value | no_previous | series_break | n_basis
    basis: str = "complete"              # complete | among_n
    n: int | None = None                 # units with a value in both editions
    of: int | None = None                # N of the edition (published basis)
    prev_rank: int | None = None
    rank: int | None = None
    rank_if_others_held: int | None = None
    components: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WHY_COLUMNS))
    weighted: bool = False
    passed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MOVER_COLUMNS))
    passed_by: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MOVER_COLUMNS))

    @property
    def comparable(self) -> bool:
        return self.reason is None

    @property
    def rank_change(self) -> int | None:
        """Places gained (+) or lost (−)."""
        if self.prev_rank is None or self.rank is None:
            return None
        return self.prev_rank - self.rank

    @property
    def own_effect(self) -> int | None:
        """Places the own score change alone would have gained, the others held at last edition."""
        if self.prev_rank is None or self.rank_if_others_held is None:
            return None
        return self.prev_rank - self.rank_if_others_held

    @property
    def others_effect(self) -> int | None:
        """Places gained (+) or lost (−) through the other localities' moves."""
        if self.rank is None or self.rank_if_others_held is None:
            return None
        return self.rank_if_others_held - self.rank


def exact_diff(a: float | None, b: float | None) -> float | None:
    """a − b in decimal arithmetic on the figures as published (67.65274 − 66.093819 = 1.558921, not
    1.5589209999…), so that sentences and CSV cells show the difference a reader computes by hand."""
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    return float(Decimal(repr(float(a))) - Decimal(repr(float(b))))


def _better(a: float, b: float, higher_is_better: bool) -> bool:
    return a > b if higher_is_better else a < b


def rank_among(value: float, others: pd.Series, higher_is_better: bool) -> int:
    """Standard competition rank (1, 2, 2, 4) of ``value`` among ``others`` (NaN ignored)."""
    others = others.dropna()
    strictly_better = (others > value) if higher_is_better else (others < value)
    return int(strictly_better.sum()) + 1


def _row(frame: pd.DataFrame, unit_id: str) -> pd.Series | None:
    hit = frame.loc[frame["unit_id"].astype(str) == unit_id]
    return hit.iloc[0] if len(hit) else None


def _display_rank(row: pd.Series) -> int | None:
    r = row.get("display_rank", row.get("rank"))
    return None if pd.isna(r) else int(r)


def _is_complete(frame: pd.DataFrame) -> bool:
    return bool(frame["complete"].fillna(False).astype(bool).all()) if "complete" in frame else False


def decompose(prev: pd.DataFrame, cur: pd.DataFrame, prev_year: int, year: int,
              weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Score change by component, largest absolute change first.

    ``prev``/``cur``: component frames (``component_id``, ``value``) of the two editions. With ``weights``
    (component id → weight in the overall score) a ``contribution`` column holds weight × change; without,
    the change is in the component's own points. A component present in one edition only has no change.
    """
    a = prev[["component_id", "value"]].rename(columns={"value": "prev_value"})
    b = cur[["component_id", "value"]]
    df = a.merge(b, on="component_id", how="outer").dropna(subset=["prev_value", "value"], how="all")
    df["prev_year"] = prev_year
    df["change"] = [exact_diff(v, p) for v, p in zip(df["value"], df["prev_value"], strict=True)]
    df["change"] = df["change"].astype("float64")
    df = df.rename(columns={"component_id": "component"})
    if weights:
        df["weight"] = df["component"].map(weights)
        df["contribution"] = df["weight"] * df["change"]
        key = df["contribution"].abs()
    else:
        key = df["change"].abs()
    df = df.assign(_k=key.fillna(-1)).sort_values(["_k", "component"], ascending=[False, True]).drop(columns="_k")
    return df.reset_index(drop=True)


def movers(prev: pd.DataFrame, cur: pd.DataFrame, unit_id: str, higher_is_better: bool
           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(passed, passed_by): localities with a value in both editions that the unit caught up with or
    overtook (they were ahead, now level or behind) and that overtook it (level or behind, now ahead),
    judged on the values. Ranks are over the units with a value in both editions."""
    both = prev[["unit_id", "name", "value"]].merge(cur[["unit_id", "value"]], on="unit_id",
                                                    suffixes=("_prev", "_cur"))
    both = both.dropna(subset=["value_prev", "value_cur"]).astype({"unit_id": str, "name": object})
    me = both.loc[both["unit_id"] == unit_id]
    if me.empty:
        empty = pd.DataFrame(columns=MOVER_COLUMNS)
        return empty, empty.copy()
    mp, mc = float(me["value_prev"].iloc[0]), float(me["value_cur"].iloc[0])
    others = both.loc[both["unit_id"] != unit_id].copy()
    others["prev_rank"] = [rank_among(v, both["value_prev"], higher_is_better) for v in others["value_prev"]]
    others["rank"] = [rank_among(v, both["value_cur"], higher_is_better) for v in others["value_cur"]]
    others = others.rename(columns={"value_prev": "prev_value", "value_cur": "value"})
    others["value_change"] = [exact_diff(v, p) for v, p in zip(others["value"], others["prev_value"], strict=True)]
    # Competition rank = 1 + the number strictly ahead, so the places gained are exactly
    # len(passed) − len(passed_by): passed = was ahead, now level or behind; passed_by = was level or
    # behind, now ahead.
    was_ahead = [_better(v, mp, higher_is_better) for v in others["prev_value"]]
    now_ahead = [_better(v, mc, higher_is_better) for v in others["value"]]
    passed = others.loc[[a and not b for a, b in zip(was_ahead, now_ahead, strict=True)], MOVER_COLUMNS]
    passed_by = others.loc[[b and not a for a, b in zip(was_ahead, now_ahead, strict=True)], MOVER_COLUMNS]
    return (passed.sort_values("rank").reset_index(drop=True),
            passed_by.sort_values("rank").reset_index(drop=True))


def compare(ind: Indicator, prev: pd.DataFrame, cur: pd.DataFrame, unit_id: str, year: int,
            prev_year: int | None, prev_components: pd.DataFrame | None = None,
            cur_components: pd.DataFrame | None = None, weights: dict[str, float] | None = None) -> Movement:
    """The movement of ``unit_id`` from the ``prev`` ranking frame to the ``cur`` one (pure)."""
    mv = Movement(ind.id, unit_id, int(year), None if prev_year is None else int(prev_year))
    me_cur = _row(cur, unit_id)
    if me_cur is None or pd.isna(me_cur["value"]) and pd.isna(me_cur.get("official_rank")):
        mv.reason = "no_value"
        return mv
    if prev_year is None:
        mv.reason = "no_previous"
        return mv
    me_prev = _row(prev, unit_id)
    if me_prev is None or pd.isna(me_prev["value"]) and pd.isna(me_prev.get("official_rank")):
        mv.reason = "no_previous"
        return mv
    if ind.breaks_between(int(prev_year), int(year)):
        mv.reason = "series_break"
        return mv
    of_prev, of_cur = me_prev.get("display_of"), me_cur.get("display_of")
    if pd.notna(of_prev) and pd.notna(of_cur) and int(of_prev) != int(of_cur):
        mv.reason = "n_basis"
        return mv
    mv.of = None if pd.isna(of_cur) else int(of_cur)
    mv.prev_rank, mv.rank = _display_rank(me_prev), _display_rank(me_cur)
    higher = ind.direction != "lower_is_better"
    complete = _is_complete(prev) and _is_complete(cur)
    if pd.notna(me_prev["value"]) and pd.notna(me_cur["value"]):
        mv.passed, mv.passed_by = movers(prev, cur, unit_id, higher)
        both = prev[["unit_id", "value"]].merge(cur[["unit_id", "value"]], on="unit_id").dropna()
        mv.n = len(both)
        if not complete:
            mv.basis = "among_n"
            # ranks among the units with data in both editions, so that the three figures add up
            mv.prev_rank = rank_among(float(me_prev["value"]), both["value_x"], higher)
            mv.rank = rank_among(float(me_cur["value"]), both["value_y"], higher)
            others_prev = both.loc[both["unit_id"].astype(str) != unit_id, "value_x"]
        else:
            others_prev = prev.loc[prev["unit_id"].astype(str) != unit_id, "value"]
        mv.rank_if_others_held = rank_among(float(me_cur["value"]), others_prev, higher)
    elif not complete:
        mv.basis = "among_n"
    if _has_values(prev_components) and _has_values(cur_components):
        mv.components = decompose(prev_components, cur_components, int(prev_year), int(year), weights)
        mv.weighted = bool(weights)
    return mv


def _has_values(components: pd.DataFrame | None) -> bool:
    return components is not None and bool(components["value"].notna().any())


def why_table(mv: Movement, prev_value: float | None, value: float | None) -> pd.DataFrame:
    """The ``chiso why`` table: one row per component of the two compared editions, then ``overall``."""
    rows = mv.components[WHY_COLUMNS].copy() if len(mv.components) else pd.DataFrame(columns=WHY_COLUMNS)
    overall = pd.DataFrame([{"component": "overall", "prev_year": mv.prev_year, "prev_value": prev_value,
                             "value": value,
                             "change": exact_diff(value, prev_value)}])
    out = pd.concat([rows, overall], ignore_index=True) if len(rows) else overall
    return out[WHY_COLUMNS]

