"""`chiso bench`: speed and memory figures on a clearly synthetic, national-scale database.

The synthetic observations are written to a separate database file under var/bench/ (never the real one)
for indicators whose ids start with `synthetic_` and whose names say "SYNTHETIC — not real data".
Figures are printed; no test asserts a timing. The last line starts with `summary:`.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics.paths import ROOT, VAR_DIR

SCALES = {
    # indicators per level/vintage, years, repetitions of each timed call, launches of the app server
    "small": {"indicators": 4, "years": 5, "reps": 15, "full_reps": 3, "pages": True, "server": 1},
    "national": {"indicators": 40, "years": 15, "reps": 50, "full_reps": 5, "pages": True, "server": 2,
                 "load": [{"sessions": 8, "rounds": 4, "imports": 0}, {"sessions": 8, "rounds": 4, "imports": 2}]},
}


def timed(fn: Callable[[], object], reps: int) -> dict[str, float]:
    fn()  # warm
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return {"median_ms": statistics.median(samples), "p95_ms": samples[min(len(samples) - 1, int(0.95 * len(samples)))]}


def _step_name(sql: str) -> str:
    """`CREATE OR REPLACE TEMP TABLE derived_ranks AS ...` → derived_ranks (for the derivation breakdown)."""
    words = [w for line in sql.splitlines() if not line.lstrip().startswith("--") for w in line.split()]
    for kw in ("TABLE", "VIEW"):
        if kw in words:
            return words[words.index(kw) + 1].rstrip(";")
    return " ".join(words[:3])


def derive_timed(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """store.refresh_derived, statement by statement (the same SQL), with the seconds of each step."""
    from analytics.store import DERIVED

    steps: dict[str, float] = {}
    for st in duckdb.extract_statements(DERIVED):
        t = time.perf_counter()
        con.execute(st.query)
        name = _step_name(st.query)
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - t
    return steps


def build_scale_db(path: Path, n_indicators: int, n_years: int) -> dict[str, object]:
    """Real database + synthetic observations for every legacy and 2025 commune (and provinces, districts)."""
    from analytics.store import build, writable_snapshot

    t0 = time.perf_counter()
    build(path)
    t_real = time.perf_counter() - t0
    t1 = time.perf_counter()
    with writable_snapshot(path) as con:
        con.execute("SET enable_progress_bar = false")
        con.execute("""
            INSERT INTO indicators (indicator_id, kind, name_vi, name_en, short_vi, short_en, unit, scale_min,
                                    scale_max, decimals, direction, level, vintage, publisher_vi, publisher_en)
            SELECT 'synthetic_' || lpad(i::VARCHAR, 2, '0') || '_' || lv.level || '_' || lv.vintage, 'index',
                   'CHỈ SỐ GIẢ LẬP — không phải số liệu thật', 'SYNTHETIC — not real data', 'Giả lập', 'Synthetic',
                   'điểm', 0, 100, 2, CASE WHEN i % 7 = 0 THEN 'lower_is_better' ELSE 'higher_is_better' END,
                   lv.level, lv.vintage, 'Benchmark', 'Benchmark'
            FROM range(1, $n + 1) t(i)
            CROSS JOIN (SELECT DISTINCT level, vintage FROM units WHERE level <> 'agency') lv
        """, {"n": n_indicators})
        con.execute("""
            INSERT INTO editions SELECT indicator_id, y, NULL, NULL, NULL, 'synthetic'
            FROM indicators CROSS JOIN range(2010, 2010 + $years) t(y) WHERE indicator_id LIKE 'synthetic_%'
        """, {"years": n_years})
        con.execute("""
            INSERT INTO observations (indicator_id, unit_id, year, value, status, note)
            SELECT i.indicator_id, u.unit_id, e.year,
                   round(40 + 60 * (hash(i.indicator_id || u.unit_id || e.year) % 100000) / 100000.0, 2),
                   'primary', 'synthetic'
            FROM indicators i
            JOIN units u ON u.level = i.level AND u.vintage = i.vintage
            JOIN editions e ON e.indicator_id = i.indicator_id
            WHERE i.indicator_id LIKE 'synthetic_%'
        """)
        t_insert = time.perf_counter() - t1
        t2 = time.perf_counter()
        steps = derive_timed(con)
        t_derived = time.perf_counter() - t2
        n_obs = con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    return {"build_real_s": t_real, "insert_synthetic_s": t_insert, "derive_s": t_derived, "derive_steps": steps,
            "total_build_s": time.perf_counter() - t0, "observations": n_obs, "db_mb": path.stat().st_size / 1e6}


LEVEL_NAMES = {("province", "legacy"): ("tỉnh, 63", "provinces, 63"), ("province", "2025"): ("tỉnh, 34", "provinces, 34"),
               ("district", "legacy"): ("huyện", "districts"), ("commune", "legacy"): ("xã, cũ", "communes, old"),
               ("commune", "2025"): ("xã, 2025", "communes, 2025")}


def write_synthetic_catalog(db: Path, folder: Path, n_years: int) -> Path:
    """The real catalog plus one synthetic index per level and vintage (`synthetic_01_<level>_<vintage>`),
    named as synthetic, so that the pages can show national-scale data when the app runs with
    ``CHISO_CATALOG`` pointing here (the benchmark's own app runs only)."""
    import yaml

    from analytics.catalog import DEFAULT_LABELS_PATH, DEFAULT_PATH, load_catalog

    with duckdb.connect(str(db), read_only=True) as con:
        ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicators WHERE indicator_id LIKE 'synthetic_01_%' "
                                         "ORDER BY 1").fetchall()]
    entries = []
    for iid in ids:
        _, _, level, vintage = iid.split("_", 3)
        vi, en = LEVEL_NAMES.get((level, vintage), (f"{level}, {vintage}", f"{level}, {vintage}"))
        entries.append({
            "id": iid, "parent": None, "kind": "index",
            "name": {"vi": f"CHỈ SỐ GIẢ LẬP ({vi}) — không phải số liệu thật",
                     "en": f"SYNTHETIC index ({en}) — not real data"},
            "short": {"vi": f"Giả lập ({vi})", "en": f"Synthetic ({en})"},
            "unit": "điểm/points", "scale": {"min": 0, "max": 100}, "decimals": 2, "direction": "higher_is_better",
            "levels": [level], "vintage": vintage,
            "publisher": {"vi": "Dữ liệu giả lập của chiso bench", "en": "chiso bench synthetic data"},
            "source_url": "https://example.org/chiso-bench-synthetic",  # a reserved example domain: no source
            "editions": {y: {"n_ranked": None, "published_top": None, "published": None,
                             "note": "synthetic"} for y in range(2010, 2010 + n_years)},
        })
    doc = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    items = doc["indicators"] if isinstance(doc, dict) else doc
    items.extend(entries)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "indicators.yaml"
    path.write_text("# chiso bench: the real catalog + SYNTHETIC indicators (never real data)\n"
                    + yaml.safe_dump({"indicators": items}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy2(DEFAULT_LABELS_PATH, folder / DEFAULT_LABELS_PATH.name)
    load_catalog(path)  # valid, or a CatalogError naming the entry
    return path


def import_one_indicator_year(db: Path, indicator_id: str, year: int) -> dict[str, object]:
    """What an import of one indicator-year costs at this scale, on the import path (analytics.imports does
    the same steps around its validation): a private copy of the snapshot, the old rows replaced by new
    synthetic values, the derived rows of that indicator refreshed, the copy checkpointed and swapped in."""
    from analytics.store import refresh_derived, writable_snapshot

    t0 = time.perf_counter()
    with writable_snapshot(db) as con:
        t_copy = time.perf_counter() - t0
        t1 = time.perf_counter()
        con.execute("""
            CREATE TEMP TABLE replaced AS
            SELECT DISTINCT indicator_id, unit_id, year,
                   round(40 + 60 * (hash('re-import' || unit_id) % 100000) / 100000.0, 2) AS value
            FROM observations WHERE indicator_id = $i AND year = $y""", {"i": indicator_id, "y": year})
        con.execute("DELETE FROM observations WHERE indicator_id = $i AND year = $y", {"i": indicator_id, "y": year})
        n = con.execute("""
            INSERT INTO observations (indicator_id, unit_id, year, value, status, note, import_id)
            SELECT indicator_id, unit_id, year, value, 'primary', 'synthetic re-import', 'bench' FROM replaced""") \
            .fetchall()[0][0]
        t_write = time.perf_counter() - t1
        t2 = time.perf_counter()
        kind = refresh_derived(con, [indicator_id])
        t_refresh = time.perf_counter() - t2
        t3 = time.perf_counter()
    t_swap = time.perf_counter() - t3
    return {"rows": n, "kind": kind, "copy_s": t_copy, "write_s": t_write, "refresh_s": t_refresh,
            "checkpoint_swap_s": t_swap, "total_s": time.perf_counter() - t0}


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
    import json

    code = ("import json, sys; from analytics.bench import full_ranking; from analytics.store import connect; "
            "con = connect(sys.argv[1]); print(json.dumps(full_ranking(con, int(sys.argv[2]))))")
    done = subprocess.run([sys.executable, "-c", code, str(db), str(reps)], capture_output=True, text=True,
                          cwd=str(ROOT), check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def page_times(db: Path, reps: int = 3) -> dict[str, dict[str, float]]:
    """Each page's server-side script run (AppTest), in menu order: `cold_ms` = the page's first run with the
    app's data caches emptied (ui.cache.clear; modules already imported, see `_warmup`), `warm_ms` = the
    median of the runs after it."""
    from ui.apptest import apptest_env

    with apptest_env(db):  # the app's multipage mode, as the server runs it
        return _page_times(reps)


def _page_times(reps: int) -> dict[str, dict[str, float]]:
    from streamlit.testing.v1 import AppTest

    from ui import cache
    from ui.nav import PAGES

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
    try:
        from geo.layers import layer_geojson
    except ImportError:
        return out
    import json

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


def scale_views(catalog: Path | None) -> list[tuple[str, str, str]]:
    """(name, url path, query string) of the pages at national scale: the synthetic commune and district
    indices of the benchmark's catalog on the rankings, within-province and profile pages."""
    if catalog is None:
        return []
    from urllib.parse import urlencode

    from analytics.catalog import load_catalog
    from analytics.registry import Registry
    from ui.state import unit_label

    cat = load_catalog(catalog)
    label = {iid: cat.get(iid).label("vi", short=True) for iid in cat.items if iid.startswith("synthetic_01_")}
    views = []
    for iid, name in (("synthetic_01_commune_legacy", "communes"), ("synthetic_01_commune_2025", "communes_2025"),
                      ("synthetic_01_district_legacy", "districts")):
        if iid in label:
            views.append((f"rankings_{name}", "xep-hang", urlencode({"r_ind": label[iid]})))
            views.append((f"within_{name}", "trong-tinh", urlencode({"w_ind": label[iid]})))
    if "synthetic_01_commune_legacy" in label:
        reg = Registry.from_package()
        ward = reg.units_by_id["old-c-25741"]
        views.append(("profile_commune", "ho-so", urlencode({"p_unit": unit_label(ward, reg),
                                                             "p_ind": label["synthetic_01_commune_legacy"]})))
    return views


def app_server_figures(db: Path, launches: int = 2, catalog: Path | None = None) -> dict[str, object]:
    """The app as users get it: ``streamlit run app.py`` on a copy of ``db``, read over Streamlit's WebSocket
    protocol like a browser tab (analytics.loadtest.Session).

    - cold start = from launching the process until the first page (Overview) has finished rendering for the
      first visitor, measured for each of ``launches`` launches: the first right after a build (nothing cached
      on disk), the next ones a restart (the pickled catalog and registry under var/cache/ui exist);
    - then, on the last launch, every page once (first render: cold caches) and once more (warm), the pages
      at national scale (`scale_views`, with ``catalog`` = the benchmark's catalog), the largest chart and
      table each page sent (bytes of the WebSocket message), and the server process's peak resident memory
      (VmHWM) after all of that.
    """
    import tempfile

    from analytics.loadtest import Session, app_server
    from ui.nav import PAGES

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


def main(scale: str = "small") -> int:
    from analytics.catalog import load_catalog
    from analytics.ranking import Scope, ranking
    from analytics.store import connect
    from analytics.trends import trend

    cfg = SCALES[scale]
    bench_dir = VAR_DIR / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db = bench_dir / f"chiso_bench_{scale}.duckdb"
    print(f"# chiso bench --scale {scale}  (SYNTHETIC data in {db}; the real database is not touched)")
    b = build_scale_db(db, cfg["indicators"], cfg["years"])
    for k, v in b.items():
        if k == "derive_steps":
            continue
        print(f"build.{k} = {v:,.2f}" if isinstance(v, float) else f"build.{k} = {v:,}")
    steps = b["derive_steps"]
    print("build.derive_steps (s): " + ", ".join(f"{k} {v:.2f}" for k, v in steps.items() if v >= 0.005))
    print("  derived_facts = dedupe observations + the one sort of wide rows; derived_ranks = every rank, x/N,"
          " completeness, percentile, quartile and change against the previous edition of every indicator-year"
          " (window functions over narrow rows); ranked_facts = writing the table pages look up")

    con = connect(db)
    reps = cfg["reps"]
    cat = load_catalog()
    legacy, new = "synthetic_01_commune_legacy", "synthetic_01_commune_2025"
    n_rows = con.execute("SELECT n_rows FROM ranking_parts WHERE indicator_id = ? AND year = 2012 AND own_level",
                         [legacy]).fetchall()[0][0]
    print(f"# one indicator-year ranking = ranking() into the page's DataFrame ({n_rows:,} communes, 30 columns"
          " incl. names, x/N, percentile, band, change against the previous edition)")
    results = {
        "rank_commune_national": timed(lambda: ranking(con, legacy, 2012), reps),
        "rank_commune_national_include_missing": timed(lambda: ranking(con, legacy, 2012, include_missing=True),
                                                       reps),
        "rank_commune_2025_national": timed(lambda: ranking(con, new, 2012), reps),
        "rank_district_national": timed(lambda: ranking(con, "synthetic_01_district_legacy", 2012), reps),
        "rank_province_national": timed(lambda: ranking(con, "synthetic_01_province_legacy", 2012), reps),
        "rank_commune_within_province": timed(
            lambda: ranking(con, legacy, 2012, scope=Scope("province", "old-p-74")), reps),
        "rank_province_real_pci_2018": timed(lambda: ranking(con, "pci", 2018), reps),
        "trend_one_locality": timed(lambda: trend(con, cat, "pci", "old-p-74"), reps),
        "trend_one_commune": timed(lambda: trend(con, cat, legacy, "old-c-25741"), reps),
    }
    # the 2025 crosswalk: legacy values derived on the new units (provinces 63 → 34, communes 10,035 → 3,321)
    from analytics.crosswalk import crosswalk

    results["crosswalk_provinces_real_pci_2018"] = timed(lambda: crosswalk(con, cat, "pci", 2018), max(5, reps // 3))
    results["crosswalk_communes"] = timed(lambda: crosswalk(con, cat, legacy, 2012), max(5, reps // 3))
    for name, r in results.items():
        print(f"{name}: median {r['median_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms")

    fr = full_ranking_fresh_process(db, cfg["full_reps"])
    speedup = fr["pandas_s"] / fr["duckdb_s"] if fr["duckdb_s"] else float("nan")
    print(f"full_ranking_all_indicator_years: {fr['rows']:,} rows in {fr['partitions']:,} indicator-years, same "
          f"in-memory input (integer part code + sort key, import order), same output (int64 rank per row, "
          f"identical: {fr['identical']}), in a fresh process, the two alternating, medians of {cfg['full_reps']}:")
    print(f"  duckdb {fr['duckdb_s'] * 1000:.0f} ms  rank() OVER (PARTITION BY part ORDER BY sort_key), in-memory "
          f"table, {fr['threads']} threads, (rowid, rank) as INTEGER via Arrow, placed in row order")
    print(f"  pandas {fr['pandas_s'] * 1000:.0f} ms  df.groupby('part', sort=False)['sort_key'].rank(method='min')"
          f" → int64, one thread")
    print(f"  speedup {speedup:.2f}x")
    con.close()

    imp = import_one_indicator_year(db, "synthetic_02_commune_legacy", 2009 + cfg["years"])
    print(f"import of one indicator-year ({imp['rows']:,} communes, replacing the published values) into this "
          f"database: {imp['total_s']:.2f} s = snapshot copy {imp['copy_s']:.2f} + write {imp['write_s']:.2f} + "
          f"refresh of that indicator's derived rows ({imp['kind']}) {imp['refresh_s']:.2f} + checkpoint and "
          f"atomic swap {imp['checkpoint_swap_s']:.2f}")

    pages = {}
    if cfg["pages"] and (ROOT / "app.py").exists():
        pages = page_times(db)
        warmup = pages.pop("_warmup")
        print(f"pages (AppTest, server-side script run): the process's first run (imports, connection, "
              f"registry) {warmup['cold_ms']:.0f} ms; then per page, cold = first run with the data caches "
              "emptied, warm = median of 3 runs after it")
        for name, r in pages.items():
            print(f"page {name}: cold {r['cold_ms']:.0f} ms, warm {r['warm_ms']:.0f} ms"
                  + ("  EXCEPTION" if r["exception"] else ""))
    payloads = map_payloads()
    for name, v in payloads.items():
        print(f"payload {name} = {v:,.0f}")
    catalog = write_synthetic_catalog(db, bench_dir / "catalog", cfg["years"])
    server = (app_server_figures(db, launches=cfg["server"], catalog=catalog)
              if cfg["server"] and (ROOT / "app.py").exists() else {})
    cold = server.get("cold_start_s", [])
    if cold:
        print("app cold start (launch → Overview rendered for the first visitor, over the WebSocket): "
              + ", ".join(f"{v:.2f} s" for v in cold) + "  (first launch after the build, then restarts)")
        for name, r in server["pages"].items():
            big = r["largest"]
            print(f"app page {name}: first render {r['first_s'] * 1000:.0f} ms, again {r['warm_s'] * 1000:.0f} ms "
                  f"(server run + WebSocket delivery); largest chart {big['chart'] / 1024:,.0f} KB, largest table "
                  f"{big['table'] / 1024:,.0f} KB" + (f"  ERRORS {r['errors']}" if r["errors"] else ""))
    loads = []
    for spec in cfg.get("load", []) if (ROOT / "app.py").exists() else []:
        from analytics.loadtest import run_load

        load = run_load(db, probe=False, **spec)
        loads.append(load)
        for line in load.lines():
            print(line)
        print(f"load: {len(load.runs) / load.wall_seconds:.1f} page runs per second on this 2-core machine "
              f"({len(load.runs)} runs in {load.wall_seconds:.1f} s, each session asking for its next page as soon"
              " as the last one finished)")
    peak = server.get("app_peak_mb")
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: bench process peak {rss_self:.0f} MB"
          + (f", app server peak {peak:.0f} MB after rendering every page" if peak else ""))

    warm_max = max((r["warm_ms"] for r in pages.values()), default=float("nan"))
    summary = [
        f"scale={scale}", f"observations={b['observations']}", f"build_s={b['total_build_s']:.1f}",
        f"derive_s={b['derive_s']:.1f}", f"derive_ranks_s={steps.get('derived_ranks', float('nan')):.2f}",
        f"db_mb={b['db_mb']:.0f}", f"all_ranks_s={fr['duckdb_s']:.2f}",
        f"rank_commune_ms={results['rank_commune_national']['median_ms']:.2f}",
        f"rank_commune_p95_ms={results['rank_commune_national']['p95_ms']:.2f}",
        f"rank_within_province_ms={results['rank_commune_within_province']['median_ms']:.2f}",
        f"trend_ms={results['trend_one_commune']['median_ms']:.2f}",
        f"crosswalk_communes_ms={results['crosswalk_communes']['median_ms']:.1f}",
        f"full_rank_duckdb_ms={fr['duckdb_s'] * 1000:.0f}", f"full_rank_pandas_ms={fr['pandas_s'] * 1000:.0f}",
        f"speedup_vs_pandas={speedup:.2f}", f"import_one_s={imp['total_s']:.2f}",
        f"import_refresh_s={imp['refresh_s']:.2f}", f"page_warm_max_ms={warm_max:.0f}",
        f"page_cold_max_ms={max((r['cold_ms'] for r in pages.values()), default=float('nan')):.0f}",
    ]
    summary += [f"{k}={v:.0f}" for k, v in payloads.items()]
    if server.get("pages"):
        at_scale = [r for r in server["pages"].values() if r["scale"]]
        summary.append(f"app_page_again_max_ms={max(r['warm_s'] for r in server['pages'].values()) * 1000:.0f}")
        if at_scale:
            summary.append(f"app_scale_page_again_max_ms={max(r['warm_s'] for r in at_scale) * 1000:.0f}")
        summary.append(f"largest_chart_kb={max(r['largest']['chart'] for r in server['pages'].values()) / 1024:.0f}")
        summary.append(f"largest_table_kb={max(r['largest']['table'] for r in server['pages'].values()) / 1024:.0f}")
    if cold:
        summary.append(f"cold_start_s={cold[-1]:.2f}")
        summary.append(f"cold_start_first_s={cold[0]:.2f}")
    if peak:
        summary.append(f"app_peak_mb={peak:.0f}")
    for load in loads:
        tag = "load" if not load.imports_done else "load_importing"
        summary += [f"{tag}_p50_ms={load.percentiles().get('p50_ms', float('nan')):.0f}",
                    f"{tag}_p95_ms={load.percentiles().get('p95_ms', float('nan')):.0f}",
                    f"{tag}_pages_per_s={len(load.runs) / load.wall_seconds:.1f}", f"{tag}_errors={len(load.errors)}"]
    print("summary: " + " ".join(summary))
    shutil.rmtree(bench_dir / "tmp", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "small"))
