"""Benchmarks: national mean/median/best/worst, region mean, parent mean, and the published average.

A computed mean over a partial table is returned with `complete = False` and its `n`, never passed off
as a national figure; the published average (catalog `published_averages`, e.g. PAR INDEX 2024: 88.37%)
is a separate row with `source = 'published'`.

    benchmarks(con, cat, "par_index", 2024, "old-p-74")        # long: one row per benchmark
    benchmark_series(con, cat, "pci", "old-p-74")              # wide: one row per year (for trend charts)
    comparators(benchmarks(...))                                # dicts for figures.charts.add_comparators
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from analytics.catalog import Catalog
from analytics.store.reads import indicator_level, names_in_year

# "Complete enough" to stand for the country: a national mean, median, leader or last place, a region or
# parent mean, and a component's mean and leader are computed only when at least this share of the units
# the edition ranks (its N, else the units of the level) have a value. Below it the values there are
# describe the localities that happened to be published (often the best ones), not the country. A
# computed *rank* is a different claim ("x of N" says where a unit stands among all N): it needs the full
# table (`RANK_SHARE`), and below that it is a place "among n with data".
COMPLETE_SHARE = 0.9
RANK_SHARE = 1.0


def min_values(n_of: int | None, *, share: float = COMPLETE_SHARE) -> int | None:
    """The fewest values a table of ``n_of`` units needs to be complete enough (``share`` of them, rounded
    up); None when N is unknown."""
    if n_of is None or pd.isna(n_of) or int(n_of) < 1:
        return None
    return math.ceil(share * int(n_of) - 1e-9)


def complete_enough(n_values: int | None, n_of: int | None, *, share: float = COMPLETE_SHARE) -> bool:
    """True when ``n_values`` of ``n_of`` units reach ``share`` (default: the comparators' threshold)."""
    need = min_values(n_of, share=share)
    return need is not None and n_values is not None and not pd.isna(n_values) and int(n_values) >= need


BENCHMARK_COLUMNS = ["benchmark", "scope_id", "value", "n", "n_ranked", "complete", "source", "unit_id", "name",
                     "source_url", "note"]

_BENCH_SQL = """
WITH f AS (
    SELECT f.unit_id, f.value, u.region_id, u.parent_id, u.short_name, u.name, u.level,
           CASE WHEN $direction = 'lower_is_better' THEN -f.value ELSE f.value END AS goodness
    FROM facts f JOIN units u USING (unit_id)
    WHERE f.indicator_id = $indicator AND f.year = $year AND u.level = $level AND u.vintage = $vintage
      AND f.value IS NOT NULL
),
n_units AS (SELECT count(*) AS n FROM units WHERE level = $level AND vintage = $vintage),
target AS (SELECT region_id, parent_id FROM units WHERE unit_id = $unit)
SELECT 'national_mean' AS benchmark, NULL AS scope_id, avg(value) AS value, count(*) AS n,
       NULL AS unit_id FROM f
UNION ALL SELECT 'national_median', NULL, median(value), count(*), NULL FROM f
UNION ALL SELECT 'national_best', NULL, max_by(value, goodness), count(*), arg_max(unit_id, goodness) FROM f
UNION ALL SELECT 'national_worst', NULL, min_by(value, goodness), count(*), arg_min(unit_id, goodness) FROM f
UNION ALL SELECT 'region_mean', any_value(t.region_id), avg(f.value), count(f.value), NULL
    FROM target t LEFT JOIN f ON f.region_id = t.region_id WHERE t.region_id IS NOT NULL
UNION ALL SELECT 'parent_mean', any_value(t.parent_id), avg(f.value), count(f.value), NULL
    FROM target t LEFT JOIN f ON f.parent_id = t.parent_id WHERE t.parent_id IS NOT NULL
"""


def benchmarks(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, year: int,
               unit_id: str | None = None, *, level: str | None = None) -> pd.DataFrame:
    """One row per benchmark for an indicator and year (region/parent rows only with `unit_id`).

    Columns: benchmark ('national_mean' | 'national_median' | 'national_best' | 'national_worst' |
    'region_mean' | 'parent_mean' | 'published_average'), scope_id (region_id / parent unit_id), value,
    n (units with a value behind the figure), n_ranked (the edition's N), complete (the national table
    is complete enough, `COMPLETE_SHARE` of the ranked units, so region/parent means count too), source ('computed' | 'published'), unit_id/name (who is best/worst),
    source_url, note (published average).
    """
    ind_level, vintage, direction = indicator_level(con, indicator_id)
    level = level or ind_level
    ind = catalog.get(indicator_id)
    df = con.execute(_BENCH_SQL, {"indicator": indicator_id, "year": int(year), "level": level,
                                  "vintage": vintage, "direction": direction or "higher_is_better",
                                  "unit": unit_id}).df()
    df = df[df["n"] > 0].copy()
    n_units = con.execute("SELECT count(*) FROM units WHERE level = ? AND vintage = ?", [level, vintage]).fetchall()[0][0]
    ed = ind.edition(int(year))
    n_ranked = ed.n_ranked if ed and ed.n_ranked else None
    df["n_ranked"] = n_ranked
    national_n = int(df.loc[df["benchmark"] == "national_mean", "n"].max()) if len(df) else 0
    df["complete"] = pd.array([complete_enough(national_n, n_ranked or n_units)] * len(df), dtype="boolean")
    df["source"] = "computed"
    df["name"] = df["unit_id"].map(names_in_year(con, df["unit_id"].dropna(), year))
    df["source_url"] = None
    df["note"] = None
    avg = ind.average(int(year), level)
    if avg is not None:
        df = pd.concat([df, pd.DataFrame([{
            "benchmark": "published_average", "scope_id": None, "value": avg.value, "n": pd.NA,
            "n_ranked": n_ranked, "complete": pd.NA, "source": "published", "unit_id": None, "name": None,
            "source_url": avg.source_url, "note": avg.note}])], ignore_index=True)
    df["n"] = df["n"].astype("Int64")
    df["n_ranked"] = df["n_ranked"].astype("Int64")
    return df[BENCHMARK_COLUMNS].reset_index(drop=True)


def national_reference(bench: pd.DataFrame) -> dict | None:
    """The national figure to compare against: the published average if any, else the computed mean of a
    complete table; None when only a partial table exists. Returns {value, source, n}."""
    pub = bench[bench["benchmark"] == "published_average"]
    if len(pub):
        return {"value": float(pub["value"].iloc[0]), "source": "published", "n": None,
                "source_url": pub["source_url"].iloc[0]}
    mean = bench[(bench["benchmark"] == "national_mean") & bench["complete"].fillna(False).astype(bool)]
    if len(mean):
        return {"value": float(mean["value"].iloc[0]), "source": "computed", "n": int(mean["n"].iloc[0]),
                "source_url": None}
    return None


def comparators(bench: pd.DataFrame, *, include_partial: bool = False) -> list[dict]:
    """Comparator dicts for `figures.charts.add_comparators`: national (published average, else the
    complete computed mean), region, parent, leader. Partial-table means are left out unless asked."""
    out: list[dict] = []
    nat = national_reference(bench)
    if nat is None and include_partial:
        row = bench[bench["benchmark"] == "national_mean"]
        if len(row):
            nat = {"value": float(row["value"].iloc[0]), "source": "computed"}
    if nat is not None:
        out.append({"kind": "national", "value": nat["value"], "source": nat["source"]})
    complete = bool(bench.loc[bench["benchmark"] == "national_mean", "complete"].fillna(False).any())
    for bench_kind, kind in (("region_mean", "region"), ("parent_mean", "parent")):
        row = bench[bench["benchmark"] == bench_kind]
        if len(row) and (complete or include_partial or kind == "parent"):
            out.append({"kind": kind, "value": float(row["value"].iloc[0]), "source": "computed",
                        "scope_id": row["scope_id"].iloc[0]})
    best = bench[bench["benchmark"] == "national_best"]
    if len(best) and (complete or include_partial):
        out.append({"kind": "leader", "value": float(best["value"].iloc[0]), "source": "computed",
                    "unit_id": best["unit_id"].iloc[0], "name": best["name"].iloc[0]})
    return out


_SERIES_SQL = """
WITH f AS (
    SELECT f.year, f.unit_id, f.value, u.region_id, u.parent_id,
           CASE WHEN $direction = 'lower_is_better' THEN -f.value ELSE f.value END AS goodness
    FROM facts f JOIN units u USING (unit_id)
    WHERE f.indicator_id = $indicator AND u.level = $level AND u.vintage = $vintage AND f.value IS NOT NULL
),
target AS (SELECT region_id, parent_id FROM units WHERE unit_id = $unit)
SELECT f.year, avg(f.value) AS national_mean, median(f.value) AS national_median,
    max_by(f.value, f.goodness) AS national_best, arg_max(f.unit_id, f.goodness) AS best_unit_id,
    count(*) AS n,
    avg(f.value) FILTER (WHERE f.region_id = (SELECT region_id FROM target)) AS region_mean,
    avg(f.value) FILTER (WHERE f.parent_id = (SELECT parent_id FROM target)) AS parent_mean
FROM f GROUP BY f.year ORDER BY f.year
"""


def benchmark_series(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str,
                     unit_id: str | None = None, *, level: str | None = None) -> pd.DataFrame:
    """Benchmarks by year. Columns: year, national_mean, national_median, national_best, best_unit_id, n,
    n_ranked, complete, region_mean, parent_mean, published_average."""
    ind_level, vintage, direction = indicator_level(con, indicator_id)
    level = level or ind_level
    ind = catalog.get(indicator_id)
    df = con.execute(_SERIES_SQL, {"indicator": indicator_id, "level": level, "vintage": vintage,
                                   "direction": direction or "higher_is_better", "unit": unit_id}).df()
    n_units = con.execute("SELECT count(*) FROM units WHERE level = ? AND vintage = ?", [level, vintage]).fetchall()[0][0]
    df["n_ranked"] = pd.array([(ind.edition(int(y)).n_ranked if ind.edition(int(y)) else None) for y in df["year"]],
                              dtype="Int64")
    df["complete"] = pd.array([complete_enough(n, of) for n, of in zip(df["n"], df["n_ranked"].fillna(n_units),
                                                                          strict=True)], dtype="boolean")
    pub = {a.year: a.value for a in ind.published_averages if a.level == level}
    df["published_average"] = df["year"].map(pub).astype("Float64")
    missing = sorted(set(pub) - set(df["year"]))
    if missing:
        df = pd.concat([df, pd.DataFrame({"year": missing, "published_average": [pub[y] for y in missing]})],
                       ignore_index=True).sort_values("year").reset_index(drop=True)
    df["n"] = df["n"].astype("Int64")
    return df[["year", "national_mean", "national_median", "national_best", "best_unit_id", "n", "n_ranked",
               "complete", "region_mean", "parent_mean", "published_average"]]
