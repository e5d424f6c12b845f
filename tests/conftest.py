"""Shared fixtures: one real database built from data/ per test session, and the environment of the
AppTest suites (the whole app run through streamlit.testing)."""

from __future__ import annotations

import contextlib
import os

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


@contextlib.contextmanager
def apptest_env(db=None, *, unset: tuple[str, ...] = ()):
    """The environment an AppTest run of app.py needs, restored on exit: ``CHISO_DB`` = `db` (left as it is
    when None: the caller sets it per test), ``CHISO_DEBUG=1`` (the page guard re-raises, so an error inside a
    page fails the test), the variables in `unset` removed, and Streamlit's v2 multipage mode.

    AppTest re-detects a `pages/` folder on every run and would run a page file on its own (Streamlit's v1
    multipage mode); the real server switches to v2 once st.navigation has run. The patch does the same."""
    from streamlit.runtime.pages_manager import PagesManager

    old = {k: os.environ.get(k) for k in ("CHISO_DB", "CHISO_DEBUG", *unset)}
    if db is not None:
        os.environ["CHISO_DB"] = str(db)
    os.environ["CHISO_DEBUG"] = "1"
    for k in unset:
        os.environ.pop(k, None)
    orig = PagesManager.__init__

    def init(self, *args, **kwargs):
        orig(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    try:
        yield
    finally:
        PagesManager.__init__ = orig
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


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
