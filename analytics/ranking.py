"""Rankings: standard competition ranks (1, 2, 2, 4) within a scope, beside the published rank.

What users see is "x/N": the published rank and N where the source gives them, otherwise the rank
computed from values with N = units that have a value (labelled as computed).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

SCOPES = ("national", "region", "parent", "province")


@dataclass(frozen=True)
class Scope:
    """Which units compete: all of a level nationally, a region's, or the children of one unit."""

    kind: str = "national"  # national | region | parent | province
    id: str | None = None  # region_id or unit_id

    def __post_init__(self):
        if self.kind not in SCOPES:
            raise ValueError(f"unknown scope {self.kind!r}; use one of {', '.join(SCOPES)}")
        if self.kind != "national" and not self.id:
            raise ValueError(f"scope {self.kind!r} needs an id")


def indicator_level(con: duckdb.DuckDBPyConnection, indicator_id: str) -> tuple[str, str, str | None]:
    row = con.execute("SELECT level, vintage, direction FROM indicators WHERE indicator_id = ?",
                      [indicator_id]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute(
            "SELECT indicator_id FROM indicators WHERE parent_id IS NULL ORDER BY 1").fetchall()]
        raise KeyError(f"unknown indicator {indicator_id!r}; known: {', '.join(known)}")
    return row


_SCOPE_FILTER = {
    "national": "TRUE",
    "region": "u.region_id = $scope_id",
    "parent": "u.parent_id = $scope_id",
    "province": "u.province_id = $scope_id",
}

RANKING_SQL = """
WITH scoped AS (
    SELECT u.unit_id, u.code,
           coalesce(n.name, u.name) AS name, coalesce(n.short_name, u.short_name) AS short_name,
           u.level, u.parent_id, u.region_id,
           f.value, f.official_rank, f.official_of, f.rank_basis, f.has_conflict, f.value_source, f.rank_source,
           CASE WHEN $direction = 'lower_is_better' THEN f.value ELSE -f.value END AS sort_key
    FROM units u
    LEFT JOIN facts f ON f.unit_id = u.unit_id AND f.indicator_id = $indicator AND f.year = $year
    -- the name the unit had in that year (Thừa Thiên Huế until 2024)
    LEFT JOIN unit_names n ON n.unit_id = u.unit_id
        AND coalesce(year(n.valid_from), 0) <= $year AND $year <= coalesce(year(n.valid_to), 9999)
    WHERE u.level = $level AND u.vintage = $vintage AND ({scope_filter})
      AND (f.unit_id IS NOT NULL OR $include_missing)
)
SELECT unit_id, code, name, short_name, value,
       CASE WHEN value IS NOT NULL THEN rank() OVER (PARTITION BY value IS NULL ORDER BY sort_key) END AS rank,
       CASE WHEN value IS NOT NULL THEN count(value) OVER () END AS "of",
       official_rank, official_of, rank_basis, has_conflict, value_source, rank_source, parent_id, region_id
FROM scoped
ORDER BY value IS NULL, sort_key, official_rank NULLS LAST, code
"""


def ranking(con: duckdb.DuckDBPyConnection, indicator_id: str, year: int, *, scope: Scope | None = None,
            level: str | None = None, include_missing: bool = False) -> pd.DataFrame:
    """One row per unit of the indicator's level in scope, best first; units with no value last.

    Columns: unit_id, code, name, short_name, value, rank, of, official_rank, official_of, rank_basis,
    has_conflict, value_source, rank_source, parent_id, region_id, display_rank, display_of, rank_source_kind.
    """
    scope = scope or Scope()
    ind_level, vintage, direction = indicator_level(con, indicator_id)
    sql = RANKING_SQL.format(scope_filter=_SCOPE_FILTER[scope.kind])
    params = {"indicator": indicator_id, "year": int(year), "level": level or ind_level, "vintage": vintage,
              "direction": direction or "higher_is_better", "include_missing": include_missing}
    if scope.kind != "national":
        params["scope_id"] = scope.id
    df = con.execute(sql, params).df()
    return add_display_rank(df, published_applies=scope.kind == "national")


def add_display_rank(df: pd.DataFrame, *, published_applies: bool = True) -> pd.DataFrame:
    """x/N shown to users: published where published (national tables only), else computed."""
    df = df.copy()
    published = df["official_rank"].notna() & published_applies
    df["display_rank"] = df["official_rank"].where(published, df["rank"]).astype("Int64")
    of_published = df["official_of"].where(df["official_of"].notna(), df["of"])
    df["display_of"] = of_published.where(published, df["of"]).astype("Int64")
    df["rank_source_kind"] = ["published" if p else ("computed" if pd.notna(r) else None)
                              for p, r in zip(published, df["rank"], strict=True)]
    for col in ("rank", "of", "official_rank", "official_of"):
        df[col] = df[col].astype("Int64")
    return df


def rank_check(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every place where a rank computed over a complete table disagrees with the published rank."""
    return con.execute("""
        WITH complete AS (
            SELECT r.indicator_id, r.year, r.level, r.vintage, count(*) AS n_values, any_value(e.n_ranked) AS n_ranked
            FROM ranks r JOIN editions e USING (indicator_id, year)
            GROUP BY ALL HAVING count(*) = any_value(e.n_ranked)
        )
        SELECT r.indicator_id, r.year, r.unit_id, u.short_name AS name, r.value, r.rank_national AS computed_rank,
               f.official_rank AS published_rank, f.rank_basis, f.rank_source
        FROM ranks r
        JOIN complete c USING (indicator_id, year, level, vintage)
        JOIN facts f USING (indicator_id, unit_id, year)
        JOIN units u USING (unit_id)
        WHERE f.official_rank IS NOT NULL AND f.official_rank <> r.rank_national
        ORDER BY r.indicator_id, r.year, r.rank_national
    """).df()


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Indicator × year: how many units have a value / a published rank, against the edition's N."""
    return con.execute("""
        SELECT f.indicator_id, f.year, count(f.value) AS n_values, count(f.official_rank) AS n_ranks,
               any_value(e.n_ranked) AS n_ranked,
               CASE WHEN count(f.value) >= coalesce(any_value(e.n_ranked), 1e9) THEN 'full'
                    WHEN count(f.value) + count(f.official_rank) > 0 THEN 'partial' ELSE 'none' END AS coverage
        FROM facts f LEFT JOIN editions e USING (indicator_id, year)
        GROUP BY ALL ORDER BY 1, 2
    """).df()
