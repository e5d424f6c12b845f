"""The registry's objects: a locality (`Unit`), a name spell, the resolution errors, the constants of
the two vintages. No reading of files here (`analytics.registry_build`) and no lookups (`analytics.registry`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

LEGACY_END = date(2025, 6, 30)
REFORM_START = date(2025, 7, 1)
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2, "agency": 3}
LEVEL_PREFIX = {"province": "p", "district": "d", "commune": "c"}

TYPE_EN = {
    ("province", "Tỉnh"): "Province",
    ("province", "Thành phố"): "Centrally-run city",
    ("district", "Thành phố"): "Provincial city",
    ("district", "Thị xã"): "Town",
    ("district", "Quận"): "Urban district",
    ("district", "Huyện"): "Rural district",
    ("commune", "Phường"): "Ward",
    ("commune", "Xã"): "Commune",
    ("commune", "Thị trấn"): "Township",
    ("commune", "Đặc khu"): "Special zone",
    ("agency", "Sở"): "Department",
}
# English names that differ from the unaccented Vietnamese short name (common usage in English sources).
NAME_EN = {"Hồ Chí Minh": "Ho Chi Minh City", "Hà Nội": "Hanoi"}
# "Hồ Chí Minh" alone names a person; Vietnamese writes the city "TP. Hồ Chí Minh" even in short lists.
SHORT_VI = {"Hồ Chí Minh": "TP. Hồ Chí Minh"}


class RegistryError(ValueError):
    """Base class of resolution errors; the message is meant for users."""


class UnknownLocality(RegistryError):
    def __init__(self, name: str, candidates: list[Unit], context: str = ""):
        self.name = name
        self.candidates = candidates
        hint = "; ".join(f"{u.display_name()} [{u.unit_id}]" for u in candidates[:5])
        msg = f"unknown locality {name!r}{context}"
        if hint:
            msg += f". Closest: {hint}"
        super().__init__(msg)


class AmbiguousLocality(RegistryError):
    def __init__(self, name: str, candidates: list[Unit], context: str = ""):
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{u.display_name()} [{u.unit_id}]" for u in candidates[:8])
        super().__init__(
            f"ambiguous locality {name!r}{context}: {len(candidates)} units match ({listed}). "
            "Add the parent in brackets, e.g. 'Phường Tân Bình (TP. Dĩ An)', or use the code."
        )


@dataclass(frozen=True)
class Unit:
    unit_id: str
    code: str
    vintage: str  # 'legacy' | '2025'
    level: str  # 'province' | 'district' | 'commune' | 'agency'
    type_vi: str
    type_en: str
    name: str
    short_name: str
    name_en: str
    parent_id: str | None
    province_id: str | None
    region_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    area_km2: float | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def display_name(self, year: int | None = None, names: dict | None = None) -> str:
        return self.short_name if self.level == "province" else self.name

    def valid_in_year(self, year: int) -> bool:
        if self.valid_from and year < self.valid_from.year:
            return False
        return not (self.valid_to and year > self.valid_to.year)


@dataclass(frozen=True)
class NameSpell:
    unit_id: str
    name: str
    short_name: str
    valid_from: date | None
    valid_to: date | None
    source: str
