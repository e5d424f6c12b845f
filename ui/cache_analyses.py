"""Cached analyses (benchmarks, components, findings, crosswalk, peers, why it moved, what it takes, the
locality at a glance, similar localities) and the one-page brief, through the one decorator
``ui.db_cache.by_db_version``; pages call them as ``ui.cache.X``."""

from __future__ import annotations

import pandas as pd

from analytics import benchmarks as _benchmarks
from analytics import components as _components
from analytics import crosswalk as _crosswalk
from analytics import explain as _explain
from analytics import explain_text as _explain_text
from analytics import findings as _findings
from analytics import glance as _glance
from analytics import peers as _peers
from analytics import similar as _similar
from figures import brief as _brief
from figures import brief_content as _brief_content
from ui.cache_reads import years_with_data
from ui.db_cache import by_db_version, catalog, read, registry


@by_db_version()
def _benchmarks_frame(indicator_id: str, year: int, unit_id: str | None) -> pd.DataFrame:
    return read(_benchmarks.benchmarks, catalog(), indicator_id, year, unit_id)


def benchmarks(indicator_id: str, year: int, unit_id: str | None = None) -> pd.DataFrame:
    """analytics.benchmarks.benchmarks: national mean/median/best/worst, region/parent mean, published average."""
    return _benchmarks_frame(indicator_id, int(year), unit_id)


@by_db_version()
def benchmark_series(indicator_id: str, unit_id: str | None = None) -> pd.DataFrame:
    return read(_benchmarks.benchmark_series, catalog(), indicator_id, unit_id)


@by_db_version()
def _components_frame(indicator_id: str, unit_id: str, year: int, lang: str) -> pd.DataFrame:
    return read(_components.components, catalog(), indicator_id, unit_id, year, lang=lang)


def components(indicator_id: str, unit_id: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """analytics.components.components: the locality on each component vs national mean and leader."""
    return _components_frame(indicator_id, unit_id, int(year), lang)


@by_db_version()
def _component_years(indicator_id: str, unit_ids: tuple[str, ...], ranks: bool) -> list[int]:
    return read(_components.component_years, catalog(), indicator_id, list(unit_ids), ranks=ranks,
                 years=years_with_data(indicator_id))


def component_years(indicator_id: str, unit_ids: list[str] | tuple[str, ...], lang: str = "vi", *,
                    ranks: bool = False) -> list[int]:
    """Years (latest first) in which at least one of the units has a component value (or, with ``ranks``,
    a component rank): one cached call instead of one per unit and year."""
    return _component_years(indicator_id, tuple(unit_ids), ranks)


@by_db_version()
def _components_many(indicator_id: str, unit_ids: tuple[str, ...], year: int, lang: str) -> pd.DataFrame:
    frames = [components(indicator_id, u, year, lang).assign(unit_id=u) for u in unit_ids]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def components_many(indicator_id: str, unit_ids: list[str] | tuple[str, ...], year: int,
                    lang: str = "vi") -> pd.DataFrame:
    """``components`` of several units in one frame (column ``unit_id``; units without rows left out)."""
    return _components_many(indicator_id, tuple(unit_ids), int(year), lang)


@by_db_version()
def _findings_list(unit_id: str, indicator_id: str, year: int, lang: str) -> list[str]:
    return list(read(_findings.findings, catalog(), registry(), unit_id, indicator_id, year, lang))


def findings(unit_id: str, indicator_id: str, year: int, lang: str = "vi") -> list[str]:
    """analytics.findings.findings: plain-language key sentences (empty without data)."""
    return _findings_list(unit_id, indicator_id, int(year), lang)


@by_db_version(entries=128)
def _crosswalk_frame(indicator_id: str, year: int) -> pd.DataFrame:
    return read(_crosswalk.crosswalk, catalog(), indicator_id, year)


def crosswalk(indicator_id: str, year: int) -> pd.DataFrame:
    """analytics.crosswalk.crosswalk: a legacy year on the 2025 units (derived, labelled)."""
    return _crosswalk_frame(indicator_id, int(year))


@by_db_version()
def derived_series(indicator_id: str, unit_id: str) -> pd.DataFrame:
    return read(_crosswalk.derived_series, catalog(), indicator_id, unit_id)


@by_db_version()
def _former_units_frame(unit_id: str, indicator_id: str | None, year: int | None) -> pd.DataFrame:
    return read(_crosswalk.former_units, unit_id, indicator_id, year)


def former_units(unit_id: str, indicator_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """analytics.crosswalk.former_units: the legacy units a 2025 unit came from, with their figures."""
    return _former_units_frame(unit_id, indicator_id, None if year is None else int(year))


@by_db_version(entries=128)
def peer_group(unit_id: str, by: str = "region", year: int | None = None) -> pd.DataFrame:
    return read(_peers.peer_group, unit_id, by=by, year=year)


# ------------------------------------------------------------------------------------- why it moved, what it takes, at a glance, similar, the brief
@by_db_version(entries=128)
def why_moved(indicator_id: str, unit_id: str, year: int, lang: str) -> tuple[list[str], int | None]:
    """(why-it-moved sentences, the edition compared against when comparable) for one locality."""
    mv, _, _ = read(_explain.movement, catalog(), indicator_id, unit_id, int(year))
    return _explain_text.why_sentences(catalog(), registry(), mv, lang), mv.prev_year if mv.comparable else None


@by_db_version(entries=128)
def what_it_takes(indicator_id: str, unit_id: str, year: int, lang: str) -> list[str]:
    """What-it-takes sentences for one locality (the Overview needs only these: no movement computed)."""
    gap = read(_explain.gap, catalog(), indicator_id, unit_id, int(year))
    return _explain_text.gap_sentences(catalog(), registry(), gap, lang)


@by_db_version(entries=64)
def glance(unit_id: str, indicator_ids: tuple[str, ...], lang: str) -> pd.DataFrame:
    """analytics.glance.at_a_glance: one row per indicator for the locality."""
    return read(_glance.at_a_glance, catalog(), unit_id, list(indicator_ids), lang)


@by_db_version(entries=64)
def similar(unit_id: str, level: str, vintage: str, year: int | None) -> pd.DataFrame:
    """analytics.similar.similar: the nearest localities on the declared characteristics."""
    return read(_similar.similar, catalog(), unit_id, level=level, vintage=vintage, year=year)


def brief(unit_id: str, indicator_id: str, year: int, lang: str) -> tuple[tuple[str, str], bytes, bytes]:
    """((pdf name, png name), PDF bytes, PNG bytes) of the one-page brief — made on a click, not cached."""
    content = read(_brief_content.compose, catalog(), registry(), unit_id, indicator_id, int(year), lang)
    pdf, png = _brief.render(content)
    return (_brief.file_name(content, "pdf"), _brief.file_name(content, "png")), pdf, png
