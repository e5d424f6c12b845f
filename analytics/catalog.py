"""Indicator catalog: loads and validates ``data/indicators.yaml`` ("metadata is data").

PyYAML reads it, a JSON Schema (analytics.catalog_schema) checks its shape, this module resolves inheritance
and checks the rest; the objects are in analytics.catalog_model. The file's header comment documents every
field.

    cat = load_catalog()
    ind = cat.get("papi")
    ind.scale_for(2017)            # Scale(min=0, max=60)
    ind.breaks_between(2017, 2018) # [SeriesBreak(year=2018, ...)]
    cat.get("par_index").band_for(91.04, 2020).label   # "A"
    cat.by_reference_code("PCI", "Sub-Index 1: Entry Costs").id   # "pci.entry_costs"
"""

from __future__ import annotations

import csv
import datetime as _dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from analytics.catalog_model import (
    Band,
    BandPeriod,
    Catalog,
    CatalogError,
    Edition,
    Indicator,
    PublishedAverage,
    Scale,
    ScalePeriod,
    SeriesBreak,
    UnknownIndicator,
    _norm,
)
from analytics.catalog_schema import DIRECTIONS, KINDS, LEVELS, VINTAGES, schema_errors
from analytics.paths import DATA_DIR

# the catalog's objects are defined in analytics.catalog_model and imported from here by callers
__all__ = ["Band", "BandPeriod", "Catalog", "CatalogError", "DEFAULT_LABELS_PATH", "DEFAULT_PATH", "Edition",
           "Indicator", "PublishedAverage", "Scale", "ScalePeriod", "SeriesBreak", "UnknownIndicator",
           "default_catalog", "default_catalog_path", "labels_path_for", "load_catalog", "parse_catalog"]

DEFAULT_PATH = DATA_DIR / "indicators.yaml"
DEFAULT_LABELS_PATH = DATA_DIR / "component_labels.csv"


def default_catalog_path() -> Path:
    """The catalog in use: ``CHISO_CATALOG`` when set (e.g. the benchmark's catalog with its synthetic
    indicators next to its own database), else data/indicators.yaml."""
    env = os.environ.get("CHISO_CATALOG")
    return Path(env) if env else DEFAULT_PATH


def default_catalog() -> Catalog:
    """The catalog in use (`default_catalog_path`), loaded once per version of its files: parsing and checking
    the YAML takes a few hundred milliseconds, too much for every call of a library function."""
    path = default_catalog_path()
    labels = labels_path_for(path)
    return _load_versioned(str(path), _mtime(path), str(labels), _mtime(labels))


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=4)
def _load_versioned(path: str, _mtime_ns: int, labels: str, _labels_mtime_ns: int) -> Catalog:
    return load_catalog(path, labels if _labels_mtime_ns else None)


def labels_path_for(path: Path) -> Path:
    """The component labels of a catalog: component_labels.csv next to it (none when there is no such file)."""
    return Path(path).parent / DEFAULT_LABELS_PATH.name

LANGS = ("vi", "en")

# Fields a component takes from its parent when it does not set them itself.
INHERITED = ("unit", "scale", "scale_by_year", "decimals", "direction", "levels", "vintage",
             "publisher", "source_url", "release", "editions")


# --------------------------------------------------------------------------- loading
def load_catalog(path: str | Path | None = None, labels_path: str | Path | None = None) -> Catalog:
    """Load and validate the catalog. ``labels_path`` defaults to component_labels.csv next to the YAML."""
    path = Path(path) if path is not None else default_catalog_path()
    if labels_path is None:
        labels_path = labels_path_for(path)
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    items = parse_catalog(doc, source=str(path))
    labels = _load_labels(Path(labels_path), items) if Path(labels_path).exists() else {}
    return Catalog(items=items, labels=labels, path=path)


