"""The one schema of the database: every table, the import ledger included.

There are no migrations: the database is a generated file, rebuilt from data/ (and the archived imports) by
`chiso build` in seconds, so a schema change is a change here and a rebuild.
"""

from __future__ import annotations

import duckdb

OBS_COLUMNS = ["indicator_id", "unit_id", "locality_in_source", "year", "value", "official_rank", "rank_basis",
               "source_url", "note", "status"]

# The import ledger (analytics.imports.ledger writes it): one row per import, and the rows an import moved aside so
# that a revert restores them exactly.
LEDGER = """
CREATE TABLE IF NOT EXISTS imports (import_id VARCHAR PRIMARY KEY, imported_at TIMESTAMP, file_name VARCHAR,
    sha256 VARCHAR, rows_added INTEGER, rows_replaced INTEGER, actor VARCHAR, archived_path VARCHAR,
    status VARCHAR, reverted_at TIMESTAMP, reverted_by VARCHAR, rows_unchanged INTEGER, replace_mode BOOLEAN);
CREATE TABLE IF NOT EXISTS import_replaced (
    import_id VARCHAR NOT NULL, obs_id BIGINT, indicator_id VARCHAR, unit_id VARCHAR,
    locality_in_source VARCHAR, year INTEGER, value DOUBLE, official_rank INTEGER, rank_basis VARCHAR,
    source_url VARCHAR, note VARCHAR, status VARCHAR, prev_import_id VARCHAR);
-- a spelling an editor confirmed for a unit, with who and when: the next import of it resolves without
-- asking (rebuilt from the archive when the database is rebuilt)
CREATE TABLE IF NOT EXISTS import_aliases (alias VARCHAR NOT NULL, unit_id VARCHAR NOT NULL,
    confirmed_by VARCHAR, confirmed_at TIMESTAMP, import_id VARCHAR, PRIMARY KEY (alias, unit_id));
-- which column of an unfamiliar header holds what, by header signature
CREATE TABLE IF NOT EXISTS import_column_maps (signature VARCHAR PRIMARY KEY, mapping VARCHAR,
    saved_by VARCHAR, saved_at TIMESTAMP, import_id VARCHAR);
"""

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
CREATE SEQUENCE obs_seq;
CREATE TABLE observations (
    obs_id BIGINT PRIMARY KEY DEFAULT nextval('obs_seq'), indicator_id VARCHAR NOT NULL, unit_id VARCHAR NOT NULL,
    locality_in_source VARCHAR, year INTEGER NOT NULL, value DOUBLE, official_rank INTEGER,
    rank_basis VARCHAR, source_url VARCHAR, note VARCHAR, status VARCHAR NOT NULL DEFAULT 'primary',
    import_id VARCHAR);
""" + LEDGER


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Every table of an empty database."""
    con.execute(SCHEMA)


def ensure_ledger(con: duckdb.DuckDBPyConnection) -> None:
    """The import ledger's tables (a database built by `create_schema` already has them)."""
    con.execute(LEDGER)
