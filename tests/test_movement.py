"""Why a rank moved (analytics.movement, analytics.explain): on hand-made tables where the answers are
known — ties, a series break, a partial table, components without weights — and on the real data."""

from __future__ import annotations

import _handmade
import pandas as pd
import pytest

from analytics import explain
from analytics.movement import compare, decompose, exact_diff, movers, rank_among, why_table


@pytest.fixture(scope="module")
def world():
    con, cat, _ = _handmade.build()
    yield con, cat
    con.close()


def frame(values: dict[str, float | None], complete: bool = True, of: int | None = None) -> pd.DataFrame:
    """A ranking frame as analytics.ranking returns it, for the columns movement reads."""
    df = pd.DataFrame({"unit_id": list(values), "name": [f"Tỉnh {u}" for u in values],
                       "value": [v for v in values.values()]})
    df["complete"] = complete
    df["display_of"] = of or len(values)
    df["official_rank"] = None
    df["display_rank"] = [None if pd.isna(v) else rank_among(v, df["value"], True) for v in df["value"]]
    return df


def test_rank_among_is_standard_competition_ranking():
    values = pd.Series([90, 85, 85, 70, None])
    assert [rank_among(v, values, True) for v in (90, 85, 70)] == [1, 2, 4]
    assert [rank_among(v, values, False) for v in (70, 85, 90)] == [1, 2, 4]


def test_exact_diff_is_the_difference_a_reader_computes():
    assert exact_diff(67.65274, 66.093819) == 1.558921
    assert exact_diff(None, 1.0) is None


def test_tie_broken_against_the_unit_counts_as_being_passed(world):
    con, cat = world
    mv, prev_value, value = explain.movement(con, cat, "idx", "old-p-02", 2020)
    assert mv.comparable and mv.basis == "complete"
    assert (mv.prev_rank, mv.rank) == (2, 3)
    assert (prev_value, value) == (85, 80)
    # others held at 2019 (90, 85, 70, 60, 50): 80 is beaten by 90 and 85 → 3rd
    assert mv.rank_if_others_held == 3
    assert (mv.own_effect, mv.others_effect) == (-1, 0)
    assert mv.passed.empty
    assert mv.passed_by["unit_id"].tolist() == ["old-p-03"]   # was level at 85, now ahead at 88


def test_places_gained_equal_passed_minus_passed_by():
    prev = frame({"A": 90, "B": 85, "C": 85, "D": 70, "E": 60})
    cur = frame({"A": 80, "B": 88, "C": 75, "D": 87, "E": 61})
    for unit in "ABCDE":
        mv = compare(_handmade.catalog().get("idx"), prev, cur, unit, 2020, 2019)
        assert mv.rank_change == len(mv.passed) - len(mv.passed_by), unit
        assert mv.own_effect + mv.others_effect == mv.rank_change, unit


def test_series_break_is_not_compared(world):
    con, cat = world
    mv, _, _ = explain.movement(con, cat, "idx", "old-p-02", 2022)
    assert mv.prev_year == 2021 and mv.reason == "series_break"
    assert mv.passed.empty and mv.components.empty


def test_partial_table_ranks_among_units_with_data_in_both(world):
    con, cat = world
    mv, _, _ = explain.movement(con, cat, "idx", "old-p-01", 2021)   # 2021: two scores of six
    assert mv.comparable and mv.basis == "among_n" and mv.n == 2
    assert (mv.prev_rank, mv.rank) == (1, 1)


def test_n_basis_change_is_not_compared():
    idx = _handmade.catalog().get("idx")
    mv = compare(idx, frame({"A": 1, "B": 2}, of=63), frame({"A": 2, "B": 1}, of=34), "A", 2020, 2019)
    assert mv.reason == "n_basis"


def test_no_previous_edition():
    idx = _handmade.catalog().get("idx")
    mv = compare(idx, frame({}), frame({"A": 1.0}), "A", 2020, None)
    assert mv.reason == "no_previous"


def test_decomposition_without_weights_orders_by_size_of_change():
    prev = pd.DataFrame({"component_id": ["a", "b", "c"], "value": [5.0, 6.0, 7.0]})
    cur = pd.DataFrame({"component_id": ["a", "b", "d"], "value": [5.5, 4.0, 1.0]})
    df = decompose(prev, cur, 2019, 2020)
    assert df["component"].tolist()[:2] == ["b", "a"]
    assert df.set_index("component")["change"].to_dict()["b"] == -2.0
    assert df.set_index("component")["change"].isna().sum() == 2   # c and d exist in one edition only
    assert "contribution" not in df
    weighted = decompose(prev, cur, 2019, 2020, weights={"a": 0.5, "b": 0.1})
    assert weighted.iloc[0]["component"] == "a"                     # 0.25 > 0.2 once weighted
    assert weighted.set_index("component")["contribution"]["b"] == pytest.approx(-0.2)


def test_why_table_ends_with_overall():
    idx = _handmade.catalog().get("idx")
    mv = compare(idx, frame({"A": 1.0, "B": 2.0}), frame({"A": 3.0, "B": 2.0}), "A", 2020, 2019,
                 pd.DataFrame({"component_id": ["x"], "value": [1.0]}),
                 pd.DataFrame({"component_id": ["x"], "value": [1.25]}))
    t = why_table(mv, 1.0, 3.0)
    assert t.columns.tolist() == ["component", "prev_year", "prev_value", "value", "change"]
    assert t["component"].tolist() == ["x", "overall"]
    assert t["change"].tolist() == [0.25, 2.0]


def test_movers_lower_is_better():
    prev = frame({"A": 3.0, "B": 1.0, "C": 2.0})
    cur = frame({"A": 0.5, "B": 1.0, "C": 2.0})
    passed, passed_by = movers(prev, cur, "A", higher_is_better=False)
    assert sorted(passed["unit_id"]) == ["B", "C"] and passed_by.empty


# ------------------------------------------------------------------------------- real data
def test_binh_duong_pci_2017_to_2018(con, catalog):
    mv, prev_value, value = explain.movement(con, catalog, "pci", "old-p-74", 2018)
    assert mv.comparable and mv.basis == "complete" and mv.of == 63
    assert (mv.prev_rank, mv.rank) == (14, 6)
    assert (mv.own_effect, mv.others_effect) == (8, 0)
    assert len(mv.components) == 10
    assert mv.components.iloc[0]["component"] == "pci.proactivity"
    assert mv.components.iloc[0]["change"] == pytest.approx(0.815596)
    assert exact_diff(value, prev_value) == pytest.approx(1.619263)
    assert "old-p-86" in set(mv.passed["unit_id"])                   # Vĩnh Long: 6th → 8th
    assert mv.rank_change == len(mv.passed) - len(mv.passed_by)


def test_binh_duong_par_index_2019_to_2020_is_among_the_provinces_with_scores(con, catalog):
    mv, prev_value, value = explain.movement(con, catalog, "par_index", "old-p-74", 2020)
    assert mv.comparable and mv.prev_year == 2019
    assert mv.basis == "among_n" and mv.n < 63                     # a partial table: never "x/63"
    assert (prev_value, value) == (82.3, 86.93)
    assert mv.components.empty                                       # no 2019 component figures
