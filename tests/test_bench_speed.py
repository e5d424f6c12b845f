"""The benchmark's measuring code, on the real database (figures are printed by `chiso bench`, never asserted):
the full-ranking comparison computes the same ranks both ways, and the app-server figures come from a real
`streamlit run` that renders every page without an error."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from analytics.catalog import load_catalog
from analytics.store import connect
from benchmarks import scale_db as synthetic
from benchmarks import speed
from ui.nav import PAGES


def test_full_ranking_duckdb_and_pandas_agree(con):
    fr = speed.full_ranking(con, reps=1)
    n_ranked = con.execute("""
        SELECT count(*) FROM ranked_facts r JOIN indicator_dim i USING (ind_ix)
        WHERE r.value IS NOT NULL AND i.direction IS NOT NULL""").fetchall()[0][0]
    assert fr["rows"] == n_ranked > 1000
    assert fr["partitions"] == con.execute("""
        SELECT count(DISTINCT part_key) FROM ranked_facts r JOIN indicator_dim i USING (ind_ix)
        WHERE r.value IS NOT NULL AND i.direction IS NOT NULL""").fetchall()[0][0]
    assert fr["identical"] is True
    assert fr["pandas_s"] > 0 and fr["duckdb_s"] > 0


def test_full_ranking_in_a_fresh_process_gives_the_same_figures(con, built_db):
    fr = speed.full_ranking_fresh_process(built_db, reps=1)
    assert fr["identical"] is True
    assert fr["rows"] == speed.full_ranking(con, reps=1)["rows"]


def test_derive_timed_runs_every_step_and_names_it(built_db, tmp_path):
    import shutil

    copy = tmp_path / "x.duckdb"
    shutil.copy2(built_db, copy)
    with duckdb.connect(str(copy)) as c:
        before = c.execute("SELECT build_id FROM derived_info").fetchall()[0][0]
        steps = synthetic.derive_timed(c)
        after = c.execute("SELECT build_id FROM derived_info").fetchall()[0][0]
        n = c.execute("SELECT count(*) FROM ranked_facts").fetchall()[0][0]
    assert {"unit_dim", "derived_facts", "derived_ranks", "ranked_facts", "ranking_parts"} <= set(steps)
    assert all(v >= 0 for v in steps.values())
    assert after != before and n > 0


def test_timed_reports_median_and_p95():
    calls = []
    r = speed.timed(lambda: calls.append(1), reps=5)
    assert len(calls) == 6  # one warm-up call, then the timed ones
    assert 0 <= r["median_ms"] <= r["p95_ms"]


@pytest.fixture(scope="module")
def scale_db(tmp_path_factory):
    """A tiny benchmark database: the real data + 1 synthetic index per level and vintage, 2 years."""
    path = tmp_path_factory.mktemp("bench") / "bench.duckdb"
    synthetic.build_scale_db(path, n_indicators=1, n_years=2)
    return path


def test_synthetic_catalog_names_its_indicators_as_synthetic(scale_db, tmp_path):
    cat = load_catalog(synthetic.write_synthetic_catalog(scale_db, tmp_path, 2))
    synth = [i for i in cat.items if i.startswith("synthetic_")]
    assert sorted(synth) == sorted(f"synthetic_01_{lv}" for lv in (
        "province_legacy", "province_2025", "district_legacy", "commune_legacy", "commune_2025"))
    for iid in synth:
        ind = cat.get(iid)
        assert "SYNTHETIC" in ind.name["en"] and "GIẢ LẬP" in ind.name["vi"]
        assert sorted(ind.editions) == [2010, 2011]
    assert "par_index" in cat.items  # the real catalog is kept whole


def test_app_server_figures_render_every_page_and_the_scale_views(scale_db, tmp_path):
    catalog = synthetic.write_synthetic_catalog(scale_db, tmp_path / "catalog", 2)
    views = synthetic.scale_views(catalog)
    assert {name for name, _, _ in views} >= {"rankings_communes", "within_communes", "profile_commune"}
    out = speed.app_server_figures(scale_db, launches=1, catalog=catalog)
    assert len(out["cold_start_s"]) == 1 and out["cold_start_s"][0] > 0
    assert "errors" not in out
    assert set(out["pages"]) == {pid for _, pid, _, _, _ in PAGES} | {name for name, _, _ in views}
    for name, r in out["pages"].items():
        assert r["errors"] == [], name
        assert r["first_s"] > 0 and r["warm_s"] > 0 and r["elements"] > 5
    assert out["pages"]["overview"]["largest"]["chart"] > 100_000  # the province map
    assert out["pages"]["rankings_communes"]["largest"]["table"] > 0
    assert out["app_peak_mb"] is not None and out["app_peak_mb"] > 50  # a Python process with pandas loaded
    assert np.isfinite(out["app_peak_mb"])


def test_import_one_indicator_year_replaces_rows_and_refreshes_incrementally(built_db, tmp_path):
    import shutil

    copy = tmp_path / "x.duckdb"
    shutil.copy2(built_db, copy)
    with connect(copy) as c:
        before = c.execute("SELECT unit_id, value FROM facts WHERE indicator_id = 'pci' AND year = 2018 "
                           "ORDER BY unit_id").fetchall()
    out = synthetic.import_one_indicator_year(copy, "pci", 2018)
    assert out["rows"] == len(before) == 63
    assert out["kind"] == "incremental"
    assert out["total_s"] >= out["refresh_s"] > 0
    with connect(copy) as c:
        after = c.execute("SELECT unit_id, value FROM facts WHERE indicator_id = 'pci' AND year = 2018 "
                          "ORDER BY unit_id").fetchall()
        ranks = c.execute("SELECT count(*) FROM ranks WHERE indicator_id = 'pci' AND year = 2018").fetchall()[0][0]
    assert [u for u, _ in after] == [u for u, _ in before]
    assert [v for _, v in after] != [v for _, v in before]  # the synthetic re-import replaced the values
    assert ranks == 63


def test_page_times_cover_every_page_without_an_exception(built_db):
    import os

    before = os.environ.get("CHISO_DB")
    out = speed.page_times(built_db, reps=1)  # CHISO_DEBUG=1 inside: an error in a page is an exception
    assert os.environ.get("CHISO_DB") == before  # the environment is restored
    assert out.pop("_warmup")["cold_ms"] > 0
    assert list(out) == [pid for _, pid, _, _, _ in PAGES]
    for pid, r in out.items():
        assert r["exception"] is False, pid
        assert r["cold_ms"] > 0 and r["warm_ms"] > 0
