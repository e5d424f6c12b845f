"""The derived tables (`ranked_facts`, `ranking_parts`, the dimensions and views): what pages look up.

`refresh_derived(con)` recomputes them all (`chiso build`); `refresh_derived(con, indicator_ids)` only the
rows of the indicators an import or a revert touched, with the same SQL and the same result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import duckdb

from analytics.store.rules import MACROS

# Derived tables, rebuilt by every build and, for the indicators it touched, by every import and revert
# (`refresh_derived`). Pages only look things up:
#   ranked_facts   one row per (indicator, unit, year): the primary value and published rank with their
#                  sources, and everything a national ranking shows (computed rank, x/N, percentile,
#                  quartile, change against the previous edition), physically sorted by part_key =
#                  (indicator, year, level, vintage), so that one indicator-year is a zone-map lookup of
#                  contiguous rows (an incremental refresh appends an indicator's re-derived rows, each part
#                  still contiguous). Integer keys only (unit_ix, ind_ix): strings live in the dimensions.
#   ranking_parts  one row per indicator-year-level: its part_key, counts, completeness, previous edition.
#   unit_dim, indicator_dim, unit_names_by_year, derived_info (build_id: identifies this derivation;
#                  derivation: which SQL derived it).
#   facts, ranks, ranking_rows   views over ranked_facts and the dimensions (the shapes readers use).
# The cost is writing rows, so the wide rows are sorted once and every rank is computed over narrow rows
# (numbers only), then paired with the wide rows by position.
_UNIT_DIM = """
SELECT (row_number() OVER (ORDER BY u.code, u.unit_id) - 1)::INTEGER AS unit_ix,  -- ordering by it = by code
       (dense_rank() OVER (ORDER BY u.level, u.vintage) - 1)::INTEGER AS lv_ix,
       (count(*) OVER (PARTITION BY u.level, u.vintage))::INTEGER AS n_units,
       u.unit_id, u.code, u.name, u.short_name, u.name_en, u.type_vi, u.type_en, u.level, u.vintage,
       u.parent_id, u.province_id, u.region_id
FROM units u
ORDER BY unit_ix"""

_INDICATOR_DIM = """
SELECT (row_number() OVER (ORDER BY indicator_id) - 1)::INTEGER AS ind_ix, indicator_id, level, vintage, direction
FROM indicators
ORDER BY ind_ix"""

_UNIT_NAMES_BY_YEAR = """
-- The name a unit had in a year with observations (Thừa Thiên Huế until 2024): one spell per unit and year.
CREATE OR REPLACE TABLE unit_names_by_year AS
SELECT u.unit_ix, y.year, n.name, n.short_name,
       CASE WHEN n.short_name IS NOT NULL AND n.short_name <> u.short_name
            THEN strip_accents(replace(replace(n.short_name, 'Đ', 'D'), 'đ', 'd')) END AS name_en
