"""A locality at a glance: one row per indicator (after ONS Explore Local Statistics) — the latest
figure, x/N with its basis, the change against the edition compared, the rank over the years for a
sparkline, and where it sits among all localities — for provinces, districts, wards and 2025 units.

Every field comes from the unit's trend (``analytics.trends.trend``) and the latest ranking
(``analytics.ranking.ranking``); a position among all localities is given only over a complete table.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.catalog import Catalog
from analytics.fmt import is_missing
from analytics.ranking import ranking
from analytics.trends import trend

GLANCE_COLUMNS = ["indicator_id", "year", "value", "rank", "of", "rank_source", "rank_basis", "complete",
                  "rank_change", "prev_year", "comparable", "vintage", "break_years", "rank_years",
                  "rank_series", "position"]


def at_a_glance(con: duckdb.DuckDBPyConnection, catalog: Catalog, unit_id: str, indicator_ids: list[str],
                lang: str = "vi") -> pd.DataFrame:
    """One row per indicator of ``indicator_ids`` with a figure for the unit (catalog order kept).

    ``rank_series``: the rank in each year with a rank (``rank_years``), as a share of the way to the top
    (1 = first, 0 = last: higher is better, so a sparkline rises when the rank improves), None over a
    partial table; ``position``: the same share in the latest year, None over a partial table;
    ``break_years``: series breaks within the years shown."""
    rows = []
    for iid in indicator_ids:
        ind = catalog.get(iid)
        tr = trend(con, catalog, iid, unit_id, lang=lang)
        have = tr.loc[tr["value"].notna() | tr["rank"].notna()]
        if have.empty:
            continue
        last = have.iloc[-1]
        years = have["year"].astype(int)
        shares = [_share(r) for _, r in have.iterrows()]
        breaks = [b.year for b in ind.series_breaks if years.min() < b.year <= years.max()]
        rows.append({
            "indicator_id": iid, "year": int(last["year"]), "value": last["value"], "rank": last["rank"],
            "of": last["of"], "rank_source": last["rank_source"], "rank_basis": last.get("rank_basis"),
            "complete": last.get("complete"), "rank_change": last["rank_change"], "prev_year": last["prev_year"],
            "comparable": last["comparable"], "vintage": ind.vintage, "break_years": breaks,
            "rank_years": [int(y) for y, s in zip(years, shares, strict=True) if s is not None],
            "rank_series": [s for s in shares if s is not None],
            "position": shares[-1],
        })
    return pd.DataFrame(rows, columns=GLANCE_COLUMNS)


def _share(row: pd.Series) -> float | None:
    """(N − rank) / (N − 1) for a rank that stands for the whole table (published, or computed over a
    complete table); None otherwise."""
    rank, of = row["rank"], row["of"]
    if is_missing(rank) or is_missing(of) or int(of) < 2:
        return None
    trusted = row["rank_source"] == "published" or bool(row.get("complete"))
    if not trusted:
        return None
    return round((int(of) - int(rank)) / (int(of) - 1), 4)


def strip(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, year: int) -> pd.DataFrame:
    """Every locality's value in one edition, for the "where it sits" strip (``unit_id, value``)."""
    frame = ranking(con, indicator_id, int(year), catalog=catalog, compare_to=False)
    return frame.loc[frame["value"].notna(), ["unit_id", "value"]].astype({"unit_id": str})
