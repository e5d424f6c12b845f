"""Coverage of one indicator: which units of its level and vintage have a value, a published rank only, or
nothing, year by year, and the "n/N" counts a year picker shows ("2023 · 30/63").

Pure Python + DuckDB (reads the ``units``, ``unit_names``, ``facts`` and ``editions`` tables), no Streamlit::

    cells = indicator_cells(con, catalog, "par_index")            # one row per unit and year
    counts = year_counts(cells)                                   # one row per year: n, N, "13/63"
    year_labels(counts)                                           # {2023: "2023 · 16/63", ...}
    default_year(counts)                                          # 2023: where a page opens
    missing_units(cells, 2023)                                    # the units without any figure in 2023
    provinces_of(con, catalog, "bd_par_district")                 # ["old-p-74"]: where a local index is published

The years are the catalog's editions and the years with data. N is the edition's ``n_ranked`` when the
catalog states it, else the number of units of the level and vintage valid that year (inside the province
for an index a province publishes for its own districts, wards or departments). A unit without a figure is
"none": a gap, never a zero.
"""

from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd

from analytics.benchmarks import min_values
from analytics.catalog import Catalog
from analytics.fmt import fmt_number

Status = Literal["value", "rank_only", "none"]
STATUSES: tuple[Status, ...] = ("value", "rank_only", "none")

CELL_COLUMNS = ["unit_id", "code", "name", "short_name", "parent_name", "province_id", "year", "value", "official_rank", "status",
                "n_of", "of_basis"]
COUNT_COLUMNS = ["year", "n", "n_values", "n_rank_only", "n_units", "n_of", "of_basis", "label"]

# Units of one level and vintage with their name in each year (Thừa Thiên Huế until 2024). A vintage's
# units stand for every year of it: figures of the 34 new provinces for 2024 are recomputations stated on
# the 2025 units (valid only from 1 July 2025), so validity dates only narrow a year when some unit is
# valid that year.
_UNITS_SQL = """
WITH y AS (SELECT unnest($years::INTEGER[]) AS year),
u AS (
    SELECT u.unit_id, u.code, u.name, u.short_name, u.province_id, u.valid_from, u.valid_to, p.name AS parent_name
    FROM units u LEFT JOIN units p ON p.unit_id = u.parent_id
    WHERE u.level = $level AND u.vintage = $vintage AND ($province IS NULL OR u.province_id = $province)
),
valid AS (
    SELECT y.year, u.* FROM y JOIN u
      ON coalesce(year(u.valid_from), 0) <= y.year AND y.year <= coalesce(year(u.valid_to), 9999)
),
years_without AS (SELECT year FROM y WHERE year NOT IN (SELECT year FROM valid)),
pairs AS (
    SELECT year, unit_id, code, name, short_name, parent_name, province_id FROM valid
    UNION ALL
    SELECT w.year, u.unit_id, u.code, u.name, u.short_name, u.parent_name, u.province_id
    FROM years_without w CROSS JOIN u
),
named AS (
    SELECT p.year, p.unit_id, p.code, coalesce(n.name, p.name) AS name,
           coalesce(n.short_name, p.short_name) AS short_name, p.parent_name, p.province_id
    FROM pairs p LEFT JOIN unit_names n
      ON n.unit_id = p.unit_id
     AND coalesce(year(n.valid_from), 0) <= p.year AND p.year <= coalesce(year(n.valid_to), 9999)
    QUALIFY row_number() OVER (PARTITION BY p.unit_id, p.year ORDER BY n.valid_from DESC NULLS LAST) = 1
)
SELECT n.unit_id, n.code, n.name, n.short_name, n.parent_name, n.province_id, n.year, f.value, f.official_rank
FROM named n
LEFT JOIN (SELECT unit_id, year, value, official_rank FROM facts WHERE indicator_id = $indicator) f
  USING (unit_id, year)
ORDER BY n.year, n.code, n.unit_id
"""


