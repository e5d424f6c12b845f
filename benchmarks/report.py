"""`python -m benchmarks` (also `chiso bench`): speed and memory figures on a clearly synthetic, national-scale
database (`benchmarks.scale_db`), written to its own file under var/bench/ (never the real one).
Figures are printed; no test asserts a timing. The last line starts with `summary:`.
"""

from __future__ import annotations

import importlib.util
import resource
import shutil
from pathlib import Path

from analytics.catalog import load_catalog
from analytics.crosswalk import crosswalk
from analytics.paths import ROOT, VAR_DIR, default_db_path
from analytics.ranking import Scope, ranking
from analytics.store import connect
from analytics.trends import trend
from benchmarks.browser import CHROMIUM
from benchmarks.load import run_load
from benchmarks.people import browser_figures, proxy_load
from benchmarks.scale_db import (
    build_scale_db,
    import_one_indicator_year,
    scale_views,
    write_synthetic_catalog,
)
from benchmarks.speed import app_server_figures, full_ranking_fresh_process, map_payloads, page_times, timed
from deploy.nginx import NginxMissing, nginx_binary

SCALES = {
    # indicators per level/vintage, years, repetitions of each timed call, launches of the app server
    # browser: launches of a server for the first visitor, new browser sessions, picker changes;
    # proxy: the load test through nginx with 1 and 2 replicas (sessions, rounds, import cycles published)
    "small": {"indicators": 4, "years": 5, "reps": 15, "full_reps": 3, "pages": True, "server": 1,
              "browser": {"launches": 2, "sessions": 5, "picks": 6},
              "proxy": {"sessions": 4, "rounds": 3, "imports": 1}},
    "national": {"indicators": 40, "years": 15, "reps": 50, "full_reps": 5, "pages": True, "server": 2,
                 "load": [{"sessions": 8, "rounds": 4, "imports": 0}, {"sessions": 8, "rounds": 4, "imports": 2}],
                 "browser": {"launches": 3, "sessions": 7, "picks": 9},
                 "proxy": {"sessions": 8, "rounds": 4, "imports": 2}},
}


def people_section(scale: str, cfg: dict, bench_db: Path, catalog: Path) -> list[str]:
    """The browser figures (real database; also the national one at national scale) and the load through
    nginx; prints their lines, returns their part of the summary."""
    real = default_db_path()
    missing = [what for what, ok in (
        ("Debian chromium", Path(CHROMIUM).exists()), ("Playwright (pip install -e '.[test]')", _has_playwright()),
        ("Debian nginx", _has_nginx()), (f"the database {real} (chiso build)", real.exists())) if not ok]
    if missing:
        print("browser and proxy sections skipped: missing " + ", ".join(missing))
        return []
    figs = [browser_figures(real, "real data", **cfg["browser"])]
    if scale == "national":
        figs.append(browser_figures(bench_db, "national scale", catalog=catalog, views=scale_views(catalog),
                                    **cfg["browser"]))
    for f in figs:
        for line in f.lines():
            print(line)
    main_fig = figs[-1]
    summary = [f"browser_first_visit_ms={main_fig.summary['first']['complete_ms']['median']:.0f}",
               f"browser_first_visit_warmed_ms={main_fig.summary['first_warmed']['complete_ms']['median']:.0f}",
               f"browser_new_session_ms={main_fig.summary['new']['complete_ms']['median']:.0f}",
               f"browser_new_session_p95_ms={main_fig.summary['new']['complete_ms']['p95']:.0f}",
               f"browser_picker_ms={main_fig.summary['picker']['median']:.0f}",
               f"browser_picker_p95_ms={main_fig.summary['picker']['p95']:.0f}",
               f"browser_language_ms={main_fig.summary['language']['median']:.0f}",
               f"browser_first_visit_kb={main_fig.summary['first']['kb']['median']:.0f}",
               f"browser_errors={sum(len(f.errors) for f in figs)}"]
    errors = 0
    for n in (1, 2):
        quiet, busy = proxy_load(real if scale == "small" else bench_db, replicas=n, **cfg["proxy"])
        for res, what in ((quiet, "reading"), (busy, "reading while imports are published")):
            p = res.percentiles()
            print(f"proxy: nginx + {n} replica(s), {res.sessions} sessions {what}: {len(res.runs) / res.wall_seconds:.1f}"
                  f" pages/s, p50 {p.get('p50_ms', float('nan')):.0f} ms, p95 {p.get('p95_ms', float('nan')):.0f} ms,"
                  f" {res.imports_done} imports + {res.reverts_done} reverts published, errors {len(res.errors)}"
                  + "".join(f"\n  error: {e}" for e in res.errors[:5]))
            errors += len(res.errors)
        summary.append(f"proxy_pages_per_s_{n}={len(quiet.runs) / quiet.wall_seconds:.1f}")
        summary.append(f"proxy_importing_pages_per_s_{n}={len(busy.runs) / busy.wall_seconds:.1f}")
    summary.append(f"proxy_errors={errors}")
    return summary


def _has_playwright() -> bool:
    return importlib.util.find_spec("playwright") is not None


def _has_nginx() -> bool:
    try:
        nginx_binary()
    except NginxMissing:
        return False
    return True



def main(scale: str = "small") -> int:
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
        load = run_load(db, probe=False, **spec)
        loads.append(load)
        for line in load.lines():
            print(line)
        print(f"load: {len(load.runs) / load.wall_seconds:.1f} page runs per second on this 2-core machine "
              f"({len(load.runs)} runs in {load.wall_seconds:.1f} s, each session asking for its next page as soon"
              " as the last one finished)")
    people = people_section(scale, cfg, db, catalog)
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
    summary += people
    print("summary: " + " ".join(summary))
    shutil.rmtree(bench_dir / "tmp", ignore_errors=True)
    return 0

