"""ranked_facts, the derived ranking table (analytics.store.DERIVED): the alignment guard of its positional
join, and the one ranking rule (analytics.store.rules) giving the same ranks, x/N, percentiles and quartiles
on the materialised path (ranked_facts, read by `ranking()`'s lookup) and on the scoped path (SCOPED_SQL, on
the fly), on the real database and on a tiny hand-made one with known answers (ties, missing values, a
lower-is-better indicator)."""

from __future__ import annotations

import re
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest
from _handmade import URL, _entry, _o, _p, _u

from analytics.catalog import Catalog, parse_catalog
from analytics.ranking import SCOPED_SQL, ranking
from analytics.registry import Registry
from analytics.store import (
    DERIVED,
    SCHEMA,
    load_catalog_tables,
    load_observations,
    load_registry,
    refresh_derived,
)

GUARD = "derived_ranks is not aligned"
NO_YEAR = 1900  # a compare_to year without data: forces SCOPED_SQL even at national scope


# --------------------------------------------------------------------------------------- alignment guard
def _statements() -> tuple[list, int, int]:
    """DERIVED's statements, with the index of the derived_ranks step and of the ranked_facts step."""
    stmts = duckdb.extract_statements(DERIVED)
    ranks = [i for i, s in enumerate(stmts) if "TEMP TABLE derived_ranks AS" in s.query]
    facts = [i for i, s in enumerate(stmts) if "TABLE ranked_facts AS" in s.query]
    assert len(ranks) == 1 and len(facts) == 1 and ranks[0] < facts[0], "DERIVED changed shape"
    return stmts, ranks[0], facts[0]


TAMPER = {
    # one row fewer: every later row pairs with the next one's ranks, the last with nothing
    "delete_a_row": "DELETE FROM derived_ranks WHERE rid = (SELECT min(rid) + 7 FROM derived_ranks)",
    # the same rows in another order
    "reverse": "CREATE OR REPLACE TEMP TABLE derived_ranks AS SELECT * FROM derived_ranks ORDER BY rid DESC",
}


@pytest.fixture
def db_copy(built_db, tmp_path):
    path = tmp_path / "chiso.duckdb"
    shutil.copyfile(built_db, path)
    c = duckdb.connect(str(path))
    yield c
    c.close()


def _run_to_ranked_facts(c: duckdb.DuckDBPyConnection) -> tuple[list, int]:
    """Runs DERIVED up to (not including) the ranked_facts step; returns (statements, that step's index)."""
    stmts, _, i_facts = _statements()
    for s in stmts[:i_facts]:
        c.execute(s)
    return stmts, i_facts


def test_untampered_derivation_passes_the_guard(db_copy):
    stmts, i_facts = _run_to_ranked_facts(db_copy)
    assert db_copy.execute("SELECT count(*) FROM derived_facts f POSITIONAL JOIN derived_ranks r "
                           "WHERE f.rowid IS DISTINCT FROM r.rid").fetchone()[0] == 0
    for s in stmts[i_facts:]:
        db_copy.execute(s)
    assert db_copy.execute("SELECT count(*) FROM ranked_facts").fetchone()[0] > 1000


@pytest.mark.parametrize("tamper", sorted(TAMPER))
def test_guard_fires_when_ranks_are_misaligned(db_copy, tamper):
    stmts, i_facts = _run_to_ranked_facts(db_copy)
    n_facts = db_copy.execute("SELECT count(*) FROM derived_facts").fetchone()[0]
    db_copy.execute(TAMPER[tamper])
    # the tamper really misaligns: without the guard the join would pair rows of different facts
    misaligned = db_copy.execute("SELECT count(*) FROM derived_facts f POSITIONAL JOIN derived_ranks r "
                                 "WHERE f.rowid IS DISTINCT FROM r.rid").fetchone()[0]
    assert misaligned > n_facts // 2
    # and the step without its guard would silently lose rows
    unguarded = re.sub(r"\s+OR\s+error\('[^']*'\)", "", stmts[i_facts].query)
    db_copy.execute(unguarded.replace("TABLE ranked_facts AS", "TEMP TABLE unguarded AS"))
    assert db_copy.execute("SELECT count(*) FROM unguarded").fetchone()[0] < n_facts
    with pytest.raises(duckdb.Error, match=GUARD):
        db_copy.execute(stmts[i_facts])


