"""`refresh_derived(con, indicator_ids)`: recomputing only the changed indicators gives exactly the tables a
full refresh gives (values, order within each part, views), with a new build_id; and when it cannot be exact
(new indicators, tables derived by other SQL, unknown ids) it falls back to a full refresh."""

from __future__ import annotations

import shutil
import zlib
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from import_support import BD_2017, EXAMPLES, SOURCE_2017, csv_bytes, long_rows, remove_2017_district_table

import analytics.store as store
from analytics.imports import import_file, revert_import
from analytics.store import load_observations, refresh_derived, writable_snapshot

# Each derived table or view, in an order that makes its rows unique.
STATES = {
    "ranked_facts": "SELECT * FROM ranked_facts ORDER BY part_key, unit_ix",
    "ranking_parts": "SELECT * FROM ranking_parts ORDER BY part_key",
    "unit_names_by_year": "SELECT * FROM unit_names_by_year ORDER BY year, unit_ix",
    "facts": "SELECT * FROM facts ORDER BY indicator_id, unit_id, year",
    "ranks": "SELECT * FROM ranks ORDER BY indicator_id, year, unit_id",
    "ranking_rows": "SELECT * FROM ranking_rows ORDER BY indicator_id, year, unit_id",
}


def derived_state(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[str, object] = {name: con.execute(sql).fetchall() for name, sql in STATES.items()}
        # what the ranking reader relies on: each part's rows, as `WHERE part_key = $part` returns them
        # (storage order), best first, and contiguous in storage
        order = con.execute("SELECT part_key, unit_ix FROM ranked_facts ORDER BY rowid").fetchall()
        runs = [k for i, (k, _) in enumerate(order) if i == 0 or order[i - 1][0] != k]
        assert len(runs) == len(set(runs)), "a part's rows are not contiguous"
        out["storage_order"] = {k: [u for (u,) in con.execute(
            "SELECT unit_ix FROM ranked_facts WHERE part_key = $part", {"part": k}).fetchall()] for k in runs}
        out["build_id"] = con.execute("SELECT build_id FROM derived_info").fetchall()[0][0]
    finally:
        con.close()
    return out


def assert_same_derived(a: Path, b: Path) -> None:
    sa, sb = derived_state(a), derived_state(b)
    assert sa.pop("build_id") != sb.pop("build_id")
    for name in sa:
        assert sa[name] == sb[name], name
    assert sa["ranked_facts"]


def part(db: Path, indicator_id: str, year: int) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT prev_year, n_rows, n_values, n_conflicts FROM ranking_parts "
                           "WHERE indicator_id = $i AND year = $y AND own_level",
                           {"i": indicator_id, "y": year}).fetchall()
    finally:
        con.close()
    return rows[0] if rows else None


@pytest.fixture
def pair(built_db, tmp_path):
    """run(change, ids): apply `change` to two copies of the built database, refresh one for `ids` (expecting
    `kind`), the other fully; returns both paths."""
    def run(change: Callable[[duckdb.DuckDBPyConnection], None], ids: list[str], kind: str = "incremental"
            ) -> tuple[Path, Path]:
        dbs = []
        for name, refresh_ids, expected in (("patched", ids, kind), ("full", None, "full")):
            db = tmp_path / name / "chiso.duckdb"
            db.parent.mkdir()
            shutil.copyfile(built_db, db)
            with writable_snapshot(db) as con:
                change(con)
                assert refresh_derived(con, refresh_ids) == expected
            dbs.append(db)
        return dbs[0], dbs[1]
    return run