def is_local(catalog: Catalog, indicator_id: str) -> bool:
    """True for an index a province publishes for its own units (district, ward, department level)."""
    return catalog.get(indicator_id).levels[0] != "province"


def provinces_of(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str) -> list[str]:
    """The provinces whose units have figures of a local index (its root and components), sorted by code.

    A national index (province level) has no such scope: the list is empty."""
    if not is_local(catalog, indicator_id):
        return []
    ind = catalog.get(indicator_id)
    root = indicator_id.split(".")[0]
    rows = con.execute("""
        SELECT DISTINCT u.province_id, p.code FROM facts f
        JOIN units u USING (unit_id) JOIN units p ON p.unit_id = u.province_id
        WHERE (f.indicator_id = $root OR starts_with(f.indicator_id, $prefix))
          AND u.level = $level AND u.vintage = $vintage
          AND (f.value IS NOT NULL OR f.official_rank IS NOT NULL)
        ORDER BY p.code""", {"root": root, "prefix": root + ".", "level": ind.levels[0],
                             "vintage": ind.vintage}).fetchall()
    return [r[0] for r in rows]


def indicator_years(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str) -> list[int]:
    """The catalog's editions of the indicator and every year with a figure, ascending."""
    ind = catalog.get(indicator_id)
    editions = ind.years() or (catalog.get(ind.parent).years() if ind.parent else [])
    with_data = [r[0] for r in con.execute(
        "SELECT DISTINCT year FROM facts WHERE indicator_id = ? AND (value IS NOT NULL OR official_rank IS NOT NULL)",
        [indicator_id]).fetchall()]
    return sorted({int(y) for y in [*editions, *with_data] if ind.exists_in(int(y))})


def indicator_cells(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str,
                    province_id: str | None = None, years: list[int] | None = None) -> pd.DataFrame:
    """One row per unit and year: the unit (code, name in that year), its value and published rank, its
    status ('value' | 'rank_only' | 'none') and the year's N (``n_of``, ``of_basis`` 'edition' | 'units').

    ``province_id`` limits a local index to one province (default: its only province, else every unit of
    the level); it is ignored for a national index."""
    ind = catalog.get(indicator_id)
    if is_local(catalog, indicator_id):
        if province_id is None:
            provs = provinces_of(con, catalog, indicator_id)
            province_id = provs[0] if len(provs) == 1 else None
    else:
        province_id = None
    years = indicator_years(con, catalog, indicator_id) if years is None else sorted({int(y) for y in years})
    if not years:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CELL_COLUMNS})
    df = con.execute(_UNITS_SQL, {"years": years, "level": ind.levels[0], "vintage": ind.vintage,
                                  "province": province_id, "indicator": indicator_id}).df()
    df["year"] = df["year"].astype(int)
    df["official_rank"] = df["official_rank"].astype("Int64")
    df["status"] = "none"
    df.loc[df["official_rank"].notna(), "status"] = "rank_only"
    df.loc[df["value"].notna(), "status"] = "value"
    n_units = df.groupby("year")["unit_id"].count()
    ranked = {y: _edition_n(catalog, indicator_id, y) for y in years}
    df["n_of"] = [ranked[y] or int(n_units[y]) for y in df["year"]]
    df["of_basis"] = ["edition" if ranked[y] else "units" for y in df["year"]]
    return df[CELL_COLUMNS]


def _edition_n(catalog: Catalog, indicator_id: str, year: int) -> int | None:
    """The edition's stated number of ranked units (a component without editions uses its parent's)."""
    ind = catalog.get(indicator_id)
    ed = ind.edition(year)
    if ed is None and ind.parent and not ind.editions:
        ed = catalog.get(ind.parent).edition(year)
    return ed.n_ranked if ed is not None and ed.n_ranked else None


