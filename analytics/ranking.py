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

import bisect
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.catalog import Catalog, Indicator
from analytics.store.reads import indicator_level

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


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    from analytics.catalog import load_catalog

    return load_catalog()


def get_catalog(catalog: Catalog | None) -> Catalog:
    return catalog if catalog is not None else _default_catalog()


# ------------------------------------------------------------------ the derived tables, held per derivation
class OutdatedDatabase(RuntimeError):
    """The database file was derived by an older version (no `derived_info`): rebuild it."""


UNIT_STRING_COLUMNS = ["unit_id", "code", "name", "short_name", "name_en", "type_vi", "type_en", "parent_id",
                       "province_id", "region_id"]
# Every unit column comes out as a pandas categorical (sorted categories, so sorting stays alphabetical): a
# ranking gathers each unit's integer code instead of copying its strings from all over memory, which was the
# largest cost of a 10,000-commune ranking. Columns with few distinct values (unit types, parent/province/
# region ids) share the country's categories; the names, codes and ids have one set per level/vintage (a
# province table does not carry 10,000 commune names), names including the level's former names.
CATEGORY_COLUMNS = ["type_vi", "type_en", "parent_id", "province_id", "region_id"]
NAME_COLUMNS = ("name", "short_name", "name_en")


@dataclass(frozen=True)
class Part:
    """One indicator-year at one level/vintage in `ranked_facts` (a row of `ranking_parts`)."""

    part_key: int
    n_rows: int
    n_values: int
    official_of: int | None
    complete: bool
    prev_year: int | None
    n_any: int = 0  # rows with a value or a published rank
    present: frozenset[str] = frozenset()  # optional columns with at least one value in the part


