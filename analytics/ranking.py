"""Rankings: standard competition ranks (1, 2, 2, 4) within a scope, beside the published rank.

What users see is "x/N" (`display_rank`/`display_of`): the published rank and the published N where the
source gives them (a partial table still reads 4/63), otherwise the rank computed from values with
N = units that have a value, labelled `rank_source = 'computed'`.

    ranking(con, "par_index", 2020)                                   # 63 provinces, national
    ranking(con, "pci", 2018, scope=Scope("region", "DNB"))           # the Southeast region
    ranking(con, "bd_par_district", 2017, scope=Scope("parent", "old-p-74"))   # districts of Bình Dương
    ranking(con, "bd_766_ward", 2023, scope=Scope("province", "old-p-74"))     # wards of a province

All ranking work happens in one DuckDB query (window functions); bands come from the catalog as a
SQL CASE expression, and the change against the previous edition is a vectorised merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd

from analytics.catalog import Catalog, Indicator

SCOPES = ("national", "region", "parent", "province")

RANKING_COLUMNS = [
    "unit_id", "code", "name", "short_name", "name_en", "type_vi", "type_en", "value", "rank", "of",
    "official_rank", "official_of", "display_rank", "display_of", "rank_source", "rank_basis", "complete",
    "percentile", "quartile", "band", "rank_change", "value_change", "comparable", "prev_year",
    "has_conflict", "value_url", "rank_url", "parent_id", "province_id", "region_id",
]


@dataclass(frozen=True)
class Scope:
    """Which units compete: all of a level nationally, a region's, or the children of one unit.

    kind: ``national`` | ``region`` (id = region_id) | ``parent`` (id = parent unit: districts of a
    province, wards of a district) | ``province`` (id = province unit: every unit of the level in it,
    e.g. all wards of a province).
    """

    kind: str = "national"
    id: str | None = None

    def __post_init__(self):
        if self.kind not in SCOPES:
            raise ValueError(f"unknown scope {self.kind!r}; use one of {', '.join(SCOPES)}")
        if self.kind != "national" and not self.id:
            raise ValueError(f"scope {self.kind!r} needs an id")


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    from analytics.catalog import load_catalog

    return load_catalog()


def get_catalog(catalog: Catalog | None) -> Catalog:
    return catalog if catalog is not None else _default_catalog()


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

# The name a unit had in a year (Thừa Thiên Huế until 2024); one spell per unit and year.
NAME_IN_YEAR_SQL = """
    SELECT unit_id, name, short_name FROM unit_names
    WHERE coalesce(year(valid_from), 0) <= $year AND $year <= coalesce(year(valid_to), 9999)
    QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY valid_from DESC NULLS LAST) = 1
"""

RANKING_SQL = """
WITH names AS ({names_sql}),
scoped AS (
    SELECT u.unit_id, u.code,
           coalesce(n.name, u.name) AS name, coalesce(n.short_name, u.short_name) AS short_name,
           CASE WHEN n.short_name IS NOT NULL AND n.short_name <> u.short_name
                THEN strip_accents(replace(replace(n.short_name, 'Đ', 'D'), 'đ', 'd')) ELSE u.name_en END AS name_en,
           u.type_vi, u.type_en, u.level, u.parent_id, u.province_id, u.region_id,
           f.value, f.official_rank, f.official_of, f.rank_basis, f.has_conflict,
           f.value_source AS value_url, f.rank_source AS rank_url,
           CASE WHEN $direction = 'lower_is_better' THEN f.value ELSE -f.value END AS sort_key
    FROM units u
    LEFT JOIN facts f ON f.unit_id = u.unit_id AND f.indicator_id = $indicator AND f.year = $year
    LEFT JOIN names n ON n.unit_id = u.unit_id
    WHERE u.level = $level AND u.vintage = $vintage AND ({scope_filter})
      AND (f.unit_id IS NOT NULL OR $include_missing)
),
computed AS (
    SELECT *,
        CASE WHEN value IS NOT NULL THEN rank() OVER (PARTITION BY value IS NULL ORDER BY sort_key) END AS rank,
        count(value) OVER () AS n_values
    FROM scoped
),
shown AS (
    SELECT *,
        CASE WHEN value IS NOT NULL THEN n_values END AS "of",
        $published AND official_rank IS NOT NULL AS use_published,
        -- a computed rank is complete when every unit the edition ranked has a value (national count)
        $complete AS complete
    FROM computed
)
SELECT unit_id, code, name, short_name, name_en, type_vi, type_en, value, rank, "of",
    official_rank, official_of,
    CASE WHEN use_published THEN official_rank ELSE rank END AS display_rank,
    CASE WHEN use_published THEN official_of ELSE "of" END AS display_of,
    CASE WHEN use_published THEN 'published' WHEN rank IS NOT NULL THEN 'computed' END AS rank_source,
    rank_basis, complete, {band_sql} AS band,
    has_conflict, value_url, rank_url, parent_id, province_id, region_id, sort_key