def _full_copy(db: Path, dest: Path) -> Path:
    """`db` with every derived table recomputed from scratch."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, dest)
    with writable_snapshot(dest) as con:
        assert refresh_derived(con) == "full"
    return dest


def _copy_year(con, indicator_id: str, src_year: int, dest_year: int, bump: float) -> None:
    rows = con.execute("""SELECT indicator_id, unit_id, locality_in_source, value, official_rank, rank_basis,
            source_url, note, status FROM observations WHERE indicator_id = $i AND year = $y ORDER BY obs_id""",
                       {"i": indicator_id, "y": src_year}).fetchall()
    assert rows
    cols = ["indicator_id", "unit_id", "locality_in_source", "value", "official_rank", "rank_basis", "source_url",
            "note", "status"]
    out = []
    for r in rows:
        d = {c: ("" if v is None else str(v)) for c, v in zip(cols, r, strict=True)}
        if d["value"]:
            d["value"] = str(round(float(d["value"]) + bump * (zlib.crc32(d["unit_id"].encode()) % 3), 2))
        out.append({**d, "year": str(dest_year)})
    load_observations(con, out)


def test_new_year_in_a_gap_changes_the_next_editions_comparison(built_db, pair):
    assert part(built_db, "papi", 2018) is None and part(built_db, "papi", 2019)[0] == 2017
    inc, full = pair(lambda con: _copy_year(con, "papi", 2017, 2018, 0.25), ["papi"])
    assert part(inc, "papi", 2018) is not None and part(inc, "papi", 2019)[0] == 2018
    assert_same_derived(inc, full)


def test_year_before_the_first_edition(built_db, pair):
    inc, full = pair(lambda con: _copy_year(con, "par_index", 2012, 2011, -0.5), ["par_index"])
    assert part(inc, "par_index", 2012)[0] == 2011
    assert_same_derived(inc, full)


def test_removing_an_indicator_year(built_db, pair):
    """What reverting the import of a whole table does."""
    assert part(built_db, "par_index", 2018)[0] == 2017

    def change(con):
        con.execute("DELETE FROM observations WHERE indicator_id = 'par_index' AND year = 2017")

    inc, full = pair(change, ["par_index"])
    assert part(inc, "par_index", 2017) is None and part(inc, "par_index", 2018)[0] == 2016
    assert_same_derived(inc, full)


def test_changed_values_and_a_conflict_in_a_middle_year(built_db, pair):
    before = part(built_db, "pci", 2016)

    def change(con):
        con.execute("""UPDATE observations SET value = value + 7.5, official_rank = NULL
                       WHERE indicator_id = 'pci' AND year = 2016 AND unit_id IN (
                           SELECT unit_id FROM observations WHERE indicator_id = 'pci' AND year = 2016
                           ORDER BY unit_id LIMIT 5)""")
        unit, value = con.execute("""SELECT unit_id, value FROM observations WHERE indicator_id = 'pci'
                                     AND year = 2016 ORDER BY unit_id DESC LIMIT 1""").fetchall()[0]
        load_observations(con, [{"indicator_id": "pci", "unit_id": unit, "year": "2016", "value": str(value + 1),
                                 "source_url": "https://example.org/other", "status": "alternative"}])

    inc, full = pair(change, ["pci"])
    assert part(inc, "pci", 2016)[3] == before[3] + 1
    assert_same_derived(inc, full)


def test_several_ids_some_unchanged_and_repeated(pair):
    def change(con):
        con.execute("DELETE FROM observations WHERE indicator_id = 'papi' AND year = 2013 AND status = 'primary' "
                    "AND unit_id IN (SELECT unit_id FROM observations WHERE indicator_id = 'papi' AND year = 2013 "
                    "ORDER BY unit_id LIMIT 3)")
        _copy_year(con, "dti", 2023, 2024, 1.0)

    inc, full = pair(change, ["papi", "dti", "pci", "papi"])
    assert_same_derived(inc, full)


def test_no_change_still_gives_a_new_build(pair):
    inc, full = pair(lambda con: None, [])
    assert_same_derived(inc, full)


# ------------------------------------------------------------------------------------- full refresh instead
def test_unknown_id_falls_back_to_full(built_db, tmp_path):
    db = tmp_path / "unknown.duckdb"
    shutil.copyfile(built_db, db)
    with writable_snapshot(db) as con:
        assert refresh_derived(con, ["no_such_indicator"]) == "full"
    assert_same_derived(db, _full_copy(built_db, tmp_path / "full" / "chiso.duckdb"))


def test_new_indicator_falls_back_to_full(pair):
    """The indicators table gained an id: every ind_ix after it shifts, so only a full refresh is exact."""
    def change(con):
        con.execute("""INSERT INTO indicators SELECT 'aaa_new' AS indicator_id, * EXCLUDE (indicator_id)
                       FROM indicators WHERE indicator_id = 'pci'""")
        con.execute("INSERT INTO editions SELECT 'aaa_new', * EXCLUDE (indicator_id) FROM editions "
                    "WHERE indicator_id = 'pci'")
        con.execute("""INSERT INTO observations (indicator_id, unit_id, year, value, official_rank, status)
                       SELECT 'aaa_new', unit_id, year, value + 1, official_rank, status FROM observations
                       WHERE indicator_id = 'pci' AND year = 2016""")

    a, b = pair(change, ["aaa_new"], kind="full")
    assert part(a, "aaa_new", 2016) is not None
    assert_same_derived(a, b)


def test_tables_derived_by_other_sql_fall_back_to_full(built_db, tmp_path):
    """A database derived by an earlier version (no `derivation` in derived_info, or another one)."""
    for i, info in enumerate(("SELECT build_id, derived_at FROM derived_info",
                              "SELECT build_id, derived_at, 'other' AS derivation FROM derived_info")):
        db = tmp_path / f"old{i}.duckdb"
        shutil.copyfile(built_db, db)
        with writable_snapshot(db) as con:
            con.execute(f"CREATE OR REPLACE TABLE derived_info AS {info}")
            assert refresh_derived(con, ["pci"]) == "full"
            assert con.execute("SELECT derivation FROM derived_info").fetchall() == [(store.DERIVATION,)]


def test_changed_units_fall_back_to_full(built_db, tmp_path):
    db = tmp_path / "units.duckdb"
    shutil.copyfile(built_db, db)
    with writable_snapshot(db) as con:
        con.execute("UPDATE units SET name = name || ' (mới)' WHERE unit_id = "
                    "(SELECT min(unit_id) FROM units)")
        assert refresh_derived(con, ["pci"]) == "full"


# ------------------------------------------------------------------------------------- through the importer
def test_import_and_revert_refresh_incrementally(built_db, tmp_path, monkeypatch):
    db = tmp_path / "db" / "chiso.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    remove_2017_district_table(db)
    kinds: list[tuple[str, list[str] | None]] = []
    real = store.refresh_derived

    def spy(con, indicator_ids=None):
        kind = real(con, indicator_ids)
        kinds.append((kind, sorted(indicator_ids) if indicator_ids is not None else None))
        return kind

    monkeypatch.setattr(store, "refresh_derived", spy)
    first = import_file(EXAMPLES / "bd_par_district_2017_long_vi.csv", db_path=db)
    assert first.rows_added == len(BD_2017)
    assert_same_derived(db, _full_copy(db, tmp_path / "f1" / "chiso.duckdb"))
    changed = tmp_path / "changed.csv"
    rows = long_rows([(n, "85.00" if "Bắc Tân Uyên" in n else v, r) for n, v, r in BD_2017])
    changed.write_bytes(csv_bytes([r[:4] + ["", SOURCE_2017] for r in rows]))
    second = import_file(changed, db_path=db, replace=True)
    assert second.rows_replaced > 0
    assert_same_derived(db, _full_copy(db, tmp_path / "f2" / "chiso.duckdb"))
    revert_import(second.import_id, db_path=db)
    assert_same_derived(db, _full_copy(db, tmp_path / "f3" / "chiso.duckdb"))
    revert_import(first.import_id, db_path=db)
    assert_same_derived(db, _full_copy(db, tmp_path / "f4" / "chiso.duckdb"))
    assert part(db, "bd_par_district", 2017) is None
    assert kinds == [("incremental", ["bd_par_district"])] * 4
