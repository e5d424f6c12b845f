"""The catalog's objects: indicators with their scales, bands, series breaks and editions, and the catalog
itself (analytics.catalog loads and validates data/indicators.yaml into these)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


def _norm(label: str | None) -> str:
    return unicodedata.normalize("NFC", (label or "").strip())



class CatalogError(ValueError):
    """The catalog file is invalid; the message names the entry and the field."""


class UnknownIndicator(KeyError):
    pass


@dataclass(frozen=True)
class Scale:
    min: float | None
    max: float | None


@dataclass(frozen=True)
class ScalePeriod:
    start: int
    end: int | None
    scale: Scale

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class Band:
    label: str
    min: float | None  # inclusive; None = unbounded
    max: float | None  # exclusive; None = unbounded

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)


@dataclass(frozen=True)
class BandPeriod:
    start: int
    end: int | None
    grades: tuple[Band, ...]

    def covers(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year <= self.end)


@dataclass(frozen=True)
class SeriesBreak:
    year: int
    note: dict[str, str]
    indicator_id: str = ""

    def text(self, lang: str = "vi") -> str:
        return self.note.get(lang) or self.note.get("vi") or self.note.get("en") or ""


@dataclass(frozen=True)
class Edition:
    year: int
    n_ranked: int | None = None
    published_top: int | None = None
    published: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class PublishedAverage:
    year: int
    value: float
    level: str
    source_url: str
    note: str | None = None


@dataclass
class Indicator:
    id: str
    parent: str | None
    kind: str
    name: dict[str, str]
    short: dict[str, str]
    unit: str
    scale: Scale
    decimals: int
    direction: str | None
    levels: list[str]
    vintage: str
    publisher: dict[str, str]
    source_url: str
    release: dict[str, str] = field(default_factory=dict)
    variant_of: str | None = None
    scale_by_year: tuple[ScalePeriod, ...] = ()
    first_year: int | None = None
    last_year: int | None = None
    method_notes: dict[str, list[str]] = field(default_factory=dict)
    series_breaks: tuple[SeriesBreak, ...] = ()
    bands: tuple[BandPeriod, ...] = ()
    editions: dict[int, Edition] = field(default_factory=dict)
    published_averages: tuple[PublishedAverage, ...] = ()
    reference_codes: tuple[str, ...] = ()
    derive_2025: dict[str, str] | None = None

    # -- convenience -----------------------------------------------------------------------------
    @property
    def scale_min(self) -> float | None:
        return self.scale.min

    @property
    def scale_max(self) -> float | None:
        return self.scale.max

    def label(self, lang: str = "vi", short: bool = False) -> str:
        names = self.short if short else self.name
        return names.get(lang) or names.get("vi") or names.get("en") or self.id

    def exists_in(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year)

    def scale_for(self, year: int | None = None) -> Scale:
        if year is not None:
            for period in self.scale_by_year:
                if period.covers(int(year)):
                    return period.scale
        return self.scale

    def band_period(self, year: int) -> BandPeriod | None:
        """The grading bands that apply in `year` (periods cannot overlap: the catalog refuses it), or None.
        The one rule for tables, maps and sentences."""
        return next((p for p in self.bands if p.covers(int(year))), None)

    def band_for(self, value: float | None, year: int) -> Band | None:
        """The grade of `value` in `year` (None without a value, bands or matching grade)."""
        period = self.band_period(year)
        if value is None or period is None:
            return None
        return next((b for b in period.grades if b.contains(float(value))), None)

    def breaks_between(self, y1: int, y2: int) -> list[SeriesBreak]:
        """Breaks with y1 < year <= y2 (order of the arguments does not matter)."""
        lo, hi = sorted((int(y1), int(y2)))
        return [b for b in self.series_breaks if lo < b.year <= hi]

    def edition(self, year: int) -> Edition | None:
        if not self.exists_in(int(year)):
            return None
        return self.editions.get(int(year))

    def years(self) -> list[int]:
        """The catalog's editions (assessment years) in which the entry exists."""
        return sorted(y for y in self.editions if self.exists_in(y))

    def notes(self, lang: str = "vi") -> list[str]:
        return list(self.method_notes.get(lang) or self.method_notes.get("vi") or [])

    def average(self, year: int, level: str | None = None) -> PublishedAverage | None:
        for avg in self.published_averages:
            if avg.year == int(year) and (level is None or avg.level == level):
                return avg
        return None


@dataclass
class Catalog:
    items: dict[str, Indicator]
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    path: Path | None = None

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self.items

    def __iter__(self):
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)

    def get(self, indicator_id: str) -> Indicator:
        try:
            return self.items[indicator_id]
        except KeyError:
            raise UnknownIndicator(f"unknown indicator id {indicator_id!r}") from None

    def ids(self) -> list[str]:
        return list(self.items)

    def children(self, indicator_id: str) -> list[Indicator]:
        self.get(indicator_id)
        return [i for i in self.items.values() if i.parent == indicator_id]

    def indicators(self, level: str | None = None, kind: str | None = None,
                   vintage: str | None = None) -> list[Indicator]:
        return [i for i in self.items.values()
                if (level is None or level in i.levels)
                and (kind is None or i.kind == kind)
                and (vintage is None or i.vintage == vintage)]

    def roots(self) -> list[Indicator]:
        return [i for i in self.items.values() if i.parent is None]

    def by_reference_code(self, code: str, label: str | None = None) -> Indicator:
        """Catalog entry for a reference-CSV ``index_code`` and ``component`` label (empty = overall)."""
        key = (code.strip(), _norm(label))
        if key not in self.labels:
            raise UnknownIndicator(f"no catalog id for index_code={code!r}, component label={label!r} "
                                   "(add a row to data/component_labels.csv)")
        return self.get(self.labels[key])