FROM shown
ORDER BY display_rank NULLS LAST, sort_key NULLS LAST, code
"""


def names_in_year(con: duckdb.DuckDBPyConnection, unit_ids, year: int | None) -> dict[str, str]:
    """unit_id → display name in `year` (short name for provinces, full name below)."""
    ids = [u for u in dict.fromkeys(unit_ids) if isinstance(u, str)]
    if not ids:
        return {}
    rows = con.execute(f"""
        WITH names AS ({NAME_IN_YEAR_SQL})
        SELECT u.unit_id, CASE WHEN u.level = 'province' THEN coalesce(n.short_name, u.short_name)
                               ELSE coalesce(n.name, u.name) END
        FROM units u LEFT JOIN names n USING (unit_id) WHERE list_contains($ids, u.unit_id)
    """, {"ids": ids, "year": int(year) if year is not None else 9999}).fetchall()
    return dict(rows)


def band_case_sql(ind: Indicator | None, year: int, column: str = "value") -> str:
    """The catalog's grading bands for `year` as a SQL CASE over `column` (NULL where no band applies)."""
    if ind is None:
        return "CAST(NULL AS VARCHAR)"
    for period in ind.bands:
        if period.covers(int(year)):
            whens = []
            for b in period.grades:
                conds = [f"{column} IS NOT NULL"]
                if b.min is not None:
                    conds.append(f"{column} >= {float(b.min)!r}")
                if b.max is not None:
                    conds.append(f"{column} < {float(b.max)!r}")
                label = str(b.label).replace("'", "''")
                whens.append(f"WHEN {' AND '.join(conds)} THEN '{label}'")
            return f"CASE {' '.join(whens)} END" if whens else "CAST(NULL AS VARCHAR)"
    return "CAST(NULL AS VARCHAR)"


def _published_applies(con, indicator_id: str, year: int, level: str, vintage: str, scope: Scope) -> bool:
    """Published ranks are shown when the scope holds the whole published table (always nationally;
    within a province for an index that only ranks that province's units)."""
    if scope.kind == "national":
        return True
    outside = con.execute(f"""
        SELECT count(*) FROM facts f JOIN units u USING (unit_id)
        WHERE f.indicator_id = $indicator AND f.year = $year AND u.level = $level AND u.vintage = $vintage
          AND (f.value IS NOT NULL OR f.official_rank IS NOT NULL) AND NOT ({_SCOPE_FILTER[scope.kind]})
    """, {"indicator": indicator_id, "year": int(year), "level": level, "vintage": vintage,
          "scope_id": scope.id}).fetchone()[0]
    return outside == 0


def _ranking_core(con, indicator_id: str, year: int, scope: Scope, level: str | None, include_missing: bool,
                  ind: Indicator | None) -> pd.DataFrame:
    ind_level, vintage, direction = indicator_level(con, indicator_id)
    level = level or ind_level
    complete = con.execute("""
        SELECT count(f.value) > 0 AND count(f.value) >= coalesce(any_value(e.n_ranked), (
            SELECT count(*) FROM units WHERE level = $level AND vintage = $vintage))
        FROM facts f JOIN units u USING (unit_id)
        LEFT JOIN editions e ON e.indicator_id = f.indicator_id AND e.year = f.year
        WHERE f.indicator_id = $indicator AND f.year = $year AND u.level = $level AND u.vintage = $vintage
    """, {"indicator": indicator_id, "year": int(year), "level": level, "vintage": vintage}).fetchone()[0]
    published = _published_applies(con, indicator_id, year, level, vintage, scope)
    sql = RANKING_SQL.format(names_sql=NAME_IN_YEAR_SQL, scope_filter=_SCOPE_FILTER[scope.kind],
                             band_sql=band_case_sql(ind, year))
    params = {"indicator": indicator_id, "year": int(year), "level": level, "vintage": vintage,
              "direction": direction or "higher_is_better", "include_missing": include_missing,
              "published": published, "complete": bool(complete)}
    if scope.kind != "national":
        params["scope_id"] = scope.id
    df = con.execute(sql, params).df()
    for col in ("rank", "of", "official_rank", "official_of", "display_rank", "display_of"):
        df[col] = df[col].astype("Int64")
    df["complete"] = df["complete"].astype("boolean")
    return df


