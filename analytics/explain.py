"""Loaders for "why did the rank move" and "what it takes": read the ranking and component frames of the
editions involved and hand them to the pure functions of ``analytics.movement`` and ``analytics.gap``.

The edition compared against is the one the unit's trend records (``prev_year``: the previous edition
with a figure), the same one the headline cards and findings use.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.catalog import Catalog
from analytics.components import components
from analytics.gap import Gap, what_it_takes
from analytics.movement import Movement, compare
from analytics.ranking import ranking
from analytics.trends import trend


def _me(frame: pd.DataFrame, unit_id: str) -> pd.Series | None:
    hit = frame.loc[frame["unit_id"].astype(str) == unit_id]
    return hit.iloc[0] if len(hit) else None


def movement(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_id: str,
             year: int) -> tuple[Movement, float | None, float | None]:
    """(movement, previous value, value) of ``unit_id`` into edition ``year``."""
    ind = catalog.get(indicator_id)
    cur = ranking(con, indicator_id, int(year), catalog=catalog)
    me = _me(cur, unit_id)
    series = trend(con, catalog, indicator_id, unit_id)
    at = series.loc[series["year"] == int(year), "prev_year"]
    prev_year = None if at.empty or pd.isna(at.iloc[0]) else int(at.iloc[0])
    prev = ranking(con, indicator_id, prev_year, catalog=catalog) if prev_year else cur.iloc[0:0]
    comps = (components(con, catalog, indicator_id, unit_id, prev_year) if prev_year else None,
             components(con, catalog, indicator_id, unit_id, int(year)))
    mv = compare(ind, prev, cur, unit_id, int(year), prev_year, *comps)
    before = _me(prev, unit_id)
    prev_value = None if before is None or pd.isna(before["value"]) else float(before["value"])
    value = None if me is None or pd.isna(me["value"]) else float(me["value"])
    return mv, prev_value, value


def gap(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_id: str, year: int) -> Gap:
    """What it takes for ``unit_id`` in edition ``year``."""
    frame = ranking(con, indicator_id, int(year), catalog=catalog)
    comps = components(con, catalog, indicator_id, unit_id, int(year))
    return what_it_takes(catalog.get(indicator_id), frame, unit_id, int(year), components=comps)
