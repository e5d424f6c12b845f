"""Load test: N browser-like sessions read pages of a real ``streamlit run app.py`` while imports run.

    .venv/bin/python -m analytics.loadtest [--sessions 8] [--rounds 4] [--imports 2] [--db PATH]

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

No assertion on timings anywhere (tests assert ``errors == 0`` only). Streamlit's protobuf classes are
imported lazily; nothing here uses Streamlit's script API.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from analytics.paths import ROOT

PAGES = {"overview": "", "rankings": "xep-hang"}    # page → url path (Overview is the default page)
EXAMPLE = ROOT / "data" / "examples" / "bd_par_district_2017_wide.xlsx"
IMPORT_PAGE_NAMES = ("import_data", "nhap-du-lieu")   # legacy pages/ name and the editors' url path


# ================================================================================== the server
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(db: Path, *, port: int | None = None, timeout: float = 60.0, env: dict[str, str] | None = None,
               pids: list[int] | None = None):
    """``streamlit run app.py`` on 127.0.0.1 against ``db``; yields the port; stops the process after.
    The server's output goes to ``server.log`` next to the database; its pid is appended to ``pids``."""
    port = port or free_port()
    full_env = dict(os.environ, CHISO_DB=str(db), CHISO_DEBUG="1",
                    CHISO_IMPORTS_DIR=str(Path(db).parent / "imports"), **(env or {}))
    log_path = Path(db).parent / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                                 "--server.headless", "true", "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                                 "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
                                cwd=str(ROOT), env=full_env, stdout=log, stderr=subprocess.STDOUT)
        if pids is not None:
            pids.append(proc.pid)
        try:
            deadline = time.time() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"the app server exited with {proc.returncode}:\n{_tail(log_path)}")
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.time() > deadline:
                    raise TimeoutError(f"the app server did not start within {timeout:.0f} s:\n{_tail(log_path)}")
                time.sleep(0.2)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def _tail(path: Path, n: int = 2000) -> str:
    try:
        return path.read_bytes()[-n:].decode("utf-8", "replace")
    except OSError:
        return ""


# ================================================================================== one browser tab
@dataclass
class PageRun:
    page: str
    seconds: float
    elements: dict[str, int] = field(default_factory=dict)   # element type → count
    errors: list[str] = field(default_factory=list)
    page_not_found: bool = False
    texts: list[str] = field(default_factory=list)            # markdown/alert/text bodies (for probes)
    nav_pages: list[str] = field(default_factory=list)        # url paths offered in the navigation
    largest: dict[str, int] = field(default_factory=dict)     # element type → bytes of its largest element
    bytes_received: int = 0                                   # every message of the run


class Session:
    """One WebSocket session speaking Streamlit's protocol, like one browser tab."""

    def __init__(self, port: int, *, timeout: float = 60.0):
        from websockets.sync.client import connect

        self.timeout = timeout
        origin = f"http://127.0.0.1:{port}"
        self.ws = connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], origin=origin,
                          open_timeout=timeout, max_size=256 * 1024 * 1024).__enter__()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def load(self, page_name: str, *, query_string: str = "", keep_texts: bool = False) -> PageRun:
        """Run the app for one page (as a browser does on navigation) and read until the run finishes."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        back = BackMsg()
        back.rerun_script.query_string = query_string
        back.rerun_script.page_name = page_name
        back.rerun_script.page_script_hash = ""
        run = PageRun(page_name or "overview", 0.0)
        t0 = time.perf_counter()
        self.ws.send(back.SerializeToString())
        deadline = t0 + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                run.errors.append(f"timeout after {self.timeout:.0f} s")
                break
            try:
                raw = self.ws.recv(timeout=left)
            except TimeoutError:
                run.errors.append(f"timeout after {self.timeout:.0f} s")
                break
            except Exception as e:  # noqa: BLE001 - a dropped connection is an error to count
                run.errors.append(f"connection: {type(e).__name__}: {e}")
                break
            if isinstance(raw, str):
                continue
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            run.bytes_received += len(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                et = el.WhichOneof("type") or "?"
                run.elements[et] = run.elements.get(et, 0) + 1
                run.largest[et] = max(run.largest.get(et, 0), len(raw))
                if et == "exception":
                    run.errors.append(f"exception: {el.exception.type}: {el.exception.message[:200]}")
                elif et == "alert" and el.alert.format == Alert.ERROR:
                    run.errors.append(f"error alert: {el.alert.body[:200]}")
                if keep_texts:
                    if et == "alert":
                        run.texts.append(el.alert.body)
                    elif et == "markdown":
                        run.texts.append(el.markdown.body)
                    elif et == "text":
                        run.texts.append(el.text.body)
                    elif et == "heading":
                        run.texts.append(el.heading.body)
            elif kind == "navigation":
                run.nav_pages = [p.url_pathname for p in msg.navigation.app_pages]
            elif kind == "page_not_found":
                run.page_not_found = True
            elif kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception":
                run.errors.append("script compilation exception")
            elif kind == "script_finished":
                status = msg.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.errors.append("finished with compile error")
                if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                    break
                # FINISHED_EARLY_FOR_RERUN: an st.rerun inside the app; keep reading the next run
        run.seconds = time.perf_counter() - t0
        return run


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
    from analytics.store import refresh_derived, writable_snapshot

    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "chiso.duckdb"
    shutil.copyfile(src, db)
    with writable_snapshot(db) as con:
        ids = [r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observations "
                                         "WHERE indicator_id LIKE 'bd_par_district%' AND year = 2017").fetchall()]
        con.execute("DELETE FROM observations WHERE indicator_id LIKE 'bd_par_district%' AND year = 2017")
        refresh_derived(con, ids)  # only those indicators' derived rows (a full refresh where it must)
    return db


def _writer(db: Path, cycles: int, stop: threading.Event, started: threading.Event, done: dict,
            errors: list[str], finished: threading.Event) -> None:
    """Import the example file and revert it, ``cycles`` times, while the readers run."""
    from analytics import imports as importer

    try:
        started.wait(60)
        data = EXAMPLE.read_bytes()
        for _ in range(cycles):
            if stop.is_set():
                break
            preview = importer.validate_file(data, EXAMPLE.name, db_path=db)
            if not preview.ok:
                errors.append("example file not valid: " + preview.error_report(5))
                return
            report = importer.commit_import(preview, db_path=db, actor="loadtest")
            done["imports"] += 1
            if report.import_id is None:
                errors.append("import wrote nothing")
                return
            time.sleep(0.3)
            importer.revert_import(report.import_id, db_path=db, actor="loadtest")
            done["reverts"] += 1
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
        with Session(port, timeout=timeout) as s:
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
    from analytics.paths import default_db_path

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
            runs: list[PageRun] = []
            lock = threading.Lock()
            started, stop, finished = threading.Event(), threading.Event(), threading.Event()
            done = {"imports": 0, "reverts": 0}
            werrors: list[str] = []
            t0 = time.perf_counter()
            writer = threading.Thread(target=_writer, args=(work, imports, stop, started, done, werrors, finished),
                                      daemon=True)
            readers = [threading.Thread(target=_reader, args=(port, rounds, runs, lock, started, finished, timeout),
                                        daemon=True) for _ in range(sessions)]
            writer.start()
            for th in readers:
                th.start()
            for th in readers:
                th.join()
            stop.set()
            writer.join(timeout=120)
            wall = time.perf_counter() - t0
        return LoadResult(sessions, rounds, done["imports"], done["reverts"], runs, werrors, wall, probes)
    finally:
        if workdir is None:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m analytics.loadtest", description=__doc__.split("\n")[0])
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
