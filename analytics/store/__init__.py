"""The DuckDB database: one schema, the build from data/, the derived ranking tables, atomic snapshots, and
every read query the pages use.

    schema.py      every table (the import ledger included); no migrations: the file is rebuilt in seconds
    connection.py  connect (read-only by default), the writer lock, DatabaseUnreadable
    snapshot.py    writable_snapshot (private copy → check → atomic swap), check_database
    loading.py     build (into a new file, swapped in), the loaders of registry, catalog and observations
    rules.py       the ranking rule (1, 2, 2, 4; x/N; percentile; quartile) as DuckDB macros
    derive.py      ranked_facts and friends: refresh_derived (full or incremental)
    reads.py       named read queries
"""

from analytics.store.connection import DatabaseUnreadable, connect, writer_lock
from analytics.store.derive import DERIVATION, DERIVED, refresh_derived
from analytics.store.loading import (
    build,
    load_catalog_tables,
    load_observations,
    load_registry,
    read_observation_files,
)
from analytics.store.schema import OBS_COLUMNS, SCHEMA, create_schema, ensure_ledger
from analytics.store.snapshot import check_database, writable_snapshot

__all__ = [
    "DERIVATION", "DERIVED", "OBS_COLUMNS", "SCHEMA", "DatabaseUnreadable", "build", "check_database", "connect",
    "create_schema", "ensure_ledger", "load_catalog_tables", "load_observations", "load_registry",
    "read_observation_files", "refresh_derived", "writable_snapshot", "writer_lock",
]