def parse_catalog(doc: Any, source: str = "<catalog>") -> dict[str, Indicator]:
    """Validate `doc` (the YAML's mapping, or its list of entries) against the schema (analytics.catalog_schema),
    then resolve inheritance and check what a schema cannot say; errors name `source`, the entry and the field."""
    if isinstance(doc, list):
        doc = {"indicators": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("indicators"), list):
        raise CatalogError(f"{source}: expected a top-level 'indicators:' list")
    problems = schema_errors(doc)
    if problems:
        iid, fld, msg = problems[0]
        where = f"indicator {iid!r}: " if iid else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CatalogError(f"{source}: {where}field '{fld}': {msg}{more}")
    raw: dict[str, dict] = {}
    for entry in doc["indicators"]:
        iid = entry["id"]
        if iid in raw:
            raise CatalogError(f"{source}: indicator {iid!r}: duplicate id")
        raw[iid] = entry

    resolved: dict[str, dict] = {}

    def resolve(iid: str, chain: tuple[str, ...] = ()) -> dict:
        if iid in resolved:
            return resolved[iid]
        if iid in chain:
            raise CatalogError(f"{source}: indicator {iid!r}: field 'parent' forms a cycle {' → '.join(chain + (iid,))}")
        entry = dict(raw[iid])
        parent = entry.get("parent")
        if parent is not None:
            if parent not in raw:
                raise CatalogError(f"{source}: indicator {iid!r}: field 'parent' names unknown id {parent!r}")
            pe = resolve(parent, chain + (iid,))
            for key in INHERITED:
                if key not in entry and key in pe:
                    entry[key] = pe[key]
            entry["_parent_breaks"] = list(pe.get("_parent_breaks", [])) + [
                (parent, b) for b in (raw[parent].get("series_breaks") or [])]
        resolved[iid] = entry
        return entry

    out: dict[str, Indicator] = {}
    for iid in raw:
        out[iid] = _build(iid, resolve(iid), raw, source)
    return out


def _err(source: str, iid: str, fld: str, msg: str) -> CatalogError:
    return CatalogError(f"{source}: indicator {iid!r}: field '{fld}': {msg}")


def _lang_map(e: dict, fld: str, iid: str, source: str, required: bool = True) -> dict[str, str]:
    val = e.get(fld)
    if val is None and not required:
        return {}
    if not isinstance(val, dict):
        raise _err(source, iid, fld, "missing or not a {vi, en} mapping")
    for lang in LANGS:
        if not isinstance(val.get(lang), str) or not val[lang].strip():
            raise _err(source, iid, fld, f"missing '{lang}' text")
    return {k: str(v) for k, v in val.items()}


