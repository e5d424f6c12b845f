"""Rankings: standard competition ranks (1, 2, 2, 4) within a scope, beside the published rank.

What users see is "x/N" (`display_rank`/`display_of`): the published rank and the published N where the
source gives them (a partial table still reads 4/63), otherwise the rank computed from values with
N = units that have a value, labelled `rank_source = 'computed'`.

    ranking(con, "par_index", 2020)                                   # 63 provinces, national
    ranking(con, "pci", 2018, scope=Scope("region", "DNB"))           # the Southeast region
    ranking(con, "bd_par_district", 2017, scope=Scope("parent", "old-p-74"))   # districts of Bình Dương
    ranking(con, "bd_766_ward", 2023, scope=Scope("province", "old-p-74"))     # wards of a province

National rankings are looked up, not computed: `ranked_facts` (analytics.store.DERIVED, rebuilt with every
build and import) holds every rank, percentile, quartile and change against the previous edition, physically
sorted by indicator-year, so one indicator-year is one parameterised SELECT of contiguous rows (zone maps
skip every other row group). Names and codes come from an in-process copy of the small dimensions, one per
derivation (`derived_info.build_id`), joined by position (`unit_ix`). Other scopes, and a comparison with
another year than the previous edition, rank the same rows on the fly in one query (window functions) and go
through the same post-processing. Bands come from the catalog; a series break (catalog) between the two
editions empties the change columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.catalog import Catalog, Indicator, default_catalog
from analytics.dimensions import OPTIONAL_COLUMNS, Derived, Part, derived
from analytics.frame_arrays import (
    append_missing,
    bool_array,
    float_array,
    frame,
    int_array,
    masked,
    nones,
    object_strings,
    repeated,
    strings,
)

SCOPES = ("national", "region", "parent", "province")

RANKING_COLUMNS = [
    "unit_id", "code", "name", "short_name", "name_en", "type_vi", "type_en", "value", "rank", "of",
    "official_rank", "official_of", "display_rank", "display_of", "rank_source", "rank_basis", "complete",
    "percentile", "quartile", "band", "rank_change", "value_change", "comparable", "prev_year",
    "has_conflict", "value_url", "rank_url", "parent_id", "province_id", "region_id",
]

@dataclass(frozen=True)
class Scope:
    """Which units compete: all of a level nationally, a region's, or the children of one unit.

    kind: ``national`` | ``region`` (id = region_id) | ``parent`` (id = parent unit: districts of a
    province, wards of a district) | ``province`` (id = province unit: every unit of the level in it,
    e.g. all wards of a province).
    """

    kind: str = "national"
    id: str | None = None

    def __post_init__(self):
        if self.kind not in SCOPES:
            raise ValueError(f"unknown scope {self.kind!r}; use one of {', '.join(SCOPES)}")
        if self.kind != "national" and not self.id:
            raise ValueError(f"scope {self.kind!r} needs an id")


# ------------------------------------------------------------------------------------------ the queries
# National: one contiguous run of precomputed rows. Only what varies by row is read: x/N, the source of the
# rank, completeness and the previous edition are per part, and columns empty in the whole part (no published
# rank, no conflict, no source) are not read at all (see `_finish`).
NATIONAL_SQL = "SELECT {columns} FROM ranked_facts WHERE part_key = $part"
_RANK_SOURCES = ["published", "computed"]

# Any scope, against any year: the same rows ranked on the fly within the scope (both editions in one
# query). Published ranks are shown when the scope holds the whole published table (always nationally;
# within a province for an index that only ranks that province's units).
SCOPED_SQL = """
WITH part_rows AS (
    SELECT r.part_key = $part AS cur, r.unit_ix, r.value, r.sort_key, r.official_rank, r.official_of, r.complete,
           r.has_conflict, r.rank_basis, r.value_url, r.rank_url
    FROM ranked_facts r
    WHERE r.part_key IN ($part, $prev_part) {scope_filter}
),
computed AS (
    SELECT *,
        -- the ranking rule (analytics.store.rules), as ranked_facts applies it nationally
        competition_rank(value, sort_key, cur) AS rank, ranked_count(value, cur) AS n_values,
        count(*) FILTER (WHERE value IS NOT NULL OR official_rank IS NOT NULL) OVER (PARTITION BY cur) AS n_any
    FROM part_rows
),
shown AS (
    SELECT *,
        CASE WHEN value IS NOT NULL THEN n_values END AS "of",
        -- the scope holds every unit of the part with a value or a published rank
        n_any = CASE WHEN cur THEN $n_any ELSE $prev_n_any END AND official_rank IS NOT NULL AS use_published
    FROM computed
),
d AS (
    SELECT *,
        CASE WHEN use_published THEN official_rank ELSE rank END AS display_rank,
        CASE WHEN use_published THEN official_of ELSE "of" END AS display_of,
        use_published OR complete AS trusted
    FROM shown
),
j AS (
    SELECT c.*, p.value AS p_value, p.display_rank AS p_rank,
        c.display_rank IS NOT NULL AND p.display_rank IS NOT NULL AND coalesce(c.display_of = p.display_of, false)
            AND c.trusted AND coalesce(p.trusted, false) AS rank_ok
    FROM d c LEFT JOIN d p ON p.unit_ix = c.unit_ix AND NOT p.cur
    WHERE c.cur
)
SELECT unit_ix, value, rank, official_rank,
    CASE WHEN rank_ok THEN p_rank - display_rank END AS rank_change,
    CASE WHEN value IS NOT NULL AND p_value IS NOT NULL
         THEN round_even((value - p_value) * 1000000.0, 0) / 1000000.0 END AS value_change,
    CASE WHEN (value IS NOT NULL AND p_value IS NOT NULL) OR (display_rank IS NOT NULL AND p_rank IS NOT NULL)
         THEN display_rank IS NULL OR p_rank IS NULL OR rank_ok END AS comparable,
    has_conflict, rank_basis, value_url, rank_url,
    "of", display_rank, display_of, use_published,
    rank_percentile(display_rank, display_of, trusted) AS percentile,
    rank_quartile(display_rank, display_of, trusted) AS quartile
