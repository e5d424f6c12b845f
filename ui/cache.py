"""The ONLY module with ``st.cache_data`` / ``st.cache_resource``.

One rule: a cached result is keyed by the database version (the file's mtime) and its arguments, so an
import (a new file, swapped in atomically) invalidates exactly the results of the previous file.

- ``@by_db_version(...)`` is the one decorator: it puts a function in Streamlit's cache (``st.cache_data`` for
  frames, ``st.cache_resource`` for shared objects) with the database version as part of the key;
- ``per_version`` is a process memo for tiny lookups read hundreds of times per script run (the registry, the
  catalog, picker options), where a Streamlit cache hit (hashing arguments, ~0.3 ms) would add up;
- ``per_version_on_disk`` also pickles a result under var/cache/ui/, only for the lookups the README's
  cold-start figure depends on (catalog, registry, the sorted locality list);
- every query runs on its own cursor of one read-only connection per database version.
"""

from __future__ import annotations

import contextlib
import csv
import inspect
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from analytics import benchmarks as _benchmarks
from analytics import components as _components
from analytics import coverage as _coverage
from analytics import crosswalk as _crosswalk
from analytics import explain as _explain
from analytics import explain_text as _explain_text
from analytics import findings as _findings
from analytics import glance as _glance
from analytics import paths
from analytics import peers as _peers
from analytics import similar as _similar
from analytics.catalog import Catalog, default_catalog_path, labels_path_for, load_catalog
from analytics.ranking import Scope
from analytics.ranking import ranking as _ranking
from analytics.registry import Registry
from analytics.store import connect, reads
from analytics.store.reads import coverage, rank_agreement, rank_check, registry_from_db
from analytics.trends import trends as _trends
from figures import brief as _brief
from figures import brief_content as _brief_content
from ui.versioned import (  # noqa: F401 - db_available, per_version_on_disk: part of this module's API for pages
    MEMO,
    code_stamp,
    db_available,
    db_path,
    db_version,
    disk_cached,
    memo,
    per_version,
    per_version_on_disk,
    stamp,
)

TTL = "1h"


