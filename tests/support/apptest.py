"""AppTest runs of the whole app (app.py with its navigation) outside a server: the environment they need.
Used by the test suite (tests/conftest.py) and by the benchmark (each page's server-side script time,
`benchmarks.speed`); `pythonpath = ["."]` in pyproject.toml makes `tests.support` importable under pytest."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


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


APP = str(Path(__file__).resolve().parents[2] / "app.py")
# Parameters the app's frame reads on the first run, before any page (language, home locality, presentation).
CHROME_PARAMS = ("lang", "home", "presentation")


def open_app(page: str | None = None, *, timeout: float = 60, direct_visit: bool = False, **params):
    """Open the app as a copied URL would (in an `apptest_env`): the frame's parameters on the first run (all
    of them without a page), then the page with every parameter (a bound widget reads the URL when it first
    renders). With ``direct_visit`` the choices the Overview would carry to the next page are dropped, as when
    a reader opens the page's address directly. Fails on an exception inside the run; returns the AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    first = params if page is None else {k: v for k, v in params.items() if k in CHROME_PARAMS}
    for k, v in first.items():
        at.query_params[k] = v
    at.run()
    if page:
        if direct_visit:
            for kind in ("year", "indicator", "locality"):
                if f"_carry_{kind}" in at.session_state:
                    del at.session_state[f"_carry_{kind}"]
        at.switch_page(page)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
    assert not at.exception, at.exception
    return at