class Derived:
    """The small derived dimensions of one derivation (`derived_info.build_id`), loaded once per process:
    the unit columns by `unit_ix` (categorical codes per level, see CATEGORY_COLUMNS), indicator and part
    lookups, names in each year, years with data."""

    def __init__(self, con: duckdb.DuckDBPyConnection, build_id: str):
        self.build_id = build_id
        units = con.sql("SELECT unit_ix, lv_ix, level, vintage, " + ", ".join(UNIT_STRING_COLUMNS)
                        + " FROM unit_dim ORDER BY unit_ix").to_arrow_table()
        if units.num_rows and units["unit_ix"][-1].as_py() != units.num_rows - 1:
            raise OutdatedDatabase("unit_dim.unit_ix is not dense: rebuild the database (`chiso build`)")
        n_units = units.num_rows
        self.strings = {c: units[c].combine_chunks().cast(pa.large_string())
                        for c in UNIT_STRING_COLUMNS if c not in CATEGORY_COLUMNS}
        self.categories: dict[str, tuple[np.ndarray, pd.CategoricalDtype]] = {}
        for c in CATEGORY_COLUMNS:
            cat = pd.Categorical(units[c].to_pandas())  # categories sorted, codes -1 for None
            self.categories[c] = (cat.codes.astype(np.int32), cat.dtype)
        self.unit_id = np.asarray(units["unit_id"].to_pylist(), dtype=object)
        self.unit_ix = dict(zip(self.unit_id, range(n_units), strict=True))
        self._masks: dict[tuple[str, str | None], np.ndarray] = {}
        # units per level/vintage (unit_dim.lv_ix numbers them): a ranking's rows are of one level, whose own
        # categories hold its names (see _level_categories)
        self.level_no = units["lv_ix"].to_numpy().astype(np.int16)  # unit_ix → its level/vintage
        lv = con.execute("SELECT DISTINCT lv_ix, level, vintage FROM unit_dim ORDER BY lv_ix").fetchall()
        self._level_keys = [(level, vintage) for _, level, vintage in lv]
        if [no for no, _, _ in lv] != list(range(len(lv))):
            raise OutdatedDatabase("unit_dim.lv_ix is not dense: rebuild the database (`chiso build`)")
        self.level = np.asarray([k[0] for k in self._level_keys], dtype=object)[self.level_no]
        self.vintage = np.asarray([k[1] for k in self._level_keys], dtype=object)[self.level_no]
        self.units_of: dict[tuple[str, str], np.ndarray] = {}  # (level, vintage) → unit_ix, ascending
        self.level_pos = np.zeros(n_units, dtype=np.int64)  # unit_ix → position among its level's units
        for no, key in enumerate(self._level_keys):
            ix = self.units_of[key] = np.flatnonzero(self.level_no == no)
            self.level_pos[ix] = np.arange(len(ix))
        self._level_cats: dict[int, dict[str, tuple[np.ndarray, pd.CategoricalDtype]]] = {}
        self._year_codes: dict[tuple[int, int], dict[str, np.ndarray]] = {}
        self.indicators = {r[0]: (r[1], r[2], r[3], r[4]) for r in con.execute(
            "SELECT indicator_id, ind_ix, level, vintage, direction FROM indicator_dim").fetchall()}
        self.parts: dict[tuple[str, int, str, str], Part] = {}
        years: dict[str, set[int]] = {}
        for (iid, year, level, vintage, key, n_rows, n_values, n_any, n_pub, off_of, complete, prev, *counts
             ) in con.execute("""
                SELECT indicator_id, year, level, vintage, part_key, n_rows, n_values, n_any, n_published,
                       official_of, complete, prev_year, n_published, n_conflicts, n_rank_basis, n_value_url, n_rank_url
                FROM ranking_parts""").fetchall():
            present = frozenset(c for c, k in zip(_OPTIONAL, counts, strict=True) if k)
            self.parts[(iid, int(year), level, vintage)] = Part(int(key), int(n_rows), int(n_values), off_of,
                                                                bool(complete), prev, int(n_any), present)
            if n_values or n_pub:
                years.setdefault(iid, set()).add(int(year))
        self.data_years = {k: sorted(v) for k, v in years.items()}
        # the name each unit had in each year with data where it differs from a recorded spell (Thừa Thiên Huế
        # until 2024): the derivation's unit_names_by_year, the one place that decides a unit's name in a year
        self._spells = con.sql("SELECT unit_ix, year, name, short_name, name_en FROM unit_names_by_year "
                               "ORDER BY year, unit_ix").to_arrow_table()
        self._names: dict[int, tuple[np.ndarray, pa.Array, pa.Array, pa.Array] | None] = {}

    def names(self, year: int) -> tuple[np.ndarray, pa.Array, pa.Array, pa.Array] | None:
        """(unit_ix ascending, name, short_name, name_en) of the units whose name in `year` is a recorded spell,
        or None (rows of unit_names_by_year)."""
        year = int(year)
        if year not in self._names:
            sp = self._spells
            rows = np.flatnonzero(sp["year"].to_numpy() == year)
            take = pa.array(rows)
            self._names[year] = (sp["unit_ix"].to_numpy()[rows].astype(np.int64),
                                 *(sp[c].take(take).combine_chunks().cast(pa.large_string())
                                   for c in ("name", "short_name", "name_en"))) if len(rows) else None
        return self._names[year]

    def indicator(self, con: duckdb.DuckDBPyConnection, indicator_id: str) -> tuple[int, str, str, str | None]:
        """(ind_ix, level, vintage, direction); KeyError naming the known indicators."""
        meta = self.indicators.get(indicator_id)
        if meta is None:
            indicator_level(con, indicator_id)  # raises the KeyError that lists what is known
            raise KeyError(f"indicator {indicator_id!r} has no derived rows: rebuild the database")
        return meta

    def previous_year(self, indicator_id: str, year: int) -> int | None:
        """The latest earlier year with a value or a published rank (any level)."""
        years = self.data_years.get(indicator_id, [])
        i = bisect.bisect_left(years, int(year))
        return years[i - 1] if i else None

    def scope_mask(self, scope: Scope) -> np.ndarray | None:
        """Boolean mask over unit_ix of the units in a non-national scope (None = national)."""
        if scope.kind == "national":
            return None
        mask = self._masks.get((scope.kind, scope.id))
        if mask is None:
            column = {"region": "region_id", "parent": "parent_id", "province": "province_id"}[scope.kind]
            codes, dtype = self.categories[column]
            where = dtype.categories.get_indexer([scope.id])[0]  # -1 (no unit) when the id is unknown
            mask = self._masks[(scope.kind, scope.id)] = (codes == where) & (where >= 0)
        return mask

    def _level_categories(self, no: int) -> dict[str, tuple[np.ndarray, pd.CategoricalDtype]]:
        """Per identity column of level/vintage number `no`: (code of each unit of the level, in level order;
        the dtype, whose categories also hold the level's former names)."""
        cats = self._level_cats.get(no)
        if cats is None:
            ix = self.units_of[self._level_keys[no]]
            take = pa.array(ix)
            sp = self._spells
            in_level = self.level_no[sp["unit_ix"].to_numpy()] == no
            cats = {}
            for c, arr in self.strings.items():
                current = arr.take(take)
                values = current
                if c in NAME_COLUMNS:
                    values = pa.concat_arrays([current, sp[c].filter(pa.array(in_level)).combine_chunks()
                                               .cast(pa.large_string())])
                dtype = pd.CategoricalDtype(pd.Index(pc.unique(values).drop_null().sort()
                                                     .to_numpy(zero_copy_only=False), dtype=object).astype(_STR))
                codes = dtype.categories.get_indexer(np.asarray(current.to_pylist(), dtype=object))
                cats[c] = (codes.astype(np.int32), dtype)
            self._level_cats[no] = cats
        return cats

    def _codes_in_year(self, no: int, year: int) -> dict[str, np.ndarray]:
        """The codes of level `no`'s units with the names they had in `year` (a recorded spell replaces the
        current name)."""
        key = (no, int(year))
        out = self._year_codes.get(key)
        if out is None:
            cats = self._level_categories(no)
            out = {c: codes for c, (codes, _) in cats.items()}
            spells = self.names(year)
            if spells is not None:
                s_ix = spells[0]
                keep = self.level_no[s_ix] == no
                if keep.any():
                    pos = self.level_pos[s_ix[keep]]
                    for c, names in zip(NAME_COLUMNS, spells[1:], strict=True):
                        repl = np.asarray(names.filter(pa.array(keep)).to_pylist(), dtype=object)
                        ok = np.asarray([v is not None for v in repl], dtype=bool)
                        if ok.any():
                            codes = out[c].copy()
                            codes[pos[ok]] = cats[c][1].categories.get_indexer(repl[ok])
                            out[c] = codes
            if len(self._year_codes) > 256:
                self._year_codes.clear()
            self._year_codes[key] = out
        return out

    def unit_columns(self, ix: np.ndarray, year: int) -> dict[str, pd.Categorical]:
        """Every unit column (UNIT_STRING_COLUMNS) for rows `ix` (unit_ix), with the names the units had in
        `year`, as categoricals (see CATEGORY_COLUMNS)."""
        ix = np.asarray(ix, dtype=np.int64)
        out = {c: pd.Categorical.from_codes(codes[ix], dtype=dtype, validate=False)
               for c, (codes, dtype) in self.categories.items()}
        return out | self._identity_columns(ix, year)

    def _identity_columns(self, ix: np.ndarray, year: int) -> dict[str, pd.Categorical]:
        """unit_id, code and names over the level's categories."""
        no = self.level_no[ix]
        if len(ix) and bool((no == no[0]).all()):
            n0 = int(no[0])
            dtypes = self._level_categories(n0)
            codes = self._codes_in_year(n0, year)
            pos = self.level_pos[ix]
            return {c: pd.Categorical.from_codes(codes[c][pos], dtype=dtypes[c][1], validate=False)
                    for c in self.strings}
        # units of several levels (not a ranking's case) or none: from the values
        out: dict[str, pd.Categorical] = {}
        for c, arr in self.strings.items():
            values = np.asarray(arr.take(pa.array(ix, type=pa.int64())).to_pylist(), dtype=object)
            out[c] = values
        for n0 in np.unique(no):
            rows = np.flatnonzero(no == n0)
            codes = self._codes_in_year(int(n0), year)
            dtypes = self._level_categories(int(n0))
            for c in NAME_COLUMNS:
                cats = dtypes[c][1].categories
                k = codes[c][self.level_pos[ix[rows]]]
                out[c][rows] = np.where(k >= 0, np.asarray(cats, dtype=object)[np.maximum(k, 0)], None)
        return {c: pd.Categorical(v, categories=pd.Index(sorted({x for x in v if x is not None}), dtype=_STR))
                for c, v in out.items()}


