"""The small derived dimensions of one derivation (`derived_info.build_id`), held once per process.

A ranking or a trend reads its numbers from `ranked_facts` and takes names, codes and ids from here by
`unit_ix`: every unit column as a pandas categorical (a 10,000-commune ranking gathers integer codes instead
of copying strings), the names each unit had in each year with data (unit_names_by_year), the parts of
`ranking_parts`, the years with data. A derivation never changes, so its dimensions are kept per build_id:
this is the in-memory copy of the dimension tables, not a cache of results (the one result cache is
ui/db_cache.py).
"""

from __future__ import annotations

import bisect
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.frame_arrays import STR
from analytics.store.reads import indicator_level

# Optional columns of a ranking: ranking_parts counts their values per part, so a lookup skips empty ones.
OPTIONAL_COLUMNS = ("official_rank", "has_conflict", "rank_basis", "value_url", "rank_url")


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
            present = frozenset(c for c, k in zip(OPTIONAL_COLUMNS, counts, strict=True) if k)
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

    def scope_mask(self, kind: str, scope_id: str | None) -> np.ndarray | None:
        """Boolean mask over unit_ix of the units in a scope (analytics.ranking.Scope; None = national)."""
        if kind == "national":
            return None
        mask = self._masks.get((kind, scope_id))
        if mask is None:
            column = {"region": "region_id", "parent": "parent_id", "province": "province_id"}[kind]
            codes, dtype = self.categories[column]
            where = dtype.categories.get_indexer([scope_id])[0]  # -1 (no unit) when the id is unknown
            mask = self._masks[(kind, scope_id)] = (codes == where) & (where >= 0)
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
                                                     .to_numpy(zero_copy_only=False), dtype=object).astype(STR))
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
        return {c: pd.Categorical(v, categories=pd.Index(sorted({x for x in v if x is not None}), dtype=STR))
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
