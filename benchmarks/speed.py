"""Server-side speed figures: timed calls, the full ranking DuckDB against pandas, each page's script run
(AppTest), map payloads, and the app as users get it over Streamlit's WebSocket (cold start, every page,
message sizes, peak memory). Figures are printed by `python -m benchmarks`; no test asserts a timing."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics.paths import ROOT
from benchmarks.scale_db import scale_views
from benchmarks.server import Session, app_server
from geo.layers import layer_geojson
from tests.support.apptest import apptest_env
from ui import cache
from ui.nav import PAGES


def timed(fn: Callable[[], object], reps: int) -> dict[str, float]:
    fn()  # warm
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"median_ms": statistics.median(samples), "p95_ms": samples[min(len(samples) - 1, int(0.95 * len(samples)))]}



def full_ranking(con: duckdb.DuckDBPyConnection, reps: int) -> dict[str, object]:
    """All ranks of all indicator-years, DuckDB against the obvious pandas way, on the same data in the same run.

    Input, loaded before timing (identical for both): every fact with a value of an indicator with a direction,
    in the order an import adds them (indicator-year, then unit code), as two columns: `part` (the indicator-year-
    level-vintage as a dense integer code, int16 while it fits) and `sort_key` (the value, negated when higher
    is better).
    Output of both: the standard competition rank (1, 2, 2, 4) of every row, as an int64 array in row order.
      pandas: df.groupby("part", sort=False)["sort_key"].rank(method="min") → int64 (one thread, as pandas runs);
      DuckDB: rank() OVER (PARTITION BY part ORDER BY sort_key) over an in-memory table (all threads), the
              (rowid, rank) pairs fetched as Arrow and placed back in row order with numpy.
    """
    import numpy as np
    import pandas as pd

    tb = con.sql("""
        SELECT r.part_key, r.sort_key FROM ranked_facts r JOIN indicator_dim i USING (ind_ix)
        WHERE r.value IS NOT NULL AND i.direction IS NOT NULL
        ORDER BY r.part_key, r.unit_ix
    """).to_arrow_table()
    n = tb.num_rows
    _, codes = np.unique(tb["part_key"].to_numpy(), return_inverse=True)
    code_type = np.int16 if n == 0 or codes.max() < 2**15 else np.int32  # the smallest integer that fits
    df = pd.DataFrame({"part": codes.astype(code_type), "sort_key": tb["sort_key"].to_numpy()})
    mem = duckdb.connect()
    mem.execute("SET enable_progress_bar = false")
    mem.execute("CREATE TABLE t AS SELECT * FROM df")

    def with_pandas():
        return df.groupby("part", sort=False)["sort_key"].rank(method="min").to_numpy(np.int64)

    def with_duckdb():
        r = mem.sql("SELECT CAST(rowid AS INTEGER) AS rid, "
                    "CAST(rank() OVER (PARTITION BY part ORDER BY sort_key) AS INTEGER) AS r FROM t").to_arrow_table()
        out = np.empty(n, dtype=np.int64)
        out[r.column("rid").to_numpy()] = r.column("r").to_numpy()  # Arrow → numpy without a masked copy
        return out

    # the two alternate, so that a slower moment of a shared machine falls on both; medians of each
    times: dict[str, list[float]] = {"pandas": [], "duckdb": []}
    outs = {}
    for _ in range(reps):
        for name, fn in (("pandas", with_pandas), ("duckdb", with_duckdb)):
            t = time.perf_counter()
            outs[name] = fn()
            times[name].append(time.perf_counter() - t)
    t_pandas, r_pandas = statistics.median(times["pandas"]), outs["pandas"]
    t_duck, r_duck = statistics.median(times["duckdb"]), outs["duckdb"]
    threads = mem.execute("SELECT current_setting('threads')").fetchall()[0][0]
    mem.close()
    return {"rows": n, "partitions": int(codes.max()) + 1 if n else 0, "pandas_s": t_pandas, "duckdb_s": t_duck,
            "identical": bool(np.array_equal(r_pandas, r_duck)), "threads": threads}


def full_ranking_fresh_process(db: Path, reps: int) -> dict[str, object]:
    """`full_ranking` on `db` in a new Python process: both methods start from the same clean memory, not
    from the benchmark process after it built an 8-million-row database (whose leftover allocations made
    the figures of either side wander from run to run)."""
    code = ("import json, sys; from benchmarks.speed import full_ranking; from analytics.store import connect; "
            "con = connect(sys.argv[1]); print(json.dumps(full_ranking(con, int(sys.argv[2]))))")
    done = subprocess.run([sys.executable, "-c", code, str(db), str(reps)], capture_output=True, text=True,
                          cwd=str(ROOT), check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def page_times(db: Path, reps: int = 3) -> dict[str, dict[str, float]]:
    """Each page's server-side script run (AppTest), in menu order: `cold_ms` = the page's first run with the
    app's data caches emptied (ui.cache.clear; modules already imported, see `_warmup`), `warm_ms` = the
    median of the runs after it."""
    with apptest_env(db):  # the app's multipage mode, as the server runs it
        return _page_times(reps)


def _page_times(reps: int) -> dict[str, dict[str, float]]:
    from streamlit.testing.v1 import AppTest

    t = time.perf_counter()
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    out: dict[str, dict[str, float]] = {"_warmup": {"cold_ms": (time.perf_counter() - t) * 1000}}
    for path, pid, _, _, _ in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        at.switch_page(path)
        cache.clear()
        t = time.perf_counter()
        at.run()
        cold = (time.perf_counter() - t) * 1000
        warm = []
        for _ in range(reps):
            t = time.perf_counter()
            at.run()
            warm.append((time.perf_counter() - t) * 1000)
        out[pid] = {"cold_ms": cold, "warm_ms": statistics.median(warm), "exception": bool(at.exception)}
    return out


def map_payloads() -> dict[str, float]:
    out: dict[str, float] = {}
    for name, level, vintage in [("provinces_63", "province", "legacy"), ("provinces_34", "province", "2025"),
                                 ("communes_2025", "commune", "2025")]:
        try:
            out[name + "_kb"] = len(json.dumps(layer_geojson(level, vintage), separators=(",", ":"))) / 1024
        except Exception as e:  # noqa: BLE001 - a missing layer is reported, not fatal
            out[name + "_kb"] = float("nan")
            print(f"  map {name}: {e}", file=sys.stderr)
    return out


def _peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


PAYLOAD_TYPES = {"plotly_chart": "chart", "dataframe": "table", "table": "table"}



def app_server_figures(db: Path, launches: int = 2, catalog: Path | None = None) -> dict[str, object]:
    """The app as users get it: ``streamlit run app.py`` on a copy of ``db``, read over Streamlit's WebSocket
    protocol like a browser tab (benchmarks.server.Session).

    - cold start = from launching the process until the first page (Overview) has finished rendering for the
      first visitor, measured for each of ``launches`` launches: the first right after a build (nothing cached
      on disk), the next ones a restart (the pickled catalog and registry under var/cache/ui exist);
    - then, on the last launch, every page once (first render: cold caches) and once more (warm), the pages
      at national scale (`scale_views`, with ``catalog`` = the benchmark's catalog), the largest chart and
      table each page sent (bytes of the WebSocket message), and the server process's peak resident memory
      (VmHWM) after all of that.
    """
    out: dict[str, object] = {"cold_start_s": [], "pages": {}}
    env = {"CHISO_CATALOG": str(catalog)} if catalog else None
    with tempfile.TemporaryDirectory(prefix="chiso-bench-app-") as tmp:
        copy = Path(tmp) / "bench.duckdb"
        shutil.copy2(db, copy)
        for i in range(launches):
            pids: list[int] = []
            t0 = time.perf_counter()
            with app_server(copy, pids=pids, env=env) as port, Session(port, timeout=120) as s:
                first = s.load("")
                out["cold_start_s"].append(time.perf_counter() - t0)
                if first.errors:
                    out.setdefault("errors", []).extend(first.errors)
                if i < launches - 1:
                    continue
                targets = [(pid, url, "") for _, pid, _, url, _ in PAGES] + scale_views(catalog)
                for name, url, query in targets:
                    runs = [s.load(url, query_string=query), s.load(url, query_string=query)]
                    sizes = {kind: max((r.largest.get(t, 0) for r in runs for t, k in PAYLOAD_TYPES.items()
                                        if k == kind), default=0) for kind in ("chart", "table")}
                    out["pages"][name] = {"first_s": runs[0].seconds, "warm_s": runs[1].seconds,
                                          "errors": runs[0].errors + runs[1].errors, "largest": sizes,
                                          "elements": sum(runs[1].elements.values()), "scale": bool(query)}
                out["app_peak_mb"] = _peak_rss_mb(pids[0])
    return out


