"""The DuckDB database: schema, build from data/, derived tables, and atomic snapshot replacement.

Readers never see half an import: every write (build or import) happens in a temporary copy that
replaces the database file atomically (`os.replace`). Open read-only connections keep reading the
previous file until they reconnect.
"""

from __future__ import annotations

import csv
import itertools
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from analytics.catalog import Catalog, load_catalog
from analytics.paths import DATA_DIR, default_db_path
from analytics.registry import Registry, build_registry

OBS_COLUMNS = ["indicator_id", "unit_id", "locality_in_source", "year", "value", "official_rank", "rank_basis",
               "source_url", "note", "status"]

SCHEMA = """
CREATE TABLE regions (region_id VARCHAR PRIMARY KEY, name_vi VARCHAR, name_en VARCHAR, source VARCHAR);
CREATE TABLE units (
    unit_id VARCHAR PRIMARY KEY, code VARCHAR NOT NULL, vintage VARCHAR NOT NULL, level VARCHAR NOT NULL,
    type_vi VARCHAR, type_en VARCHAR, name VARCHAR NOT NULL, short_name VARCHAR NOT NULL, name_en VARCHAR,
    parent_id VARCHAR, province_id VARCHAR, region_id VARCHAR, lat DOUBLE, lon DOUBLE, area_km2 DOUBLE,
    valid_from DATE, valid_to DATE);
CREATE TABLE unit_names (unit_id VARCHAR, name VARCHAR, short_name VARCHAR, valid_from DATE, valid_to DATE,
    source VARCHAR);
CREATE TABLE successors (unit_id VARCHAR, successor_id VARCHAR, is_default BOOLEAN, relation VARCHAR);
CREATE TABLE aliases (unit_id VARCHAR, alias VARCHAR, source VARCHAR);
CREATE TABLE indicators (
    indicator_id VARCHAR PRIMARY KEY, parent_id VARCHAR, kind VARCHAR, name_vi VARCHAR, name_en VARCHAR,
    short_vi VARCHAR, short_en VARCHAR, unit VARCHAR, scale_min DOUBLE, scale_max DOUBLE, decimals INTEGER,
    direction VARCHAR, level VARCHAR, vintage VARCHAR, publisher_vi VARCHAR, publisher_en VARCHAR,
    source_url VARCHAR);
CREATE TABLE editions (indicator_id VARCHAR, year INTEGER, n_ranked INTEGER, published_top INTEGER,
    published VARCHAR, note VARCHAR);
CREATE TABLE imports (import_id VARCHAR PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR,
    sha256 VARCHAR, rows_added INTEGER, rows_replaced INTEGER, actor VARCHAR, archived_path VARCHAR);
CREATE SEQUENCE obs_seq;
CREATE TABLE observations (
    obs_id BIGINT PRIMARY KEY DEFAULT nextval('obs_seq'), indicator_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL,
    locality_in_source VARCHAR, year INTEGER NOT NULL, value DOUBLE, official_rank INTEGER,
    rank_basis VARCHAR, source_url VARCHAR, note VARCHAR, status VARCHAR NOT NULL DEFAULT 'primary',
    import_id VARCHAR);
"""