FROM (SELECT DISTINCT year FROM observations) y
JOIN unit_names n ON coalesce(year(n.valid_from), 0) <= y.year AND y.year <= coalesce(year(n.valid_to), 9999)
JOIN unit_dim u ON u.unit_id = n.unit_id
QUALIFY row_number() OVER (PARTITION BY n.unit_id, y.year ORDER BY n.valid_from DESC NULLS LAST) = 1
ORDER BY y.year, u.unit_ix;
"""

# `<scope>`: nothing (every indicator) or a filter on the indicators an incremental refresh recomputes.
_FACTS = """
-- The facts rows: one per (indicator, unit, year), the primary value and the published rank with their
-- sources, sorted by part_key and then by value (best first): the one sort of wide rows.
CREATE OR REPLACE TEMP TABLE derived_facts AS
WITH o AS NOT MATERIALIZED (
    SELECT o.obs_id, o.year, o.value, o.official_rank, o.rank_basis, o.source_url, o.note, o.status,
           i.ind_ix, i.direction, u.unit_ix, u.n_units,
           (CAST(i.ind_ix AS BIGINT) * 10000 + o.year) * 64 + u.lv_ix AS part_key
    FROM observations o
    JOIN unit_dim u USING (unit_id)
    JOIN indicator_dim i USING (indicator_id)
    <scope>
),
-- keys with several observations (rare): the value is the first primary row with a value (then by obs_id),
-- the rank the first non-alternative row with a rank, primary first, a published rank before a listing
-- order; the orderings are packed into one BIGINT for arg_min
dup AS (SELECT part_key, unit_ix FROM o GROUP BY part_key, unit_ix HAVING count(*) > 1),
f AS (
    SELECT part_key, unit_ix, ind_ix, year, direction, n_units,
        CASE WHEN status <> 'alternative' THEN value END AS value, source_url AS value_url, note AS value_note,
        CASE WHEN status <> 'alternative' THEN official_rank END AS official_rank,
        CASE WHEN status <> 'alternative' AND official_rank IS NOT NULL THEN rank_basis END AS rank_basis,
        CASE WHEN status <> 'alternative' AND official_rank IS NOT NULL THEN source_url END AS rank_url,
        status = 'alternative' AS has_conflict
    FROM o ANTI JOIN dup USING (part_key, unit_ix)
    UNION ALL
    SELECT part_key, unit_ix, ind_ix, year, direction, n_units,
        CASE WHEN NOT v.alternative THEN v.value END, v.url, v.note, r.rank, r.basis, r.url, has_conflict
    FROM (
        SELECT part_key, unit_ix, any_value(ind_ix) AS ind_ix, any_value(year) AS year,
            any_value(direction) AS direction, any_value(n_units) AS n_units,
            arg_min({'value': value, 'alternative': status = 'alternative', 'url': source_url, 'note': note},
                    (CAST(status <> 'primary' AS BIGINT) << 62) | (CAST(value IS NULL AS BIGINT) << 61) | obs_id) AS v,
            arg_min({'rank': official_rank, 'basis': rank_basis, 'url': source_url},
                    (CAST(status <> 'primary' AS BIGINT) << 60)
                    | (CAST(CASE WHEN rank_basis = 'listing_order' THEN 1 WHEN rank_basis IS NULL THEN 2 ELSE 0 END
                            AS BIGINT) << 58)
                    | obs_id) FILTER (WHERE official_rank IS NOT NULL AND status <> 'alternative') AS r,
            count(*) FILTER (WHERE status = 'alternative') > 0 AS has_conflict
        FROM o SEMI JOIN dup USING (part_key, unit_ix)
        GROUP BY part_key, unit_ix
    ) m
)
SELECT f.part_key, f.unit_ix, f.ind_ix, f.year, f.n_units, f.value, f.value_url, f.value_note, f.official_rank,
    f.rank_basis, f.rank_url, f.has_conflict, e.n_ranked AS official_of,
    -- direction-aware: ascending sort_key = best first; an indicator without a direction sorts high first
    CASE WHEN f.direction = 'lower_is_better' THEN f.value ELSE -f.value END AS sort_key
FROM f
LEFT JOIN (SELECT ind_ix, year, any_value(n_ranked) AS n_ranked FROM editions JOIN indicator_dim USING (indicator_id)
           GROUP BY ALL) e USING (ind_ix, year)
