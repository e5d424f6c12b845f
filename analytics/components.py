"""Components of an index (PAR INDEX areas, DTI pillars/main indices, PAPI dimensions, PCI sub-indices):
a locality's value on each, against the national mean and the leader, its rank, and which are its
strongest and weakest.

    df = components(con, cat, "pci", "old-p-74", 2018, lang="vi")
    strongest_weakest(df)       # (component_id of the strongest, of the weakest) or (None, None)

Strength is judged on the standardised gap to the national mean (z-score, direction-aware), so
components on different scales compare; it needs at least 3 units with a value on the component.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.benchmarks import COMPLETE_SHARE
from analytics.catalog import Catalog
from analytics.store.reads import indicator_level, names_in_year

COMPONENT_COLUMNS = ["component_id", "name", "value", "national_mean", "leader_value", "leader_id", "leader_name",
                     "gap_to_leader", "rank", "of", "rank_source", "n_values", "complete", "ranks_complete",
                     "mean_of_known", "z",
                     "strength"]

_SQL = """
WITH comps AS (SELECT unnest($comps) AS component_id, generate_subscripts($comps, 1) AS ord),
n_units AS (SELECT count(*) AS n FROM units WHERE level = $level AND vintage = $vintage),
f AS (
    SELECT f.indicator_id AS component_id, f.unit_id, f.value, f.official_rank, f.official_of,
        CASE WHEN i.direction = 'lower_is_better' THEN -1 ELSE 1 END AS sgn
    FROM facts f JOIN indicators i USING (indicator_id) JOIN units u USING (unit_id)
    WHERE list_contains($comps, f.indicator_id) AND f.year = $year AND u.level = $level AND u.vintage = $vintage
),
stats AS (
    SELECT component_id, avg(value) AS national_mean, stddev_pop(value) AS sd, count(value) AS n_values,
        max_by(value, sgn * value) AS best_value, arg_max(unit_id, sgn * value) AS best_id,
        -- the published leader, when rank 1 was published with its value
        min_by(value, official_rank) FILTER (WHERE official_rank = 1 AND value IS NOT NULL) AS top_value,
        min_by(unit_id, official_rank) FILTER (WHERE official_rank = 1 AND value IS NOT NULL) AS top_id,
        count(*) FILTER (WHERE value IS NOT NULL OR official_rank IS NOT NULL) AS n_any, any_value(sgn) AS sgn
    FROM f GROUP BY component_id
),
me AS (SELECT * FROM f WHERE unit_id = $unit),
r AS (
    SELECT indicator_id AS component_id, rank_national, n_national FROM ranks
    WHERE unit_id = $unit AND year = $year AND list_contains($comps, indicator_id)
)
SELECT c.component_id, c.ord, me.value,
    CASE WHEN s.complete THEN s.national_mean END AS national_mean,
    CASE WHEN s.complete THEN s.best_value ELSE s.top_value END AS leader_value,
    CASE WHEN s.complete THEN s.best_id ELSE s.top_id END AS leader_id,
    me.value - (CASE WHEN s.complete THEN s.best_value ELSE s.top_value END) AS gap_to_leader,
    s.national_mean AS mean_of_known,
    coalesce(me.official_rank, r.rank_national) AS rank,
    CASE WHEN me.official_rank IS NOT NULL THEN me.official_of ELSE r.n_national END AS "of",
    CASE WHEN me.official_rank IS NOT NULL THEN 'published' WHEN r.rank_national IS NOT NULL THEN 'computed' END
        AS rank_source,
    s.n_values, s.complete, s.ranks_complete,
    CASE WHEN s.n_values >= 3 AND s.sd > 0 THEN s.sgn * (me.value - s.national_mean) / s.sd END AS z
FROM comps c
JOIN (SELECT *, n_values >= ceil($share * coalesce($n_ranked, (SELECT n FROM n_units)) - 1e-9) AS complete,
             n_values >= coalesce($n_ranked, (SELECT n FROM n_units)) AS ranks_complete FROM stats) s
    USING (component_id)