# ------------------------------------------------------------------------ percentile / quartile agreement
class Recorder:
    """A connection that records the SQL `ranking()` sends (to tell its two query paths apart)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con, self.queries = con, []

    def execute(self, sql, *args, **kwargs):
        self.queries.append(sql)
        return self._con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)


def _stored(con, part_key: int) -> pd.DataFrame:
    """ranked_facts' own percentile/quartile (SQL) of a part, by unit_id."""
    return con.execute("""
        SELECT u.unit_id, r.display_rank, r.display_of, r.percentile, r.quartile
        FROM ranked_facts r JOIN unit_dim u USING (unit_ix) WHERE r.part_key = ?""", [part_key]).df() \
        .set_index("unit_id").sort_index()


def _floats(s: pd.Series) -> list:
    return [None if pd.isna(v) else float(v) for v in s]


def _ints(s: pd.Series) -> list:
    return [None if pd.isna(v) else int(v) for v in s]


def _check_part(con, catalog, indicator_id: str, year: int, level: str, part_key: int) -> pd.DataFrame:
    """SQL (ranked_facts) == ranking() on the lookup path == ranking() on the SCOPED_SQL path, for rank, x/N,
    percentile and quartile of every unit of the part. Returns the national frame."""
    rec = Recorder(con)
    nat = ranking(rec, indicator_id, year, level=level, catalog=catalog)
    assert SCOPED_SQL.format(scope_filter="") not in rec.queries
    rec.queries.clear()
    scoped = ranking(rec, indicator_id, year, level=level, catalog=catalog, compare_to=NO_YEAR)
    assert SCOPED_SQL.format(scope_filter="") in rec.queries, "compare_to did not force the SCOPED_SQL path"
    where = f"{indicator_id} {year} {level}"
    nat, scoped = nat.set_index("unit_id").sort_index(), scoped.set_index("unit_id").sort_index()
    assert list(nat.index) == list(scoped.index), where
    stored = _stored(con, part_key)
    # rows ranking() leaves out (neither value nor published rank) have no position either
    extra = stored.drop(index=nat.index)
    assert extra["percentile"].isna().all() and extra["quartile"].isna().all(), where
    stored = stored.loc[nat.index]
    assert _ints(nat["rank"]) == _ints(scoped["rank"]) and _ints(nat["of"]) == _ints(scoped["of"]), where
    for name, frame in (("ranking", nat), ("ranking via SCOPED_SQL", scoped)):
        assert _ints(frame["display_rank"]) == _ints(stored["display_rank"]), (where, name)
        assert _ints(frame["display_of"]) == _ints(stored["display_of"]), (where, name)
        assert _floats(frame["percentile"]) == _floats(stored["percentile"]), (where, name)
        assert _ints(frame["quartile"]) == _ints(stored["quartile"]), (where, name)
    return nat


def test_percentile_and_quartile_agree_on_every_part_of_the_real_database(con, catalog):
    parts = con.execute("""SELECT part_key, indicator_id, year, level FROM ranking_parts
                           WHERE own_level AND (n_values > 0 OR n_published > 0) ORDER BY part_key""").fetchall()
    assert len(parts) > 100
    shown = tied = 0
    for part_key, iid, year, level in parts:
        nat = _check_part(con, catalog, iid, int(year), level, int(part_key))
        pos = nat.dropna(subset=["percentile"])
        shown += len(pos)
        # a tie (1, 2, 2, 4) has one percentile and one quartile
        per_rank = pos.groupby(["display_rank", "display_of"])[["percentile", "quartile"]].nunique()
        assert (per_rank <= 1).all().all(), (iid, year)
        tied += int((pos.groupby(["display_rank", "display_of"]).size() > 1).sum())
    assert shown > 1000 and tied > 0  # the data exercise both


