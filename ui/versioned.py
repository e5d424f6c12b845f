"""Values per database version, without Streamlit: the version of the database file, a process memo keyed by
it, and disk pickles for the few lookups a restarted app would otherwise rebuild (ui/db_cache.py uses these;
it alone applies Streamlit's caches)."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pickle
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analytics import paths


def db_path() -> Path:
    return Path(paths.default_db_path())


def db_version() -> int:
    """The database file's mtime (ns); 0 when the file is missing."""
    try:
        return os.stat(db_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


def db_available() -> bool:
    return db_version() != 0


MEMO: dict[tuple, Any] = {}


def memo(key: tuple, make: Callable[[], Any]) -> Any:
    try:
        return MEMO[key]
    except KeyError:
        pass
    value = make()
    if len(MEMO) > 128:  # bounded (keys of picker options vary with the province chosen)
        MEMO.clear()
    MEMO[key] = value
    return value


def per_version(name: str, make: Callable[[], Any], *key: Any) -> Any:
    """``make()`` once per database file version and ``key`` (hashable), shared by every session: for
    small derived lookups (picker options, labels) that pages would otherwise rebuild on every run."""
    return memo((name, str(db_path()), db_version(), *key), make)


def per_version_on_disk(name: str, make: Callable[[], Any], *code_modules: str) -> Any:
    """``per_version``, and also pickled under var/cache/ui by the database file and the code of
    ``code_modules``: for the few lookups whose first computation is slow at national scale (sorting every
    locality in Vietnamese order), so that a restarted app does not pay it again."""
    path, version = str(db_path()), db_version()

    def make_on_disk() -> Any:
        if not version:
            return make()
        return disk_cached(name, (path, version) + stamp(path) + code_stamp(*code_modules), make)

    return memo((name, path, version), make_on_disk)


def stamp(*files: Path | str) -> tuple:
    out = []
    for p in files:
        try:
            s = os.stat(p)
            out.append((str(p), s.st_mtime_ns, s.st_size))
        except OSError:
            out.append((str(p), 0, 0))
    return tuple(out)


def code_stamp(*modules: str) -> tuple:
    """The source files of `modules`: a pickle made by other code is never loaded."""
    return stamp(*[importlib.util.find_spec(m).origin for m in modules])


def disk_cached(name: str, key: tuple, make: Callable[[], Any]) -> Any:
    """``make()`` pickled under var/cache/ui/ by ``key``: a restarted app (or a replica with a copy of the
    same database) loads the catalog, the registry and the sorted locality list in milliseconds instead of
    building them again, which is what keeps the cold start under the README's 3 s. Any problem reading or
    writing the file falls back to ``make()``; of the pickles of ``name``, the four newest are kept."""
    digest = hashlib.sha256(repr((key, sys.version_info[:2])).encode()).hexdigest()[:24]
    folder = paths.VAR_DIR / "cache" / "ui"
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
        for old in sorted(folder.glob(f"{name}-*.pkl"), key=lambda q: q.stat().st_mtime, reverse=True)[4:]:
            old.unlink(missing_ok=True)
    except Exception:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return value
