"""`chiso bench`: speed and memory figures on a clearly synthetic, national-scale database.

The synthetic observations are written to a separate database file under var/bench/ (never the real one)
for indicators whose ids start with `synthetic_` and whose names say "SYNTHETIC — not real data".
Figures are printed; no test asserts a timing. The last line starts with `summary:`.
"""

from __future__ import annotations

import os
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
    # indicators, years, repetitions
    "small": {"indicators": 4, "years": 5, "reps": 15, "pages": True, "server": False},
    "national": {"indicators": 40, "years": 15, "reps": 30, "pages": True, "server": True},
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


def build_scale_db(path: Path, n_indicators: int, n_years: int) -> dict[str, float]:
    """Real database + synthetic observations for every legacy and 2025 commune (and provinces, districts)."""
    from analytics.store import build, refresh_derived, writable_snapshot

    t0 = time.perf_counter()
    build(path)
    t_real = time.perf_counter() - t0
    t1 = time.perf_counter()
    with writable_snapshot(path) as con:
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
        refresh_derived(con)
        t_derived = time.perf_counter() - t2
        n_obs = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    return {"build_real_s": t_real, "insert_synthetic_s": t_insert, "derive_all_ranks_s": t_derived,
            "total_build_s": time.perf_counter() - t0, "observations": n_obs,
            "db_mb": path.stat().st_size / 1e6}