FROM j
"""


def _band_labels(ind: Indicator | None, year: int, value: np.ndarray, missing: np.ndarray):
    """The catalog's grade of each value for `year` (Indicator.band_period, as Indicator.band_for)."""
    n = len(value)
    period = ind.band_period(year) if ind is not None else None
    if period is None:
        return nones(n)
    code = np.full(n, -1)
    free = ~missing
    for i, b in enumerate(period.grades):
        hit = free.copy()
        if b.min is not None:
            hit &= value >= float(b.min)
        if b.max is not None:
            hit &= value < float(b.max)
        code[hit] = i
        free &= ~hit
    labels = pa.array([str(b.label) for b in period.grades], type=pa.large_string())
    return strings(labels.take(pa.array(code, mask=code < 0)))


def _empty_ranking() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in RANKING_COLUMNS})
    for c in ("rank", "of", "official_rank", "official_of", "display_rank", "display_of", "quartile",
              "rank_change", "prev_year"):
        df[c] = df[c].astype("Int64")
    for c in ("percentile", "value_change"):
        df[c] = df[c].astype("Float64")
    df["value"] = df["value"].astype("float64")
    for c in ("complete", "comparable"):
        df[c] = df[c].astype("boolean")
    df["has_conflict"] = df["has_conflict"].astype(bool)
    return df


