"""The benchmark's national-scale database: the real database plus clearly SYNTHETIC observations for every
legacy and 2025 commune (and provinces, districts), written to its own file under var/bench/ (never the real
one), for indicators whose ids start with `synthetic_` and whose names say "SYNTHETIC — not real data"; a
catalog that names them; the page views that show them; what one import costs at this scale."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb

from analytics.catalog import DEFAULT_LABELS_PATH, DEFAULT_PATH, load_catalog
from analytics.registry import Registry
from analytics.store import DERIVED, build, refresh_derived, writable_snapshot
from ui.state import unit_label


def _step_name(sql: str) -> str:
    """`CREATE OR REPLACE TEMP TABLE derived_ranks AS ...` → derived_ranks (for the derivation breakdown)."""
    words = [w for line in sql.splitlines() if not line.lstrip().startswith("--") for w in line.split()]
    for kw in ("TABLE", "VIEW"):
        if kw in words:
            return words[words.index(kw) + 1].rstrip(";")
    return " ".join(words[:3])


def derive_timed(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """store.refresh_derived, statement by statement (the same SQL), with the seconds of each step."""
    steps: dict[str, float] = {}
    for st in duckdb.extract_statements(DERIVED):
        t = time.perf_counter()
        con.execute(st.query)
        name = _step_name(st.query)
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - t
    return steps


def build_scale_db(path: Path, n_indicators: int, n_years: int) -> dict[str, object]:
    """Real database + synthetic observations for every legacy and 2025 commune (and provinces, districts)."""
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



def scale_views(catalog: Path | None) -> list[tuple[str, str, str]]:
    """(name, url path, query string) of the pages at national scale: the synthetic commune and district
    indices of the benchmark's catalog on the rankings, within-province and profile pages."""
    if catalog is None:
        return []
    from urllib.parse import urlencode


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