def test_every_stored_position_follows_the_formula(con):
    """Over the whole table at once: percentile 100·(N−r)/(N−1) rounded half-even to 1 decimal (100 for N=1),
    quartile ⌈4r/N⌉ in 1..4, and both present exactly where a rank is shown and trusted."""
    df = con.execute("""SELECT display_rank, display_of, official_rank, complete, percentile, quartile
                        FROM ranked_facts""").df()
    trusted = (df["official_rank"].notna() | df["complete"].fillna(False).astype(bool)) \
        & df["display_rank"].notna() & df["display_of"].notna()
    assert (df["percentile"].notna() == trusted).all() and (df["quartile"].notna() == trusted).all()
    d = df[trusted]
    r, n = d["display_rank"].astype(float).to_numpy(), d["display_of"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.where(n > 1, np.round(100.0 * (n - r) / (n - 1), 1), 100.0)
    assert np.array_equal(d["percentile"].to_numpy(dtype=float), expected)
    assert np.array_equal(d["quartile"].to_numpy(dtype=float), np.clip(np.ceil(4.0 * r / n), 1, 4))


# ------------------------------------------------------------------------------------- a tiny hand-made DB
# 17 provinces P01..P17 (region R1) and one district (under P01). Indicator `t` (higher is better):
#   2019  P01..P05 = 90, 80, 80, 70, 60 (the edition ranked 5): ranks 1, 2, 2, 4, 5
#   2020  P01..P17 = 100, 99, ..., 84 (no edition: complete over all 17 provinces): N = 17, steps of 6.25
#   2021  P01 alone, published rank 1 of 1
#   2022  P01..P03 only, no edition: a partial computed table, no position
# Indicator `d` (districts): 2020, the one district: a complete table of N = 1.
# Indicator `low` (lower is better, the edition ranked 4): 2020 P01..P05 = 3, 1, 1, no value, 5.
N_BIG = 17


def _tiny() -> tuple[duckdb.DuckDBPyConnection, Catalog]:
    provinces = [_p(f"{i:02d}", f"T{i:02d}", "R1") for i in range(1, N_BIG + 1)]
    district = _u("old-d-901", "901", "district", "Một", "old-p-01", "old-p-01", "R1", "Huyện", "Rural district")
    reg = Registry(units_by_id={u.unit_id: u for u in [*provinces, district]},
                   regions={"R1": {"vi": "Vùng Một", "en": "Region One", "source": URL}})
    cat = Catalog(items=parse_catalog({"indicators": [
        _entry("t", editions={2019: {"n_ranked": 5}, 2021: {"n_ranked": 1}}),
        _entry("d", level="district"),
        _entry("low", direction="lower_is_better", editions={2020: {"n_ranked": 4}}),
    ]}))
    p = [u.unit_id for u in provinces]
    rows = [_o("t", u, 2019, v) for u, v in zip(p, [90, 80, 80, 70, 60], strict=False)]
    rows += [_o("t", u, 2020, 100 - i) for i, u in enumerate(p)]
    rows.append(_o("t", p[0], 2021, 55.5, 1))
    rows += [_o("t", u, 2022, v) for u, v in zip(p, [3, 2, 1], strict=False)]
    rows.append(_o("d", "old-d-901", 2020, 42))
    rows += [_o("low", u, 2020, v) for u, v in zip(p, [3, 1, 1, None, 5], strict=False)]
    c = duckdb.connect(":memory:")
    c.execute(SCHEMA)
    load_registry(c, reg)
    load_catalog_tables(c, cat)
    load_observations(c, rows)
    refresh_derived(c)
    return c, cat


@pytest.fixture(scope="module")
def tiny():
    c, cat = _tiny()
    yield c, cat
    c.close()


def _part(c, indicator_id: str, year: int) -> tuple[int, str]:
    return c.execute("SELECT part_key, level FROM ranking_parts WHERE indicator_id = ? AND year = ?",
                     [indicator_id, year]).fetchone()


def _tiny_check(tiny, indicator_id: str, year: int) -> pd.DataFrame:
    c, cat = tiny
    key, level = _part(c, indicator_id, year)
    return _check_part(c, cat, indicator_id, year, level, key).sort_values(["display_rank", "code"])


def test_tie_in_five(tiny):
    df = _tiny_check(tiny, "t", 2019)
    assert list(df.index) == ["old-p-01", "old-p-02", "old-p-03", "old-p-04", "old-p-05"]
    assert _ints(df["display_rank"]) == [1, 2, 2, 4, 5] and set(df["display_of"]) == {5}
    assert _floats(df["percentile"]) == [100.0, 75.0, 75.0, 25.0, 0.0]
    assert _ints(df["quartile"]) == [1, 2, 2, 4, 4]


def test_percentile_rounds_half_to_even(tiny):
    df = _tiny_check(tiny, "t", 2020)
    assert _ints(df["display_rank"]) == list(range(1, N_BIG + 1)) and set(df["display_of"]) == {N_BIG}
    # 100·(17−r)/16 = 100, 93.75, 87.5, 81.25, ...: the .x5 cases round to the even digit
    assert _floats(df["percentile"]) == [100.0, 93.8, 87.5, 81.2, 75.0, 68.8, 62.5, 56.2, 50.0, 43.8, 37.5,
                                          31.2, 25.0, 18.8, 12.5, 6.2, 0.0]
    assert _ints(df["quartile"]) == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4]