ORDER BY f.part_key, sort_key NULLS LAST, f.unit_ix;
"""

_RANKS = """
-- Every rank of every indicator-year, over narrow rows (numbers only), returned in derived_facts' order.
CREATE OR REPLACE TEMP TABLE derived_ranks AS
WITH n AS (
    SELECT rowid AS rid, part_key, ind_ix, unit_ix, year, value, sort_key, official_rank, official_of, n_units
    FROM derived_facts
),
computed AS (
    -- the ranking rule (analytics.store.rules): 1, 2, 2, 4 among the units with a value
    SELECT *, competition_rank(value, sort_key, part_key) AS rank, ranked_count(value, part_key) AS n_values
    FROM n
),
shown AS (
    SELECT *,
        -- what users see: the published rank of the published N where published, else the computed one
        coalesce(official_rank, rank) AS display_rank,
        CASE WHEN official_rank IS NOT NULL THEN official_of WHEN rank IS NOT NULL THEN n_values END AS display_of,
        -- a computed rank is complete when every unit the edition ranked has a value
        n_values > 0 AND n_values >= coalesce(official_of, n_units) AS complete
    FROM computed
),
lagged AS (
    SELECT *,
        official_rank IS NOT NULL OR complete AS trusted,
        lag(year) OVER u AS lag_year, lag(value) OVER u AS lag_value, lag(display_rank) OVER u AS lag_rank,
        lag(display_of) OVER u AS lag_of, lag(official_rank IS NOT NULL OR complete) OVER u AS lag_trusted
    FROM shown
    WINDOW u AS (PARTITION BY ind_ix, unit_ix ORDER BY year)
),
-- the previous edition of each indicator-year: the latest earlier year with a value or a published rank
editions_seen AS (
    SELECT ind_ix, year,
        max(year) FILTER (WHERE has_data) OVER (PARTITION BY ind_ix ORDER BY year
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_year
    FROM (SELECT ind_ix, year, bool_or(value IS NOT NULL OR official_rank IS NOT NULL) AS has_data
          FROM n GROUP BY ALL)
),
compared AS (
    SELECT l.*, es.prev_year,
        CASE WHEN lag_year = es.prev_year THEN lag_value END AS prev_value,
        CASE WHEN lag_year = es.prev_year THEN lag_rank END AS prev_rank,
        CASE WHEN lag_year = es.prev_year THEN lag_of END AS prev_of,
        coalesce(lag_year = es.prev_year AND lag_trusted, false) AS prev_trusted
    FROM lagged l JOIN editions_seen es USING (ind_ix, year)
)
SELECT rid, CAST(rank AS INTEGER) AS rank, CAST(CASE WHEN value IS NOT NULL THEN n_values END AS INTEGER) AS "of",
    CAST(display_rank AS INTEGER) AS display_rank, CAST(display_of AS INTEGER) AS display_of, complete,
    -- percentile and quartile of the shown rank where it means something (analytics.store.rules)
    rank_percentile(display_rank, display_of, trusted) AS percentile,
    rank_quartile(display_rank, display_of, trusted) AS quartile,
    -- change against the previous edition of the indicator, before the catalog's series breaks (applied by
    -- the reader): a value change whenever both values exist; a rank change (+ = moved up) only with the
    -- same N and both ranks over a full table (published, or computed over the complete table)
    CAST(CASE WHEN display_rank IS NOT NULL AND prev_rank IS NOT NULL AND coalesce(display_of = prev_of, false)
              AND trusted AND prev_trusted THEN prev_rank - display_rank END AS INTEGER) AS rank_change,
    CASE WHEN value IS NOT NULL AND prev_value IS NOT NULL
         THEN round_even((value - prev_value) * 1000000.0, 0) / 1000000.0 END AS value_change,
    CASE WHEN (value IS NOT NULL AND prev_value IS NOT NULL) OR (display_rank IS NOT NULL AND prev_rank IS NOT NULL)
         THEN display_rank IS NULL OR prev_rank IS NULL
              OR (coalesce(display_of = prev_of, false) AND trusted AND prev_trusted) END AS comparable,
    prev_year
FROM compared
ORDER BY rid;
"""

# The alignment guard: derived_ranks must pair with derived_facts row for row.
_RANKED_FACTS = """
SELECT f.part_key, f.ind_ix, f.year, f.unit_ix, f.value, f.sort_key, r.rank, r."of", f.official_rank, f.official_of,
    r.display_rank, r.display_of, r.complete, r.percentile, r.quartile, r.rank_change, r.value_change,
    r.comparable, r.prev_year, f.rank_basis, f.has_conflict, f.value_url, f.rank_url, f.value_note
