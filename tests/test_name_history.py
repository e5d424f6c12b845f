"""Names in their time (data/name_history.csv): each spell sourced, spells of a unit never overlap, and the
registry names a unit as it was in a year (Tân Uyên a thị xã in 2017, a city in 2023)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from analytics.paths import DATA_DIR
from analytics.registry import build_registry


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with open(DATA_DIR / "name_history.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def reg():
    return build_registry(DATA_DIR)


def _d(text: str, default: date) -> date:
    return date.fromisoformat(text) if text else default


def test_every_spell_has_a_source_and_a_legal_basis_note(rows, reg):
    assert len(rows) >= 10
    for r in rows:
        assert r["source"].startswith("https://"), r
        assert r["note"].strip(), r
        assert reg.get(r["unit_id"]).unit_id == r["unit_id"]


def test_spells_of_one_unit_do_not_overlap(rows):
    by_unit: dict[str, list[tuple[date, date]]] = {}
    for r in rows:
        by_unit.setdefault(r["unit_id"], []).append((_d(r["valid_from"], date.min), _d(r["valid_to"], date.max)))
    for unit, spells in by_unit.items():
        spells.sort()
        for (_, end), (start, _) in zip(spells, spells[1:], strict=False):
            assert end < start, unit


@pytest.mark.parametrize(("unit_id", "year", "name"), [
    ("old-d-723", 2017, "Thị xã Tân Uyên"), ("old-d-723", 2022, "Thị xã Tân Uyên"),
    ("old-d-723", 2023, "Thành phố Tân Uyên"),
    ("old-d-725", 2017, "Thị xã Thuận An"), ("old-d-725", 2020, "Thành phố Thuận An"),
    ("old-d-724", 2019, "Thị xã Dĩ An"), ("old-d-724", 2021, "Thành phố Dĩ An"),
    ("old-d-721", 2023, "Thị xã Bến Cát"), ("old-d-721", 2024, "Thành phố Bến Cát"),
    ("old-p-46", 2024, "Tỉnh Thừa Thiên Huế"), ("old-p-46", 2025, "Thành phố Huế"),
    ("old-d-718", 2017, "Thành phố Thủ Dầu Một"),
])
def test_name_in_year(reg, unit_id, year, name):
    assert reg.name_in_year(unit_id, year, short=False) == name


def test_sources_old_names_resolve(reg):
    assert reg.resolve("Thị xã Tân Uyên", year=2017, level="district", within="old-p-74").unit_id == "old-d-723"
    assert reg.resolve("TX.Bến Cát", year=2023, level="district", within="old-p-74").unit_id == "old-d-721"
