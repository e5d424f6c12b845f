"""A locality at a glance (analytics.glance): one row per indicator, x/N with its basis, breaks, the rank
sparkline as a share of the way to the top, and no position from a partial table."""

import pytest

from analytics.glance import at_a_glance, strip


@pytest.fixture(scope="module")
def bd(con, catalog):
    return at_a_glance(con, catalog, "old-p-74", [i.id for i in catalog.roots()]).set_index("indicator_id")


def test_par_index_row(bd):
    r = bd.loc["par_index"]
    assert (r["year"], r["rank"], r["of"], r["rank_source"]) == (2024, 23, 63, "published")
    assert r["break_years"] == [2016, 2022]
    assert r["rank_years"] == [2013, 2016, 2019, 2020, 2024]
    assert r["position"] == pytest.approx((63 - 23) / 62, abs=1e-4)
    assert r["rank_series"][3] == pytest.approx((63 - 4) / 62, abs=1e-4)     # 2020: 4/63


def test_context_variables_have_no_rank_series(bd):
    assert bd.loc["population"]["rank_series"] == []


def test_a_district_at_a_glance(con, catalog):
    df = at_a_glance(con, catalog, "old-d-718", [i.id for i in catalog.roots()])
    assert "bd_par_district" in set(df["indicator_id"])
    assert all(df["vintage"] == "legacy")


def test_strip_has_every_value(con, catalog):
    s = strip(con, catalog, "pci", 2018)
    assert len(s) == 63 and s["value"].notna().all()
