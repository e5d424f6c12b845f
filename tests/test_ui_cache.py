"""ui.cache across database versions: an import (a new file) keeps the locality registry when the units did not
change, and rebuilds it when they did; the sorted locality list follows the data."""

from __future__ import annotations

import shutil

import pytest

from analytics.store import load_observations, refresh_derived, writable_snapshot


@pytest.fixture()
def db(built_db, tmp_path, monkeypatch):
    path = tmp_path / "chiso.duckdb"
    shutil.copy2(built_db, path)
    monkeypatch.setenv("CHISO_DB", str(path))
    monkeypatch.setattr("analytics.paths.VAR_DIR", tmp_path / "var")  # the disk cache goes to tmp
    from ui import cache

    cache.clear()
    yield path
    cache.clear()


def _import_one_row(path, unit_id="old-c-25741"):
    with writable_snapshot(path) as con:
        load_observations(con, [{"indicator_id": "bd_766_ward", "unit_id": unit_id, "year": "2019",
                                 "value": "71.5", "source_url": "https://example.org/test", "status": "primary"}])
        refresh_derived(con, ["bd_766_ward"])


def test_registry_survives_an_import_that_does_not_touch_units(db):
    from ui import cache

    v1 = cache.db_version()
    reg1 = cache.registry()
    _import_one_row(db)
    assert cache.db_version() != v1
    assert cache.registry() is reg1  # same content: not rebuilt


def test_registry_is_rebuilt_when_the_units_change(db):
    from ui import cache

    reg1 = cache.registry()
    assert reg1.units_by_id["old-p-74"].short_name == "Bình Dương"
    with writable_snapshot(db) as con:
        con.execute("UPDATE units SET short_name = 'Bình Dương (test)' WHERE unit_id = 'old-p-74'")
    reg2 = cache.registry()
    assert reg2 is not reg1
    assert reg2.units_by_id["old-p-74"].short_name == "Bình Dương (test)"


def test_locality_options_follow_the_data_and_stay_sorted(db):
    from ui import cache, state

    reg = cache.registry()
    have = cache.units_with_data()
    uid = next(u.unit_id for u in reg.units(level="commune", vintage="legacy")
               if u.province_id == "old-p-74" and u.unit_id not in have)
    before = state.locality_options()
    assert uid not in before
    _import_one_row(db, uid)
    after = state.locality_options()
    assert uid in after and set(before) < set(after)
    assert state._sort_units(after) == after  # the real sort, not the memo the options seed
    # provinces first, then districts and communes (the picker's order)
    levels = [reg.units_by_id[u].level for u in after]
    assert levels.index("commune") > max(i for i, lv in enumerate(levels) if lv == "province")


def test_cached_results_follow_the_database_version(db):
    """by_db_version: the same call is served from the cache until a write replaces the file, then recomputed."""
    from ui import cache

    before = cache.ranking("bd_766_ward", 2019, "province", "old-p-74")
    assert cache.ranking("bd_766_ward", 2019, "province", "old-p-74").equals(before)
    uid = "old-c-25741"
    had = before.loc[before["unit_id"] == uid, "value"]
    _import_one_row(db)
    after = cache.ranking("bd_766_ward", 2019, "province", "old-p-74")
    assert after.loc[after["unit_id"] == uid, "value"].tolist() == [71.5]
    assert had.tolist() != [71.5]
