"""The locality registry: built from vietnamadminunits, with identities, validity, successors and spellings."""

from collections import Counter
from datetime import date

import pytest

from analytics.registry import AmbiguousLocality, Registry, UnknownLocality


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.from_package()


def test_unit_counts_match_both_vintages(reg):
    counts = Counter((u.vintage, u.level) for u in reg.units_by_id.values())
    assert counts[("legacy", "province")] == 63
    assert counts[("legacy", "district")] == 696
    assert counts[("legacy", "commune")] == 10035
    assert counts[("2025", "province")] == 34
    assert counts[("2025", "commune")] == 3321


def test_identity_not_confused_across_reform(reg):
    old, new = reg.get("old-p-79"), reg.get("new-p-79")
    assert old.code == new.code == "79"
    assert old.unit_id != new.unit_id
    assert old.valid_to == date(2025, 6, 30) and old.valid_from is None
    assert new.valid_from == date(2025, 7, 1) and new.valid_to is None


def test_types_and_parents(reg):
    tdm = reg.get("old-d-718")
    assert tdm.type_vi == "Thành phố" and tdm.type_en == "Provincial city"
    assert tdm.parent_id == "old-p-74"
    assert reg.get("old-p-74").type_vi == "Tỉnh"
    assert reg.get("old-p-79").type_en == "Centrally-run city"
    assert {u.type_vi for u in reg.units(level="commune", vintage="2025")} == {"Phường", "Xã", "Đặc khu"}
    assert {u.type_vi for u in reg.units(level="commune", vintage="legacy")} == {"Phường", "Xã", "Thị trấn"}
    assert len(reg.children("old-d-718")) > 5


def test_province_successors_follow_the_2025_merger(reg):
    succ = [u.unit_id for u, _, _ in reg.successors_of("old-p-74")]
    assert succ == ["new-p-79"]
    formers = sorted(u.unit_id for u, _, rel in reg.predecessors_of("new-p-79") if rel == "merged")
    assert formers == ["old-p-74", "old-p-77", "old-p-79"]
    # every legacy province has exactly one successor province
    for p in reg.units(level="province", vintage="legacy"):
        assert len([s for s in reg.successors_of(p.unit_id) if s[0].level == "province"]) == 1, p.unit_id


def test_split_communes_have_several_successors_one_default(reg):
    split = {}
    for old, _new, default, rel in reg.successors:
        if rel == "split":
            split.setdefault(old, []).append(default)
    assert len(split) > 100
    assert all(sum(flags) == 1 for flags in split.values())


def test_name_changes_within_a_units_life(reg):
    assert reg.name_in_year("old-p-46", 2020) == "Thừa Thiên Huế"
    assert reg.name_in_year("old-p-46", 2025) == "Huế"


@pytest.mark.parametrize("spelling, year, expected", [
    ("Bình Dương", 2020, "old-p-74"),
    ("Binh Duong", 2020, "old-p-74"),
    ("binh duong", None, "old-p-74"),
    ("TP.HCM", 2020, "old-p-79"),
    ("TP.HCM", None, "new-p-79"),
    ("Ho Chi Minh City", 2019, "old-p-79"),
    ("Thành phố Hồ Chí Minh", 2026, "new-p-79"),
    ("Thua Thien Hue", 2019, "old-p-46"),
    ("TT-Huế", 2019, "old-p-46"),
    ("Thừa Thiên - Huế", 2019, "old-p-46"),
    ("BRVT", 2019, "old-p-77"),
    ("Ba Ria – Vung Tau", 2012, "old-p-77"),
    ("Bà Rịa-Vũng Tàu", 2012, "old-p-77"),
    ("Dak Lak", 2019, "old-p-66"),
    ("Đắc Lắk", 2019, "old-p-66"),
    ("Đắk Lắk", 2026, "new-p-66"),
    ("TP. Thủ Dầu Một", 2017, "old-d-718"),
    ("Thành phố Thủ Dầu Một", 2017, "old-d-718"),
    ("huyện Bắc Tân Uyên", 2017, "old-d-726"),
    ("Thị xã Tân Uyên", 2017, "old-d-723"),
    ("Hanoi", 2020, "old-p-01"),
    ("HCMC", 2020, "old-p-79"),
])
def test_spellings_resolve_to_the_right_unit_for_the_year(reg, spelling, year, expected):
    assert reg.resolve(spelling, year=year).unit_id == expected


def test_parenthetical_parent_disambiguates_a_ward(reg):
    ward = reg.resolve("Phường Tân Bình (TP.Dĩ An)", year=2023)
    assert ward.unit_id.startswith("old-c-")
    assert ward.parent_id == "old-d-724"
    with pytest.raises(AmbiguousLocality) as e:
        reg.resolve("Phường Tân Bình", year=2023)
    assert len(e.value.candidates) > 1


def test_within_restricts_to_children(reg):
    assert reg.resolve("Phú Giáo", within="Bình Dương", year=2023).unit_id == "old-d-722"
    with pytest.raises(UnknownLocality):
        reg.resolve("Quận 1", within="Bình Dương", year=2023)


def test_unknown_name_lists_closest_candidates(reg):
    with pytest.raises(UnknownLocality) as e:
        reg.resolve("Binh Duongg", level="province", year=2020)
    assert e.value.candidates[0].unit_id == "old-p-74"
    assert "Bình Dương" in str(e.value)


def test_year_restricts_vintage(reg):
    # Bình Dương no longer exists as a province after 1 July 2025
    with pytest.raises(UnknownLocality):
        reg.resolve("Bình Dương", year=2026, level="province")


def test_regions_cover_all_legacy_provinces(reg):
    provinces = reg.units(level="province", vintage="legacy")
    assert len(reg.regions) == 6
    assert all(p.region_id for p in provinces)
    assert reg.get("old-p-74").region_id == reg.get("old-p-79").region_id
