"""The ONLY module that applies Streamlit's caches (``st.cache_data`` / ``st.cache_resource``).

One rule: a cached result is keyed by the database version (the file's mtime) and its arguments, so an
import (a new file, swapped in atomically) invalidates exactly the results of the previous file.

- ``@by_db_version(...)`` is the one decorator: it puts a function in Streamlit's cache (``st.cache_data`` for
  frames, ``st.cache_resource`` for shared objects) with the database version as part of the key;
  ``ui/cache_reads.py`` and ``ui/cache_analyses.py`` use it and never call Streamlit's caches themselves;
- the catalog, the registry, the read-only connection and the figures are cached here;
- ``per_version`` (``ui/versioned.py``) is a process memo for tiny lookups read hundreds of times per script
  run (the registry, the catalog, picker options), where a Streamlit cache hit (~0.3 ms) would add up;
- every query runs on its own cursor of one read-only connection per database version (``read``).

Pages call ``ui.cache``, which re-exports this module's API with the cached reads and analyses.
"""

from __future__ import annotations

import contextlib
import csv
import inspect
from collections.abc import Callable
from typing import Any

import duckdb
import streamlit as st

from analytics import paths
from analytics.catalog import Catalog, default_catalog_path, labels_path_for, load_catalog
from analytics.registry import Registry
from analytics.store import connect, reads
from analytics.store.reads import registry_from_db
from ui.versioned import MEMO, code_stamp, db_path, db_version, disk_cached, memo, per_version, stamp

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


def read(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
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


def clear() -> None:
    """Drop every cached result (after an import); connections reconnect by file version anyway."""
    st.cache_data.clear()
    for c in _CACHES:
        c.clear()
    MEMO.clear()


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


@st.cache_data(show_spinner=False)
def source_mirrors() -> dict[str, dict[str, str]]:
    """Hosts that only copied an article (data/source_mirrors.csv) → the original publisher."""
    path = paths.DATA_DIR / "source_mirrors.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {r["host"]: r for r in csv.DictReader(f)}
