"""Peer groups: the region, the same type (centrally-run cities), the siblings within a parent, or the k most
similar units on chosen indicators (standardised Euclidean distance, computed in DuckDB).

    peer_group(con, "old-p-74", by="region")              # the Southeast
    peer_group(con, "old-p-79", by="type", year=2020)     # centrally-run cities as they were in 2020
    similar_units(con, "old-p-74", ["pci", "papi"], year=2019, k=5)
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

PEER_BY = ("region", "type", "parent")

# type in a year: a unit renamed from "Tỉnh …" to "Thành phố …" (Huế, 2025) changes type with its name
_PEER_SQL = """
WITH names AS (
    SELECT unit_id, name FROM unit_names
    WHERE $year IS NULL OR (coalesce(year(valid_from), 0) <= $year AND $year <= coalesce(year(valid_to), 9999))
    QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY valid_from DESC NULLS LAST) = 1
),
u AS (
    SELECT u.*, coalesce(n.name, u.name) AS name_in_year,
        CASE WHEN n.name IS NULL THEN u.type_vi
             WHEN n.name LIKE 'Thành phố %' THEN 'Thành phố'
             WHEN n.name LIKE 'Tỉnh %' THEN 'Tỉnh'
             WHEN n.name LIKE 'Thị xã %' THEN 'Thị xã'
             ELSE u.type_vi END AS type_in_year
    FROM units u LEFT JOIN names n USING (unit_id)
),
t AS (SELECT * FROM u WHERE unit_id = $unit)
SELECT u.unit_id, u.code, u.name_in_year AS name, u.short_name, u.name_en, u.type_in_year AS type_vi,
       u.region_id, u.parent_id, u.unit_id = t.unit_id AS is_self
FROM u, t
WHERE u.level = t.level AND u.vintage = t.vintage AND ({cond})
ORDER BY u.unit_id <> t.unit_id, u.code
"""

_COND = {
    "region": "u.region_id = t.region_id",
    "type": "u.type_in_year = t.type_in_year",
    "parent": "u.parent_id IS NOT DISTINCT FROM t.parent_id",
}


def peer_group(con: duckdb.DuckDBPyConnection, unit_id: str, *, by: str = "region",
               year: int | None = None) -> pd.DataFrame:
    """Units of the same level and vintage sharing the unit's region, type (in `year`) or parent; the unit
    itself first (`is_self`). Columns: unit_id, code, name, short_name, name_en, type_vi, region_id,
    parent_id, is_self."""
    if by not in PEER_BY:
        raise ValueError(f"unknown peer group {by!r}; use one of {', '.join(PEER_BY)}")
    return con.execute(_PEER_SQL.format(cond=_COND[by]), {"unit": unit_id, "year": year}).df()


_SIMILAR_SQL = """
WITH sel AS (SELECT unnest($indicators) AS indicator_id),
target AS (SELECT level, vintage FROM units WHERE unit_id = $unit),
yrs AS (   -- per indicator, the latest year (≤ $year) in which the unit has a value
    SELECT f.indicator_id, max(f.year) AS year
    FROM facts f JOIN sel USING (indicator_id)
    WHERE f.unit_id = $unit AND f.value IS NOT NULL AND ($year IS NULL OR f.year <= $year)
    GROUP BY 1
),
vals AS (
    SELECT f.indicator_id, f.unit_id, f.value
    FROM facts f JOIN yrs USING (indicator_id, year) JOIN units u USING (unit_id), target t
    WHERE f.value IS NOT NULL AND u.level = t.level AND u.vintage = t.vintage
),
z AS (
    SELECT indicator_id, unit_id,
        (value - avg(value) OVER (PARTITION BY indicator_id))
            / nullif(stddev_pop(value) OVER (PARTITION BY indicator_id), 0) AS z
    FROM vals
),
tz AS (SELECT indicator_id, z AS zt FROM z WHERE unit_id = $unit AND z IS NOT NULL),
d AS (
    SELECT z.unit_id, sqrt(sum((z.z - tz.zt) ^ 2)) AS distance, count(*) AS n_dims
    FROM z JOIN tz USING (indicator_id)
    WHERE z.unit_id <> $unit AND z.z IS NOT NULL
    GROUP BY z.unit_id
)
SELECT d.unit_id, u.code, CASE WHEN u.level = 'province' THEN u.short_name ELSE u.name END AS name,
       u.name_en, u.region_id, d.distance, d.n_dims
FROM d JOIN units u USING (unit_id)
WHERE d.n_dims = (SELECT count(*) FROM tz)
ORDER BY d.distance, u.code
LIMIT $k
"""


def similar_units(con: duckdb.DuckDBPyConnection, unit_id: str, indicators: Sequence[str], *,
                  year: int | None = None, k: int = 5) -> pd.DataFrame:
    """The k units closest to `unit_id` on `indicators` (each standardised to z-scores across the units of
    the same level and vintage, in the latest year ≤ `year` where the unit has a value); only units with a
    value on every indicator are compared. Columns: unit_id, code, name, name_en, region_id, distance,
    n_dims. `df.attrs["basis"]` = {indicator_id: year used}."""
    df = con.execute(_SIMILAR_SQL, {"unit": unit_id, "indicators": list(indicators), "year": year,
                                    "k": int(k)}).df()
    basis = con.execute("""
        SELECT f.indicator_id, max(f.year) FROM facts f
        WHERE f.unit_id = $unit AND list_contains($indicators, f.indicator_id) AND f.value IS NOT NULL
          AND ($year IS NULL OR f.year <= $year)
        GROUP BY 1 ORDER BY 1
    """, {"unit": unit_id, "indicators": list(indicators), "year": year}).fetchall()
    df.attrs["basis"] = {i: int(y) for i, y in basis}
    return df
