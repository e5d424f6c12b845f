"""Every read query the pages use, as named functions over a (read-only) connection.

The ranking and trend frames have their own modules (analytics.ranking, analytics.trends); what is here are
the plain lookups: which years and units have data, one unit's facts, raw observations, coverage and the
published-versus-computed checks, regions, the import ledger.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.registry import NameSpell, Registry, Unit


def years_with_data(con: duckdb.DuckDBPyConnection) -> dict[str, list[int]]:
    """indicator_id → years (ascending) with at least one value or published rank."""
    # ranking_parts counts, per indicator-year, the rows with a value or a published rank (n_any): a lookup
    # in a few thousand rows instead of a scan of every fact
    out: dict[str, list[int]] = {}
    for iid, year in con.execute("SELECT indicator_id, year FROM ranking_parts WHERE n_any > 0 "
                                 "GROUP BY ALL ORDER BY 1, 2").fetchall():
        out.setdefault(str(iid), []).append(int(year))
    return out


def unit_facts(con: duckdb.DuckDBPyConnection, unit_id: str) -> pd.DataFrame:
    """Every fact of one unit (all indicators and years), with the computed national rank."""
    return con.execute("""
        SELECT f.indicator_id, f.year, f.value, f.official_rank, f.official_of, f.rank_basis, f.has_conflict,
               f.value_source, f.rank_source, r.rank_national AS computed_rank, r.n_national AS computed_of
        FROM facts f LEFT JOIN ranks r USING (indicator_id, unit_id, year)
        WHERE f.unit_id = ? ORDER BY f.indicator_id, f.year
    """, [unit_id]).df()


def units_with_data(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """unit_id → indicators (sorted) with at least one figure for it."""
    # distinct integer pairs first, strings after: several times faster than grouping the facts view
    rows = con.execute("""
        WITH p AS (SELECT DISTINCT unit_ix, ind_ix FROM ranked_facts
                   WHERE value IS NOT NULL OR official_rank IS NOT NULL)
        SELECT u.unit_id, list(i.indicator_id ORDER BY i.indicator_id) AS ids
        FROM p JOIN unit_dim u USING (unit_ix) JOIN indicator_dim i USING (ind_ix) GROUP BY u.unit_id""").fetchall()
    return {str(u): [str(x) for x in ids] for u, ids in rows}


def observations(con: duckdb.DuckDBPyConnection, indicator_id: str, unit_id: str | None = None,
                 year: int | None = None) -> pd.DataFrame:
    """Raw observation rows (primary and alternative figures) with their sources."""
    return con.execute("""
        SELECT o.indicator_id, o.unit_id, o.locality_in_source, o.year, o.value, o.official_rank, o.rank_basis,
               o.source_url, o.note, o.status
        FROM observations o
        WHERE o.indicator_id = $ind AND ($unit IS NULL OR o.unit_id = $unit) AND ($year IS NULL OR o.year = $year)
        ORDER BY o.unit_id, o.year, o.status <> 'primary', o.obs_id
    """, {"ind": indicator_id, "unit": unit_id, "year": year}).df()


def all_observations(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every observation with its unit's short name, level and vintage (for downloads)."""
    return con.execute("""
        SELECT o.indicator_id, o.unit_id, u.short_name AS name, u.level, u.vintage, o.locality_in_source, o.year,
               o.value, o.official_rank, o.rank_basis, o.source_url, o.note, o.status
        FROM observations o JOIN units u USING (unit_id)
        ORDER BY o.indicator_id, o.year, u.code, o.status <> 'primary'
    """).df()


def observation_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """indicator_id → number of observation rows (what `all_observations` returns per indicator)."""
    return {str(i): int(n) for i, n in con.execute(
        "SELECT o.indicator_id, count(*) FROM observations o JOIN units u USING (unit_id) GROUP BY 1").fetchall()}


def regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT region_id, name_vi, name_en, source FROM regions ORDER BY region_id").df()


def imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The import ledger, newest first."""
    return con.execute("SELECT * FROM imports ORDER BY imported_at DESC").df()


def registry_fingerprint(con: duckdb.DuckDBPyConnection) -> tuple:
    """What identifies the registry's content: imports never change the units, so a registry built from the
    database survives them (and a restart, and a replica with a copy of the same snapshot)."""
    return tuple(con.execute("""
        SELECT (SELECT count(*) FROM units), (SELECT bit_xor(hash(u)) FROM units u),
               (SELECT count(*) FROM unit_names), (SELECT bit_xor(hash(n)) FROM unit_names n),
               (SELECT count(*) FROM successors), (SELECT bit_xor(hash(s)) FROM successors s),
               (SELECT count(*) FROM aliases), (SELECT bit_xor(hash(a)) FROM aliases a),
               (SELECT count(*) FROM regions), (SELECT bit_xor(hash(r)) FROM regions r)""").fetchall()[0])


def indicator_level(con: duckdb.DuckDBPyConnection, indicator_id: str) -> tuple[str, str, str | None]:
    """(level, vintage, direction) of an indicator; KeyError naming the known indicators."""
    # fetchall, not fetchone: a result left unfinished blocks the connection's relation API (DuckDB 2)
    rows = con.execute("SELECT level, vintage, direction FROM indicators WHERE indicator_id = ?",
                       [indicator_id]).fetchall()
    if not rows:
        known = [r[0] for r in con.execute(
            "SELECT indicator_id FROM indicators WHERE parent_id IS NULL ORDER BY 1").fetchall()]
        raise KeyError(f"unknown indicator {indicator_id!r}; known: {', '.join(known)}")
    return rows[0]


def names_in_year(con: duckdb.DuckDBPyConnection, unit_ids, year: int | None) -> dict[str, str]:
    """unit_id → display name in `year` (short name for provinces, full name below): the name of
    unit_names_by_year (analytics.store.derive, the one rule for a name in a year) in a year with data, else
    the current name."""
    ids = [u for u in dict.fromkeys(unit_ids) if isinstance(u, str)]
    if not ids:
        return {}
    return dict(con.execute("""
        SELECT u.unit_id, CASE WHEN u.level = 'province' THEN coalesce(n.short_name, u.short_name)
                               ELSE coalesce(n.name, u.name) END
        FROM unit_dim u LEFT JOIN unit_names_by_year n ON n.unit_ix = u.unit_ix AND n.year = $year
        WHERE list_contains($ids, u.unit_id)
    """, {"ids": ids, "year": int(year) if year is not None else None}).fetchall())


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


_COMPLETE_TABLES = """
    SELECT r.indicator_id, r.year, r.level, r.vintage, count(*) AS n_values, any_value(e.n_ranked) AS n_ranked
    FROM ranks r JOIN editions e USING (indicator_id, year)
    WHERE $indicator IS NULL OR r.indicator_id = $indicator
    GROUP BY ALL HAVING count(*) = any_value(e.n_ranked)"""


def rank_check(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every place where a rank computed over a complete table disagrees with the published rank.

    Columns: indicator_id, year, unit_id, name, value, computed_rank, published_rank, rank_basis, rank_source.
    """
    return con.execute(f"""
        WITH complete AS ({_COMPLETE_TABLES})
        SELECT r.indicator_id, r.year, r.unit_id, u.short_name AS name, r.value, r.rank_national AS computed_rank,
               f.official_rank AS published_rank, f.rank_basis, f.rank_source
        FROM ranks r
        JOIN complete c USING (indicator_id, year, level, vintage)
        JOIN facts f USING (indicator_id, unit_id, year)
        JOIN units u USING (unit_id)
        WHERE f.official_rank IS NOT NULL AND f.official_rank <> r.rank_national
        ORDER BY r.indicator_id, r.year, r.rank_national
    """, {"indicator": None}).df()


def rank_agreement(con: duckdb.DuckDBPyConnection, indicator_id: str | None = None) -> pd.DataFrame:
    """Per indicator and year with a complete table: how many published ranks agree with the computed ones.

    Columns: indicator_id, year, n_values, n_ranked, n_published, n_agree, n_disagree.
    """
    return con.execute(f"""
        WITH complete AS ({_COMPLETE_TABLES})
        SELECT c.indicator_id, c.year, any_value(c.n_values) AS n_values, any_value(c.n_ranked) AS n_ranked,
               count(f.official_rank) AS n_published,
               count(*) FILTER (WHERE f.official_rank = r.rank_national) AS n_agree,
               count(*) FILTER (WHERE f.official_rank <> r.rank_national) AS n_disagree
        FROM complete c
        JOIN ranks r USING (indicator_id, year, level, vintage)
        JOIN facts f USING (indicator_id, unit_id, year)
        GROUP BY c.indicator_id, c.year ORDER BY 1, 2
    """, {"indicator": indicator_id}).df()


def _date(x):
    """A DATE read back as a datetime.date (None for NULL)."""
    return None if x is None or pd.isna(x) else pd.Timestamp(x).date()


def registry_from_db(con: duckdb.DuckDBPyConnection) -> Registry:
    """A Registry rebuilt from the database's units/unit_names/successors/aliases/regions tables (much faster
    than `Registry.from_package()`, and always the same vintage as the data)."""
    cols = [f.name for f in Unit.__dataclass_fields__.values()]
    units = {}
    for row in con.execute(f"SELECT {', '.join(cols)} FROM units").fetchall():
        units[row[0]] = Unit(*row)
    names = [NameSpell(u, n, s, _date(a), _date(b), src) for u, n, s, a, b, src in con.execute(
        "SELECT unit_id, name, short_name, valid_from, valid_to, source FROM unit_names").fetchall()]
    succ = [tuple(r) for r in con.execute(
        "SELECT unit_id, successor_id, is_default, relation FROM successors").fetchall()]
    aliases = [tuple(r) for r in con.execute("SELECT unit_id, alias, source FROM aliases").fetchall()]
    regions = {r: {"vi": vi, "en": en, "source": src}
               for r, vi, en, src in con.execute("SELECT region_id, name_vi, name_en, source FROM regions").fetchall()}
    return Registry(units_by_id=units, name_history=names, successors=succ, aliases=aliases, regions=regions)