def _num(v: Any, iid: str, fld: str, source: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise _err(source, iid, fld, f"expected a number or null, got {v!r}")
    return float(v)


def _year(v: Any, iid: str, fld: str, source: str, nullable: bool = False) -> int | None:
    if v is None and nullable:
        return None
    try:
        y = int(v)
    except (TypeError, ValueError):
        raise _err(source, iid, fld, f"expected a year, got {v!r}") from None
    if not 1990 <= y <= 2100:
        raise _err(source, iid, fld, f"implausible year {y}")
    return y


def _scale(v: Any, iid: str, fld: str, source: str) -> Scale:
    if not isinstance(v, dict) or "min" not in v or "max" not in v:
        raise _err(source, iid, fld, "expected {min, max}")
    s = Scale(_num(v["min"], iid, fld, source), _num(v["max"], iid, fld, source))
    if s.min is not None and s.max is not None and s.min >= s.max:
        raise _err(source, iid, fld, f"min {s.min} must be below max {s.max}")
    return s


def _build(iid: str, e: dict, raw: dict[str, dict], source: str) -> Indicator:
    parent = e.get("parent")
    kind = e.get("kind")
    if kind not in KINDS:
        raise _err(source, iid, "kind", f"must be one of {KINDS}, got {kind!r}")
    if kind == "component" and parent is None:
        raise _err(source, iid, "parent", "a component needs a parent")
    if parent is not None and not iid.startswith(parent + "."):
        raise _err(source, iid, "id", f"a child of {parent!r} must be named '{parent}.<child>'")
    if parent is None and "." in iid:
        raise _err(source, iid, "parent", "an id with '.' must have a parent")

    name = _lang_map(e, "name", iid, source)
    short = _lang_map(e, "short", iid, source)

    direction = e.get("direction")
    if kind == "context":
        if direction is not None:
            raise _err(source, iid, "direction", "must be null for kind: context")
    elif direction not in DIRECTIONS:
        raise _err(source, iid, "direction", f"must be one of {DIRECTIONS}, got {direction!r}")

    unit = e.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        raise _err(source, iid, "unit", "missing")
    if "scale" not in e:
        raise _err(source, iid, "scale", "missing")
    scale = _scale(e["scale"], iid, "scale", source)
    periods = []
    for p in e.get("scale_by_year") or []:
        if not isinstance(p, dict):
            raise _err(source, iid, "scale_by_year", f"expected {{from, to, min, max}}, got {p!r}")
        periods.append(ScalePeriod(_year(p.get("from"), iid, "scale_by_year.from", source),
                                   _year(p.get("to"), iid, "scale_by_year.to", source, nullable=True),
                                   _scale(p, iid, "scale_by_year", source)))
    decimals = e.get("decimals")
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 8:
        raise _err(source, iid, "decimals", f"expected an integer 0–8, got {decimals!r}")

    levels = e.get("levels")
    if isinstance(levels, str):
        levels = [levels]
    if not isinstance(levels, list) or not levels or any(lv not in LEVELS for lv in levels):
        raise _err(source, iid, "levels", f"expected a non-empty list among {LEVELS}, got {levels!r}")
    vintage = str(e.get("vintage")) if e.get("vintage") is not None else None
    if vintage not in VINTAGES:
        raise _err(source, iid, "vintage", f"must be one of {VINTAGES}, got {e.get('vintage')!r}")

    publisher = _lang_map(e, "publisher", iid, source)
    source_url = e.get("source_url")
    if not isinstance(source_url, str) or not source_url.startswith(("http://", "https://")):
        raise _err(source, iid, "source_url", f"expected an http(s) URL, got {source_url!r}")
    release = _lang_map(e, "release", iid, source, required=False)

    variant_of = e.get("variant_of")
    if variant_of is not None and variant_of not in raw:
        raise _err(source, iid, "variant_of", f"unknown id {variant_of!r}")

    notes = e.get("method_notes") or {}
    if not isinstance(notes, dict) or any(not isinstance(notes.get(lg, []), list) for lg in notes):
        raise _err(source, iid, "method_notes", "expected {vi: [..], en: [..]}")
    if notes and len(notes.get("vi", [])) != len(notes.get("en", [])):
        raise _err(source, iid, "method_notes", "vi and en lists must have the same length")

    breaks = []
    for owner, b in e.get("_parent_breaks", []):
        breaks.append(_break(b, owner, source))
    for b in e.get("series_breaks") or []:
        breaks.append(_break(b, iid, source))
    breaks.sort(key=lambda b: b.year)

    bands = []
    for p in e.get("bands") or []:
        if not isinstance(p, dict) or not isinstance(p.get("grades"), list) or not p["grades"]:
            raise _err(source, iid, "bands", "expected {from, to, grades: [{label, min, max}]}")
        grades = []
        for g in p["grades"]:
            if not isinstance(g, dict) or not g.get("label"):
                raise _err(source, iid, "bands.grades", f"grade without label: {g!r}")
            grades.append(Band(str(g["label"]), _num(g.get("min"), iid, "bands.min", source),
                               _num(g.get("max"), iid, "bands.max", source)))
        period = BandPeriod(_year(p.get("from"), iid, "bands.from", source),
                            _year(p.get("to"), iid, "bands.to", source, nullable=True), tuple(grades))
        if period.end is not None and period.end < period.start:
            raise _err(source, iid, "bands", f"period from {period.start} to {period.end} ends before it starts")
        for other in bands:
            if period.covers(max(period.start, other.start)) and other.covers(max(period.start, other.start)):
                raise _err(source, iid, "bands", f"periods from {other.start} and from {period.start} overlap in "
                                                 f"{max(period.start, other.start)}: one set of bands per year")
        bands.append(period)

    editions: dict[int, Edition] = {}
    eds = e.get("editions") or {}
    if not isinstance(eds, dict):
        raise _err(source, iid, "editions", "expected a mapping YEAR: {...}")
    for y, ed in eds.items():
        year = _year(y, iid, "editions", source)
        ed = ed or {}
        if not isinstance(ed, dict):
            raise _err(source, iid, f"editions.{year}", "expected a mapping")
        n = ed.get("n_ranked")
        top = ed.get("published_top")
        for fld, v in (("n_ranked", n), ("published_top", top)):
            if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v <= 0):
                raise _err(source, iid, f"editions.{year}.{fld}", f"expected a positive integer or null, got {v!r}")
        if n is not None and top is not None and top > n:
            raise _err(source, iid, f"editions.{year}.published_top", "larger than n_ranked")
        pub = ed.get("published")
        if isinstance(pub, (_dt.date, _dt.datetime)):
            pub = pub.isoformat()[:10]
        if pub is not None:
            try:
                _dt.date.fromisoformat(str(pub))
            except ValueError:
                raise _err(source, iid, f"editions.{year}.published", f"expected YYYY-MM-DD or null, got {pub!r}") from None
        editions[year] = Edition(year, n, top, str(pub) if pub is not None else None, ed.get("note"))

    avgs = []
    for a in e.get("published_averages") or []:
        if not isinstance(a, dict) or a.get("value") is None:
            raise _err(source, iid, "published_averages", f"expected {{year, value, level, source_url}}, got {a!r}")
        if a.get("level") not in LEVELS:
            raise _err(source, iid, "published_averages.level", f"must be one of {LEVELS}, got {a.get('level')!r}")
        url = a.get("source_url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise _err(source, iid, "published_averages.source_url", f"expected an http(s) URL, got {url!r}")
        avgs.append(PublishedAverage(_year(a.get("year"), iid, "published_averages.year", source),
                                     float(_num(a["value"], iid, "published_averages.value", source)),
                                     a["level"], url, a.get("note")))

    codes = e.get("reference_codes") or []
    if not isinstance(codes, list) or any(not isinstance(c, str) for c in codes):
        raise _err(source, iid, "reference_codes", "expected a list of index_code strings")

    return Indicator(
        id=iid, parent=parent, kind=kind, name=name, short=short, unit=unit, scale=scale,
        decimals=decimals, direction=direction, levels=list(levels), vintage=vintage,
        publisher=publisher, source_url=source_url, release=release, variant_of=variant_of,
        scale_by_year=tuple(periods),
        first_year=_year(e.get("first_year"), iid, "first_year", source, nullable=True),
        last_year=_year(e.get("last_year"), iid, "last_year", source, nullable=True),
        method_notes={k: [str(x) for x in v] for k, v in notes.items()},
        series_breaks=tuple(breaks), bands=tuple(bands), editions=editions,
        published_averages=tuple(avgs), reference_codes=tuple(codes),
        derive_2025={k: str(v) for k, v in e["derive_2025"].items()} if e.get("derive_2025") else None,
    )


def _break(b: Any, owner: str, source: str) -> SeriesBreak:
    if not isinstance(b, dict):
        raise _err(source, owner, "series_breaks", f"expected {{year, note}}, got {b!r}")
    note = _lang_map(b, "note", owner, source)
    return SeriesBreak(_year(b.get("year"), owner, "series_breaks.year", source), note, owner)


def _load_labels(path: Path, items: dict[str, Indicator]) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            code, label, iid = (row.get("index_code") or "").strip(), _norm(row.get("label_in_source")), \
                (row.get("indicator_id") or "").strip()
            if not code:
                raise CatalogError(f"{path}:{n}: empty index_code")
            if iid not in items:
                raise CatalogError(f"{path}:{n}: indicator_id {iid!r} is not in the catalog")
            if labels.get((code, label), iid) != iid:
                raise CatalogError(f"{path}:{n}: ({code}, {label!r}) mapped twice to different ids")
            labels[(code, label)] = iid
    return labels
