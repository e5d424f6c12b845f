"""Similar localities (analytics.similar): the declared characteristics, the coverage rule for the year
read, the distance, and clear errors for a malformed data/similarity.yaml."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.similar import SimilarityError, characteristic_values, load_similarity, set_for, similar


def test_binh_duong_2020_nearest_provinces(con, catalog):
    df = similar(con, catalog, "old-p-74", level="province", vintage="legacy", year=2020, k=5)
    assert len(df) == 5 and "old-p-74" not in set(df["unit_id"])
    assert df["distance"].is_monotonic_increasing
    # PCI is read in 2020 (complete), not in 2022/2023 (top lists only); PAPI in 2019
    assert df.attrs["years"] == {"population": 2016, "area_km2": 2016, "pci": 2020, "papi": 2019}
    assert df.attrs["n"] == 63
    assert df[["population", "area_km2", "pci", "papi"]].notna().all().all()


def test_distance_is_standardised_euclidean(con, catalog):
    sset = set_for(load_similarity(catalog), "province", "legacy")
    values, _ = characteristic_values(con, sset, 2020)
    x = values.copy()
    x["population"], x["area_km2"] = np.log(x["population"]), np.log(x["area_km2"])
    z = (x - x.mean()) / x.std(ddof=0)
    df = similar(con, catalog, "old-p-74", level="province", vintage="legacy", year=2020, k=63)
    peer = df.iloc[-1]
    expected = float(np.sqrt(((z.loc[peer["unit_id"]] - z.loc["old-p-74"]) ** 2).sum()))
    assert peer["distance"] == pytest.approx(expected, abs=1e-4)
    assert len(df) == 62


def test_unit_without_a_characteristic_has_no_peers(con, catalog):
    assert similar(con, catalog, "old-d-718", level="district", vintage="legacy", year=2020).empty


@pytest.mark.parametrize("text, match", [
    ("sets: 3", "list 'sets'"),
    ("sets: [{level: province, vintage: legacy, coverage: 2, characteristics: [{indicator: pci}]}]", "coverage"),
    ("sets: [{level: province, vintage: legacy, coverage: 0.9, characteristics: [{indicator: nope}]}]", "'nope'"),
    ("sets: [{level: province, vintage: legacy, coverage: 0.9, characteristics: [{indicator: pci, transform: sqrt}]}]",
     "transform"),
])
def test_malformed_file_names_file_and_set(catalog, tmp_path, text, match):
    path = tmp_path / "similarity.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SimilarityError, match=match) as err:
        load_similarity(catalog, path)
    assert str(path) in str(err.value)