def year_counts(cells: pd.DataFrame) -> pd.DataFrame:
    """One row per year: n (units with a value or a published rank), n_values, n_rank_only, n_units (units
    of the level listed), N (``n_of``) and its basis, and the label "n/N"."""
    if cells.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})
    g = cells.groupby("year", sort=True)
    out = pd.DataFrame({
        "n_values": g["status"].agg(lambda s: int((s == "value").sum())),
        "n_rank_only": g["status"].agg(lambda s: int((s == "rank_only").sum())),
        "n_units": g["unit_id"].count().astype(int),
        "n_of": g["n_of"].first().astype(int),
        "of_basis": g["of_basis"].first(),
    }).reset_index()
    out["n"] = out["n_values"] + out["n_rank_only"]
    out["label"] = [f"{n}/{of}" for n, of in zip(out["n"], out["n_of"], strict=True)]   # language-neutral
    return out[COUNT_COLUMNS]


def count_label(n: int, n_of: int, lang: str = "vi") -> str:
    """ "30/63"; "2/3.321" in Vietnamese, "2/3,321" in English."""
    return f"{fmt_number(int(n), lang, 0)}/{fmt_number(int(n_of), lang, 0)}"


def coverage_label(year: int, n: int, n_of: int, lang: str = "vi") -> str:
    """A year picker's label: "2023 · 30/63" ("2023 · 2/3.321" in Vietnamese, "2023 · 2/3,321" in English)."""
    return f"{int(year)} · {count_label(n, n_of, lang)}"


def year_labels(counts: pd.DataFrame, lang: str = "vi") -> dict[int, str]:
    """year → "2023 · 30/63" for every year of ``year_counts``."""
    return {int(y): coverage_label(y, n, of, lang)
            for y, n, of in zip(counts["year"], counts["n"], counts["n_of"], strict=True)}


def default_year(counts: pd.DataFrame, cells: pd.DataFrame | None = None, unit_id: str | None = None,
                 years: list[int] | None = None) -> int | None:
    """Where a page opens: the latest year whose coverage is adequate (``analytics.benchmarks.COMPLETE_SHARE``
    of N), else the year with the most figures (the latest of equals). With ``cells`` and ``unit_id``, a year
    in which that unit has a figure is preferred, so a page about it never opens on its gap. ``years``
    limits the choice (e.g. the years a picker offers). None when no year has a figure."""
    c = counts[counts["n"] > 0]
    if years is not None:
        c = c[c["year"].isin([int(y) for y in years])]
    if unit_id is not None and cells is not None and len(c):
        own = cells[(cells["unit_id"] == unit_id) & (cells["status"] != "none")]["year"]
        mine = c[c["year"].isin(own)]
        c = mine if len(mine) else c
    if c.empty:
        return None
    adequate = c[[int(n) >= (min_values(of) or 0) for n, of in zip(c["n"], c["n_of"], strict=True)]]
    if len(adequate):
        return int(adequate["year"].max())
    return int(c.sort_values(["n", "year"]).iloc[-1]["year"])


def missing_units(cells: pd.DataFrame, year: int, *, include_rank_only: bool = False) -> pd.DataFrame:
    """The units without any figure in ``year`` (with ``include_rank_only``, also those with a published rank
    but no value), in code order."""
    wanted = ("none", "rank_only") if include_rank_only else ("none",)
    out = cells[(cells["year"] == int(year)) & cells["status"].isin(wanted)]
    return out.sort_values(["code", "unit_id"]).reset_index(drop=True)


def status_matrix(cells: pd.DataFrame) -> pd.DataFrame:
    """Units × years of statuses (rows in code order, columns ascending years), for a table or a heat map."""
    if cells.empty:
        return pd.DataFrame()
    wide = cells.pivot_table(index=["code", "unit_id", "short_name"], columns="year", values="status",
                             aggfunc="first", observed=True)
    wide.columns = [int(c) for c in wide.columns]
    return wide.reset_index().sort_values(["code", "unit_id"]).reset_index(drop=True)
