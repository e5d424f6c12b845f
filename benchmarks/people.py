"""The benchmark's browser and proxy sections: what people feel (Chromium through nginx in front of one
replica) and what replicas serve (the load test through nginx with 1 and 2 replicas, also while imports
are published). Figures are printed by `python -m benchmarks`; no test asserts a timing."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.browser import VIEWPORT, Tab, chromium, language_picker, stats, year_picker
from benchmarks.load import LoadResult, drive, prepare_db
from deploy.publish import publish_snapshot
from deploy.replicas import cluster
from ui.nav import PAGES


@dataclass
class BrowserFigures:
    label: str
    first_visit: list = field(default_factory=list)       # Visit of the first visitor after each cold start
    first_visit_warmed: list = field(default_factory=list)  # ... after a start with deploy's warm-up
    new_session: list = field(default_factory=list)       # Visit of a new browser (empty cache), warm server
    repeat: list = field(default_factory=list)            # the same browser again (its cache kept)
    pages: dict = field(default_factory=dict)             # page → Visit (a new browser each)
    pages_repeat: dict = field(default_factory=dict)      # page → Visit (that browser again)
    picker: list = field(default_factory=list)            # dicts of Tab.change
    language: list = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []

        def visit_line(name, visits):
            s = {k: stats([getattr(v, k) for v in visits]) for k in
                 ("fcp_ms", "ws_open_ms", "script_ms", "browser_ms", "complete_ms", "kb")}
            fonts = stats([v.font_bytes / 1024 for v in visits])["median"]
            js = stats([v.js_bytes / 1024 for v in visits])["median"]
            ws = stats([(v.ws_bytes if v.ws_wire_bytes is None else v.ws_wire_bytes) / 1024 for v in visits])["median"]
            out.append(f"browser[{self.label}] {name} (n={s['complete_ms']['n']}): page complete median "
                       f"{s['complete_ms']['median']:.0f} ms, p95 {s['complete_ms']['p95']:.0f} ms; first contentful "
                       f"paint {s['fcp_ms']['median']:.0f} ms; WebSocket open at {s['ws_open_ms']['median']:.0f} ms, "
                       f"script run + delivery {s['script_ms']['median']:.0f} ms, browser after the last message "
                       f"{s['browser_ms']['median']:.0f} ms; {s['kb']['median']:,.0f} KB transferred (JavaScript "
                       f"{js:,.0f}, fonts {fonts:,.0f}, WebSocket {ws:,.0f})")
            return s

        self.summary = {}
        if self.first_visit:
            self.summary["first"] = visit_line("first visitor after a start", self.first_visit)
        if self.first_visit_warmed:
            self.summary["first_warmed"] = visit_line("first visitor after a start with the deploy's warm-up",
                                                      self.first_visit_warmed)
        if self.new_session:
            self.summary["new"] = visit_line("new session (new browser, warm server)", self.new_session)
        if self.repeat:
            visit_line("repeat visit (same browser, reload)", self.repeat)
        for name, v in self.pages.items():
            out.append(f"browser[{self.label}] page {name}: complete {v.complete_ms:.0f} ms (fcp {v.fcp_ms or 0:.0f}, "
                       f"script run + delivery {v.script_ms or 0:.0f}, browser {v.browser_ms or 0:.0f}), "
                       f"{v.kb:,.0f} KB (WebSocket {(v.ws_bytes if v.ws_wire_bytes is None else v.ws_wire_bytes) / 1024:,.0f}), "
                       f"{v.plots} charts; repeat visit {self.pages_repeat[name].complete_ms:.0f} ms, "
                       f"{self.pages_repeat[name].kb:,.0f} KB" + (f"  ERRORS {v.errors}" if v.errors else ""))
        for name, runs in (("picker change (year)", self.picker), ("language switch", self.language)):
            if runs:
                t, sc, br = (stats([r[k] for r in runs]) for k in ("total_ms", "script_ms", "browser_ms"))
                out.append(f"browser[{self.label}] {name} (n={t['n']}): re-rendered median {t['median']:.0f} ms, "
                           f"p95 {t['p95']:.0f} ms (script run + delivery {sc['median']:.0f}, browser "
                           f"{br['median']:.0f}; {stats([r['ws_kb'] for r in runs])['median']:,.0f} KB of "
                           f"WebSocket payload)")
                self.summary[name.split()[0]] = t
        return out

    @property
    def errors(self) -> list[str]:
        visits = (self.first_visit + self.first_visit_warmed + self.new_session + self.repeat
                  + list(self.pages.values()) + list(self.pages_repeat.values()))
        return [e for v in visits for e in v.errors]


def _stream_bytes(log: Path) -> list[int]:
    """Bytes nginx sent on each closed WebSocket (`/_stcore/stream`), in its access log's order."""
    if not log.exists():
        return []
    return [int(line.split('"')[2].split()[1]) for line in log.read_text().splitlines() if "/_stcore/stream" in line]


def _visits(browser, url: str, log: Path, times: int = 1) -> list:
    """`times` visits of `url` in one new browser (the first with an empty cache, then reloads), each with the
    bytes its WebSocket carried on the wire (logged by nginx once the browser is closed)."""
    before = len(_stream_bytes(log))
    ctx = browser.new_context(viewport=VIEWPORT)
    tab = Tab(ctx)
    visits = [tab.visit(url) for _ in range(times)]
    ctx.close()
    deadline = time.time() + 3
    while len(_stream_bytes(log)) < before + times and time.time() < deadline:
        time.sleep(0.05)
    wire = _stream_bytes(log)[before:]
    if len(wire) == times:
        for v, b in zip(visits, wire, strict=True):
            v.ws_wire_bytes = b
    return visits


def browser_figures(db: Path, label: str, *, launches: int, sessions: int, picks: int,
                    catalog: Path | None = None, views: list[tuple[str, str, str]] = ()) -> BrowserFigures:
    """Chromium through nginx in front of one replica serving a copy of `db`; see BrowserFigures."""
    out = BrowserFigures(label)
    env = {"CHISO_CATALOG": str(catalog)} if catalog else None
    with tempfile.TemporaryDirectory(prefix="chiso-bench-browser-") as tmp, chromium() as browser:
        state = Path(tmp) / "state"
        log = state / "nginx" / "access.log"
        # a start as deploy/ does it (every page run once before nginx sends visitors), then cold starts
        with cluster(1, source_db=db, state=state, env=env) as c:
            out.first_visit_warmed += _visits(browser, c.url + "/", log)
        for i in range(launches):
            with cluster(1, source_db=db, state=state, env=env, warm_up=False) as c:
                out.first_visit += _visits(browser, c.url + "/", log)
                if i < launches - 1:
                    continue
                for _ in range(sessions):
                    first, again = _visits(browser, c.url + "/", log, times=2)
                    out.new_session.append(first)
                    out.repeat.append(again)
                targets = [(pid, url, "") for _, pid, _, url, _ in PAGES] + list(views)
                for name, url, query in targets:
                    out.pages[name], out.pages_repeat[name] = _visits(
                        browser, f"{c.url}/{url}" + (f"?{query}" if query else ""), log, times=2)
                ctx = browser.new_context(viewport=VIEWPORT)
                tab = Tab(ctx)
                tab.visit(c.url + "/")
                out.picker = [tab.change(year_picker) for _ in range(picks)]
                out.language = [tab.change(language_picker) for _ in range(max(2, picks // 2))]
                ctx.close()
    return out


def proxy_load(db: Path, *, replicas: int, sessions: int, rounds: int, imports: int) -> list[LoadResult]:
    """The load test through nginx in front of `replicas` replicas (each with its own copy of a prepared copy
    of `db`): readers only, then readers while the example file is imported and reverted in the writer's
    database and each snapshot is published to every replica."""
    with tempfile.TemporaryDirectory(prefix="chiso-bench-proxy-") as tmp:
        source = prepare_db(db, Path(tmp) / "source")
        with cluster(replicas, source_db=source, state=Path(tmp) / "state") as c:
            drive(c.proxy_port, c.writer_db, sessions=replicas, rounds=1, imports=0)     # warm every replica
            quiet = drive(c.proxy_port, c.writer_db, sessions=sessions, rounds=rounds, imports=0)
            busy = drive(c.proxy_port, c.writer_db, sessions=sessions, rounds=rounds, imports=imports,
                         publish=lambda: publish_snapshot(c.writer_db, c.replica_dbs))
    return [quiet, busy]