# One row per (indicator, unit, year): the primary value and the published rank, with their sources.
DERIVED = """
CREATE OR REPLACE TABLE facts AS
WITH ranked_rows AS (
    SELECT o.*,
        row_number() OVER (PARTITION BY indicator_id, unit_id, year
                           ORDER BY status <> 'primary', value IS NULL, obs_id) AS value_pick,
        row_number() OVER (PARTITION BY indicator_id, unit_id, year
                           ORDER BY official_rank IS NULL, status = 'alternative', status <> 'primary',
                                    rank_basis = 'listing_order', obs_id) AS rank_pick,
        count(*) FILTER (WHERE status = 'alternative') OVER (PARTITION BY indicator_id, unit_id, year)
            AS n_alternative
    FROM observations o
)
SELECT v.indicator_id, v.unit_id, v.year,
    CASE WHEN v.status <> 'alternative' THEN v.value END AS value,
    v.source_url AS value_source, v.note AS value_note,
    r.official_rank, r.rank_basis, r.source_url AS rank_source,
    e.n_ranked AS official_of, v.n_alternative > 0 AS has_conflict,
    u.level, u.vintage, u.parent_id, u.province_id, u.region_id
FROM ranked_rows v
JOIN units u USING (unit_id)
LEFT JOIN ranked_rows r ON r.indicator_id = v.indicator_id AND r.unit_id = v.unit_id AND r.year = v.year
    AND r.rank_pick = 1 AND r.official_rank IS NOT NULL AND r.status <> 'alternative'
LEFT JOIN editions e ON e.indicator_id = v.indicator_id AND e.year = v.year
WHERE v.value_pick = 1
-- physically sorted so lookups of one indicator-year skip every other row group (zone maps)
ORDER BY v.indicator_id, v.year, u.level, u.vintage;

-- Every rank the pages show is looked up here (computed once per build/import, not per page view).
CREATE OR REPLACE TABLE ranks AS
WITH f AS (
    SELECT f.*, CASE WHEN i.direction = 'lower_is_better' THEN f.value ELSE -f.value END AS sort_key
    FROM facts f JOIN indicators i USING (indicator_id)
    WHERE f.value IS NOT NULL AND i.direction IS NOT NULL
)
SELECT indicator_id, year, unit_id, level, vintage, parent_id, province_id, region_id, value,
    rank() OVER (PARTITION BY indicator_id, year, level, vintage ORDER BY sort_key) AS rank_national,
    count(*) OVER (PARTITION BY indicator_id, year, level, vintage) AS n_national,
    rank() OVER (PARTITION BY indicator_id, year, level, vintage, region_id ORDER BY sort_key) AS rank_region,
    count(*) OVER (PARTITION BY indicator_id, year, level, vintage, region_id) AS n_region,
    rank() OVER (PARTITION BY indicator_id, year, level, vintage, parent_id ORDER BY sort_key) AS rank_parent,
    count(*) OVER (PARTITION BY indicator_id, year, level, vintage, parent_id) AS n_parent
FROM f
ORDER BY indicator_id, year, level, vintage;

-- What a ranking page shows, physically sorted by (indicator, year) so DuckDB's zone maps skip every
-- other row group: one indicator-year at commune level is a lookup, not a scan.
CREATE OR REPLACE TABLE ranking_rows AS
SELECT f.indicator_id, f.year, f.level, f.vintage, f.unit_id, u.code,
       coalesce(n.name, u.name) AS name, coalesce(n.short_name, u.short_name) AS short_name,
       f.value, r.rank_national AS rank, r.n_national AS "of", f.official_rank, f.official_of, f.rank_basis,
       f.has_conflict, f.value_source, f.rank_source, f.parent_id, f.province_id, f.region_id,
       CASE WHEN i.direction = 'lower_is_better' THEN f.value ELSE -f.value END AS sort_key
FROM facts f
JOIN units u USING (unit_id)
JOIN indicators i USING (indicator_id)
LEFT JOIN ranks r USING (indicator_id, unit_id, year)
LEFT JOIN unit_names n ON n.unit_id = f.unit_id
    AND coalesce(year(n.valid_from), 0) <= f.year AND f.year <= coalesce(year(n.valid_to), 9999)
ORDER BY f.indicator_id, f.year, f.level, f.vintage, r.rank_national NULLS LAST, f.official_rank NULLS LAST, u.code;
"""


