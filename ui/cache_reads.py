"""Cached reads of the database (``analytics.store.reads``, rankings, trends, coverage) for the pages,
through the one decorator ``ui.db_cache.by_db_version``; pages call them as ``ui.cache.X``."""

from __future__ import annotations

import pandas as pd

from analytics import coverage as _coverage
from analytics.ranking import Scope
from analytics.ranking import ranking as _ranking
from analytics.store import reads
from analytics.store.reads import coverage, rank_agreement, rank_check
from analytics.trends import trends as _trends
from ui.db_cache import by_db_version, catalog, read
from ui.versioned import per_version, per_version_on_disk


@by_db_version(entries=512)
def _ranking_frame(indicator_id: str, year: int, scope_kind: str, scope_id: str | None, level: str | None,
                   include_missing: bool) -> pd.DataFrame:
    return read(_ranking, indicator_id, year, scope=Scope(scope_kind, scope_id), level=level,
                 include_missing=include_missing, catalog=catalog())


def ranking(indicator_id: str, year: int, scope_kind: str = "national", scope_id: str | None = None, *,
            level: str | None = None, include_missing: bool = True) -> pd.DataFrame:
    """analytics.ranking.ranking: x/N, bands, change against the previous edition."""
    return _ranking_frame(indicator_id, int(year), scope_kind, scope_id, level, include_missing)


@by_db_version(entries=512)
def _trends_frame(indicator_id: str, unit_ids: tuple[str, ...], lang: str) -> pd.DataFrame:
    return read(_trends, catalog(), indicator_id, list(unit_ids), lang=lang)


def trends(indicator_id: str, unit_ids: list[str] | tuple[str, ...], lang: str = "vi") -> pd.DataFrame:
    """analytics.trends.trends: one row per unit and year with changes and comparability."""
    return _trends_frame(indicator_id, tuple(unit_ids), lang)


def trend(indicator_id: str, unit_id: str, lang: str = "vi") -> pd.DataFrame:
    df = trends(indicator_id, [unit_id], lang)
    return df.drop(columns=["unit_id", "name"], errors="ignore").reset_index(drop=True)


@by_db_version()
def _latest(indicator_ids: tuple[str, ...], unit_id: str, lang: str) -> dict[str, dict]:
    out = {}
    for iid in indicator_ids:
        tr = trend(iid, unit_id, lang)
        tr = tr[tr["value"].notna() | tr["rank"].notna()]
        if len(tr):
            out[iid] = tr.iloc[-1].to_dict()
    return out


def latest(indicator_ids: list[str] | tuple[str, ...], unit_id: str, lang: str = "vi") -> dict[str, dict]:
    """indicator_id → the latest row of ``trend`` with a value or a rank (indicators without one left out)."""
    return _latest(tuple(indicator_ids), unit_id, lang)


@by_db_version(entries=8, resource=True)
def _years() -> dict[str, list[int]]:
    return read(reads.years_with_data)


def years_with_data(indicator_id: str) -> list[int]:
    """Years in which the indicator has at least one value or published rank."""
    return list(per_version("years", _years).get(indicator_id, []))


def indicators_with_data() -> set[str]:
    return set(per_version("years", _years))


@by_db_version()
def unit_facts(unit_id: str) -> pd.DataFrame:
    """Every fact of one unit (all indicators and years), with the computed national rank."""
    return read(reads.unit_facts, unit_id)


def units_with_data() -> dict[str, list[str]]:
    """unit_id → indicators with at least one figure for it (shared: do not modify)."""
    return per_version_on_disk("units_with_data", lambda: read(reads.units_with_data), "analytics.store.reads")


@by_db_version()
def _observations(indicator_id: str, unit_id: str | None, year: int | None) -> pd.DataFrame:
    return read(reads.observations, indicator_id, unit_id, year)


def observations(indicator_id: str, unit_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Raw observation rows (primary and alternative figures) with their sources."""
    return _observations(indicator_id, unit_id, None if year is None else int(year))


@by_db_version(entries=8)
def all_observations() -> pd.DataFrame:
    """Every observation (large at national scale: for downloads, read when clicked)."""
    return read(reads.all_observations)


@by_db_version(entries=8)
def observation_counts() -> dict[str, int]:
    """indicator_id → number of observation rows (what ``all_observations`` would return per indicator)."""
    return read(reads.observation_counts)


@by_db_version(entries=8)
def coverage_table() -> pd.DataFrame:
    return read(coverage)


@by_db_version(entries=8)
def rank_check_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(disagreements, agreement per indicator and year) between published and computed ranks."""
    return read(rank_check), read(rank_agreement)


@by_db_version(entries=8)
def regions() -> pd.DataFrame:
    return read(reads.regions)


@by_db_version(entries=8)
def imports() -> pd.DataFrame:
    return read(reads.imports)


# ------------------------------------------------------------------------------------- coverage
@by_db_version(entries=64)
def _coverage_cells(indicator_id: str, province_id: str | None) -> pd.DataFrame:
    return read(_coverage.indicator_cells, catalog(), indicator_id, province_id)


def coverage_cells(indicator_id: str, province_id: str | None = None) -> pd.DataFrame:
    """Units × years of one indicator with their status (value / rank only / none) and the year's N
    (``analytics.coverage.indicator_cells``); ``year_counts``/``year_labels`` turn it into "2023 · 30/63"."""
    return _coverage_cells(indicator_id, province_id)


@by_db_version(entries=64)
def coverage_counts(indicator_id: str, province_id: str | None = None) -> pd.DataFrame:
    """One row per year of ``coverage_cells`` (``analytics.coverage.year_counts``): read by every year picker
    and "years with scores" notice on each run, so counted once per database version."""
    return _coverage.year_counts(_coverage_cells(indicator_id, province_id))