def add_position(df: pd.DataFrame) -> pd.DataFrame:
    """Percentile (100 = best, 0 = last) and quartile (1 = top quarter) of the shown rank; left empty for
    a computed rank over a partial table, where they would mislead."""
    r = df["display_rank"].astype("Float64")
    n = df["display_of"].astype("Float64")
    meaningful = (df["rank_source"] == "published") | df["complete"].fillna(False).astype(bool)
    meaningful = meaningful & r.notna() & n.notna()
    pct = (100.0 * (n - r) / (n - 1).where(n > 1)).where(n > 1, 100.0)
    df["percentile"] = pct.where(meaningful).round(1)
    quart = np.ceil(4.0 * r / n).clip(1, 4)
    df["quartile"] = quart.where(meaningful).astype("Int64")
    return df


def previous_year(con: duckdb.DuckDBPyConnection, indicator_id: str, year: int) -> int | None:
    row = con.execute("SELECT max(year) FROM facts WHERE indicator_id = ? AND year < ? "
                      "AND (value IS NOT NULL OR official_rank IS NOT NULL)", [indicator_id, int(year)]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def compare_columns(prev: pd.DataFrame, cur: pd.DataFrame, broken: pd.Series) -> pd.DataFrame:
    """Vectorised change between aligned previous/current rows.

    Inputs (aligned by index) need value, display_rank, display_of, rank_source, complete.
    value_change: only without a series break. rank_change (previous − current, + = moved up): only
    without a break, with the same N and both ranks over a full table (published, or computed over a
    complete table; a computed rank over a partial table never compares). comparable: False across a break or a change of N / of table kind; None when
    there is nothing to compare.
    """
    broken = broken.fillna(False).astype(bool)
    both_values = prev["value"].notna() & cur["value"].notna()
    both_ranks = prev["display_rank"].notna() & cur["display_rank"].notna()
    trusted = lambda d: (d["rank_source"] == "published") | d["complete"].fillna(False).astype(bool)  # noqa: E731
    same_n = (prev["display_of"].astype("Float64") == cur["display_of"].astype("Float64")).fillna(False).astype(bool)
    # a published rank and a rank computed over the complete table are the same kind of number
    same_kind = trusted(prev) & trusted(cur)
    rank_ok = both_ranks & ~broken & same_n & same_kind
    value_ok = both_values & ~broken
    out = pd.DataFrame(index=cur.index)
    out["value_change"] = (cur["value"] - prev["value"]).where(value_ok).round(6).astype("Float64")
    out["rank_change"] = (prev["display_rank"].astype("Float64") - cur["display_rank"].astype("Float64")) \
        .where(rank_ok).astype("Int64")
    anything = both_values | both_ranks
    comparable = ~broken & (~both_ranks | rank_ok)
    out["comparable"] = comparable.astype("boolean").where(anything, pd.NA)
    out["value_comparable"] = value_ok.astype("boolean").where(both_values, pd.NA)
    out["rank_comparable"] = rank_ok.astype("boolean").where(both_ranks, pd.NA)
    return out


def ranking(con: duckdb.DuckDBPyConnection, indicator_id: str, year: int, *, scope: Scope | None = None,
            level: str | None = None, include_missing: bool = False, catalog: Catalog | None = None,
            compare_to: int | None | bool = True) -> pd.DataFrame:
    """One row per unit of the indicator's level in scope, best first; units without a value last
    (units with neither value nor published rank only with ``include_missing=True``).

    Columns (RANKING_COLUMNS): unit_id, code, name (the name in that year), short_name, name_en, type_vi,
    type_en, value, rank/of (computed, N = units with a value in scope), official_rank/official_of
    (published; official_of = the catalog's n_ranked), display_rank/display_of (what users see),
    rank_source ('published'|'computed'), rank_basis ('published'|'listing_order'), complete (the
    computed table covers every ranked unit), percentile (100 = best), quartile (1 = top), band (the
    catalog's grade, e.g. PAR INDEX A/B/C), rank_change/value_change/comparable/prev_year against the
    previous edition (``compare_to``: True = the previous year with data, an int = that year, False/None
    = no comparison), has_conflict, value_url, rank_url, parent_id, province_id, region_id.
    ``df.attrs["edition"]`` = {year, n_ranked, published_top} (PCI from 2023: only the top 30 published).
    """
    scope = scope or Scope()
    cat = get_catalog(catalog)
    ind = cat.items.get(indicator_id)
    df = add_position(_ranking_core(con, indicator_id, year, scope, level, include_missing, ind))
    prev_y = previous_year(con, indicator_id, year) if compare_to is True else (compare_to or None)
    if prev_y is not None and not df.empty:
        prev = _ranking_core(con, indicator_id, prev_y, scope, level, True, ind)
        prev = prev.set_index("unit_id").reindex(df["unit_id"]).reset_index()
        broken = pd.Series(bool(ind.breaks_between(prev_y, year)) if ind else False, index=df.index)
        ch = compare_columns(prev.set_index(df.index), df, broken)
        df = pd.concat([df, ch[["value_change", "rank_change", "comparable"]]], axis=1)
        df["prev_year"] = pd.array([prev_y] * len(df), dtype="Int64")
    else:
        df["value_change"] = pd.array([pd.NA] * len(df), dtype="Float64")
        df["rank_change"] = pd.array([pd.NA] * len(df), dtype="Int64")
        df["comparable"] = pd.array([pd.NA] * len(df), dtype="boolean")
        df["prev_year"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df = df[RANKING_COLUMNS]
    ed = ind.edition(int(year)) if ind is not None else None
    df.attrs["edition"] = {"year": int(year), "n_ranked": ed.n_ranked if ed else None,
                           "published_top": ed.published_top if ed else None}
    return df


def add_display_rank(df: pd.DataFrame, *, published_applies: bool = True) -> pd.DataFrame:
    """x/N for a frame with rank/of/official_rank/official_of: published where published, else computed."""
    df = df.copy()
    published = df["official_rank"].notna() & published_applies
    df["display_rank"] = df["official_rank"].where(published, df["rank"]).astype("Int64")
    df["display_of"] = df["official_of"].where(published, df["of"]).astype("Int64")
    df["rank_source"] = np.where(published, "published", np.where(df["rank"].notna(), "computed", None))
    for col in ("rank", "of", "official_rank", "official_of"):
        df[col] = df[col].astype("Int64")
    return df


def rank_check(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every place where a rank computed over a complete table disagrees with the published rank.

    Columns: indicator_id, year, unit_id, name, value, computed_rank, published_rank, rank_basis, rank_source.
    """
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


def rank_agreement(con: duckdb.DuckDBPyConnection, indicator_id: str | None = None) -> pd.DataFrame:
    """Per indicator and year with a complete table: how many published ranks agree with the computed ones.

    Columns: indicator_id, year, n_values, n_ranked, n_published, n_agree, n_disagree.
    """
    return con.execute("""
        WITH complete AS (
            SELECT r.indicator_id, r.year, r.level, r.vintage, count(*) AS n_values, any_value(e.n_ranked) AS n_ranked
            FROM ranks r JOIN editions e USING (indicator_id, year)
            WHERE $indicator IS NULL OR r.indicator_id = $indicator
            GROUP BY ALL HAVING count(*) = any_value(e.n_ranked)
        )
        SELECT c.indicator_id, c.year, any_value(c.n_values) AS n_values, any_value(c.n_ranked) AS n_ranked,
               count(f.official_rank) AS n_published,
               count(*) FILTER (WHERE f.official_rank = r.rank_national) AS n_agree,
               count(*) FILTER (WHERE f.official_rank <> r.rank_national) AS n_disagree
        FROM complete c
        JOIN ranks r USING (indicator_id, year, level, vintage)
        JOIN facts f USING (indicator_id, unit_id, year)
        GROUP BY c.indicator_id, c.year ORDER BY 1, 2
    """, {"indicator": indicator_id}).df()


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Indicator × year: how many units have a value / a published rank, against the edition's N."""
    return con.execute("""
        SELECT f.indicator_id, f.year, count(f.value) AS n_values, count(f.official_rank) AS n_ranks,
               any_value(e.n_ranked) AS n_ranked, any_value(e.published_top) AS published_top,
               CASE WHEN count(f.value) >= coalesce(any_value(e.n_ranked), 1e9) THEN 'full'
                    WHEN count(f.value) + count(f.official_rank) > 0 THEN 'partial' ELSE 'none' END AS coverage
        FROM facts f LEFT JOIN editions e USING (indicator_id, year)
        GROUP BY ALL ORDER BY 1, 2
    """).df()
