"""Trends of one locality: value and rank by year, changes, and whether a change is comparable.

A change across a series break (catalog) or across a change of N (63 → 34, a partial table) is flagged
not comparable and never computed; a rank change is always reported beside the score change.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.catalog import Catalog

TREND_SQL = """
WITH f AS (
    SELECT f.year, f.value, f.official_rank, f.official_of, f.rank_basis, f.has_conflict,
           r.rank_national AS computed_rank, r.n_national AS computed_of
    FROM facts f
    LEFT JOIN ranks r USING (indicator_id, unit_id, year)
    WHERE f.indicator_id = $indicator AND f.unit_id = $unit
)
SELECT year, value,
    coalesce(official_rank, computed_rank) AS rank,
    CASE WHEN official_rank IS NOT NULL THEN coalesce(official_of, computed_of) ELSE computed_of END AS "of",
    CASE WHEN official_rank IS NOT NULL THEN 'published' WHEN computed_rank IS NOT NULL THEN 'computed' END
        AS rank_source,
    rank_basis, has_conflict
FROM f ORDER BY year
"""


def trend(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_id: str) -> pd.DataFrame:
    """Columns: year, value, rank, of, rank_source, value_change, rank_change, comparable, prev_year,
    break_note, rank_basis, has_conflict. `rank_change` > 0 means the locality moved up."""
    ind = catalog.get(indicator_id)
    df = con.execute(TREND_SQL, {"indicator": indicator_id, "unit": unit_id}).df()
    value_change, rank_change, comparable, prev_years, notes = [], [], [], [], []
    prev = None
    for row in df.itertuples(index=False):
        if prev is None:
            value_change.append(None)
            rank_change.append(None)
            comparable.append(None)
            prev_years.append(None)
            notes.append(None)
            prev = row
            continue
        breaks = ind.breaks_between(int(prev.year), int(row.year))
        same_n = pd.notna(prev.of) and pd.notna(row.of) and int(prev.of) == int(row.of)
        ok = not breaks
        rank_ok = ok and same_n and pd.notna(prev.rank) and pd.notna(row.rank) and prev.rank_source == row.rank_source
        both_values = pd.notna(prev.value) and pd.notna(row.value)
        value_change.append(round(float(row.value) - float(prev.value), 6) if ok and both_values else None)
        rank_change.append(int(prev.rank) - int(row.rank) if rank_ok else None)
        comparable.append(bool(ok and (rank_ok or both_values) and (same_n or not pd.notna(row.rank))))
        prev_years.append(int(prev.year))
        notes.append("; ".join(b.note.get("en", "") for b in breaks) or None)
        prev = row
    df["value_change"] = value_change
    df["rank_change"] = pd.array(rank_change, dtype="Int64")
    df["comparable"] = pd.array(comparable, dtype="boolean")
    df["prev_year"] = pd.array(prev_years, dtype="Int64")
    df["break_note"] = notes
    df["rank"] = df["rank"].astype("Int64")
    df["of"] = df["of"].astype("Int64")
    return df[["year", "value", "rank", "of", "rank_source", "value_change", "rank_change", "comparable",
               "prev_year", "break_note", "rank_basis", "has_conflict"]]