FROM derived_facts f POSITIONAL JOIN derived_ranks r
WHERE f.rowid = r.rid OR error('derived_ranks is not aligned with derived_facts')"""

_DROP_TEMPS = """
DROP TABLE derived_facts;
DROP TABLE derived_ranks;
"""

_RANKING_PARTS = """
SELECT r.part_key, r.ind_ix, i.indicator_id, r.year, u.level, u.vintage,
    u.level = i.level AND u.vintage = i.vintage AS own_level,
    count(*) AS n_rows, count(r.value) AS n_values, count(r.official_rank) AS n_published,
    count(*) FILTER (WHERE r.value IS NOT NULL OR r.official_rank IS NOT NULL) AS n_any,
    count(r.rank_basis) AS n_rank_basis, count(r.value_url) AS n_value_url, count(r.rank_url) AS n_rank_url,
    count(*) FILTER (WHERE r.has_conflict) AS n_conflicts,
    any_value(r.official_of) AS official_of, any_value(u.n_units) AS n_units, bool_or(r.complete) AS complete,
    any_value(r.prev_year) AS prev_year
FROM ranked_facts r JOIN indicator_dim i USING (ind_ix) JOIN unit_dim u USING (unit_ix)
<scope>
GROUP BY ALL
ORDER BY r.part_key"""

_VIEWS = """
-- One row per (indicator, unit, year): the primary value and the published rank, with their sources.
CREATE OR REPLACE VIEW facts AS
SELECT i.indicator_id, u.unit_id, r.year, r.value, r.value_url AS value_source, r.value_note,
    r.official_rank, r.rank_basis, r.rank_url AS rank_source, r.official_of, r.has_conflict,
    u.level, u.vintage, u.parent_id, u.province_id, u.region_id
FROM ranked_facts r
JOIN indicator_dim i USING (ind_ix)
JOIN unit_dim u USING (unit_ix);

-- Computed national ranks (standard competition) of the indicators with a direction.
CREATE OR REPLACE VIEW ranks AS
SELECT i.indicator_id, r.year, u.unit_id, u.level, u.vintage, u.parent_id, u.province_id, u.region_id, r.value,
    r.rank AS rank_national, r."of" AS n_national
FROM ranked_facts r
JOIN indicator_dim i USING (ind_ix)
JOIN unit_dim u USING (unit_ix)
WHERE r.value IS NOT NULL AND i.direction IS NOT NULL;

-- Every row with the name in that year and the national ranking: the shape of a ranking page's table.
CREATE OR REPLACE VIEW ranking_rows AS
SELECT i.indicator_id, r.year, u.level, u.vintage, u.unit_id, u.code,
    coalesce(n.name, u.name) AS name, coalesce(n.short_name, u.short_name) AS short_name,
    r.value, r.rank, r."of", r.official_rank, r.official_of, r.display_rank, r.display_of,
    CASE WHEN r.official_rank IS NOT NULL THEN 'published' WHEN r.rank IS NOT NULL THEN 'computed' END AS rank_kind,
    r.complete, r.percentile, r.quartile, r.rank_change, r.value_change, r.comparable, r.prev_year,
    r.rank_basis, r.has_conflict, r.value_url AS value_source, r.rank_url AS rank_source,
    u.parent_id, u.province_id, u.region_id, r.sort_key