_DERIVED: OrderedDict[str, Derived] = OrderedDict()
_DERIVED_LOCK = threading.Lock()


# A read-only connection reads one snapshot for its whole life (writes replace the file, see analytics.store),
# so its derivation is identified once; a writable one is asked every time (a refresh changes it).
_READ_ONLY_BUILD: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, str] = weakref.WeakKeyDictionary()


def derived(con: duckdb.DuckDBPyConnection) -> Derived:
    """The dimensions of the derivation `con` reads (one small query to identify it, once per read-only
    connection)."""
    build_id = _READ_ONLY_BUILD.get(con)
    if build_id is None:
        try:
            build_id, mode = con.execute(
                "SELECT build_id, current_setting('access_mode') FROM derived_info").fetchall()[0]
        except duckdb.CatalogException as e:
            raise OutdatedDatabase("the database was built by an older version of chiso (no derived_info): "
                                   "run `chiso build`") from e
        if mode == "read_only":
            _READ_ONLY_BUILD[con] = build_id
    d = _DERIVED.get(build_id)
    if d is None:
        with _DERIVED_LOCK:
            d = _DERIVED.get(build_id)
            if d is None:
                d = Derived(con, build_id)
                _DERIVED[build_id] = d
                while len(_DERIVED) > 8:
                    _DERIVED.popitem(last=False)
    return d