# ------------------------------------------------------------------------------------------------ ranking
def ranking(con: duckdb.DuckDBPyConnection, indicator_id: str, year: int, *, scope: Scope | None = None,
            level: str | None = None, include_missing: bool = False, catalog: Catalog | None = None,
            compare_to: int | None | bool = True) -> pd.DataFrame:
    """One row per unit of the indicator's level in scope, best first; units without a value last
    (units with neither value nor published rank only with ``include_missing=True``).

    Columns (RANKING_COLUMNS): unit_id, code, name (the name in that year), short_name, name_en, type_vi,
    type_en, value, rank/of (computed, N = units with a value in scope), official_rank/official_of
    (published; official_of = the catalog's n_ranked), display_rank/display_of (what users see),
    rank_source ('published'|'computed'), rank_basis ('published'|'listing_order'), complete (the
    computed table covers every ranked unit), percentile (100 = best), quartile (1 = top), band (the
    catalog's grade, e.g. PAR INDEX A/B/C), rank_change/value_change/comparable/prev_year against the
    previous edition (``compare_to``: True = the previous year with data, an int = that year, False/None
    = no comparison), has_conflict, value_url, rank_url, parent_id, province_id, region_id.
    ``df.attrs["edition"]`` = {year, n_ranked, published_top} (PCI from 2023: only the top 30 published).
    """
    scope = scope or Scope()
    year = int(year)
    d = derived(con)
    _, ind_level, vintage, direction = d.indicator(con, indicator_id)
    level = level or ind_level
    ind = (catalog if catalog is not None else default_catalog()).items.get(indicator_id)
    part = d.parts.get((indicator_id, year, level, vintage))
    prev_y = d.previous_year(indicator_id, year) if compare_to is True else (int(compare_to) if compare_to else None)
    mask = d.scope_mask(scope.kind, scope.id)
    national = False
    if part is None:
        cols: dict[str, np.ndarray] = {"unit_ix": np.zeros(0, dtype=np.int64)}
    elif scope.kind == "national" and (prev_y is None or prev_y == part.prev_year):
        # the lookup: read only the columns that vary by row and are not empty in this part
        wanted = ["unit_ix", "value", "rank", "percentile", "quartile"]
        if prev_y is not None:
            wanted += ["rank_change", "value_change", "comparable"]
        wanted += [c for c in OPTIONAL_COLUMNS if c in part.present]
        cols = con.execute(NATIONAL_SQL.format(columns=", ".join(wanted)), {"part": part.part_key}).fetchnumpy()
        national = True
    else:
        prev = d.parts.get((indicator_id, prev_y, level, vintage)) if prev_y is not None else None
        params = {"part": part.part_key, "prev_part": prev.part_key if prev else -1, "n_any": part.n_any,
                  "prev_n_any": prev.n_any if prev else 0}
        if mask is None:
            sql = SCOPED_SQL.format(scope_filter="")
        else:
            sql = SCOPED_SQL.format(scope_filter="AND r.unit_ix IN (SELECT unnest($units))")
            of_level = d.units_of.get((level, vintage), np.zeros(0, dtype=np.int64))
            params["units"] = of_level[mask[of_level]].tolist()
        cols = con.execute(sql, params).fetchnumpy()
    if include_missing:
        cand = d.units_of.get((level, vintage), np.zeros(0, dtype=np.int64))
        cand = cand if mask is None else cand[mask[cand]]
        if len(cols["unit_ix"]) < len(cand):
            missing = np.setdiff1d(cand, np.asarray(cols["unit_ix"], dtype=np.int64))
            if len(missing):
                cols = append_missing(cols, missing)
    df = _finish(d, cols, national, part, ind, year, prev_y, direction)
    ed = ind.edition(year) if ind is not None else None
    df.attrs["edition"] = {"year": year, "n_ranked": ed.n_ranked if ed else None,
                           "published_top": ed.published_top if ed else None}
    return df