ONE = pytest.mark.parametrize(("indicator_id", "year", "source"), [("t", 2021, "published"),
                                                                    ("d", 2020, "computed")])


@ONE
def test_a_table_of_one_is_the_best(tiny, indicator_id, year, source):
    df = _tiny_check(tiny, indicator_id, year)  # SQL and both ranking() paths agree
    assert len(df) == 1 and df["rank_source"].iloc[0] == source
    assert (df["display_rank"].iloc[0], df["display_of"].iloc[0]) == (1, 1)
    assert df["percentile"].iloc[0] == 100.0


@ONE
def test_a_table_of_one_is_in_the_top_quarter(tiny, indicator_id, year, source):
    df = _tiny_check(tiny, indicator_id, year)
    assert df["quartile"].iloc[0] == 1


def test_a_partial_computed_table_has_no_position(tiny):
    df = _tiny_check(tiny, "t", 2022)
    assert _ints(df["display_rank"]) == [1, 2, 3] and not df["complete"].any()
    assert df["percentile"].isna().all() and df["quartile"].isna().all()


def test_lower_is_better_with_a_tie_and_a_missing_value(tiny):
    df = _tiny_check(tiny, "low", 2020)
    ranked = df[df["display_rank"].notna()]
    assert list(ranked.index) == ["old-p-02", "old-p-03", "old-p-01", "old-p-05"]
    assert _ints(ranked["display_rank"]) == [1, 1, 3, 4] and set(ranked["display_of"]) == {4}
    assert _floats(ranked["percentile"]) == [100.0, 100.0, 33.3, 0.0]
    assert _ints(ranked["quartile"]) == [1, 1, 3, 4]
    missing = df.loc["old-p-04"]
    assert pd.isna(missing["display_rank"]) and pd.isna(missing["percentile"]) and pd.isna(missing["value"])


def test_a_region_scope_ranks_as_the_materialised_table_when_it_holds_every_unit(tiny):
    """Every tiny province is in region R1: the region's on-the-fly ranking equals the stored national one."""
    from analytics.ranking import Scope

    c, cat = tiny
    for iid, year in (("t", 2019), ("t", 2020), ("low", 2020), ("t", 2022)):
        nat = ranking(c, iid, year, catalog=cat).set_index("unit_id").sort_index()
        reg = ranking(c, iid, year, catalog=cat, scope=Scope("region", "R1")).set_index("unit_id").sort_index()
        for col in ("rank", "of", "display_rank", "display_of", "quartile"):
            assert _ints(nat[col]) == _ints(reg[col]), (iid, year, col)
        assert _floats(nat["percentile"]) == _floats(reg["percentile"]), (iid, year)


def test_region_ranks_on_the_real_database_follow_the_rule(con, catalog):
    """A region's on-the-fly ranks are the competition ranks (1, 2, 2, 4) of the values within the region,
    best first by the indicator's direction, N = units with a value."""
    from analytics.ranking import Scope

    regions = [r for (r,) in con.execute("SELECT DISTINCT region_id FROM units WHERE level = 'province' "
                                         "AND vintage = 'legacy' AND region_id IS NOT NULL").fetchall()]
    checked = 0
    for iid, year in (("pci", 2018), ("par_index", 2020), ("papi", 2019)):
        direction = catalog.get(iid).direction
        for region in regions:
            df = ranking(con, iid, year, catalog=catalog, scope=Scope("region", region))
            has = df[df["value"].notna()]
            values = has["value"] if direction == "lower_is_better" else -has["value"]
            expected = values.rank(method="min").astype(int).tolist()
            assert _ints(has["rank"]) == expected, (iid, year, region)
            assert set(_ints(has["of"])) <= {len(has)}
            checked += len(has)
    assert checked > 100