FROM ranked_facts r
JOIN indicator_dim i USING (ind_ix)
JOIN unit_dim u USING (unit_ix)
LEFT JOIN unit_names_by_year n ON n.unit_ix = r.unit_ix AND n.year = r.year;
"""


def _scoped(sql: str, alias: str | None) -> str:
    """`sql` over every indicator (alias None) or only those in the temp table derived_scope."""
    return sql.replace("<scope>", f"WHERE {alias}.ind_ix IN (SELECT ind_ix FROM derived_scope)" if alias else "")


_DERIVED_BODY = "".join([
    MACROS, f"CREATE OR REPLACE TABLE unit_dim AS{_UNIT_DIM};\n", f"CREATE OR REPLACE TABLE indicator_dim AS{_INDICATOR_DIM};\n",
    _UNIT_NAMES_BY_YEAR, _scoped(_FACTS, None), _RANKS, f"CREATE OR REPLACE TABLE ranked_facts AS{_RANKED_FACTS};\n",
    _DROP_TEMPS, f"CREATE OR REPLACE TABLE ranking_parts AS{_scoped(_RANKING_PARTS, None)};\n", _VIEWS])
# Identifies the SQL that derived a database: an incremental refresh only patches tables this code derived.
DERIVATION = hashlib.sha256(_DERIVED_BODY.encode()).hexdigest()[:16]
# Written last: a derived_info row with this DERIVATION means the whole script ran.
_DERIVED_INFO = f"""
CREATE OR REPLACE TABLE derived_info AS
SELECT CAST(uuid() AS VARCHAR) AS build_id, now() AS derived_at, '{DERIVATION}' AS derivation;
"""
DERIVED = _DERIVED_BODY + _DERIVED_INFO

# Recompute the rows of the indicators in derived_scope (every year: a year's changes against the previous
# edition depend on the other years); the other indicators' rows stay as they are.
_INCREMENTAL = "".join([
    _UNIT_NAMES_BY_YEAR, _scoped(_FACTS, "i"), _RANKS,
    "DELETE FROM ranked_facts WHERE ind_ix IN (SELECT ind_ix FROM derived_scope);\n",
    f"INSERT INTO ranked_facts{_RANKED_FACTS};\n", _DROP_TEMPS,
    "DELETE FROM ranking_parts WHERE ind_ix IN (SELECT ind_ix FROM derived_scope);\n",
    f"INSERT INTO ranking_parts{_scoped(_RANKING_PARTS, 'r')};\n", "DROP TABLE derived_scope;\n", _DERIVED_INFO])




def refresh_derived(con: duckdb.DuckDBPyConnection, indicator_ids: Iterable[str] | None = None) -> str:
    """Recompute the derived tables; returns how: "full" or "incremental".

    With `indicator_ids` (every indicator whose observations changed since the last refresh, as an import
    or a revert knows), only those indicators' rows are recomputed, with the same SQL, and the result is
    identical to a full refresh. Falls back to a full refresh when the tables were derived by other SQL
    (or not at all), when units or indicators changed (the dense ids would shift) or an id is unknown.
    A full refresh also re-sorts ranked_facts; an incremental one appends the indicators' rows at its end,
    each part still contiguous and best first. Either way a new build_id."""
    if indicator_ids is not None and _can_refresh_incrementally(con, sorted(set(indicator_ids))):
        con.execute(_INCREMENTAL)
        return "incremental"
    # Databases built before facts/ranks/ranking_rows became views hold them as tables: drop those first.
    for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name IN "
                               "('facts', 'ranks', 'ranking_rows')").fetchall():
        con.execute(f"DROP TABLE {name}")
    con.execute(DERIVED)
    return "full"


def _can_refresh_incrementally(con: duckdb.DuckDBPyConnection, ids: list[str]) -> bool:
    """Whether the derived tables can be patched for `ids`; if so, leaves their ind_ix in temp derived_scope."""
    try:
        if con.execute("SELECT derivation FROM derived_info").fetchall() != [(DERIVATION,)]:
            return False
    except duckdb.Error:  # no derived_info, or one without `derivation`: derived by an older version
        return False
    for table, select in (("unit_dim", _UNIT_DIM), ("indicator_dim", _INDICATOR_DIM)):
        same = con.execute(f"""SELECT (SELECT count(*) FROM {table}) = (SELECT count(*) FROM ({select}))
                               AND NOT EXISTS (FROM {table} EXCEPT ALL ({select}))""").fetchall()[0][0]
        if not same:
            return False
    con.execute("CREATE OR REPLACE TEMP TABLE derived_scope AS "
                "SELECT ind_ix FROM indicator_dim WHERE list_contains($ids, indicator_id)", {"ids": ids})
    if con.execute("SELECT count(*) FROM derived_scope").fetchall()[0][0] != len(ids):
        con.execute("DROP TABLE derived_scope")
        return False
    return True