LEFT JOIN me USING (component_id)
LEFT JOIN r USING (component_id)
WHERE s.n_any > 0
ORDER BY c.ord
"""


def component_ids(catalog: Catalog, indicator_id: str, year: int | None = None) -> list[str]:
    """The catalog children of an index that exist in `year` (catalog order)."""
    return [c.id for c in catalog.children(indicator_id) if year is None or c.exists_in(int(year))]


def components(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_id: str, year: int, *,
               lang: str = "vi") -> pd.DataFrame:
    """One row per component with any data that year (catalog order).

    Columns: component_id, name (short label in `lang`), value, national_mean (mean over a complete
    table, else empty), leader_value/leader_id/leader_name (best value over a complete table, direction-
    aware; else the published rank 1 when its value is known), gap_to_leader (value − leader_value;
    negative = behind for a higher-is-better component), rank/of (published where published, else
    computed nationally), rank_source, n_values, complete (complete enough for a mean and a leader:
    `analytics.benchmarks.COMPLETE_SHARE` of the ranked units), ranks_complete (every ranked unit has a
    value, so a computed rank is an x/N; else a place among n with data), mean_of_known
    (mean of the values there are, for partial tables), z (standardised distance from the mean, + =
    better; needs ≥ 3 values), strength ('strongest' | 'weakest' | None: on z, or on the rank's
    position when no values are published).
    """
    ind_level, vintage, _ = indicator_level(con, indicator_id)
    ids = component_ids(catalog, indicator_id, year)
    if not ids:
        return pd.DataFrame(columns=COMPONENT_COLUMNS)
    ed = catalog.get(indicator_id).edition(int(year))
    df = con.execute(_SQL, {"comps": ids, "unit": unit_id, "year": int(year), "level": ind_level,
                            "vintage": vintage, "n_ranked": ed.n_ranked if ed else None,
                            "share": COMPLETE_SHARE}).df()
    if df.empty:
        return pd.DataFrame(columns=COMPONENT_COLUMNS)
    df["name"] = [catalog.get(c).label(lang, short=True) for c in df["component_id"]]
    df["leader_name"] = df["leader_id"].map(names_in_year(con, df["leader_id"].dropna(), year))
    for col in ("rank", "of", "n_values"):
        df[col] = df[col].astype("Int64")
    df["complete"] = df["complete"].astype("boolean")
    df["ranks_complete"] = df["ranks_complete"].astype("boolean")
    df["strength"] = None
    score = df["z"].astype("float64")
    if score.notna().sum() < 2:
        # no standardised gaps (values not published): judge on the published/complete rank's position
        trusted = (df["rank_source"] == "published") | df["ranks_complete"].fillna(False).astype(bool)
        r, n = df["rank"].astype("float64"), df["of"].astype("float64")
        score = (1 - (r - 1) / (n - 1).where(n > 1)).where(trusted)
    if score.notna().sum() >= 2 and score.max() > score.min():
        df.loc[score.idxmax(), "strength"] = "strongest"
        df.loc[score.idxmin(), "strength"] = "weakest"
    return df[COMPONENT_COLUMNS].reset_index(drop=True)


def component_years(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_ids, *,
                    ranks: bool = False, years=None) -> list[int]:
    """Years (latest first) in which at least one of `unit_ids` has a value (or, with `ranks`, a published
    rank) on a component of the index that exists that year: the years in which `components()` has a row
    with a value (or a rank) for one of them, in one query instead of one `components()` per unit and year.
    `years`: only these (e.g. the years the index itself has data)."""
    ind_level, vintage, _ = indicator_level(con, indicator_id)
    ids = component_ids(catalog, indicator_id)
    units = [str(u) for u in unit_ids]
    if not ids or not units:
        return []
    rows = con.execute("""
        SELECT DISTINCT f.year, f.indicator_id FROM facts f
        WHERE list_contains($comps, f.indicator_id) AND list_contains($units, f.unit_id)
          AND f.level = $level AND f.vintage = $vintage
          AND (f.value IS NOT NULL OR ($ranks AND f.official_rank IS NOT NULL))
    """, {"comps": ids, "units": units, "level": ind_level, "vintage": vintage, "ranks": bool(ranks)}).fetchall()
    allowed = None if years is None else {int(y) for y in years}
    out = {int(y) for y, c in rows if catalog.get(c).exists_in(int(y)) and (allowed is None or int(y) in allowed)}
    return sorted(out, reverse=True)


def strongest_weakest(df: pd.DataFrame) -> tuple[str | None, str | None]:
    """(component_id of the strongest, of the weakest) from a `components()` frame."""
    s = df.loc[df["strength"] == "strongest", "component_id"]
    w = df.loc[df["strength"] == "weakest", "component_id"]
    return (s.iloc[0] if len(s) else None, w.iloc[0] if len(w) else None)
