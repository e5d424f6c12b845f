"""Writes as whole files: a private snapshot, checked, then swapped in atomically (`os.replace`).

A page load during a write reads the previous file; a writer killed at any point leaves the previous file
intact (its private copy is removed by the next writer).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics.paths import default_db_path
from analytics.store.connection import DatabaseUnreadable, _first_line, writer_lock


def _remove_stale_snapshots(path: Path) -> None:
    """Private copies left by a killed writer (only called while holding the writer lock)."""
    for stale in path.parent.glob(path.name + ".*.tmp*"):
        stale.unlink(missing_ok=True)


def check_database(path: Path | str) -> dict[str, int]:
    """Read every row of every table of the file at `path` (DuckDB verifies each block's checksum as it
    reads it); returns table → rows. Raises DatabaseUnreadable naming the path for a truncated, damaged or
    foreign file."""
    path = Path(path)
    if not path.exists():
        raise DatabaseUnreadable(path, "no such file")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as e:
        raise DatabaseUnreadable(path, _first_line(e)) from e
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                                            "ORDER BY table_name").fetchall()]
        out = {}
        for t in tables:
            # hashing whole rows reads every column of every row group
            out[t] = con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{t}" t').fetchall()[0][0]
        return out
    except duckdb.Error as e:
        raise DatabaseUnreadable(path, _first_line(e)) from e
    finally:
        con.close()


@contextmanager
def writable_snapshot(db_path: Path | str | None = None, *, fresh: bool = False
                      ) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy of the database (an empty file with `fresh`); on success the copy
    is checked (`check_database`) and replaces the database atomically. Holds the writer lock throughout."""
    path = Path(db_path or default_db_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(path), private_snapshot(path, fresh=fresh) as con:
        yield con


@contextmanager
def private_snapshot(path: Path, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """`writable_snapshot` for a caller that already holds the writer lock of `path`."""
    _remove_stale_snapshots(path)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    if path.exists() and not fresh:
        shutil.copy2(path, tmp)
    try:
        con = duckdb.connect(str(tmp))
    except duckdb.Error as e:
        tmp.unlink(missing_ok=True)
        raise DatabaseUnreadable(path, _first_line(e)) from e
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        check_database(tmp)  # a damaged copy is never published
        os.replace(tmp, path)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise
