"""Load test: N browser-like sessions read pages of a real ``streamlit run app.py`` while imports run.

    .venv/bin/python -m benchmarks.load [--sessions 8] [--rounds 4] [--imports 2] [--db PATH]

What it does:

1. copies the database (``--db``, default the app's) to a temporary directory and removes the 2017
   Bình Dương district table from the copy, so the example file ``data/examples/bd_par_district_2017_wide.xlsx``
   is a real import; starts the app on a free loopback port against that copy (``CHISO_DB``, with
   ``CHISO_DEBUG=1`` so any error inside a page becomes an exception element that is counted);
2. *probes* the editors' page as a viewer before anything else (the first run of a fresh server is the
   one Streamlit runs in its legacy ``pages/`` mode): the result says whether any import widget
   (file uploader) or import text reached a viewer;
3. opens ``sessions`` WebSocket sessions, each speaking Streamlit's own protocol like a browser tab
   (``/_stcore/stream``, ``BackMsg.rerun_script`` → ``ForwardMsg`` deltas until ``script_finished``),
   and has each load Overview and Rankings alternately ``rounds`` times; meanwhile a writer thread
   imports the example file and reverts it ``imports`` times through ``analytics.imports``;
4. reports errors (exception elements, error alerts, compile errors, timeouts, dropped connections —
   must be 0) and latency percentiles per page.

No assertion on timings anywhere (tests assert ``errors == 0`` only). The same readers and writer run
through nginx in front of replicas (`benchmarks.proxy`): there the writer publishes every import to the
replicas (``deploy.publish``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analytics import imports as importer
from analytics.paths import ROOT, default_db_path
from analytics.store import refresh_derived, writable_snapshot
from benchmarks.server import PageRun, Session, app_server

PAGES = {"overview": "", "rankings": "xep-hang"}    # page → url path (Overview is the default page)
EXAMPLE = ROOT / "data" / "examples" / "bd_par_district_2017_wide.xlsx"
IMPORT_PAGE_NAMES = ("import_data", "nhap-du-lieu")   # legacy pages/ name and the editors' url path


# ================================================================================== the test
@dataclass
class LoadResult:
    sessions: int
    rounds: int
    imports_done: int
    reverts_done: int
    runs: list[PageRun]
    writer_errors: list[str]
    wall_seconds: float
    probes: dict[str, PageRun] = field(default_factory=dict)

    @property
    def errors(self) -> list[str]:
        return [f"{r.page}: {e}" for r in self.runs for e in r.errors] + [f"writer: {e}" for e in self.writer_errors]

    def percentiles(self, page: str | None = None) -> dict[str, float]:
        xs = sorted(r.seconds * 1000 for r in self.runs if page is None or r.page == page)
        if not xs:
            return {}

        def pct(p: float) -> float:
            return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]

        return {"n": len(xs), "p50_ms": pct(50), "p90_ms": pct(90), "p95_ms": pct(95), "p99_ms": pct(99),
                "max_ms": xs[-1], "mean_ms": statistics.fmean(xs)}

    def viewer_reached_import_page(self) -> bool:
        for run in self.probes.values():
            if run.elements.get("file_uploader") or any(p in IMPORT_PAGE_NAMES for p in run.nav_pages):
                return True
        return False

    def lines(self) -> list[str]:
        out = [f"load: {self.sessions} sessions x >={self.rounds} rounds of Overview+Rankings over WebSocket, "
               f"{self.imports_done} imports + {self.reverts_done} reverts during the run, "
               f"wall {self.wall_seconds:.1f} s, errors {len(self.errors)}"]
        for page in [None, *PAGES]:
            p = self.percentiles(page)
            if p:
                out.append(f"load: {page or 'all pages':<10} n={p['n']:<4} p50 {p['p50_ms']:.0f} ms  p90 "
                           f"{p['p90_ms']:.0f} ms  p95 {p['p95_ms']:.0f} ms  p99 {p['p99_ms']:.0f} ms  max "
                           f"{p['max_ms']:.0f} ms")
        if self.probes:
            out.append("load: viewer probe of the editors' page: "
                       + ("REACHED (file uploader or menu entry shown)" if self.viewer_reached_import_page()
                          else "not reachable (no uploader, no menu entry)"))
        for e in self.errors[:10]:
            out.append(f"load: error: {e}")
        return out


def prepare_db(src: Path, workdir: Path) -> Path:
    """A copy of ``src`` without the 2017 Bình Dương district table (so the example file imports rows)."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "chiso.duckdb"
    shutil.copyfile(src, db)
    with writable_snapshot(db) as con:
        ids = [r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observations "
                                         "WHERE indicator_id LIKE 'bd_par_district%' AND year = 2017").fetchall()]
        con.execute("DELETE FROM observations WHERE indicator_id LIKE 'bd_par_district%' AND year = 2017")
        refresh_derived(con, ids)  # only those indicators' derived rows (a full refresh where it must)
    return db


def import_example(db: Path) -> str:
    """Import the example file into ``db`` (the editors' path: validate, then commit); returns the import id."""
    preview = importer.validate_file(EXAMPLE.read_bytes(), EXAMPLE.name, db_path=db)
    if not preview.ok:
        raise ValueError("example file not valid: " + preview.error_report(5))
    report = importer.commit_import(preview, db_path=db, actor="loadtest")
    if report.import_id is None:
        raise ValueError("import wrote nothing")
    return report.import_id


def revert_example(db: Path, import_id: str) -> None:
    importer.revert_import(import_id, db_path=db, actor="loadtest")


def _writer(db: Path, cycles: int, stop: threading.Event, started: threading.Event, done: dict,
            errors: list[str], finished: threading.Event, publish: Callable[[], None] | None = None) -> None:
    """Import the example file and revert it, ``cycles`` times, while the readers run; ``publish`` (when
    given) runs after each import and each revert (the replicas behind a proxy get the new snapshot)."""
    try:
        started.wait(60)
        for _ in range(cycles):
            if stop.is_set():
                break
            import_id = import_example(db)
            done["imports"] += 1
            if publish:
                publish()
            time.sleep(0.3)
            revert_example(db, import_id)
            done["reverts"] += 1
            if publish:
                publish()
            time.sleep(0.3)
    except Exception as e:  # noqa: BLE001 - every failure is reported, never raised into the readers
        errors.append(f"{type(e).__name__}: {e}")
    finally:
        finished.set()


def _reader(port: int, rounds: int, runs: list[PageRun], lock: threading.Lock, started: threading.Event,
            writer_finished: threading.Event, timeout: float) -> None:
    """Overview and Rankings alternately: at least ``rounds`` times and until the writer has finished."""
    mine: list[PageRun] = []
    try:
        with Session(port, timeout=timeout, route=uuid.uuid4().hex) as s:   # a visitor of its own
            started.set()
            i = 0
            while i < rounds or (not writer_finished.is_set() and i < rounds + 50):
                for page, url in (PAGES.items() if i % 2 == 0 else reversed(PAGES.items())):
                    r = s.load(url)
                    r.page = page
                    mine.append(r)
                i += 1
    except Exception as e:  # noqa: BLE001 - cannot connect: an error of this session
        mine.append(PageRun("connect", 0.0, errors=[f"{type(e).__name__}: {e}"]))
        started.set()
    with lock:
        runs.extend(mine)


def probe_import_page(port: int, timeout: float = 60.0) -> dict[str, PageRun]:
    """As a viewer: open the editors' page by its legacy file name and by its url path."""
    out = {}
    for name in IMPORT_PAGE_NAMES:
        with Session(port, timeout=timeout) as s:
            out[name] = s.load(name, keep_texts=True)
    return out


def run_load(db: Path | None = None, *, sessions: int = 8, rounds: int = 4, imports: int = 2,
             timeout: float = 90.0, workdir: Path | None = None, probe: bool = True, warm: bool = True) -> LoadResult:
    """Start the app against a prepared copy of ``db`` and measure (see the module docstring)."""
    src = Path(db) if db else Path(default_db_path())
    if not src.exists():
        raise FileNotFoundError(f"database {src} does not exist: run `chiso build` first")
    tmp = Path(tempfile.mkdtemp(prefix="chiso-load-")) if workdir is None else Path(workdir)
    try:
        work = prepare_db(src, tmp / "db")
        with app_server(work) as port:
            probes = probe_import_page(port, timeout) if probe else {}
            if warm:                                        # cold caches are not the point of the figures
                with Session(port, timeout=timeout) as w:
                    for url in PAGES.values():
                        w.load(url)
            res = drive(port, work, sessions=sessions, rounds=rounds, imports=imports, timeout=timeout)
        res.probes = probes
        return res
    finally:
        if workdir is None:
            shutil.rmtree(tmp, ignore_errors=True)


def drive(port: int, writer_db: Path, *, sessions: int, rounds: int, imports: int, timeout: float = 90.0,
          publish: Callable[[], None] | None = None) -> LoadResult:
    """``sessions`` readers on ``port`` (a replica or the proxy) while the writer imports into ``writer_db``
    (and ``publish``es after each write); waits for all of them."""
    runs: list[PageRun] = []
    lock = threading.Lock()
    started, stop, finished = threading.Event(), threading.Event(), threading.Event()
    done = {"imports": 0, "reverts": 0}
    werrors: list[str] = []
    t0 = time.perf_counter()
    writer = threading.Thread(target=_writer, args=(writer_db, imports, stop, started, done, werrors, finished,
                                                    publish), daemon=True)
    readers = [threading.Thread(target=_reader, args=(port, rounds, runs, lock, started, finished, timeout),
                                daemon=True) for _ in range(sessions)]
    writer.start()
    for th in readers:
        th.start()
    for th in readers:
        th.join()
    stop.set()
    writer.join(timeout=120)
    return LoadResult(sessions, rounds, done["imports"], done["reverts"], runs, werrors, time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    p.add_argument("--sessions", type=int, default=8)
    p.add_argument("--rounds", type=int, default=4)
    p.add_argument("--imports", type=int, default=2)
    p.add_argument("--db", type=Path, default=None)
    args = p.parse_args(argv)
    res = run_load(args.db, sessions=args.sessions, rounds=args.rounds, imports=args.imports)
    for line in res.lines():
        print(line)
    return 0 if not res.errors and not res.viewer_reached_import_page() else 1


if __name__ == "__main__":
    raise SystemExit(main())
