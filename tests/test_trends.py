"""Trends: changes, comparability across breaks and N changes, spans, best/worst, streaks, slopes."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.trends import TREND_COLUMNS, change_between, trend, trend_stats, trends


def rows(df: pd.DataFrame) -> dict[int, dict]:
    return {int(r["year"]): r for r in df.to_dict("records")}


def test_trend_columns_and_first_year(handmade):
    con, cat, _ = handmade
    df = trend(con, cat, "idx", "old-p-02")
    assert list(df.columns[:8]) == TREND_COLUMNS
    first = df.iloc[0]
    assert pd.isna(first["rank_change"]) and pd.isna(first["comparable"])


def test_year_on_year_change_in_value_and_rank(handmade):
    con, cat, _ = handmade
    r = rows(trend(con, cat, "idx", "old-p-02"))
    assert r[2020]["rank_change"] == -1 and r[2020]["value_change"] == -5 and r[2020]["comparable"]
    assert r[2021]["rank"] == 2 and r[2021]["of"] == 6 and r[2021]["rank_source"] == "published"
    assert r[2021]["rank_change"] == 1 and r[2021]["rank_basis"] == "listing_order"


def test_series_break_is_not_comparable(handmade):
    con, cat, _ = handmade
    r = rows(trend(con, cat, "idx", "old-p-02"))[2022]
    assert not r["comparable"] and pd.isna(r["value_change"]) and pd.isna(r["rank_change"])
    assert r["break_note"] == "New criteria."
    vi = rows(trend(con, cat, "idx", "old-p-02", lang="vi"))[2022]
    assert vi["break_note"] == "Bộ tiêu chí mới."


def test_change_of_n_is_not_comparable_but_value_change_stays(handmade):
    con, cat, _ = handmade
    r = rows(trend(con, cat, "idx", "old-p-02"))
    assert (r[2022]["of"], r[2023]["of"]) == (6, 5)
    assert not r[2023]["comparable"] and pd.isna(r[2023]["rank_change"]) and r[2023]["value_change"] == -20
    assert not r[2023]["rank_comparable"] and r[2023]["value_comparable"]


def test_computed_rank_over_partial_table_never_compares(handmade):
    con, cat, _ = handmade
    r = rows(trend(con, cat, "idx", "old-p-06"))
    # P6: 2019, 2020, 2022 (full tables) and nothing later
    assert set(r) == {2019, 2020, 2022}
    # dist 2020 is a single complete year: computed rank
    d = trend(con, cat, "dist", "old-d-201").iloc[0]
    assert (d["rank"], d["of"], d["rank_source"], bool(d["complete"])) == (1, 4, "computed", True)


def test_several_units_with_names_in_year(handmade):
    con, cat, _ = handmade
    df = trends(con, cat, "idx", ["old-p-01", "old-p-03"])
    assert list(df.columns[:2]) == ["unit_id", "name"]
    names = dict(zip(df[df.unit_id == "old-p-03"]["year"], df[df.unit_id == "old-p-03"]["name"], strict=True))
    assert names[2019] == "Ba Cũ" and names[2020] == "Ba"
    assert set(df["unit_id"]) == {"old-p-01", "old-p-03"}


def test_change_over_a_span(handmade):
    con, cat, _ = handmade
    ok = change_between(con, cat, "idx", "old-p-02", 2019, 2021)
    assert ok["comparable"] and ok["rank_change"] == 0 and ok["value_change"] == 4 and ok["reason"] is None
    broken = change_between(con, cat, "idx", "old-p-02", 2019, 2022)
    assert broken["reason"] == "series_break" and broken["value_change"] is None and broken["breaks"] == [2022]
    missing = change_between(con, cat, "idx", "old-p-06", 2019, 2023)
    assert missing["reason"] == "missing"


def test_stats_best_worst_slope(handmade):
    con, cat, _ = handmade
    s = trend_stats(con, cat, "idx", ["old-p-01", "old-p-02"]).set_index("unit_id")
    p1 = s.loc["old-p-01"]
    assert p1["best_year"] == 2024 and p1["best_value"] == 95 and p1["worst_year"] == 2022
    # latest segment (after the 2022 break): 70, 80, 95 → slope 12.5 per year
    assert (p1["segment_start"], p1["segment_end"], p1["n_years"]) == (2022, 2024, 3)
    assert p1["slope_value"] == pytest.approx(12.5)
    assert s.loc["old-p-02", "best_rank"] == 1


def test_stats_direction_and_streaks(handmade):
    con, cat, _ = handmade
    fake = pd.DataFrame({
        "unit_id": ["a"] * 5 + ["b"] * 3, "year": [2016, 2017, 2018, 2019, 2020, 2018, 2019, 2020],
        "value": [5.0, 4, 3, 2, 1, 1, 2, 3], "rank": [9, 8, 6, 3, 2, 1, 2, 4], "of": [10] * 8,
        "rank_source": ["published"] * 8, "complete": [True] * 8,
        "rank_change": [None, -1, 2, 3, 1, None, -1, -2],
    })
    s = trend_stats(con, cat, "low", ["a", "b"], trend_df=fake).set_index("unit_id")
    assert s.loc["a", "streak"] == 3 and s.loc["b", "streak"] == -2
    assert s.loc["a", "best_year"] == 2020 and s.loc["a", "worst_year"] == 2016  # lower is better
    assert s.loc["a", "slope_rank"] == pytest.approx(1.9)  # places gained per year


def test_unknown_indicator(handmade):
    con, cat, _ = handmade
    with pytest.raises(KeyError):
        trend(con, cat, "nope", "old-p-01")


# ------------------------------------------------------------------------------------------- real data
def test_binh_duong_par_index_17_to_4(con, catalog):
    r = rows(trend(con, catalog, "par_index", "old-p-74"))
    assert (r[2019]["rank"], r[2020]["rank"], r[2020]["of"]) == (17, 4, 63)
    assert r[2020]["rank_change"] == 13 and r[2020]["comparable"] and r[2020]["prev_year"] == 2019


def test_pci_2013_break(con, catalog):
    r = rows(trend(con, catalog, "pci", "old-p-74"))
    assert not r[2013]["comparable"] and pd.isna(r[2013]["rank_change"])
    assert r[2014]["comparable"] and r[2014]["rank_change"] == r[2013]["rank"] - r[2014]["rank"]
