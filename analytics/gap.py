"""What it takes to move up: points needed for the next rank, the top 10, rank 1, the next band, the
national mean and the region's best, from one edition's ranking frame (``analytics.ranking.ranking``).

Pure functions; the targets are computed from the values of the table. Over a partial table (not every
ranked unit has a value) ranks are among the ``n`` localities with a value and the result says so
(``basis = "among_n"``); the national mean is then the publisher's own average where the catalog has one
(``source = "published"``), never a mean of the few values there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.catalog import Indicator
from analytics.movement import exact_diff, rank_among

GAP_COLUMNS = ["target", "target_rank", "target_value", "points_needed"]
TARGET_COLUMNS = [*GAP_COLUMNS, "target_unit_id", "target_name", "source"]
TOP_N = 10


@dataclass
class Gap:
    indicator_id: str
    unit_id: str
    year: int
    value: float | None
    rank: int | None                  # among the values of the table (= official on a complete table)
    n: int                            # units with a value
    basis: str                        # complete | among_n
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TARGET_COLUMNS))
    widest_component: tuple[str, float] | None = None   # (component_id, gap to the leader, in its points)

    def target(self, name: str) -> pd.Series | None:
        hit = self.targets.loc[self.targets["target"] == name]
        return hit.iloc[0] if len(hit) else None


def _needed(target: float, value: float, higher: bool) -> float:
    """Improvement needed to reach ``target`` (0 when already there)."""
    return max(0.0, exact_diff(target, value) if higher else exact_diff(value, target))


def _holder(frame: pd.DataFrame, value: float) -> tuple[str | None, str | None]:
    hit = frame.loc[frame["value"] == value]
    if hit.empty:
        return None, None
    first = hit.iloc[0]
    return str(first["unit_id"]), str(first.get("short_name") or first["name"])


def _next_band(ind: Indicator, value: float, year: int) -> tuple[str, float] | None:
    """(label, threshold) of the nearest better grade than the one ``value`` is in, for ``year``."""
    higher = ind.direction != "lower_is_better"
    period = ind.band_period(int(year))
    if period is None:
        return None
    edges = [(b.label, b.min) for b in period.grades if higher and b.min is not None and b.min > value]
    edges += [(b.label, b.max) for b in period.grades if not higher and b.max is not None and b.max <= value]
    return min(edges, key=lambda e: abs(e[1] - value)) if edges else None


def what_it_takes(ind: Indicator, frame: pd.DataFrame, unit_id: str, year: int, *,
                  region_complete: bool | None = None, components: pd.DataFrame | None = None) -> Gap:
    """Targets for ``unit_id`` in one edition's ranking ``frame`` (columns ``unit_id, name, short_name,
    value, complete, region_id``). Rows: ``next_rank`` (the nearest better value), ``top_10``, ``rank_1``,
    ``band_<label>`` (indices with grades), ``national_mean`` and ``region_best`` (complete tables only;
    the national mean otherwise from the publisher's average)."""
    higher = ind.direction != "lower_is_better"
    data = frame.loc[frame["value"].notna()].astype({"unit_id": str})
    me = data.loc[data["unit_id"] == unit_id]
    complete = bool(frame["complete"].fillna(False).astype(bool).all()) if "complete" in frame else False
    gap = Gap(ind.id, unit_id, int(year), None, None, len(data), "complete" if complete else "among_n")
    if me.empty:
        return gap
    value = float(me["value"].iloc[0])
    gap.value, gap.rank = value, rank_among(value, data["value"], higher)
    values = data["value"].astype(float)
    rows: list[dict] = []

    def add(target: str, target_value: float, source: str = "table") -> None:
        uid, name = _holder(data, target_value) if source == "table" else (None, None)
        rows.append({"target": target, "target_rank": rank_among(target_value, values, higher)
                     if source == "table" else None, "target_value": target_value,
                     "points_needed": _needed(target_value, value, higher), "target_unit_id": uid,
                     "target_name": name, "source": source})

    better = values[values > value] if higher else values[values < value]
    if len(better):
        add("next_rank", float(better.min() if higher else better.max()))
    ordered = values.sort_values(ascending=not higher).reset_index(drop=True)
    if complete and len(ordered) >= TOP_N:   # a 10th value of a partial table is not the 10th place
        add("top_10", float(ordered.iloc[TOP_N - 1]))
    add("rank_1", float(ordered.iloc[0]))
    band = _next_band(ind, value, year)
    if band is not None:
        rows.append({"target": f"band_{band[0]}", "target_rank": None, "target_value": band[1],
                     "points_needed": _needed(band[1], value, higher), "target_unit_id": None,
                     "target_name": None, "source": "catalog"})
    if complete:
        mean = float(values.mean())
        rows.append({"target": "national_mean", "target_rank": None, "target_value": mean,
                     "points_needed": _needed(mean, value, higher), "target_unit_id": None,
                     "target_name": None, "source": "table"})
    else:
        avg = ind.average(int(year), level=None)
        if avg is not None:
            rows.append({"target": "national_mean", "target_rank": None, "target_value": float(avg.value),
                         "points_needed": _needed(float(avg.value), value, higher), "target_unit_id": None,
                         "target_name": None, "source": "published"})
    region = me["region_id"].iloc[0] if "region_id" in me else None
    if pd.notna(region) and (complete if region_complete is None else region_complete):
        peers = data.loc[(data["region_id"] == region) & (data["unit_id"] != unit_id), "value"].astype(float)
        if len(peers):
            best = float(peers.max() if higher else peers.min())
            if _needed(best, value, higher) > 0:
                add("region_best", best)
    gap.targets = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    gap.targets["target_rank"] = gap.targets["target_rank"].astype("Int64")
    if components is not None and len(components) and "gap_to_leader" in components:
        trusted = components.loc[components["complete"].fillna(False).astype(bool)
                                 & components["gap_to_leader"].notna()]
        if len(trusted):
            # gap_to_leader = value − leader (direction-aware sign: negative = behind)
            worst = trusted.loc[trusted["gap_to_leader"].abs().idxmax()]
            if float(worst["gap_to_leader"]) != 0:
                gap.widest_component = (str(worst["component_id"]), float(worst["gap_to_leader"]))
    return gap