# ------------------------------------------------------------------------------------------ the queries
# National: one contiguous run of precomputed rows. Only what varies by row is read: x/N, the source of the
# rank, completeness and the previous edition are per part, and columns empty in the whole part (no published
# rank, no conflict, no source) are not read at all (see `_finish`).
NATIONAL_SQL = "SELECT {columns} FROM ranked_facts WHERE part_key = $part"
_RANK_SOURCES = ["published", "computed"]
_OPTIONAL = ("official_rank", "has_conflict", "rank_basis", "value_url", "rank_url")  # ranking_parts counts them

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


# ---------------------------------------------------------------------------------- numpy → pandas arrays
# Columns arrive from `fetchnumpy()`: plain arrays, or masked arrays where there are NULLs. Each becomes the
# dtype DuckDB's .df() would give: Int64/Float64/boolean for nullable numbers, float64 for values, the `str`
# dtype for strings (object None when a string column is entirely missing), bool for has_conflict.
_STR = pd.Series(["x"]).dtype  # pandas' default string dtype: `str` (Arrow-backed) from pandas 3, else object


def _get(cols: dict[str, np.ndarray], name: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(data, mask) of a fetched column; all-missing when it was not read."""
    a = cols.get(name)
    if a is None:
        return np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
    if isinstance(a, np.ma.MaskedArray):
        return a.data, np.ma.getmaskarray(a)
    return a, np.zeros(n, dtype=bool)


def _int(values: np.ndarray, mask: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), mask)


def _float(values: np.ndarray, mask: np.ndarray) -> pd.arrays.FloatingArray:
    return pd.arrays.FloatingArray(np.asarray(values, dtype=np.float64), mask)


def _bool(values: np.ndarray, mask: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.asarray(values, dtype=bool), mask)


def _nones(n: int) -> np.ndarray:
    return np.empty(n, dtype=object)  # object arrays start as None


def _strings(arr: pa.Array):
    """Arrow strings → the `str` dtype, or object None when every value is missing."""
    if arr.null_count == len(arr):
        return _nones(len(arr))
    if isinstance(_STR, pd.StringDtype):
        return _STR.__from_arrow__(arr)
    return np.asarray(arr.to_pylist(), dtype=object)


_REPEATS: dict[str, pa.Array] = {}


def _repeated(text: str, n: int) -> pa.Array:
    """`text` n times: a zero-copy slice of one long array per text (grown when needed)."""
    arr = _REPEATS.get(text)
    if arr is None or len(arr) < n:
        arr = _REPEATS[text] = pa.repeat(pa.scalar(text, pa.large_string()), max(n, 16384))
    return arr.slice(0, n)


def _object_strings(values: np.ndarray, mask: np.ndarray):
    """Fetched (object) strings → the `str` dtype, or object None when every value is missing."""
    if mask.all():
        return _nones(len(values))
    return _strings(pa.array(values, type=pa.large_string(), mask=mask))


def _frame(columns: dict[str, object], n: int) -> pd.DataFrame:
    """A DataFrame over the arrays as they are (they already have their dtypes): no re-inference, no copy
    into consolidated blocks. Falls back to the public constructor where pandas' internals differ."""
    try:
        from pandas.core.internals.construction import arrays_to_mgr

        mgr = arrays_to_mgr(list(columns.values()), pd.Index(list(columns)), pd.RangeIndex(n),
                            verify_integrity=False, consolidate=False)
        return pd.DataFrame._from_mgr(mgr, axes=mgr.axes)
    except (ImportError, AttributeError, TypeError, ValueError):  # pragma: no cover - other pandas versions
        return pd.DataFrame(columns, copy=False)


def _append_missing(cols: dict[str, np.ndarray], missing: np.ndarray) -> dict[str, np.ndarray]:
    """Add rows for `missing` unit_ix with every other column missing."""
    n, k = len(cols["unit_ix"]), len(missing)
    out = {"unit_ix": np.concatenate([np.asarray(cols["unit_ix"], dtype=np.int64), missing.astype(np.int64)]),
           "_missing": np.concatenate([np.zeros(n, dtype=bool), np.ones(k, dtype=bool)])}
    for name in cols:
        if name in out:
            continue
        data, mask = _get(cols, name, n)
        pad = np.full(k, None, dtype=object) if data.dtype == object else np.zeros(k, dtype=data.dtype)
        out[name] = np.ma.MaskedArray(np.concatenate([data, pad]), np.concatenate([mask, np.ones(k, bool)]))
    return out


def _band_labels(ind: Indicator | None, year: int, value: np.ndarray, missing: np.ndarray):
    """The catalog's grade of each value for `year` (Indicator.band_period, as Indicator.band_for)."""
    n = len(value)
    period = ind.band_period(year) if ind is not None else None
    if period is None:
        return _nones(n)
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
    return _strings(labels.take(pa.array(code, mask=code < 0)))


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
    ind = get_catalog(catalog).items.get(indicator_id)
    part = d.parts.get((indicator_id, year, level, vintage))
    prev_y = d.previous_year(indicator_id, year) if compare_to is True else (int(compare_to) if compare_to else None)
    mask = d.scope_mask(scope)
    national = False
    if part is None:
        cols: dict[str, np.ndarray] = {"unit_ix": np.zeros(0, dtype=np.int64)}
    elif scope.kind == "national" and (prev_y is None or prev_y == part.prev_year):
        # the lookup: read only the columns that vary by row and are not empty in this part
        wanted = ["unit_ix", "value", "rank", "percentile", "quartile"]
        if prev_y is not None:
            wanted += ["rank_change", "value_change", "comparable"]
        wanted += [c for c in _OPTIONAL if c in part.present]
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
                cols = _append_missing(cols, missing)
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
    f = {name: _get(cols, name, n) for name in (
        "value", "rank", "official_rank", "rank_change", "value_change", "comparable", "rank_basis", "value_url",
        "rank_url", "percentile", "quartile")}
    f["unit_ix"] = (np.asarray(cols["unit_ix"], dtype=np.int64), np.zeros(n, dtype=bool))
    appended = cols.get("_missing", np.zeros(n, dtype=bool))
    f["appended"] = (appended, np.zeros(n, dtype=bool))
    f["has_conflict"] = (_get(cols, "has_conflict", n) if "has_conflict" in cols
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
            f[name] = _get(cols, name, n)
        up, up_m = _get(cols, "use_published", n)
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
        rank_source = _nones(n) if src[0] < 0 else _strings(_repeated(_RANK_SOURCES[src[0]], n))
    else:
        rank_source = _strings(pa.array(_RANK_SOURCES, type=pa.large_string()).take(pa.array(src, mask=src < 0)))
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
        "rank": _int(*f["rank"]),
        "of": _int(*f["of"]),
        "official_rank": _int(*f["official_rank"]),
        # the edition's N, on every row that has a fact
        "official_of": _int(np.full(n, official_of or 0), appended | (official_of is None)),
        "display_rank": _int(*f["display_rank"]),
        "display_of": _int(*f["display_of"]),
        "rank_source": rank_source,
        "rank_basis": _object_strings(*f["rank_basis"]),
        "complete": _bool(np.full(n, complete), np.zeros(n, bool)),
        "percentile": _float(*f["percentile"]),
        "quartile": _int(*f["quartile"]),
        "band": _band_labels(ind, year, value, value_m),
        "rank_change": _int(rc, rc_m),
        "value_change": _float(vc, vc_m),
        "comparable": _bool(cmp, cmp_m),
        "prev_year": _int(np.full(n, prev_y or 0), np.full(n, prev_y is None)),
        "has_conflict": _bool(hc, hc_m) if hc_m.any() else np.asarray(hc, dtype=bool),
        "value_url": _object_strings(*f["value_url"]),
        "rank_url": _object_strings(*f["rank_url"]),
        "parent_id": units["parent_id"],
        "province_id": units["province_id"],
        "region_id": units["region_id"],
    }
    return _frame(out, n)


def compare_columns(prev: pd.DataFrame, cur: pd.DataFrame, broken: pd.Series) -> pd.DataFrame:
    """Vectorised change between aligned previous/current rows.

    Inputs (aligned by index) need value, display_rank, display_of, rank_source, complete.
    value_change: only without a series break. rank_change (previous − current, + = moved up): only
    without a break, with the same N and both ranks over a full table (published, or computed over a
    complete table; a computed rank over a partial table never compares). comparable: False across a break or a change of N / of table kind; None when
    there is nothing to compare.
    """
    broken = broken.fillna(False).astype(bool)
    both_values = prev["value"].notna() & cur["value"].notna()
    both_ranks = prev["display_rank"].notna() & cur["display_rank"].notna()
    trusted = lambda d: (d["rank_source"] == "published") | d["complete"].fillna(False).astype(bool)  # noqa: E731
    same_n = (prev["display_of"].astype("Float64") == cur["display_of"].astype("Float64")).fillna(False).astype(bool)
    # a published rank and a rank computed over the complete table are the same kind of number
    same_kind = trusted(prev) & trusted(cur)
    rank_ok = both_ranks & ~broken & same_n & same_kind
    value_ok = both_values & ~broken
    out = pd.DataFrame(index=cur.index)
    out["value_change"] = (cur["value"] - prev["value"]).where(value_ok).round(6).astype("Float64")
    out["rank_change"] = (prev["display_rank"].astype("Float64") - cur["display_rank"].astype("Float64")) \
        .where(rank_ok).astype("Int64")
    anything = both_values | both_ranks
    comparable = ~broken & (~both_ranks | rank_ok)
    out["comparable"] = comparable.astype("boolean").where(anything, pd.NA)
    out["value_comparable"] = value_ok.astype("boolean").where(both_values, pd.NA)
    out["rank_comparable"] = rank_ok.astype("boolean").where(both_ranks, pd.NA)
    return out