def _finish(d: Derived, cols: dict[str, np.ndarray], national: bool, part: Part | None, ind: Indicator | None,
            year: int, prev_y: int | None, direction: str | None) -> pd.DataFrame:
    """Rows fetched by either query (+ missing units) → the ranking frame: display order, x/N, bands, series
    breaks, names. `national`: the rows come from NATIONAL_SQL, so x/N follow from the part."""
    n = len(cols["unit_ix"])
    if n == 0:
        return _empty_ranking()
    f = {name: masked(cols, name, n) for name in (
        "value", "rank", "official_rank", "rank_change", "value_change", "comparable", "rank_basis", "value_url",
        "rank_url", "percentile", "quartile")}
    f["unit_ix"] = (np.asarray(cols["unit_ix"], dtype=np.int64), np.zeros(n, dtype=bool))
    appended = cols.get("_missing", np.zeros(n, dtype=bool))
    f["appended"] = (appended, np.zeros(n, dtype=bool))
    f["has_conflict"] = (masked(cols, "has_conflict", n) if "has_conflict" in cols
                         else (np.zeros(n, dtype=bool), appended))
    value_d, value_m = f["value"]
    f["value"] = (np.where(value_m, np.nan, np.asarray(value_d, dtype=np.float64)), value_m)
    rank, rank_m = f["rank"]
    off, off_m = f["official_rank"]
    if national:
        # nationally the published rank of the published N shows where published, else the computed one
        use_pub = ~off_m
        of, of_m = np.full(n, part.n_values, dtype=np.int64), value_m
        f["of"] = (of, of_m)
        f["display_rank"] = (np.where(use_pub, off, rank), np.where(use_pub, False, rank_m))
        f["display_of"] = (np.where(use_pub, part.official_of or 0, of),
                           np.where(use_pub, part.official_of is None, of_m))
    else:
        for name in ("of", "display_rank", "display_of"):
            f[name] = masked(cols, name, n)
        up, up_m = masked(cols, "use_published", n)
        use_pub = np.asarray(up, dtype=bool) & ~up_m
    f["use_pub"] = (use_pub, np.zeros(n, dtype=bool))
    # display order: shown rank, then value (best first), then code. Stored rows already are in that order
    # unless published ranks disagree with the values (or missing units were added).
    disp, disp_m = f["display_rank"]
    key = np.where(disp_m, np.iinfo(np.int64).max, np.asarray(disp, dtype=np.int64))
    if n > 1 and not (national and not appended.any() and bool(np.all(key[1:] >= key[:-1]))):
        value = f["value"][0]
        sort_key = np.where(value_m, np.inf, value if direction == "lower_is_better" else -value)
        order = np.lexsort((f["unit_ix"][0], sort_key, key))
        if not np.array_equal(order, np.arange(n)):
            f = {k: (v[order], m[order]) for k, (v, m) in f.items()}
    ix, (value, value_m), appended = f["unit_ix"][0], f["value"], f["appended"][0]
    use_pub, rank_m = f["use_pub"][0], f["rank"][1]
    src = np.where(use_pub, 0, np.where(rank_m, -1, 1))
    if (src == src[0]).all():  # one kind for every row (the usual case)
        rank_source = nones(n) if src[0] < 0 else strings(repeated(_RANK_SOURCES[src[0]], n))
    else:
        rank_source = strings(pa.array(_RANK_SOURCES, type=pa.large_string()).take(pa.array(src, mask=src < 0)))
    (rc, rc_m), (vc, vc_m), (cmp, cmp_m) = f["rank_change"], f["value_change"], f["comparable"]
    if prev_y is None:
        rc_m = vc_m = cmp_m = np.ones(n, dtype=bool)
    elif ind is not None and ind.breaks_between(prev_y, year):
        # across a series break nothing compares
        rc_m = vc_m = np.ones(n, dtype=bool)
        cmp = np.zeros(n, dtype=bool)
    official_of = part.official_of if part is not None else None
    complete = bool(part.complete) if part is not None else False
    hc, hc_m = f["has_conflict"]
    units = d.unit_columns(ix, year)
    out = {
        "unit_id": units["unit_id"],
        "code": units["code"],
        "name": units["name"],
        "short_name": units["short_name"],
        "name_en": units["name_en"],
        "type_vi": units["type_vi"],
        "type_en": units["type_en"],
        "value": value,
        "rank": int_array(*f["rank"]),
        "of": int_array(*f["of"]),
        "official_rank": int_array(*f["official_rank"]),
        # the edition's N, on every row that has a fact
        "official_of": int_array(np.full(n, official_of or 0), appended | (official_of is None)),
        "display_rank": int_array(*f["display_rank"]),
        "display_of": int_array(*f["display_of"]),
        "rank_source": rank_source,
        "rank_basis": object_strings(*f["rank_basis"]),
        "complete": bool_array(np.full(n, complete), np.zeros(n, bool)),
        "percentile": float_array(*f["percentile"]),
        "quartile": int_array(*f["quartile"]),
        "band": _band_labels(ind, year, value, value_m),
        "rank_change": int_array(rc, rc_m),
        "value_change": float_array(vc, vc_m),
        "comparable": bool_array(cmp, cmp_m),
        "prev_year": int_array(np.full(n, prev_y or 0), np.full(n, prev_y is None)),
        "has_conflict": bool_array(hc, hc_m) if hc_m.any() else np.asarray(hc, dtype=bool),
        "value_url": object_strings(*f["value_url"]),
        "rank_url": object_strings(*f["rank_url"]),
        "parent_id": units["parent_id"],
        "province_id": units["province_id"],
        "region_id": units["region_id"],
    }
    return frame(out, n)