def _close(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(Exception):  # closing a dead connection
        con.close()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _connection(path: str, version: int) -> duckdb.DuckDBPyConnection:
    return connect(path, read_only=True)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the current database file (reconnects when the file was replaced)."""
    return _connection(str(db_path()), db_version()).cursor()


def _read(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(cursor, *args, **kwargs)`` on a cursor of its own (DuckDB connections are not shared by threads)."""
    cur = cursor()
    try:
        return fn(cur, *args, **kwargs)
    finally:
        cur.close()


# ------------------------------------------------------------------------------------- the one decorator
def by_db_version(*, entries: int = 256, resource: bool = False) -> Callable[[Callable], Callable]:
    """Cache a function in Streamlit's cache, keyed by the database version and its arguments.

    ``resource=False``: ``st.cache_data`` (each caller gets its own copy: frames a page may change);
    ``resource=True``: ``st.cache_resource`` (one shared object: treat it as read-only). Arguments whose name
    starts with ``_`` are not hashed (Streamlit's rule). ``.clear()`` empties the cache."""
    def decorate(fn: Callable) -> Callable:
        def keyed(version: int, *args: Any, **kwargs: Any) -> Any:
            return fn(*args, **kwargs)

        # Streamlit names a cache by the function's module and qualified name (those of `fn`: one cache per
        # function) and hashes arguments by the signature's names (`fn`'s, after the version)
        keyed.__module__, keyed.__qualname__, keyed.__name__ = fn.__module__, fn.__qualname__, fn.__name__
        sig = inspect.signature(fn)
        version = inspect.Parameter("version", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int)
        keyed.__signature__ = sig.replace(parameters=[version, *sig.parameters.values()])
        cache = st.cache_resource if resource else st.cache_data
        stored = cache(ttl=TTL, max_entries=entries, show_spinner=False)(keyed)

        def call(*args: Any, **kwargs: Any) -> Any:
            return stored(db_version(), *args, **kwargs)

        call.__doc__, call.__name__, call.__qualname__ = fn.__doc__, fn.__name__, fn.__qualname__
        call.clear = stored.clear  # type: ignore[attr-defined]
        _CACHES.append(stored)
        return call

    return decorate


_CACHES: list[Any] = []


# ------------------------------------------------------------------------------------- catalog, registry
@st.cache_resource(show_spinner=False)
def _catalog_cached() -> Catalog:
    path = default_catalog_path()
    key = stamp(path, labels_path_for(path)) + code_stamp("analytics.catalog", "analytics.catalog_model",
                                                          "analytics.catalog_schema", "analytics.i18n")
    return disk_cached("catalog", key, load_catalog)


def catalog() -> Catalog:
    return memo(("catalog",), _catalog_cached)


@st.cache_resource(show_spinner=False)
def _package_registry() -> Registry:
    return Registry.from_package()


@st.cache_resource(max_entries=4, show_spinner=False)
def _registry_cached(fingerprint: tuple, _path: str, _version: int) -> Registry:
    """The registry stored in the database (the same vintage as the data, and several times faster than
    parsing the package), one per content ``fingerprint``: imports never change the units, so it survives
    them."""
    def make() -> Registry:
        cur = _connection(_path, _version).cursor()
        try:
            return registry_from_db(cur)
        finally:
            cur.close()

    return disk_cached("registry", fingerprint + code_stamp("analytics.registry", "analytics.registry_build",
                                                                "analytics.registry_model", "analytics.store.reads"), make)


def _registry_at(path: str, version: int) -> Registry:
    """The registry of the database file at ``path`` in ``version``; the package's own registry without a
    database or when the file cannot be read."""
    if version:
        try:
            cur = _connection(path, version).cursor()
            try:
                fingerprint = reads.registry_fingerprint(cur)
            finally:
                cur.close()
            return _registry_cached(fingerprint, path, version)
        except Exception:
            pass
    return _package_registry()


def registry() -> Registry:
    path, version = str(db_path()), db_version()
    return memo(("registry", path, version), lambda: _registry_at(path, version))


def succession() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(old → successors, new → former units) from the registry, default successor first."""
    def make() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        succ: dict[str, list[str]] = {}
        pred: dict[str, list[str]] = {}
        for old, new, _default, _ in sorted(registry().successors, key=lambda r: not r[2]):
            succ.setdefault(old, []).append(new)
            pred.setdefault(new, []).append(old)
        return succ, pred

    return per_version("succession", make)


# ------------------------------------------------------------------------------------- reads
@by_db_version(entries=512)
def _ranking_frame(indicator_id: str, year: int, scope_kind: str, scope_id: str | None, level: str | None,
                   include_missing: bool) -> pd.DataFrame:
    return _read(_ranking, indicator_id, year, scope=Scope(scope_kind, scope_id), level=level,
                 include_missing=include_missing, catalog=catalog())


def ranking(indicator_id: str, year: int, scope_kind: str = "national", scope_id: str | None = None, *,
            level: str | None = None, include_missing: bool = True) -> pd.DataFrame:
    """analytics.ranking.ranking: x/N, bands, change against the previous edition."""
    return _ranking_frame(indicator_id, int(year), scope_kind, scope_id, level, include_missing)


@by_db_version(entries=512)
def _trends_frame(indicator_id: str, unit_ids: tuple[str, ...], lang: str) -> pd.DataFrame:
    return _read(_trends, catalog(), indicator_id, list(unit_ids), lang=lang)


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
    return _read(reads.years_with_data)


def years_with_data(indicator_id: str) -> list[int]:
    """Years in which the indicator has at least one value or published rank."""
    return list(per_version("years", _years).get(indicator_id, []))


def indicators_with_data() -> set[str]:
    return set(per_version("years", _years))


@by_db_version()
def unit_facts(unit_id: str) -> pd.DataFrame:
    """Every fact of one unit (all indicators and years), with the computed national rank."""
    return _read(reads.unit_facts, unit_id)


def units_with_data() -> dict[str, list[str]]:
    """unit_id → indicators with at least one figure for it (shared: do not modify)."""
    return per_version_on_disk("units_with_data", lambda: _read(reads.units_with_data), "analytics.store.reads")


@by_db_version()
def _observations(indicator_id: str, unit_id: str | None, year: int | None) -> pd.DataFrame:
    return _read(reads.observations, indicator_id, unit_id, year)


def observations(indicator_id: str, unit_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Raw observation rows (primary and alternative figures) with their sources."""
    return _observations(indicator_id, unit_id, None if year is None else int(year))


@by_db_version(entries=8)
def all_observations() -> pd.DataFrame:
    """Every observation (large at national scale: for downloads, read when clicked)."""
    return _read(reads.all_observations)


@by_db_version(entries=8)
def observation_counts() -> dict[str, int]:
    """indicator_id → number of observation rows (what ``all_observations`` would return per indicator)."""
    return _read(reads.observation_counts)


@by_db_version(entries=8)
def coverage_table() -> pd.DataFrame:
    return _read(coverage)


@by_db_version(entries=8)
def rank_check_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(disagreements, agreement per indicator and year) between published and computed ranks."""
    return _read(rank_check), _read(rank_agreement)


@by_db_version(entries=8)
def regions() -> pd.DataFrame:
    return _read(reads.regions)


@by_db_version(entries=8)
def imports() -> pd.DataFrame:
    return _read(reads.imports)


# ------------------------------------------------------------------------------------- analyses
@by_db_version()
def _benchmarks_frame(indicator_id: str, year: int, unit_id: str | None) -> pd.DataFrame:
    return _read(_benchmarks.benchmarks, catalog(), indicator_id, year, unit_id)


def benchmarks(indicator_id: str, year: int, unit_id: str | None = None) -> pd.DataFrame:
    """analytics.benchmarks.benchmarks: national mean/median/best/worst, region/parent mean, published average."""
    return _benchmarks_frame(indicator_id, int(year), unit_id)


@by_db_version()
def benchmark_series(indicator_id: str, unit_id: str | None = None) -> pd.DataFrame:
    return _read(_benchmarks.benchmark_series, catalog(), indicator_id, unit_id)


@by_db_version()
def _components_frame(indicator_id: str, unit_id: str, year: int, lang: str) -> pd.DataFrame:
    return _read(_components.components, catalog(), indicator_id, unit_id, year, lang=lang)


def components(indicator_id: str, unit_id: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """analytics.components.components: the locality on each component vs national mean and leader."""
    return _components_frame(indicator_id, unit_id, int(year), lang)


@by_db_version()
def _component_years(indicator_id: str, unit_ids: tuple[str, ...], ranks: bool) -> list[int]:
    return _read(_components.component_years, catalog(), indicator_id, list(unit_ids), ranks=ranks,
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
    return list(_read(_findings.findings, catalog(), registry(), unit_id, indicator_id, year, lang))


def findings(unit_id: str, indicator_id: str, year: int, lang: str = "vi") -> list[str]:
    """analytics.findings.findings: plain-language key sentences (empty without data)."""
    return _findings_list(unit_id, indicator_id, int(year), lang)


@by_db_version(entries=128)
def _crosswalk_frame(indicator_id: str, year: int) -> pd.DataFrame:
    return _read(_crosswalk.crosswalk, catalog(), indicator_id, year)


def crosswalk(indicator_id: str, year: int) -> pd.DataFrame:
    """analytics.crosswalk.crosswalk: a legacy year on the 2025 units (derived, labelled)."""
    return _crosswalk_frame(indicator_id, int(year))


@by_db_version()
def derived_series(indicator_id: str, unit_id: str) -> pd.DataFrame:
    return _read(_crosswalk.derived_series, catalog(), indicator_id, unit_id)


@by_db_version()
def _former_units_frame(unit_id: str, indicator_id: str | None, year: int | None) -> pd.DataFrame:
    return _read(_crosswalk.former_units, unit_id, indicator_id, year)


def former_units(unit_id: str, indicator_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """analytics.crosswalk.former_units: the legacy units a 2025 unit came from, with their figures."""
    return _former_units_frame(unit_id, indicator_id, None if year is None else int(year))


@by_db_version(entries=128)
def peer_group(unit_id: str, by: str = "region", year: int | None = None) -> pd.DataFrame:
    return _read(_peers.peer_group, unit_id, by=by, year=year)


@st.cache_data(show_spinner=False)
def source_mirrors() -> dict[str, dict[str, str]]:
    """Hosts that only copied an article (data/source_mirrors.csv) → the original publisher."""
    path = paths.DATA_DIR / "source_mirrors.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["host"]: r for r in csv.DictReader(f)}


# ------------------------------------------------------------------------------------- figures
@by_db_version(entries=256, resource=True)
def _figure(builder_key: str, _builder: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    return _builder(*args, **kwargs)


@by_db_version(entries=24, resource=True)
def _map(builder_key: str, _builder: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
    """Maps carry boundary geometry (up to a few MB at commune level): fewer of them are kept."""
    return _builder(*args, **kwargs)


def figure(builder: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``builder(*args, **kwargs)`` (a figures.charts or figures.maps function), built once per database
    version and arguments.

    The same ``go.Figure`` object is handed to every session: treat it as immutable (``st.plotly_chart``
    and the image exports copy it before changing anything)."""
    # the function itself is not hashed: its module, name and identity name the cache entry
    key = f"{builder.__module__}.{builder.__qualname__}#{id(builder)}"
    cached = _map if builder.__module__ == "figures.maps" else _figure
    return cached(key, builder, args, kwargs)


def clear() -> None:
    """Drop every cached result (after an import); connections reconnect by file version anyway."""
    st.cache_data.clear()
    for c in _CACHES:
        c.clear()
    MEMO.clear()


# ------------------------------------------------------------------------------------- coverage, why, what it takes
@by_db_version(entries=64)
def _coverage_cells(indicator_id: str, province_id: str | None) -> pd.DataFrame:
    return _read(_coverage.indicator_cells, catalog(), indicator_id, province_id)


def coverage_cells(indicator_id: str, province_id: str | None = None) -> pd.DataFrame:
    """Units × years of one indicator with their status (value / rank only / none) and the year's N
    (``analytics.coverage.indicator_cells``); ``year_counts``/``year_labels`` turn it into "2023 · 30/63"."""
    return _coverage_cells(indicator_id, province_id)


@by_db_version(entries=128)
def why_moved(indicator_id: str, unit_id: str, year: int, lang: str) -> tuple[list[str], int | None]:
    """(why-it-moved sentences, the edition compared against when comparable) for one locality."""
    mv, _, _ = _read(_explain.movement, catalog(), indicator_id, unit_id, int(year))
    return _explain_text.why_sentences(catalog(), registry(), mv, lang), mv.prev_year if mv.comparable else None


@by_db_version(entries=128)
def what_it_takes(indicator_id: str, unit_id: str, year: int, lang: str) -> list[str]:
    """What-it-takes sentences for one locality (the Overview needs only these: no movement computed)."""
    gap = _read(_explain.gap, catalog(), indicator_id, unit_id, int(year))
    return _explain_text.gap_sentences(catalog(), registry(), gap, lang)


@by_db_version(entries=64)
def glance(unit_id: str, indicator_ids: tuple[str, ...], lang: str) -> pd.DataFrame:
    """analytics.glance.at_a_glance: one row per indicator for the locality."""
    return _read(_glance.at_a_glance, catalog(), unit_id, list(indicator_ids), lang)


@by_db_version(entries=64)
def similar(unit_id: str, level: str, vintage: str, year: int | None) -> pd.DataFrame:
    """analytics.similar.similar: the nearest localities on the declared characteristics."""
    return _read(_similar.similar, catalog(), unit_id, level=level, vintage=vintage, year=year)


def brief(unit_id: str, indicator_id: str, year: int, lang: str) -> tuple[tuple[str, str], bytes, bytes]:
    """((pdf name, png name), PDF bytes, PNG bytes) of the one-page brief — made on a click, not cached."""
    content = _read(_brief_content.compose, catalog(), registry(), unit_id, indicator_id, int(year), lang)
    pdf, png = _brief.render(content)
    return (_brief.file_name(content, "pdf"), _brief.file_name(content, "png")), pdf, png
