"""What it takes (analytics.gap): points needed for the next rank, the top 10, rank 1, the next band,
the national mean and the region's best, on hand-made tables and on the real PCI 2018 table."""

from __future__ import annotations

import _handmade
import pandas as pd
import pytest

from analytics import explain
from analytics.gap import what_it_takes


def frame(values: dict[str, float | None], regions: dict[str, str] | None = None, complete=True):
    df = pd.DataFrame({"unit_id": list(values), "name": list(values), "short_name": list(values),
                       "value": list(values.values())})
    df["region_id"] = [(regions or {}).get(u, "R1") for u in values]
    df["complete"] = complete
    return df


@pytest.fixture(scope="module")
def idx():
    return _handmade.catalog().get("idx")


def test_next_rank_with_ties_top_and_band(idx):
    g = what_it_takes(idx, frame({"A": 92, "B": 88, "C": 88, "D": 75, "E": 65}), "D", 2020)
    t = g.targets.set_index("target")
    assert g.rank == 4 and g.basis == "complete"
    assert t.loc["next_rank", "target_rank"] == 2 and t.loc["next_rank", "points_needed"] == 13
    assert t.loc["rank_1", "points_needed"] == 17
    assert "top_10" not in t.index                                   # fewer than 10 units
    assert t.loc["band_B", "target_value"] == 80 and t.loc["band_B", "points_needed"] == 5
    assert t.loc["national_mean", "points_needed"] == pytest.approx(81.6 - 75)


def test_leader_needs_nothing_for_rank_1(idx):
    g = what_it_takes(idx, frame({"A": 92, "B": 88}), "A", 2020)
    t = g.targets.set_index("target")
    assert "next_rank" not in t.index and t.loc["rank_1", "points_needed"] == 0


def test_partial_table_uses_published_average_not_a_mean_of_few(idx):
    g = what_it_takes(idx, frame({"A": 92, "B": 70}, complete=False), "B", 2020)
    t = g.targets.set_index("target")
    assert g.basis == "among_n" and g.n == 2
    assert t.loc["national_mean", "source"] == "published" and t.loc["national_mean", "target_value"] == 79.5
    assert "region_best" not in t.index                              # no region comparator from a partial table


def test_region_best_only_when_ahead(idx):
    g = what_it_takes(idx, frame({"A": 92, "B": 80, "C": 85}, regions={"A": "R2"}), "B", 2020)
    t = g.targets.set_index("target")
    assert t.loc["region_best", "target_value"] == 85


def test_lower_is_better():
    low = _handmade.catalog().get("low")
    g = what_it_takes(low, frame({"A": 3, "B": 1, "C": 2, "D": 2}), "A", 2020)
    t = g.targets.set_index("target")
    assert g.rank == 4
    assert t.loc["next_rank", "target_value"] == 2 and t.loc["next_rank", "points_needed"] == 1
    assert t.loc["rank_1", "points_needed"] == 2


def test_pci_2018_binh_duong(con, catalog):
    g = explain.gap(con, catalog, "pci", "old-p-74", 2018)
    t = g.targets.set_index("target")
    assert g.rank == 6 and g.basis == "complete" and g.n == 63
    assert t.loc["next_rank", "target_unit_id"] == "old-p-48"        # Đà Nẵng
    assert t.loc["next_rank", "target_value"] == pytest.approx(67.65274)
    assert t.loc["next_rank", "points_needed"] == 1.558921
    assert t.loc["rank_1", "points_needed"] == 4.265098
    assert t.loc["top_10", "points_needed"] == 0
    assert g.widest_component[0] == "pci.policy_bias"
