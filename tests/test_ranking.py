"""Rankings: hand-made tables (ties, direction, scopes, partial tables, bands, changes) and the real data."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.ranking import RANKING_COLUMNS, Scope, ranking
from analytics.store.reads import rank_agreement, rank_check


def by_unit(df: pd.DataFrame) -> dict[str, dict]:
    return {r["unit_id"]: r for r in df.to_dict("records")}


# ------------------------------------------------------------------------------------------- hand-made
def test_columns_follow_the_contract(handmade):
    con, cat, _ = handmade
    df = ranking(con, "idx", 2020, catalog=cat)
    assert list(df.columns) == RANKING_COLUMNS


def test_ties_are_standard_competition_ranks(handmade):
    con, cat, _ = handmade
    df = ranking(con, "idx", 2019, catalog=cat)
    assert list(df["rank"]) == [1, 2, 2, 4, 5, 6]
    assert list(df["display_rank"]) == [1, 2, 2, 4, 5, 6]
    assert set(df["of"]) == {6}


def test_lower_is_better(handmade):
    con, cat, _ = handmade
    r = by_unit(ranking(con, "low", 2020, catalog=cat))
    assert (r["old-p-02"]["rank"], r["old-p-03"]["rank"], r["old-p-04"]["rank"], r["old-p-01"]["rank"]) == (1, 2, 2, 4)
    assert r["old-p-02"]["rank_source"] == "computed" and r["old-p-02"]["percentile"] == 100.0


def test_region_scope_is_computed_within_the_region(handmade):
    con, cat, _ = handmade
    df = ranking(con, "idx", 2020, scope=Scope("region", "R2"), catalog=cat)
    assert list(df["unit_id"]) == ["old-p-04", "old-p-05", "old-p-06"]
    assert list(df["display_rank"]) == [1, 2, 3] and set(df["display_of"]) == {3}
    # a region does not hold the whole published table: published national ranks do not apply
    assert set(df["rank_source"]) == {"computed"}
    assert list(df["percentile"]) == [100.0, 50.0, 0.0]


def test_parent_and_province_scopes(handmade):
    con, cat, _ = handmade
    d = ranking(con, "dist", 2020, scope=Scope("parent", "old-p-01"), catalog=cat)
    assert list(d["unit_id"]) == ["old-d-102", "old-d-103", "old-d-101"]
    assert list(d["display_of"]) == [3, 3, 3]
    national = by_unit(ranking(con, "dist", 2020, catalog=cat))
    assert national["old-d-201"]["rank"] == 1 and national["old-d-201"]["of"] == 4
    c = ranking(con, "com", 2020, scope=Scope("province", "old-p-01"), catalog=cat)
    assert list(c["unit_id"]) == ["old-c-10003", "old-c-10002", "old-c-10001"]
    wards = ranking(con, "com", 2020, scope=Scope("parent", "old-d-101"), catalog=cat)
    assert list(wards["display_rank"]) == [1, 2] and set(wards["display_of"]) == {2}


def test_scope_validation():
    with pytest.raises(ValueError):
        Scope("galaxy", "x")
    with pytest.raises(ValueError):
        Scope("region")


def test_partial_table_shows_published_rank_of_published_n(handmade):
    con, cat, _ = handmade
    df = ranking(con, "idx", 2021, catalog=cat)
    r = by_unit(df)
    assert (r["old-p-01"]["display_rank"], r["old-p-01"]["display_of"], r["old-p-01"]["of"]) == (1, 6, 2)
    assert r["old-p-02"]["rank_basis"] == "listing_order"
    # a published rank without a score is kept and shown
    assert r["old-p-04"]["display_rank"] == 5 and pd.isna(r["old-p-04"]["value"])
    assert not df["complete"].any()
    full = ranking(con, "idx", 2021, catalog=cat, include_missing=True)
    assert len(full) == 6 and full["display_rank"].isna().sum() == 3
    assert list(full["unit_id"][:3]) == ["old-p-01", "old-p-02", "old-p-04"]


def test_bands_percentile_quartile(handmade):
    con, cat, _ = handmade
    r = by_unit(ranking(con, "idx", 2020, catalog=cat))
    assert (r["old-p-01"]["band"], r["old-p-03"]["band"], r["old-p-04"]["band"]) == ("A", "B", "C")
    assert r["old-p-01"]["quartile"] == 1 and r["old-p-06"]["quartile"] == 4
    assert r["old-p-06"]["percentile"] == 0.0
    assert ranking(con, "idx", 2019, catalog=cat)["band"].isna().all()  # bands start in 2020


def test_change_against_previous_edition(handmade):
    con, cat, _ = handmade
    r = by_unit(ranking(con, "idx", 2020, catalog=cat))
    assert r["old-p-02"]["prev_year"] == 2019
    assert r["old-p-02"]["rank_change"] == -1 and r["old-p-02"]["value_change"] == -5
    assert bool(r["old-p-02"]["comparable"])


def test_no_change_across_a_series_break(handmade):
    con, cat, _ = handmade
    df = ranking(con, "idx", 2022, catalog=cat)
    assert df["rank_change"].isna().all() and df["value_change"].isna().all()
    assert not df["comparable"].dropna().any()


def test_no_rank_change_across_a_change_of_n(handmade):
    con, cat, _ = handmade
    r = by_unit(ranking(con, "idx", 2023, catalog=cat))
    p2 = r["old-p-02"]
    assert p2["display_of"] == 5
    assert pd.isna(p2["rank_change"]) and p2["value_change"] == -20 and not p2["comparable"]


def test_rank_check_is_empty_when_ranks_agree(handmade):
    con, _, _ = handmade
    assert rank_check(con).empty


# ------------------------------------------------------------------------------------------- real data
def test_binh_duong_par_index_2020_reads_4_of_63_up_13(con, catalog):
    r = by_unit(ranking(con, "par_index", 2020, catalog=catalog))["old-p-74"]
    assert (r["display_rank"], r["display_of"], r["rank_source"]) == (4, 63, "published")
    assert r["rank_change"] == 13 and r["prev_year"] == 2019 and r["band"] == "B"


@pytest.mark.parametrize("year", range(2012, 2019))
def test_pci_computed_ranks_equal_published(con, catalog, year):
    df = ranking(con, "pci", year, catalog=catalog)
    assert len(df) == 63 and df["value"].notna().all()
    assert (df["rank"] == df["official_rank"]).all(), df[df["rank"] != df["official_rank"]]
    assert set(df["of"]) == {63} and df["complete"].all()


def test_pci_rank_agreement_table(con):
    agree = rank_agreement(con, "pci").set_index("year")
    for year in range(2012, 2019):
        assert agree.loc[year, "n_agree"] == 63 and agree.loc[year, "n_disagree"] == 0


def test_dti_2022_tie_reads_15_of_63(con, catalog):
    df = ranking(con, "dti", 2022, catalog=catalog)
    r = by_unit(df)
    assert (r["old-p-38"]["display_rank"], r["old-p-38"]["display_of"]) == (15, 63)
    assert (r["old-p-15"]["display_rank"], r["old-p-15"]["display_of"]) == (15, 63)
    assert 16 not in set(df["display_rank"].dropna()) and 17 in set(df["display_rank"].dropna())


def test_within_province_index_keeps_its_published_ranks(con, catalog):
    df = ranking(con, "bd_par_district", 2017, scope=Scope("parent", "old-p-74"), catalog=catalog)
    assert len(df) == 9 and set(df["rank_source"]) == {"published"} and set(df["display_of"]) == {9}
    assert df.iloc[0]["name"] == "Thành phố Thủ Dầu Một"


def test_name_in_year(con, catalog):
    r = by_unit(ranking(con, "pci", 2018, catalog=catalog))
    assert r["old-p-46"]["short_name"] == "Thừa Thiên Huế"


def test_name_columns_follow_the_year_and_sort_alphabetically(con, catalog):
    # the same unit under its former and its current name, in one process (codes are replaced per year)
    import numpy as np

    from analytics.dimensions import derived

    d = derived(con)
    ix = np.array([d.unit_ix["old-p-46"], d.unit_ix["old-p-79"]])
    before, after = d.unit_columns(ix, 2020), d.unit_columns(ix, 2025)
    assert list(before["short_name"]) == ["Thừa Thiên Huế", "TP. Hồ Chí Minh"]
    assert list(after["short_name"]) == ["Huế", "TP. Hồ Chí Minh"]
    assert list(before["name"]) == ["Tỉnh Thừa Thiên Huế", "Thành phố Hồ Chí Minh"]
    assert by_unit(ranking(con, "par_index", 2020, catalog=catalog))["old-p-46"]["short_name"] == "Thừa Thiên Huế"
    df = ranking(con, "par_index", 2020, catalog=catalog)
    # unit columns are categoricals whose order is alphabetical, so sorting by name is alphabetical
    assert list(df.sort_values("short_name")["short_name"]) == sorted(df["short_name"])
    assert list(df.sort_values("code")["code"]) == sorted(df["code"])
    # and they read as plain strings
    assert all(isinstance(v, str) for v in df["unit_id"]) and df["unit_id"].str.startswith("old-p-").all()
    # a province ranking does not carry every commune's name along
    assert len(df["name"].cat.categories) < 200


def test_lookups_leave_no_unfinished_result_on_the_connection(built_db, catalog):
    # DuckDB 2 refuses the relation API (con.sql) while an execute() result is unfinished (e.g. after fetchone)
    from analytics.benchmarks import benchmarks
    from analytics.components import component_years, components
    from analytics.crosswalk import former_units
    from analytics.store import connect
    from analytics.store.reads import indicator_level

    with connect(built_db) as c:
        calls = [lambda: indicator_level(c, "pci"), lambda: components(c, catalog, "pci", "old-p-74", 2018),
                 lambda: component_years(c, catalog, "pci", ["old-p-74"]),
                 lambda: benchmarks(c, catalog, "pci", 2018, "old-p-74"), lambda: former_units(c, "new-p-79")]
        for call in calls:
            call()
            assert c.sql("SELECT 42").fetchall() == [(42,)]


def test_unit_columns_of_units_of_several_levels(con):
    """Not a ranking's case (one level per table), but the columns still come out right."""
    import numpy as np

    from analytics.dimensions import derived

    d = derived(con)
    ids = ["old-p-46", "old-c-25741", "new-p-79"]
    cols = d.unit_columns(np.array([d.unit_ix[u] for u in ids]), 2020)
    assert list(cols["unit_id"]) == ids
    assert list(cols["short_name"])[0] == "Thừa Thiên Huế"  # the name in 2020
    assert [d.level[d.unit_ix[u]] for u in ids] == ["province", "commune", "province"]
    assert cols["province_id"][1] == "old-p-74" and all(isinstance(v, str) for v in cols["name"])
