"""Connections to the database file, and the one-writer-at-a-time lock.

Readers never see half a write: every write (build or import) happens in a private file that replaces the
database atomically (analytics.store.snapshot). An open read-only connection keeps reading the file it
opened until it reconnects.
"""

from __future__ import annotations

import itertools
import os
import re
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


# What DuckDB says about a file it cannot read (the exception classes vary: IOException, or the base Error for
# a checksum mismatch).
_UNREADABLE = ("corrupt database file", "not a valid duckdb database", "could not read enough bytes", "checksum",
               "io error", "serialization error")


def unreadable(e: BaseException, path: Path | str) -> DatabaseUnreadable | None:
    """`e` as the one DatabaseUnreadable message for `path` if it says the file cannot be read, else None."""
    if isinstance(e, DatabaseUnreadable):
        return e
    if isinstance(e, duckdb.IOException | duckdb.SerializationException) or (
            isinstance(e, duckdb.Error) and any(m in str(e).lower() for m in _UNREADABLE)):
        return DatabaseUnreadable(path, _first_line(e))
    return None


def connect(db_path: Path | str | None = None, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the database file (read-only by default: the file *now* at the path). Raises
    FileNotFoundError when there is none and DatabaseUnreadable when it is not a whole DuckDB file."""
    path = Path(db_path or default_db_path())
    if read_only and not path.exists():
        raise FileNotFoundError(f"database {path} does not exist: run `chiso build` first")
    try:
        con = _connect_current_file(path) if read_only else duckdb.connect(str(path), read_only=False)
    except duckdb.Error as e:
        raise (unreadable(e, path) or e) from e
    try:
        _check_size(con, path)
    except BaseException:
        con.close()
        raise
    return con


def _check_size(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A truncated file opens and may even answer queries until a read reaches a missing block: the file
    must at least hold its three 4 KiB headers and every block in use (free blocks at the end are cut off
    by a checkpoint, so only used ones count)."""
    try:
        used, block_size = con.execute("SELECT total_blocks - free_blocks, block_size FROM pragma_database_size() "
                                       "WHERE database_name = current_database()").fetchall()[0]
        size = os.stat(path).st_size
    except (duckdb.Error, OSError, IndexError):  # an in-memory database, or a file replaced meanwhile
        return
    if size < 3 * 4096 + int(used) * int(block_size):
        raise DatabaseUnreadable(path, f"truncated: {size:,} bytes, while {used} blocks of {block_size:,} bytes "
                                       "are in use")


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    # the hard link a read-only connection opens through is an implementation detail: name the real file
    text = re.sub(r"\.([^/\s\"']+?)\.ro-\d+-\d+-\d+", r"\1", text)
    return text.splitlines()[0] if text else type(e).__name__


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