def connect(db_path: Path | str | None = None, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    path = Path(db_path or default_db_path())
    if read_only and not path.exists():
        raise FileNotFoundError(f"database {path} does not exist: run `chiso build` first")
    if read_only:
        return _connect_current_file(path)
    return duckdb.connect(str(path), read_only=read_only)


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
        import fcntl
    except ImportError:  # not POSIX: no inter-process lock
        yield
        return
    import time

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


def _remove_stale_snapshots(path: Path) -> None:
    """Private copies left by a killed writer (only called while holding the writer lock)."""
    for stale in path.parent.glob(path.name + ".*.tmp*"):
        stale.unlink(missing_ok=True)


@contextmanager
def writable_snapshot(db_path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy; on success the copy replaces the database atomically."""
    path = Path(db_path or default_db_path())
    path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(path):
        _remove_stale_snapshots(path)
        with _snapshot(path) as con:
            yield con


@contextmanager
def _snapshot(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    if path.exists():
        shutil.copy2(path, tmp)
    con = duckdb.connect(str(tmp))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(tmp, path)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        raise


def read_observation_files(data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((data_dir / "observations").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    return rows


def build(db_path: Path | str | None = None, *, data_dir: Path = DATA_DIR,
          after_load: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> Path:
    """(Re)build the database from data/ (idempotent). `after_load` replays archived imports."""
    path = Path(db_path or default_db_path())
    reg = build_registry(data_dir)
    cat = load_catalog()
    if path.exists():
        path.unlink()
    Path(str(path) + ".wal").unlink(missing_ok=True)
    with writable_snapshot(path) as con:
        con.execute(SCHEMA)
        load_registry(con, reg)
        load_catalog_tables(con, cat)
        load_observations(con, read_observation_files(data_dir))
        if after_load:
            after_load(con)
        refresh_derived(con)
    return path


def load_registry(con: duckdb.DuckDBPyConnection, reg: Registry) -> None:
    import pandas as pd

    units = pd.DataFrame([u.__dict__ for u in reg.units_by_id.values()])
    con.register("units_df", units)
    con.execute("INSERT INTO units SELECT unit_id, code, vintage, level, type_vi, type_en, name, short_name, "
                "name_en, parent_id, province_id, region_id, lat, lon, area_km2, valid_from, valid_to FROM units_df")
    con.unregister("units_df")
    _insert(con, "regions", [(k, v["vi"], v["en"], v["source"]) for k, v in reg.regions.items()])
    _insert(con, "unit_names",
            [(s.unit_id, s.name, s.short_name, s.valid_from, s.valid_to, s.source) for s in reg.name_history])
    succ = pd.DataFrame(reg.successors, columns=["unit_id", "successor_id", "is_default", "relation"])
    con.register("succ_df", succ)
    con.execute("INSERT INTO successors SELECT * FROM succ_df")
    con.unregister("succ_df")
    _insert(con, "aliases", reg.aliases)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Bulk insert through a DataFrame (executemany is row-by-row and slow in DuckDB)."""
    import pandas as pd

    if not rows:
        return
    cols = [c[0] for c in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    df = pd.DataFrame(rows, columns=cols)
    con.register("insert_df", df)
    con.execute(f"INSERT INTO {table} SELECT * FROM insert_df")
    con.unregister("insert_df")


def load_catalog_tables(con: duckdb.DuckDBPyConnection, cat: Catalog) -> None:
    rows, editions = [], []
    for ind in cat.indicators():
        rows.append((ind.id, ind.parent, ind.kind, ind.name["vi"], ind.name["en"], ind.short["vi"], ind.short["en"],
                     ind.unit, ind.scale_min, ind.scale_max, ind.decimals, ind.direction, ind.levels[0],
                     ind.vintage, ind.publisher.get("vi"), ind.publisher.get("en"), ind.source_url))
        for year, ed in sorted(ind.editions.items()):
            editions.append((ind.id, int(year), ed.n_ranked, ed.published_top, ed.published, ed.note))
    _insert(con, "indicators", rows)
    _insert(con, "editions", editions)


def _num(v: str | None, cast=float):
    return cast(v) if v not in (None, "") else None


def load_observations(con: duckdb.DuckDBPyConnection, rows: list[dict[str, str]], import_id: str | None = None):
    import pandas as pd

    if not rows:
        return
    df = pd.DataFrame({
        "indicator_id": [r["indicator_id"] for r in rows],
        "unit_id": [r["unit_id"] for r in rows],
        "locality_in_source": [r.get("locality_in_source") for r in rows],
        "year": [int(r["year"]) for r in rows],
        "value": pd.array([_num(r.get("value")) for r in rows], dtype="Float64"),
        "official_rank": pd.array([_num(r.get("official_rank"), int) for r in rows], dtype="Int64"),
        "rank_basis": [r.get("rank_basis") or None for r in rows],
        "source_url": [r.get("source_url") for r in rows],
        "note": [r.get("note") for r in rows],
        "status": [r.get("status") or "primary" for r in rows],
        "import_id": [import_id] * len(rows),
    })
    con.register("obs_df", df)
    con.execute("INSERT INTO observations (indicator_id, unit_id, locality_in_source, year, value, official_rank, "
                "rank_basis, source_url, note, status, import_id) SELECT * FROM obs_df")
    con.unregister("obs_df")


def refresh_derived(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DERIVED)
