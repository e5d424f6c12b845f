"""Two app replicas behind nginx (deploy/), as `python -m deploy run 2 PORT` starts them, on free ports:
every page loads through nginx in Chromium (its WebSocket upgraded by nginx: the page's script run reaches
the browser) and re-renders after a picker change and a language switch, Streamlit's JavaScript arrives
compressed (gzip or brotli) with a long cache lifetime, a session sticks to one replica, readers through nginx see no error while imports are published, and a published snapshot
(the example import) reaches both replicas while their sessions stay open.

Run: ``.venv/bin/python -m pytest -m browser tests/test_deploy.py`` (needs Debian's nginx and chromium).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.browser import CHROMIUM, VIEWPORT, Tab, chromium, language_picker, year_picker
from benchmarks.load import drive, import_example, prepare_db
from benchmarks.server import Session
from deploy.nginx import NginxMissing, nginx_binary
from deploy.publish import publish_snapshot
from deploy.replicas import cluster
from ui.nav import PAGES

pytestmark = pytest.mark.browser

WITHIN_2017 = ("trong-tinh", "w_year=2017")   # the district table the example file imports


@pytest.fixture(scope="module")
def two_replicas(built_db, tmp_path_factory):
    try:
        nginx_binary()
    except NginxMissing as e:
        pytest.skip(str(e))
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    pytest.importorskip("playwright.sync_api")
    work = tmp_path_factory.mktemp("deploy")
    source = prepare_db(built_db, work / "source")          # without the table the example file imports
    with cluster(2, source_db=source, state=work / "state") as c:
        yield c


def _shows_2017(port: int, session: Session | None = None) -> bool:
    """Whether the Within-province page of the replica on `port` shows the 2017 district table."""
    if session is None:
        with Session(port, timeout=60) as s:
            return _shows_2017(port, s)
    run = session.load(WITHIN_2017[0], query_string=WITHIN_2017[1], keep_texts=True)
    assert run.errors == []
    return any("· 2017 ·" in t for t in run.texts)


def test_every_page_through_nginx_in_chromium(two_replicas):
    js: dict[str, dict[str, str]] = {}
    with chromium() as browser:
        ctx = browser.new_context(viewport=VIEWPORT)
        tab = Tab(ctx)
        tab.page.on("response", lambda r: js.__setitem__(r.url, r.headers) if "/static/js/" in r.url else None)
        for _, pid, _, url, _ in PAGES:
            visit = tab.visit(f"{two_replicas.url}/{url}")
            assert visit.errors == [], (pid, visit.errors)
            assert visit.finished_ms is not None, pid       # the script run came back over the WebSocket
            assert tab.page.locator("h1").count() >= 1, pid
        # pickers re-render through nginx: the Overview's year, then the language (titles follow it)
        tab.visit(two_replicas.url + "/")
        assert tab.page.locator("h1").first.inner_text().strip() == "Tổng quan"
        year = tab.page.locator('[data-testid="stSidebar"] input[aria-label="Năm"]').input_value()
        tab.change(year_picker)
        assert tab.page.locator('[data-testid="stSidebar"] input[aria-label="Năm"]').input_value() != year
        tab.change(language_picker)
        assert tab.page.locator("h1").first.inner_text().strip() == "Overview"
        assert tab.errors == []
        script_cookies = tab.page.evaluate("document.cookie")   # ours is HttpOnly: invisible to scripts
        cookies = {c["name"]: c["value"] for c in ctx.cookies()}
        ctx.close()
    assert "chiso_route" not in script_cookies
    assert "chiso_route" in cookies
    assert js, "the page loaded Streamlit's JavaScript"
    compressed = [u for u, h in js.items() if h.get("content-encoding") in ("gzip", "br")]
    assert compressed
    for url, headers in js.items():   # every file but the tiny ones left alone (under 1 KB)
        assert url in compressed or int(headers["content-length"]) < 1024, url
        assert "max-age=31536000" in headers.get("cache-control", ""), url


def test_a_session_sticks_to_one_replica_and_visitors_spread(two_replicas):
    def replica(cookie: str) -> str:
        req = urllib.request.Request(two_replicas.url + "/", headers={"Cookie": f"chiso_route={cookie}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            assert r.headers.get("Set-Cookie") is None          # a visitor with the cookie keeps it
            return r.headers["X-Chiso-Replica"]

    assert len({replica("visitor-1") for _ in range(5)}) == 1
    assert {replica(f"visitor-{i}") for i in range(40)} == {f"127.0.0.1:{p}" for p in two_replicas.replica_ports}
    with urllib.request.urlopen(two_replicas.url + "/", timeout=10) as r:     # a first visit gets a cookie
        assert r.headers["Set-Cookie"].startswith("chiso_route=")


def test_uploads_over_the_limit_are_refused_by_nginx(two_replicas):
    req = urllib.request.Request(two_replicas.url + "/_stcore/upload_file/x/y", data=b"0" * (13 * 1024 * 1024),
                                 method="PUT")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 413


def test_published_snapshots_reach_both_replicas_without_dropping_sessions(two_replicas):
    c = two_replicas
    publish = lambda: publish_snapshot(c.writer_db, c.replica_dbs)  # noqa: E731
    # readers through nginx while the example file is imported, published, reverted, published
    res = drive(c.proxy_port, c.writer_db, sessions=2, rounds=1, imports=1, timeout=120, publish=publish)
    assert res.errors == []
    assert res.imports_done == 1 and res.reverts_done == 1
    assert not any(_shows_2017(p) for p in c.replica_ports)
    # a session open on each replica before the publication (and used: the Overview) sees the new table
    # (its first visit of that page: the page keeps a year it chose before in the session)
    sessions = [Session(p, timeout=60) for p in c.replica_ports]
    try:
        assert all(s.load("").errors == [] for s in sessions)
        import_example(c.writer_db)
        assert publish() == c.replica_dbs
        assert all(_shows_2017(p, s) for p, s in zip(c.replica_ports, sessions, strict=True))
    finally:
        for s in sessions:
            s.close()
    assert all(_shows_2017(p) for p in c.replica_ports)      # and so do new sessions
