"""The ONLY module with ``st.cache_data`` / ``st.cache_resource``.

- one read-only DuckDB connection per database *file version*: imports replace the file atomically
  (``os.replace``), so the file's mtime is part of the cache key and a new file gets a new connection;
  every query runs on its own cursor (DuckDB connections are not shared between threads);
- the indicator catalog and the locality registry (no database needed);
- cached wrappers around ``analytics`` queries. Every wrapper takes the database version as its first
  argument so that an import invalidates exactly the cached results of the previous file.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.catalog import Catalog, load_catalog
from analytics.paths import default_db_path
from analytics.ranking import Scope
from analytics.ranking import ranking as _ranking
from analytics.registry import Registry
from analytics.store import connect
from analytics.store.reads import coverage, rank_agreement, rank_check
from analytics.trends import trends as _trends

TTL = "1h"


# ------------------------------------------------------------------------------------- resources
def db_path() -> Path:
    return Path(default_db_path())


def db_version() -> int:
    """The database file's mtime (ns); 0 when the file is missing."""
    try:
        return os.stat(db_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


def db_available() -> bool:
    return db_version() != 0


# A process-wide memo in front of the Streamlit caches for objects read many times per script run (the
# registry, the catalog, small lookups): a Streamlit cache hit hashes its arguments and inspects the
# function's signature (~0.3 ms), which adds up over hundreds of calls. Entries are keyed by the database
# file version, so an import (a new file) is picked up on the next run; ``clear()`` empties it.
_MEMO: dict[tuple, Any] = {}


def _memo(key: tuple, make: Callable[[], Any]) -> Any:
    try:
        return _MEMO[key]
    except KeyError:
        pass
    value = make()
    if len(_MEMO) > 128:  # bounded (keys of picker options vary with the province chosen)
        _MEMO.clear()
    _MEMO[key] = value
    return value


def per_version(name: str, make: Callable[[], Any], *key: Any) -> Any:
    """``make()`` once per database file version and ``key`` (hashable), shared by every session: for
    small derived lookups (picker options, labels) that pages would otherwise rebuild on every run."""
    path, version = str(db_path()), db_version()
    return _memo((name, path, version, *key), make)


def per_version_on_disk(name: str, make: Callable[[], Any], *code_modules: str) -> Any:
    """``per_version``, and also pickled under var/cache/ui by the database file and the code of
    ``code_modules``: for the few lookups whose first computation is slow at national scale (sorting every
    locality in Vietnamese order), so that a restarted app does not pay it again."""
    path, version = str(db_path()), db_version()

    def make_on_disk() -> Any:
        if not version:
            return make()
        return _disk_cached(name, (path, version) + _stamp(path) + _code_stamp(*code_modules), make)

    return _memo((name, path, version), make_on_disk)


def _close(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(Exception):  # closing a dead connection
        con.close()


@st.cache_resource(max_entries=2, show_spinner=False, on_release=_close)
def _connection(path: str, version: int) -> duckdb.DuckDBPyConnection:
    return connect(path, read_only=True)


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the current database file (reconnects when the file was replaced)."""
    return _connection(str(db_path()), db_version()).cursor()


def _stamp(*paths: Path | str) -> tuple:
    out = []
    for p in paths:
        try:
            s = os.stat(p)
            out.append((str(p), s.st_mtime_ns, s.st_size))
        except OSError:
            out.append((str(p), 0, 0))
    return tuple(out)


def _disk_cached(name: str, key: tuple, make: Callable[[], Any]) -> Any:
    """``make()`` pickled under var/cache/ui/ by ``key`` (file stamps), so that a restarted app process
    loads the catalog and the registry in milliseconds instead of parsing them again (the cold start).
    Any problem reading or writing the file falls back to ``make()``; of the pickles of ``name``, the four
    newest are kept."""
    import hashlib
    import pickle
    import sys

    from analytics.paths import VAR_DIR

    digest = hashlib.sha256(repr((key, sys.version_info[:2])).encode()).hexdigest()[:24]
    folder = VAR_DIR / "cache" / "ui"
    path = folder / f"{name}-{digest}.pkl"
    with contextlib.suppress(Exception), open(path, "rb") as f:
        return pickle.load(f)  # noqa: S301 - written by this module, under the app's own var/
    value = make()
    tmp = folder / f".{name}-{digest}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        # keep the few newest (a replica may serve a couple of snapshots in turn), remove the rest
        for old in sorted(folder.glob(f"{name}-*.pkl"), key=lambda q: q.stat().st_mtime, reverse=True)[4:]:
            old.unlink(missing_ok=True)
    except Exception:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return value


def _code_stamp(*modules: str) -> tuple:
    import importlib.util

    return _stamp(*[importlib.util.find_spec(m).origin for m in modules])


@st.cache_resource(show_spinner=False)
def _catalog_cached() -> Catalog:
    from analytics.catalog import default_catalog_path, labels_path_for

    path = default_catalog_path()
    key = _stamp(path, labels_path_for(path)) + _code_stamp("analytics.catalog", "analytics.i18n")
    return _disk_cached("catalog", key, load_catalog)


def catalog() -> Catalog:
    return _memo(("catalog",), _catalog_cached)


@st.cache_resource(show_spinner=False)
def _package_registry() -> Registry:
    return Registry.from_package()


# What identifies the registry's content: imports never change the units, so a registry survives them (and
# a restart, and a replica with a copy of the same snapshot) instead of being rebuilt for every new file.
_REGISTRY_FINGERPRINT_SQL = """
SELECT (SELECT count(*) FROM units), (SELECT bit_xor(hash(u)) FROM units u),
       (SELECT count(*) FROM unit_names), (SELECT bit_xor(hash(n)) FROM unit_names n),
       (SELECT count(*) FROM successors), (SELECT bit_xor(hash(s)) FROM successors s),
       (SELECT count(*) FROM aliases), (SELECT bit_xor(hash(a)) FROM aliases a),
       (SELECT count(*) FROM regions), (SELECT bit_xor(hash(r)) FROM regions r)
"""


@st.cache_resource(max_entries=4, show_spinner=False)
def _registry_cached(fingerprint: tuple, _path: str, _version: int) -> Registry:
    """The registry stored in the database (``analytics.store.reads.registry_from_db``: the same vintage as the
    data, and several times faster than parsing the package), one per content ``fingerprint``."""
    from analytics.store.reads import registry_from_db

    def make() -> Registry:
        cur = _connection(_path, _version).cursor()
        try:
            return registry_from_db(cur)
        finally:
            cur.close()

    key = fingerprint + _code_stamp("analytics.registry", "analytics.store.reads")
    return _disk_cached("registry", key, make)


def _registry_at(path: str, version: int) -> Registry:
    """The registry of the database file at ``path`` in ``version``; the package's own registry without a
    database or when the file cannot be read (an old file without the registry tables)."""
    if version:
        try:
            cur = _connection(path, version).cursor()
            try:
                fingerprint = tuple(cur.execute(_REGISTRY_FINGERPRINT_SQL).fetchall()[0])
            finally:
                cur.close()
            return _registry_cached(fingerprint, path, version)
        except Exception:
            pass
    return _package_registry()


def registry() -> Registry:
    path, version = str(db_path()), db_version()
    return _memo(("registry", path, version), lambda: _registry_at(path, version))


@st.cache_resource(max_entries=2, show_spinner=False)
def _succession_cached(path: str, version: int) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    succ: dict[str, list[str]] = {}
    pred: dict[str, list[str]] = {}
    for old, new, _default, _ in sorted(_registry_at(path, version).successors, key=lambda r: not r[2]):
        succ.setdefault(old, []).append(new)
        pred.setdefault(new, []).append(old)
    return succ, pred


def succession() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(old → successors, new → former units) from the registry, default successor first."""
    path, version = str(db_path()), db_version()
    return _memo(("succession", path, version), lambda: _succession_cached(path, version))


# ------------------------------------------------------------------------------------ queries
def _q(sql: str, params=None) -> pd.DataFrame:
    cur = cursor()
    try:
        return cur.execute(sql, params or []).df()
    finally:
        cur.close()


@st.cache_data(ttl=TTL, max_entries=512, show_spinner=False)
def _ranking_cached(version: int, indicator_id: str, year: int, scope_kind: str, scope_id: str | None,
                    level: str | None, include_missing: bool) -> pd.DataFrame:
    cur = cursor()
    try:
        return _ranking(cur, indicator_id, int(year), scope=Scope(scope_kind, scope_id), level=level,
                        include_missing=include_missing, catalog=catalog())
    finally:
        cur.close()


def ranking(indicator_id: str, year: int, scope_kind: str = "national", scope_id: str | None = None, *,
            level: str | None = None, include_missing: bool = True) -> pd.DataFrame:
    """analytics.ranking.ranking (cached): x/N, bands, change against the previous edition."""
    return _ranking_cached(db_version(), indicator_id, int(year), scope_kind, scope_id, level, include_missing)


@st.cache_data(ttl=TTL, max_entries=512, show_spinner=False)
def _trends_cached(version: int, indicator_id: str, unit_ids: tuple[str, ...], lang: str) -> pd.DataFrame:
    cur = cursor()
    try:
        return _trends(cur, catalog(), indicator_id, list(unit_ids), lang=lang)
    finally:
        cur.close()


def trends(indicator_id: str, unit_ids: list[str] | tuple[str, ...], lang: str = "vi") -> pd.DataFrame:
    """analytics.trends.trends (cached): one row per unit and year with changes and comparability."""
    return _trends_cached(db_version(), indicator_id, tuple(unit_ids), lang)


def trend(indicator_id: str, unit_id: str, lang: str = "vi") -> pd.DataFrame:
    df = trends(indicator_id, [unit_id], lang)
    return df.drop(columns=["unit_id", "name"], errors="ignore").reset_index(drop=True)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _latest_cached(version: int, indicator_ids: tuple[str, ...], unit_id: str, lang: str) -> dict[str, dict]:
    out = {}
    for iid in indicator_ids:
        tr = _trends_cached(version, iid, (unit_id,), lang)
        tr = tr[tr["value"].notna() | tr["rank"].notna()]
        if len(tr):
            out[iid] = tr.drop(columns=["unit_id", "name"], errors="ignore").iloc[-1].to_dict()
    return out


def latest(indicator_ids: list[str] | tuple[str, ...], unit_id: str, lang: str = "vi") -> dict[str, dict]:
    """indicator_id → the latest row of ``trend`` with a value or a rank (indicators without one left out)."""
    return _latest_cached(db_version(), tuple(indicator_ids), unit_id, lang)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def _years_cached(version: int) -> dict[str, list[int]]:
    # ranking_parts counts, per indicator-year, the rows with a value or a published rank (n_any): a lookup
    # in a few thousand rows instead of a scan of every fact
    df = _q("SELECT indicator_id, year FROM ranking_parts WHERE n_any > 0 GROUP BY ALL ORDER BY 1, 2")
    out: dict[str, list[int]] = {}
    for iid, year in zip(df["indicator_id"], df["year"], strict=True):
        out.setdefault(str(iid), []).append(int(year))
    return out


def years_with_data(indicator_id: str) -> list[int]:
    """Years in which the indicator has at least one value or published rank."""
    return list(_years().get(indicator_id, []))


def _years() -> dict[str, list[int]]:
    version = db_version()
    return _memo(("years", version), lambda: _years_cached(version))


def indicators_with_data() -> set[str]:
    return set(_years())


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _unit_facts_cached(version: int, unit_id: str) -> pd.DataFrame:
    return _q("""
        SELECT f.indicator_id, f.year, f.value, f.official_rank, f.official_of, f.rank_basis, f.has_conflict,
               f.value_source, f.rank_source, r.rank_national AS computed_rank, r.n_national AS computed_of
        FROM facts f LEFT JOIN ranks r USING (indicator_id, unit_id, year)
        WHERE f.unit_id = ? ORDER BY f.indicator_id, f.year
    """, [unit_id])


def unit_facts(unit_id: str) -> pd.DataFrame:
    """Every fact of one unit (all indicators and years), with the computed national rank."""
    return _unit_facts_cached(db_version(), unit_id)


def _units_with_data(version: int) -> dict[str, list[str]]:
    # distinct integer pairs first, strings after: several times faster than grouping the facts view
    df = _q("""
        WITH p AS (SELECT DISTINCT unit_ix, ind_ix FROM ranked_facts
                   WHERE value IS NOT NULL OR official_rank IS NOT NULL)
        SELECT u.unit_id, list(i.indicator_id ORDER BY i.indicator_id) AS ids
        FROM p JOIN unit_dim u USING (unit_ix) JOIN indicator_dim i USING (ind_ix) GROUP BY u.unit_id""")
    return {str(u): [str(x) for x in ids] for u, ids in zip(df["unit_id"], df["ids"], strict=True)}


def units_with_data() -> dict[str, list[str]]:
    """unit_id → indicators with at least one figure for it (shared: do not modify)."""
    version = db_version()
    return per_version_on_disk("units_with_data", lambda: _units_with_data(version), "ui.cache")


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _observations_cached(version: int, indicator_id: str, unit_id: str | None, year: int | None) -> pd.DataFrame:
    return _q("""
        SELECT o.indicator_id, o.unit_id, o.locality_in_source, o.year, o.value, o.official_rank, o.rank_basis,
               o.source_url, o.note, o.status
        FROM observations o
        WHERE o.indicator_id = $ind AND ($unit IS NULL OR o.unit_id = $unit) AND ($year IS NULL OR o.year = $year)
        ORDER BY o.unit_id, o.year, o.status <> 'primary', o.obs_id
    """, {"ind": indicator_id, "unit": unit_id, "year": year})


def observations(indicator_id: str, unit_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Raw observation rows (primary and alternative figures) with their sources."""
    return _observations_cached(db_version(), indicator_id, unit_id, None if year is None else int(year))


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _all_observations_cached(version: int) -> pd.DataFrame:
    return _q("""
        SELECT o.indicator_id, o.unit_id, u.short_name AS name, u.level, u.vintage, o.locality_in_source, o.year,
               o.value, o.official_rank, o.rank_basis, o.source_url, o.note, o.status
        FROM observations o JOIN units u USING (unit_id)
        ORDER BY o.indicator_id, o.year, u.code, o.status <> 'primary'
    """)


def all_observations() -> pd.DataFrame:
    """Every observation (large at national scale: for downloads, read when clicked)."""
    return _all_observations_cached(db_version())


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _observation_counts_cached(version: int) -> dict[str, int]:
    df = _q("SELECT o.indicator_id, count(*) AS n FROM observations o JOIN units u USING (unit_id) GROUP BY 1")
    return {str(i): int(n) for i, n in zip(df["indicator_id"], df["n"], strict=True)}


def observation_counts() -> dict[str, int]:
    """indicator_id → number of observation rows (what ``all_observations`` would return per indicator)."""
    return _observation_counts_cached(db_version())


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _coverage_cached(version: int) -> pd.DataFrame:
    cur = cursor()
    try:
        return coverage(cur)
    finally:
        cur.close()


def coverage_table() -> pd.DataFrame:
    return _coverage_cached(db_version())


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _rank_check_cached(version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    cur = cursor()
    try:
        return rank_check(cur), rank_agreement(cur)
    finally:
        cur.close()


def rank_check_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(disagreements, agreement per indicator and year) between published and computed ranks."""
    return _rank_check_cached(db_version())


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _regions_cached(version: int) -> pd.DataFrame:
    return _q("SELECT region_id, name_vi, name_en, source FROM regions ORDER BY region_id")


def regions() -> pd.DataFrame:
    return _regions_cached(db_version())


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def _imports_cached(version: int) -> pd.DataFrame:
    return _q("SELECT * FROM imports ORDER BY imported_at DESC")


def imports() -> pd.DataFrame:
    return _imports_cached(db_version())


# ------------------------------------------------------------------- analytics wrappers
def _with_cursor(fn, *args, **kwargs):
    cur = cursor()
    try:
        return fn(cur, *args, **kwargs)
    finally:
        cur.close()


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _benchmarks_cached(version: int, indicator_id: str, year: int, unit_id: str | None) -> pd.DataFrame:
    from analytics.benchmarks import benchmarks as fn

    return _with_cursor(fn, catalog(), indicator_id, int(year), unit_id)


def benchmarks(indicator_id: str, year: int, unit_id: str | None = None) -> pd.DataFrame:
    """analytics.benchmarks.benchmarks: national mean/median/best/worst, region/parent mean, published average."""
    return _benchmarks_cached(db_version(), indicator_id, int(year), unit_id)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _benchmark_series_cached(version: int, indicator_id: str, unit_id: str | None) -> pd.DataFrame:
    from analytics.benchmarks import benchmark_series as fn

    return _with_cursor(fn, catalog(), indicator_id, unit_id)


def benchmark_series(indicator_id: str, unit_id: str | None = None) -> pd.DataFrame:
    return _benchmark_series_cached(db_version(), indicator_id, unit_id)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _components_cached(version: int, indicator_id: str, unit_id: str, year: int, lang: str) -> pd.DataFrame:
    from analytics.components import components as fn

    return _with_cursor(fn, catalog(), indicator_id, unit_id, int(year), lang=lang)


def components(indicator_id: str, unit_id: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """analytics.components.components: the locality on each component vs national mean and leader."""
    return _components_cached(db_version(), indicator_id, unit_id, int(year), lang)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _component_years_cached(version: int, indicator_id: str, unit_ids: tuple[str, ...], lang: str,
                            ranks: bool) -> list[int]:
    from analytics.components import component_years as fn

    return _with_cursor(fn, catalog(), indicator_id, list(unit_ids), ranks=ranks,
                        years=_years_cached(version).get(indicator_id, []))


def component_years(indicator_id: str, unit_ids: list[str] | tuple[str, ...], lang: str = "vi", *,
                    ranks: bool = False) -> list[int]:
    """Years (latest first) in which at least one of the units has a component value (or, with ``ranks``,
    a component rank): one cached call instead of one per unit and year."""
    return _component_years_cached(db_version(), indicator_id, tuple(unit_ids), lang, ranks)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _components_many_cached(version: int, indicator_id: str, unit_ids: tuple[str, ...], year: int,
                            lang: str) -> pd.DataFrame:
    frames = [_components_cached(version, indicator_id, u, int(year), lang).assign(unit_id=u) for u in unit_ids]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def components_many(indicator_id: str, unit_ids: list[str] | tuple[str, ...], year: int,
                    lang: str = "vi") -> pd.DataFrame:
    """``components`` of several units in one frame (column ``unit_id``; units without rows left out)."""
    return _components_many_cached(db_version(), indicator_id, tuple(unit_ids), int(year), lang)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _findings_cached(version: int, unit_id: str, indicator_id: str, year: int, lang: str) -> list[str]:
    from analytics.findings import findings as fn

    return list(_with_cursor(fn, catalog(), registry(), unit_id, indicator_id, int(year), lang))


def findings(unit_id: str, indicator_id: str, year: int, lang: str = "vi") -> list[str]:
    """analytics.findings.findings: plain-language key sentences (empty without data)."""
    return _findings_cached(db_version(), unit_id, indicator_id, int(year), lang)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _crosswalk_cached(version: int, indicator_id: str, year: int) -> pd.DataFrame:
    from analytics.crosswalk import crosswalk as fn

    return _with_cursor(fn, catalog(), indicator_id, int(year))


def crosswalk(indicator_id: str, year: int) -> pd.DataFrame:
    """analytics.crosswalk.crosswalk: a legacy year on the 2025 units (derived, labelled)."""
    return _crosswalk_cached(db_version(), indicator_id, int(year))


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _derived_series_cached(version: int, indicator_id: str, unit_id: str) -> pd.DataFrame:
    from analytics.crosswalk import derived_series as fn

    return _with_cursor(fn, catalog(), indicator_id, unit_id)


def derived_series(indicator_id: str, unit_id: str) -> pd.DataFrame:
    return _derived_series_cached(db_version(), indicator_id, unit_id)


@st.cache_data(ttl=TTL, max_entries=256, show_spinner=False)
def _former_units_cached(version: int, unit_id: str, indicator_id: str | None, year: int | None) -> pd.DataFrame:
    from analytics.crosswalk import former_units as fn

    return _with_cursor(fn, unit_id, indicator_id, None if year is None else int(year))


def former_units(unit_id: str, indicator_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """analytics.crosswalk.former_units: the legacy units a 2025 unit came from, with their figures."""
    return _former_units_cached(db_version(), unit_id, indicator_id, year)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _peer_group_cached(version: int, unit_id: str, by: str, year: int | None) -> pd.DataFrame:
    from analytics.peers import peer_group as fn

    return _with_cursor(fn, unit_id, by=by, year=year)


def peer_group(unit_id: str, by: str = "region", year: int | None = None) -> pd.DataFrame:
    return _peer_group_cached(db_version(), unit_id, by, year)


@st.cache_data(show_spinner=False)
def source_mirrors() -> dict[str, dict[str, str]]:
    """Hosts that only copied an article (data/source_mirrors.csv) → the original publisher."""
    import csv

    from analytics.paths import DATA_DIR

    path = DATA_DIR / "source_mirrors.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["host"]: r for r in csv.DictReader(f)}


# ------------------------------------------------------------------------------------ figures
class _FrozenFigure(go.Figure):
    """A cached figure: ``to_dict()`` (what ``st.plotly_chart`` serialises) returns the dict computed once
    instead of deep-copying the whole figure (boundary geometry included) on every script run."""

    _frozen: dict

    def to_dict(self):  # noqa: D102 - shared, read-only: st.plotly_chart only serialises it
        return dict(self._frozen)


def _freeze(fig):
    if isinstance(fig, go.Figure) and type(fig) is go.Figure:
        d = go.Figure.to_dict(fig)
        for trace in d.get("data", []):
            trace.pop("uid", None)  # what plotly.io.to_json would pop (on the shared dict) on every run
        fig.__class__ = _FrozenFigure
        fig._frozen = d
    return fig


@st.cache_resource(ttl=TTL, max_entries=256, show_spinner=False)
def _figure_cached(version: int, module: str, builder: str, args: tuple, kwargs: dict):
    import importlib

    return _freeze(getattr(importlib.import_module(module), builder)(*args, **kwargs))


@st.cache_resource(ttl=TTL, max_entries=24, show_spinner=False)
def _map_cached(version: int, module: str, builder: str, args: tuple, kwargs: dict):
    """Maps carry boundary geometry (up to a few MB at commune level): fewer of them are kept."""
    import importlib

    return _freeze(getattr(importlib.import_module(module), builder)(*args, **kwargs))


def figure(builder: str, *args, module: str = "figures.charts", **kwargs):
    """A figure from ``figures.charts`` (or ``module``), built once per database version and arguments.

    The same ``go.Figure`` object is handed to every session: treat it as immutable (``st.plotly_chart``
    and the image exports copy it before changing anything)."""
    fn = _map_cached if module == "figures.maps" else _figure_cached
    return fn(db_version(), module, builder, args, kwargs)


def clear() -> None:
    """Drop every cached result (after an import); connections reconnect by file version anyway."""
    st.cache_data.clear()
    _figure_cached.clear()
    _map_cached.clear()
    _MEMO.clear()