def pandas_full_ranking(con: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """The obvious pandas way on the same data: groupby + rank(method='min'); and DuckDB's own full pass."""
    df = con.execute("""
        SELECT f.indicator_id, f.year, f.level, f.vintage, f.unit_id, f.value, i.direction
        FROM facts f JOIN indicators i USING (indicator_id)
        WHERE f.value IS NOT NULL AND i.direction IS NOT NULL
    """).df()
    t = time.perf_counter()
    key = df["value"].where(df["direction"] == "lower_is_better", -df["value"])
    df["rank"] = key.groupby([df["indicator_id"], df["year"], df["level"], df["vintage"]]).rank(method="min")
    t_pandas = time.perf_counter() - t
    t = time.perf_counter()
    con.execute("""
        CREATE OR REPLACE TEMP TABLE bench_ranks AS
        SELECT f.indicator_id, f.year, f.level, f.vintage, f.unit_id, f.value,
               rank() OVER (PARTITION BY f.indicator_id, f.year, f.level, f.vintage
                            ORDER BY CASE WHEN i.direction = 'lower_is_better' THEN f.value ELSE -f.value END) AS r
        FROM facts f JOIN indicators i USING (indicator_id)
        WHERE f.value IS NOT NULL AND i.direction IS NOT NULL
    """)
    t_duck = time.perf_counter() - t
    return t_pandas, t_duck


def page_times(db: Path, reps: int = 3) -> dict[str, dict[str, float]]:
    from streamlit.testing.v1 import AppTest

    os.environ["CHISO_DB"] = str(db)
    pages = sorted(p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
    out = {}
    for page in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        t = time.perf_counter()
        at.run()
        at.switch_page(f"pages/{page.name}")
        at.run()
        cold = (time.perf_counter() - t) * 1000
        warm = []
        for _ in range(reps):
            t = time.perf_counter()
            at.run()
            warm.append((time.perf_counter() - t) * 1000)
        out[page.stem] = {"cold_ms": cold, "warm_ms": statistics.median(warm),
                          "exception": bool(at.exception)}
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


def server_peak_memory(db: Path, seconds: float = 25.0) -> float | None:
    """Start the app, load every page once over HTTP, report the process's peak RSS (MB)."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, CHISO_DB=str(db))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                             "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        with open(f"/proc/{proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return None


def main(scale: str = "small") -> int:
    from analytics.ranking import Scope, ranking
    from analytics.store import connect

    cfg = SCALES[scale]
    bench_dir = VAR_DIR / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    db = bench_dir / f"chiso_bench_{scale}.duckdb"
    print(f"# chiso bench --scale {scale}  (SYNTHETIC data in {db}; the real database is not touched)")
    b = build_scale_db(db, cfg["indicators"], cfg["years"])
    for k, v in b.items():
        print(f"build.{k} = {v:,.2f}" if isinstance(v, float) else f"build.{k} = {v:,}")

    con = connect(db)
    reps = cfg["reps"]
    ind_commune = "synthetic_01_commune_legacy"
    ind_commune_new = "synthetic_01_commune_2025"
    results = {
        "rank_commune_national": timed(lambda: ranking(con, ind_commune, 2012), reps),
        "rank_commune_2025_national": timed(lambda: ranking(con, ind_commune_new, 2012), reps),
        "rank_commune_within_province": timed(
            lambda: ranking(con, ind_commune, 2012, scope=Scope("province", "old-p-74")), reps),
        "rank_province_real_pci_2018": timed(lambda: ranking(con, "pci", 2018), reps),
    }
    try:
        from analytics.catalog import load_catalog
        from analytics.trends import trend

        cat = load_catalog()
        results["trend_one_locality"] = timed(lambda: trend(con, cat, "pci", "old-p-74"), reps)
    except Exception as e:  # noqa: BLE001
        print(f"  trend: {e}", file=sys.stderr)
    try:
        from analytics import crosswalk

        fn = getattr(crosswalk, "derive_on_new_units", None) or getattr(crosswalk, "derived_values", None)
        if fn is not None:
            results["crosswalk_derivation"] = timed(lambda: fn(con, "pci", 2018), max(3, reps // 3))
    except Exception as e:  # noqa: BLE001
        print(f"  crosswalk: {e}", file=sys.stderr)
    for name, r in results.items():
        print(f"{name}: median {r['median_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms")

    t_pandas, t_duck = pandas_full_ranking(con)
    speedup = t_pandas / t_duck if t_duck else float("nan")
    print(f"full_ranking_all_indicator_years: duckdb {t_duck * 1000:.0f} ms, pandas groupby-rank "
          f"{t_pandas * 1000:.0f} ms, speedup {speedup:.2f}x")
    con.close()

    pages = {}
    if cfg["pages"] and (ROOT / "app.py").exists():
        pages = page_times(db)
        for name, r in pages.items():
            print(f"page {name}: cold {r['cold_ms']:.0f} ms, warm {r['warm_ms']:.0f} ms"
                  + ("  EXCEPTION" if r["exception"] else ""))
    payloads = map_payloads()
    for name, v in payloads.items():
        print(f"payload {name} = {v:,.0f}")
    peak = server_peak_memory(db) if cfg["server"] and (ROOT / "app.py").exists() else None
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: bench process peak {rss_self:.0f} MB" + (f", app server peak {peak:.0f} MB" if peak else ""))

    warm_max = max((r["warm_ms"] for r in pages.values()), default=float("nan"))
    summary = [
        f"scale={scale}", f"observations={b['observations']}", f"build_s={b['total_build_s']:.1f}",
        f"db_mb={b['db_mb']:.0f}", f"all_ranks_s={b['derive_all_ranks_s']:.2f}",
        f"rank_commune_ms={results['rank_commune_national']['median_ms']:.2f}",
        f"rank_within_province_ms={results['rank_commune_within_province']['median_ms']:.2f}",
        f"full_rank_duckdb_ms={t_duck * 1000:.0f}", f"full_rank_pandas_ms={t_pandas * 1000:.0f}",
        f"speedup_vs_pandas={speedup:.2f}", f"page_warm_max_ms={warm_max:.0f}",
    ]
    summary += [f"{k}={v:.0f}" for k, v in payloads.items()]
    if peak:
        summary.append(f"app_peak_mb={peak:.0f}")
    print("summary: " + " ".join(summary))
    shutil.rmtree(bench_dir / "tmp", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "small"))
