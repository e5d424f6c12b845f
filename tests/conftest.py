"""Shared fixtures: one real database built from data/ per test session."""

from __future__ import annotations

import pytest

from analytics.store import build


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "chiso.duckdb"
    build(path)
    return path


@pytest.fixture(scope="session")
def con(built_db):
    from analytics.store import connect

    c = connect(built_db)
    yield c
    c.close()


@pytest.fixture(scope="session")
def catalog():
    from analytics.catalog import load_catalog

    return load_catalog()
