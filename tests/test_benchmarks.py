"""Benchmarks (national/region/parent means, published averages) and peer groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.benchmarks import (
    BENCHMARK_COLUMNS,
    benchmark_series,
    benchmarks,
    comparators,
    national_reference,
)
from analytics.peers import peer_group, similar_units


def bench_dict(df: pd.DataFrame) -> dict[str, dict]:
    return {r["benchmark"]: r for r in df.to_dict("records")}


def test_national_region_published(handmade):
    con, cat, _ = handmade
    df = benchmarks(con, cat, "idx", 2020, "old-p-02")
    assert list(df.columns) == BENCHMARK_COLUMNS
    b = bench_dict(df)
    assert b["national_mean"]["value"] == pytest.approx((92 + 80 + 88 + 75 + 65 + 55) / 6)
    assert b["national_median"]["value"] == pytest.approx(77.5)
    assert (b["national_best"]["unit_id"], b["national_best"]["value"]) == ("old-p-01", 92)
    assert (b["national_worst"]["unit_id"], b["national_worst"]["value"]) == ("old-p-06", 55)
    assert b["region_mean"]["scope_id"] == "R1" and b["region_mean"]["value"] == pytest.approx((92 + 80 + 88) / 3)
    assert b["national_mean"]["complete"] and b["national_mean"]["n"] == 6
    assert b["published_average"]["value"] == 79.5 and b["published_average"]["source"] == "published"
    assert "parent_mean" not in b  # a province has no parent
    assert national_reference(df)["source"] == "published"


def test_parent_mean_for_districts(handmade):
    con, cat, _ = handmade
    b = bench_dict(benchmarks(con, cat, "dist", 2020, "old-d-101"))
    assert b["parent_mean"]["scope_id"] == "old-p-01" and b["parent_mean"]["value"] == pytest.approx(75)
    assert b["national_mean"]["value"] == pytest.approx(78.75)


def test_best_is_direction_aware(handmade):
    con, cat, _ = handmade
    b = bench_dict(benchmarks(con, cat, "low", 2020))
    assert (b["national_best"]["unit_id"], b["national_best"]["value"]) == ("old-p-02", 1)


def test_partial_table_is_not_a_national_figure(handmade):
    con, cat, _ = handmade
    df = benchmarks(con, cat, "idx", 2021, "old-p-01")
    assert not bench_dict(df)["national_mean"]["complete"]
    assert national_reference(df) is None
    assert comparators(df) == []
    assert [c["kind"] for c in comparators(df, include_partial=True)][:1] == ["national"]


def test_comparators_shape(handmade):
    con, cat, _ = handmade
    comps = comparators(benchmarks(con, cat, "idx", 2020, "old-p-02"))
    kinds = [c["kind"] for c in comps]
    assert kinds == ["national", "region", "leader"]
    assert comps[0]["value"] == 79.5 and all("value" in c for c in comps)


def test_benchmark_series(handmade):
    con, cat, _ = handmade
    s = benchmark_series(con, cat, "idx", "old-p-02").set_index("year")
    assert s.loc[2020, "published_average"] == 79.5
    assert bool(s.loc[2020, "complete"]) and not bool(s.loc[2021, "complete"])
    assert s.loc[2019, "region_mean"] == pytest.approx((90 + 85 + 85) / 3)


def test_peer_groups(handmade):
    con, _, _ = handmade
    region = peer_group(con, "old-p-02", by="region")
    assert list(region["unit_id"]) == ["old-p-02", "old-p-01", "old-p-03"] and region.iloc[0]["is_self"]
    assert list(peer_group(con, "old-p-01", by="type")["unit_id"]) == ["old-p-01"]
    sib = peer_group(con, "old-d-101", by="parent")
    assert set(sib["unit_id"]) == {"old-d-101", "old-d-102", "old-d-103"}
    with pytest.raises(ValueError):
        peer_group(con, "old-p-01", by="size")


def test_similar_units_standardised_euclidean(handmade):
    con, _, _ = handmade
    comps = ["idx.a", "idx.b", "idx.c"]
    df = similar_units(con, "old-p-02", comps, year=2020, k=3)
    vals = np.array([[5, 9, 6, 4, 3, 2], [5, 6, 6, 5, 4, 3], [8, 2, 7, 6, 5, 4]], dtype=float)
    z = (vals - vals.mean(axis=1, keepdims=True)) / vals.std(axis=1, keepdims=True)
    d = np.sqrt(((z - z[:, [1]]) ** 2).sum(axis=0))
    order = [f"old-p-0{i + 1}" for i in np.argsort(d) if i != 1][:3]
    assert list(df["unit_id"]) == order
    assert df["distance"].tolist() == pytest.approx(sorted(d[[i for i in range(6) if i != 1]])[:3])
    assert set(df["n_dims"]) == {3} and df.attrs["basis"] == {c: 2020 for c in comps}


# ------------------------------------------------------------------------------------------- real data
def test_par_index_2024_published_average(con, catalog):
    b = bench_dict(benchmarks(con, catalog, "par_index", 2024, "old-p-74"))
    assert b["published_average"]["value"] == pytest.approx(88.37)
    assert not b["national_mean"]["complete"]  # only a few scores are known


def test_centrally_run_cities_as_they_were(con):
    y2020 = set(peer_group(con, "old-p-79", by="type", year=2020)["unit_id"])
    assert y2020 == {"old-p-01", "old-p-31", "old-p-48", "old-p-79", "old-p-92"}
    assert "old-p-46" in set(peer_group(con, "old-p-79", by="type", year=2025)["unit_id"])
