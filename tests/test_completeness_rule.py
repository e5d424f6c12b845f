"""One declared completeness rule (analytics.benchmarks.COMPLETE_SHARE): comparators and component means
and leaders need ≥ 90 % of the units; a computed rank needs the full table (RANK_SHARE)."""

from __future__ import annotations

from analytics.benchmarks import (
    COMPLETE_SHARE,
    RANK_SHARE,
    benchmarks,
    comparators,
    complete_enough,
    min_values,
)
from analytics.components import components


def test_threshold_is_ninety_percent_of_n():
    assert COMPLETE_SHARE == 0.9 and RANK_SHARE == 1.0
    assert min_values(63) == 57 and min_values(34) == 31 and min_values(9) == 9 and min_values(None) is None
    assert complete_enough(57, 63) and not complete_enough(56, 63)
    assert not complete_enough(62, 63, share=RANK_SHARE) and complete_enough(63, 63, share=RANK_SHARE)
    assert not complete_enough(None, 63) and not complete_enough(5, None)


def test_papi_2014_61_of_63_is_complete_enough_for_comparators(con, catalog):
    # PAPI 2014: Bắc Giang and Đồng Tháp have blank dimensions, 61 of 63 provinces have a score
    b = benchmarks(con, catalog, "papi", 2014, "old-p-74")
    mean = b[b["benchmark"] == "national_mean"].iloc[0]
    assert int(mean["n"]) == 61 and int(mean["n_ranked"]) == 63 and bool(mean["complete"])
    kinds = {c["kind"] for c in comparators(b)}
    assert {"national", "region", "leader"} <= kinds


def test_par_index_2023_partial_table_has_no_comparator(con, catalog):
    b = benchmarks(con, catalog, "par_index", 2023, "old-p-74")
    mean = b[b["benchmark"] == "national_mean"].iloc[0]
    assert int(mean["n"]) < min_values(63) and not bool(mean["complete"])
    assert {c["kind"] for c in comparators(b)} <= {"national"}  # only a published average, if any
    assert all(c["source"] == "published" for c in comparators(b))


def test_components_mean_over_90_percent_but_ranks_only_over_full_table(con, catalog):
    comp = components(con, catalog, "papi", "old-p-74", 2014)
    assert len(comp)
    enough = comp[comp["n_values"] >= min_values(63)]
    assert len(enough) and enough["complete"].all() and enough["national_mean"].notna().all()
    short = comp[comp["n_values"] < 63]
    assert len(short) and not short["ranks_complete"].any()
