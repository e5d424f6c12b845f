"""The 2025 crosswalk: derived values on the new units, labelled, never mixed with published values."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.crosswalk import CROSSWALK_COLUMNS, crosswalk, derived_series, former_units


def by_unit(df: pd.DataFrame) -> dict[str, dict]:
    return {r["unit_id"]: r for r in df.to_dict("records")}


def test_area_weighted_single_and_simple_mean(handmade):
    con, cat, _ = handmade
    df = crosswalk(con, cat, "idx", 2019)
    assert list(df.columns) == CROSSWALK_COLUMNS and df["is_derived"].all()
    r = by_unit(df)
    # P1 area nearest to 2019 is 2018 (200), P2 only 2016 (300): (90·200 + 85·300) / 500
    assert r["new-p-01"]["derived_value"] == pytest.approx(87.0)
    assert (r["new-p-01"]["method"], r["new-p-01"]["weight_year"], r["new-p-01"]["n_former"]) == \
        ("area_weighted_mean", 2018, 2)
    assert r["new-p-03"]["method"] == "single" and r["new-p-03"]["derived_value"] == 85
    # P6 has no area: simple mean of the three
    assert r["new-p-04"]["method"] == "mean" and r["new-p-04"]["derived_value"] == pytest.approx(60)
    assert r["new-p-01"]["label_en"] == "Derived from 2 former units (area-weighted mean 2018)"
    assert r["new-p-01"]["label_vi"].startswith("Quy đổi từ 2 đơn vị cũ")
    assert (r["new-p-01"]["derived_rank"], r["new-p-03"]["derived_rank"], r["new-p-04"]["derived_rank"]) == (1, 2, 3)


def test_simple_mean_on_request(handmade):
    con, cat, _ = handmade
    r = by_unit(crosswalk(con, cat, "idx", 2019, weighted=False))
    assert r["new-p-01"]["method"] == "mean" and r["new-p-01"]["derived_value"] == pytest.approx(87.5)


def test_no_value_unless_every_former_unit_has_one(handmade):
    con, cat, _ = handmade
    r = by_unit(crosswalk(con, cat, "idx", 2021))
    assert r["new-p-01"]["derived_value"] == pytest.approx((91 * 200 + 89 * 300) / 500)
    p4 = r["new-p-04"]
    assert pd.isna(p4["derived_value"]) and (p4["method"] is None or pd.isna(p4["method"]))
    assert (p4["n_with_data"], p4["n_former"]) == (0, 3) and not p4["complete"]
    assert "no derived value" in p4["label_en"] and "không quy đổi" in p4["label_vi"]
    assert pd.isna(r["new-p-03"]["derived_value"])


def test_published_values_stay_in_their_own_columns(handmade):
    con, cat, _ = handmade
    r = by_unit(crosswalk(con, cat, "idx", 2024))["new-p-01"]
    assert r["derived_value"] == pytest.approx((95 * 200 + 85 * 300) / 500)
    assert (r["published_indicator"], r["published_value"], r["published_rank"]) == ("idx_34", 93.0, 1)


def test_reverse_view(handmade):
    con, _, _ = handmade
    f = former_units(con, "new-p-01", "idx", 2019)
    assert list(f["unit_id"]) == ["old-p-01", "old-p-02"]
    assert list(f["value"]) == [90, 85] and list(f["area_km2"]) == [200, 300] and list(f["rank"]) == [1, 2]
    assert f["counted"].all()


def test_communes_and_split_wards(handmade):
    con, cat, _ = handmade
    r = by_unit(crosswalk(con, cat, "com", 2020))
    assert r["new-c-1"]["derived_value"] == pytest.approx(55) and r["new-c-1"]["method"] == "mean"
    assert r["new-c-1"]["any_split"] and "default successor" in r["new-c-1"]["label_en"]
    assert r["new-c-2"]["derived_value"] == 70 and r["new-c-2"]["n_former"] == 1
    f = former_units(con, "new-c-2", "com", 2020).set_index("unit_id")
    assert set(f.index) == {"old-c-10002", "old-c-10003"}
    assert not f.loc["old-c-10002", "counted"] and f.loc["old-c-10002", "is_split"]


def test_derived_series(handmade):
    con, cat, _ = handmade
    s = derived_series(con, cat, "idx", "new-p-01").set_index("year")
    assert list(s.index) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert s.loc[2019, "derived_value"] == pytest.approx(87.0)


def test_not_for_new_unit_indicators(handmade):
    con, cat, _ = handmade
    with pytest.raises(ValueError):
        crosswalk(con, cat, "idx_34", 2024)


# ------------------------------------------------------------------------------------------- real data
def test_pci_2018_on_the_34_provinces(con, catalog):
    df = crosswalk(con, catalog, "pci", 2018)
    assert len(df) == 34 and df["derived_value"].notna().all()
    hcm = by_unit(df)["new-p-79"]
    f = former_units(con, "new-p-79", "pci", 2018)
    f = f[f["level"] == "province"]
    assert set(f["unit_id"]) == {"old-p-74", "old-p-77", "old-p-79"}
    expected = (f["value"] * f["area_km2"]).sum() / f["area_km2"].sum()
    assert hcm["derived_value"] == pytest.approx(expected) and hcm["n_former"] == 3
    assert hcm["label_en"].startswith("Derived from 3 former units")
