"""The publisher's own method on the 2025 units (catalog ``derive_2025``), its figure first, and a rank among
derived values labelled as such."""

from __future__ import annotations

import pytest

from analytics.crosswalk import crosswalk, derived_rank_text, former_units, publisher_method


def _row(df, name):
    return df[df["name"] == name].iloc[0]


def test_dti_uses_the_ministrys_simple_mean_and_matches_its_own_34_unit_figure(con, catalog):
    assert publisher_method(catalog, "dti") == "mean_of_former"
    assert publisher_method(catalog, "pci") is None
    df = crosswalk(con, catalog, "dti", 2024)
    dn = _row(df, "Đà Nẵng")
    f = former_units(con, dn["unit_id"], "dti", 2024)
    f = f[f["level"] == "province"]
    assert len(f) == 2 and dn["method"] == "mean_of_former"
    assert dn["derived_value"] == pytest.approx(f["value"].mean())       # not area-weighted
    # the ministry published the same recomputation on the 34 units: it comes first
    assert dn["published_value"] == pytest.approx(dn["derived_value"], abs=5e-5)
    assert dn["figure_kind"] == "published" and dn["figure"] == dn["published_value"]
    assert "publisher's own method" in dn["label_en"]


def test_an_index_without_a_published_method_keeps_the_area_weighted_derivation(con, catalog):
    df = crosswalk(con, catalog, "pci", 2018)
    assert set(df["method"]) <= {"area_weighted_mean", "single", "mean"}
    assert (df["figure_kind"] == "derived").all() and df["figure"].equals(df["derived_value"])


def test_a_rank_among_derived_values_is_labelled():
    assert derived_rank_text(2, 3, 34, "vi") == "thứ 2 trong 3 đơn vị có số liệu quy đổi"
    assert derived_rank_text(2, 3, 34, "en") == "2 of the 3 with a derived figure"
    assert derived_rank_text(5, 34, 34, "vi") == "5/34 (quy đổi)"
    assert derived_rank_text(None, 3, 34, "vi") == ""
