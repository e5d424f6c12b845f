"""Page speed, without timing: a warm re-run of a page (same page, same state) must not query the database,
call the analytics layer, rebuild a figure, the registry or the catalog again — everything comes from
ui.cache. Calls are counted by wrapping the functions the cache calls into; a re-run must count zero."""

from __future__ import annotations

import importlib
from collections import Counter

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import open_app
from ui.nav import PAGE_FILES as PAGES

# (module, attribute) of everything expensive that a page reaches only through ui.cache
WATCHED = [
    ("analytics.store.reads", "unit_facts"), ("analytics.store.reads", "years_with_data"), ("ui.cache_reads", "_ranking"),
    ("ui.cache_reads", "_trends"), ("ui.db_cache", "load_catalog"), ("ui.db_cache", "connect"),
    ("ui.cache_reads", "coverage"), ("ui.cache_reads", "rank_check"),
    ("analytics.registry.Registry", "from_package"), ("analytics.store.reads", "registry_from_db"),
    ("analytics.benchmarks", "benchmarks"), ("analytics.benchmarks", "benchmark_series"),
    ("analytics.components", "components"), ("analytics.findings", "findings"),
    ("analytics.crosswalk", "crosswalk"), ("analytics.crosswalk", "derived_series"),
    ("analytics.crosswalk", "former_units"), ("analytics.peers", "peer_group"),
    ("figures.charts", "trend_lines"), ("figures.charts", "small_multiples"), ("figures.charts", "component_bars"),
    ("figures.charts", "benchmark_strip"), ("figures.charts", "ranking_bar"), ("figures.maps", "choropleth"),
    ("figures.export", "to_png"), ("figures.export", "to_svg"),
]


pytestmark = pytest.mark.usefixtures("app_env")  # tests/conftest.py: apptest_env


def _resolve(path: str):
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:]:
            obj = getattr(obj, p)
        return obj
    raise ImportError(path)


@pytest.fixture
def counted(monkeypatch) -> Counter:
    calls: Counter = Counter()
    for owner_path, name in WATCHED:
        owner = _resolve(owner_path)
        fn = getattr(owner, name)
        if isinstance(owner, type):
            fn = owner.__dict__[name]
            inner = fn.__func__ if isinstance(fn, classmethod) else fn

            def wrapper(cls, *a, _f=inner, _k=f"{owner_path}.{name}", **kw):
                calls[_k] += 1
                return _f(cls, *a, **kw)

            monkeypatch.setattr(owner, name, classmethod(wrapper) if isinstance(fn, classmethod) else wrapper)
            continue

        def wrapper(*a, _f=fn, _k=f"{owner_path}.{name}", **kw):
            calls[_k] += 1
            return _f(*a, **kw)

        monkeypatch.setattr(owner, name, wrapper)
    return calls


def _open(page: str) -> AppTest:
    return open_app(page, timeout=120)


@pytest.mark.parametrize("page", PAGES)
def test_warm_rerun_reads_only_caches(page, counted):
    at = _open(page)  # first visit: fills the caches (calls counted, not checked)
    counted.clear()
    at.run()  # the same page, the same state
    assert not at.exception, at.exception
    assert not +counted, f"a warm re-run of {page} called {dict(counted)}"


def test_first_visit_goes_through_the_cache(counted):
    """Sanity check of the counting itself: opening a page after ``cache.clear()`` does reach the watched
    functions, so the zero above is meaningful."""
    from ui import cache

    cache.clear()
    _open("pages/overview.py")
    assert counted["ui.cache_reads._ranking"] >= 1
    assert sum(v for k, v in counted.items() if k.startswith("figures.")) >= 1


def test_no_image_export_during_a_run(counted):
    """Press images (kaleido) are rendered only when a download is clicked, never on a script run."""
    from ui import cache

    cache.clear()
    for page in PAGES:
        _open(page)
    assert counted["figures.export.to_png"] == 0 and counted["figures.export.to_svg"] == 0
