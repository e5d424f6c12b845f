"""Shared fixtures: one real database built from data/ per test session, and the environment of the
AppTest suites (the whole app run through streamlit.testing)."""

from __future__ import annotations

import pytest

from analytics.store import build
from tests._handmade import build as build_handmade
from tests.import_support import copy_db, remove_2017_district_table
from tests.support.apptest import apptest_env


@pytest.fixture(scope="session")
def built_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "chiso.duckdb"
    build(path)
    return path


@pytest.fixture
def db(built_db, tmp_path):
    """The test's own copy of the session database, to write to."""
    return copy_db(built_db, tmp_path / "db")


@pytest.fixture(scope="session")
def no2017_master(built_db, tmp_path_factory):
    """The session database without the 2017 Bình Dương district table, made once; tests take copies."""
    db = copy_db(built_db, tmp_path_factory.mktemp("no2017"))
    remove_2017_district_table(db)
    return db


@pytest.fixture
def db_without_2017(no2017_master, tmp_path):
    """The test's own copy of the session database without the 2017 Bình Dương district table (the real
    table that the example import files add back)."""
    return copy_db(no2017_master, tmp_path / "db_without_2017")


@pytest.fixture(scope="session")
def con(built_db):
    from analytics.store import connect

    c = connect(built_db)
    yield c
    c.close()


@pytest.fixture(scope="module")
def handmade():
    """The hand-made world of ``tests/_handmade.py``: (connection, catalog, registry), one per test module."""
    con, cat, reg = build_handmade()
    yield con, cat, reg
    con.close()


@pytest.fixture(scope="session")
def catalog():
    from analytics.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="module")
def app_env(built_db):
    """AppTest over the session database (`apptest_env`); a module uses it with
    ``pytestmark = pytest.mark.usefixtures("app_env")``."""
    with apptest_env(built_db):
        yield


@pytest.fixture(scope="module")
def app_env_own_db():
    """AppTest for a module whose tests each set ``CHISO_DB`` to their own database copy; import archives go
    next to that copy (``CHISO_IMPORTS_DIR`` unset)."""
    with apptest_env(unset=("CHISO_IMPORTS_DIR",)):
        yield
