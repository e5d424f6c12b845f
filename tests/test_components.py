"""Components of an index: strongest/weakest, against the national mean and the leader, component ranks."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.components import COMPONENT_COLUMNS, component_ids, components, strongest_weakest


def test_components_shape_and_values(handmade):
    con, cat, _ = handmade
    df = components(con, cat, "idx", "old-p-02", 2020, lang="vi")
    assert list(df.columns) == COMPONENT_COLUMNS
    assert list(df["component_id"]) == ["idx.a", "idx.b", "idx.c"]
    assert list(df["name"]) == ["TP A", "TP B", "TP C"]
    a = df.set_index("component_id").loc["idx.a"]
    assert a["value"] == 9 and a["national_mean"] == pytest.approx(29 / 6)
    assert a["leader_value"] == 9 and a["leader_id"] == "old-p-02" and a["gap_to_leader"] == 0
    assert (a["rank"], a["of"], a["rank_source"]) == (1, 6, "computed")
    c = df.set_index("component_id").loc["idx.c"]
    assert c["leader_id"] == "old-p-01" and c["leader_name"] == "Một" and c["gap_to_leader"] == -6
    assert (c["rank"], c["of"]) == (6, 6)


def test_strongest_and_weakest(handmade):
    con, cat, _ = handmade
    df = components(con, cat, "idx", "old-p-02", 2020, lang="en")
    assert strongest_weakest(df) == ("idx.a", "idx.c")
    assert list(df["name"]) == ["Comp. A", "Comp. B", "Comp. C"]


def test_no_components_without_data(handmade):
    con, cat, _ = handmade
    assert components(con, cat, "idx", "old-p-02", 2019).empty
    assert component_ids(cat, "idx") == ["idx.a", "idx.b", "idx.c"]
    assert components(con, cat, "low", "old-p-02", 2020).empty


# ------------------------------------------------------------------------------------------- real data
def test_pci_2018_binh_duong(con, catalog):
    df = components(con, catalog, "pci", "old-p-74", 2018)
    assert len(df) == 10 and set(df["of"]) == {63} and df["complete"].all()
    assert df["national_mean"].notna().all() and df["leader_value"].notna().all()
    assert (df["gap_to_leader"] <= 0).all()
    s, w = strongest_weakest(df)
    assert s and w and s != w


def test_partial_components_have_no_national_mean(con, catalog):
    df = components(con, catalog, "dti", "old-p-74", 2022)
    main = df[df["component_id"] == "dti.digital_awareness"].iloc[0]
    assert not main["complete"] and pd.isna(main["national_mean"]) and main["mean_of_known"] > 0
    assert main["rank_source"] == "published" and main["of"] == 63
    assert df["strength"].notna().sum() == 2  # judged on the published ranks


@pytest.mark.parametrize("iid,units,ranks", [
    ("pci", ["old-p-74"], False), ("pci", ["old-p-79", "old-p-01"], True), ("papi", ["old-p-01"], False),
    ("dti", ["old-p-74"], True), ("par_index", ["old-p-46", "old-p-92"], False)])
def test_component_years_are_the_years_components_has_data(con, catalog, iid, units, ranks):
    from analytics.components import component_years

    years = [y for (y,) in con.execute("SELECT year FROM ranking_parts WHERE indicator_id = ? AND n_any > 0",
                                       [iid]).fetchall()]
    expected = []
    for y in sorted(years, reverse=True):
        for u in units:
            comp = components(con, catalog, iid, u, y)
            if len(comp) and (comp["value"].notna().any() or (ranks and comp["rank"].notna().any())):
                expected.append(y)
                break
    got = component_years(con, catalog, iid, units, ranks=ranks, years=years)
    assert got == expected and len(got) > 0
    assert component_years(con, catalog, iid, [], ranks=ranks) == []
