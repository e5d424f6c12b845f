"""Connections to the database file, and the one-writer-at-a-time lock.

Readers never see half a write: every write (build or import) happens in a private file that replaces the
database atomically (analytics.store.snapshot). An open read-only connection keeps reading the file it
opened until it reconnects.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics.paths import default_db_path


class DatabaseUnreadable(RuntimeError):
    """The database file cannot be read (truncated, damaged blocks, not a DuckDB file): one message naming the
    path and the fix, for the CLI (exit 2) and the pages."""

    def __init__(self, path: Path | str, detail: str):
        self.path, self.detail = Path(path), detail
        super().__init__(f"database {path} cannot be read ({detail}). It is a generated file: rebuild it with "
                         "`chiso build` (imports are replayed from the archive).")


def db_path(db_path: Path | str | None = None) -> Path:
    return Path(db_path or default_db_path())


def connect(db_path: Path | str | None = None, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    path = Path(db_path or default_db_path())
    if read_only and not path.exists():
        raise FileNotFoundError(f"database {path} does not exist: run `chiso build` first")
    try:
        if read_only:
            return _connect_current_file(path)
        return duckdb.connect(str(path), read_only=False)
    except (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException) as e:
        raise DatabaseUnreadable(path, _first_line(e)) from e


def _first_line(e: BaseException) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _connect_current_file(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file *now* at ``path``.

    DuckDB shares one database instance per path within a process while any connection to it is open, so
    after an import replaced the file (``os.replace``) a plain ``duckdb.connect(path)`` would still return
    the old snapshot. Connecting through a hard link of a unique name gives the connection the current
    file; the link is removed at once (the open file stays readable until the connection closes)."""
    link = path.with_name(f".{path.name}.ro-{os.getpid()}-{threading.get_ident()}-{next(_LINK_SEQ)}")
    try:
        os.link(path, link)
    except OSError:  # no hard links here: a plain connection (fresh unless one is already open in-process)
        return duckdb.connect(str(path), read_only=True)
    try:
        return duckdb.connect(str(link), read_only=True)
    finally:
        link.unlink(missing_ok=True)


_LINK_SEQ = itertools.count()


@contextmanager
def writer_lock(path: Path, timeout: float = 120.0) -> Iterator[None]:
    """One writer at a time per database file (an flock, released by the OS if the process dies)."""
    try:
        import fcntl  # POSIX only: imported here so that the module loads elsewhere
    except ImportError:  # not POSIX: no inter-process lock
        yield
        return
    fd = os.open(str(path.with_name(path.name + ".lock")), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"another import or build is writing {path}; try again later") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
