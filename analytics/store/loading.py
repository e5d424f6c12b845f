"""Building the database from data/: registry, catalog and observations into the schema, then derive.

`build` writes a new file beside the database under the writer lock and swaps it in only once it is
complete and checked: a page load during a build reads the previous file, a build killed at any point leaves
the previous file intact.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from analytics.catalog import Catalog, load_catalog
from analytics.paths import DATA_DIR, default_db_path
from analytics.registry import Registry, build_registry
from analytics.store.connection import DatabaseUnreadable, connect, writer_lock
from analytics.store.derive import refresh_derived
from analytics.store.schema import create_schema
from analytics.store.snapshot import private_snapshot

ConnectionHook = Callable[[duckdb.DuckDBPyConnection], object]


def build(db_path: Path | str | None = None, *, data_dir: Path = DATA_DIR, after_load: ConnectionHook | None = None,
          reconcile: ConnectionHook | None = None) -> Path:
    """(Re)build the database from data/ (idempotent).

    `reconcile` is called first with a read-only connection to the database being replaced (if there is one
    and it is readable): the import archive is brought in line with it (an import committed in the database
    whose archive was not yet marked committed, after a crash, must be replayed, not dropped). `after_load`
    then replays the archived imports into the new file."""
    path = Path(db_path or default_db_path())
    reg = build_registry(data_dir)
    cat = load_catalog()
    path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(path):
        if reconcile is not None and path.exists():
            try:
                old = connect(path, read_only=True)
            except DatabaseUnreadable as e:
                print(f"warning: {e}; the import archive is replayed as it stands", file=sys.stderr)
            else:
                try:
                    reconcile(old)
                except duckdb.Error as e:  # a file from before the import ledger: nothing to reconcile
                    print(f"warning: import archive not reconciled with {path}: {e}", file=sys.stderr)
                finally:
                    old.close()
        Path(str(path) + ".wal").unlink(missing_ok=True)
        with private_snapshot(path, fresh=True) as con:
            create_schema(con)
            load_registry(con, reg)
            load_catalog_tables(con, cat)
            load_observations(con, read_observation_files(data_dir))
            if after_load:
                after_load(con)
            refresh_derived(con)
    return path


def read_observation_files(data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((data_dir / "observations").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows.extend(csv.DictReader(f))
    return rows


def load_registry(con: duckdb.DuckDBPyConnection, reg: Registry) -> None:
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


