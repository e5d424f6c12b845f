"""Trends of localities: value and rank by year, changes, spans, best/worst years, streaks and slopes.

A change across a series break (catalog) or across a change of N (63 → 34, a partial table against a
full one, a published rank against a computed one) is flagged not comparable and never computed; a
rank change is always reported beside the score change.

    trend(con, cat, "par_index", "old-p-74")              # one locality (the `chiso trend` contract)
    trends(con, cat, "pci", ["old-p-74", "old-p-79"])     # several, with unit_id and name
    change_between(con, cat, "pci", "old-p-74", 2012, 2018)
    trend_stats(con, cat, "pci", ["old-p-74"])            # slope (regr_slope), best/worst, streak
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.catalog import Catalog
from analytics.dimensions import derived

TREND_COLUMNS = ["year", "value", "rank", "of", "rank_source", "value_change", "rank_change", "comparable"]
EXTRA_COLUMNS = ["prev_year", "value_comparable", "rank_comparable", "break_note", "rank_basis", "complete",
                 "has_conflict", "band"]

# One locality's rows are a lookup in ranked_facts (analytics.store.DERIVED): the indicator's rows are
# contiguous (part_key starts with the indicator), so zone maps skip every other row group.
TREND_SQL = """
SELECT unit_ix, year, value, official_rank, official_of, rank, "of", complete, rank_basis, has_conflict
FROM ranked_facts
WHERE part_key >= $lo AND part_key < $hi AND list_contains($units, unit_ix)
"""
_PART_SPAN = 10000 * 64  # part_key = (ind_ix * 10000 + year) * 64 + level/vintage (see DERIVED)


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


def _str_or_none(values: list) -> object:
    """A list of optional strings as DuckDB's .df() gives them: `str` dtype, or object None when all missing."""
    if all(v is None for v in values):
        return np.full(len(values), None, dtype=object)
    return pd.array(values, dtype="str")


def trends(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_ids: Sequence[str], *,
           lang: str = "en") -> pd.DataFrame:
    """Series of several units. Columns: unit_id, name (the name in that year), then TREND_COLUMNS,
    then prev_year, value_comparable, rank_comparable, break_note (in `lang`), rank_basis, complete,
    has_conflict, band. ``rank_change`` = previous rank − current rank (+13 = moved up 13 places)."""
    return _series(con, catalog, indicator_id, unit_ids, lang, with_unit=True)


def _series(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_ids: Sequence[str],
            lang: str, with_unit: bool) -> pd.DataFrame:
    """The rows of `unit_ids` looked up in ranked_facts; changes against each unit's previous row."""
    d = derived(con)
    ind_ix, _, _, direction = d.indicator(con, indicator_id)  # a KeyError naming the known indicators
    ind = catalog.items.get(indicator_id)  # None for an indicator only in the database: no breaks, no bands
    ixs = sorted({d.unit_ix[u] for u in unit_ids if u in d.unit_ix})
    r = con.execute(TREND_SQL, {"lo": ind_ix * _PART_SPAN, "hi": (ind_ix + 1) * _PART_SPAN,
                                "units": ixs}).fetchnumpy() if ixs else {"unit_ix": []}
    n = len(r["unit_ix"])
    if n == 0:
        return pd.DataFrame(columns=[*(["unit_id", "name"] if with_unit else []), *TREND_COLUMNS, *EXTRA_COLUMNS])
    ix = np.asarray(r["unit_ix"], dtype=np.int64)
    uid = d.unit_id[ix]
    order = sorted(range(n), key=lambda i: (uid[i], int(r["year"][i])))
    r = {k: v[order] for k, v in r.items()}
    ix, uid = ix[order], uid[order]
    year = np.asarray(r["year"])
    m = {k: np.ma.getmaskarray(v) for k, v in r.items()}
    v = {k: np.ma.getdata(v) for k, v in r.items()}
    value = np.where(m["value"], np.nan, v["value"].astype(np.float64))
    # rank/of: the published ones where published, else the computed national rank (indicators with a direction)
    pub = ~m["official_rank"]
    comp_ok = ~m["rank"] & (direction is not None)
    rank = np.where(pub, v["official_rank"], v["rank"]).astype(np.int64)
    rank_m = ~(pub | comp_ok)
    of = np.where(pub, v["official_of"], v["of"]).astype(np.int64)
    of_m = np.where(pub, m["official_of"], ~comp_ok | m["of"])
    src = np.where(pub, "published", np.where(comp_ok, "computed", None)).astype(object)
    complete = v["complete"].astype(bool) & ~m["complete"]
    trusted = pub | complete
    # the previous row of the same unit
    has_prev = np.zeros(n, dtype=bool)
    has_prev[1:] = ix[1:] == ix[:-1]

    def prev(a):
        out = np.empty_like(a)
        out[1:] = a[:-1]
        if n:
            out[0] = a[0]
        return out

    p_year, p_value, p_rank, p_rank_m = prev(year), prev(value), prev(rank), prev(rank_m) | ~has_prev
    p_of, p_of_m, p_trusted = prev(of), prev(of_m) | ~has_prev, prev(trusted) & has_prev
    p_value = np.where(has_prev, p_value, np.nan)
    broken = np.zeros(n, dtype=bool)
    notes: list[str | None] = [None] * n
    for b in (ind.series_breaks if ind is not None else ()):
        hit = has_prev & (p_year < b.year) & (year >= b.year)
        broken |= hit
        for i in np.flatnonzero(hit):
            notes[i] = b.text(lang) if notes[i] is None else f"{notes[i]}; {b.text(lang)}"
    both_values = ~np.isnan(value) & ~np.isnan(p_value)
    both_ranks = ~rank_m & ~p_rank_m
    same_n = ~of_m & ~p_of_m & (of == p_of)
    rank_ok = both_ranks & ~broken & same_n & trusted & p_trusted
    value_ok = both_values & ~broken
    anything = both_values | both_ranks
    columns = {}
    if with_unit:
        columns["unit_id"] = pd.array(list(uid), dtype="str")
        columns["name"] = pd.array(_names_in_year(d, ix, year), dtype="str")
    columns.update({
        "year": year.astype(np.int32),
        "value": value,
        "rank": pd.arrays.IntegerArray(rank, rank_m.copy()),
        "of": pd.arrays.IntegerArray(of, of_m.astype(bool)),
        "rank_source": _str_or_none(list(src)),
        "value_change": pd.arrays.FloatingArray(np.round(value - p_value, 6), ~value_ok | ~has_prev),
        "rank_change": pd.arrays.IntegerArray((p_rank - rank).astype(np.int64), ~rank_ok | ~has_prev),
        "comparable": pd.arrays.BooleanArray(~broken & (~both_ranks | rank_ok), ~anything | ~has_prev),
        "prev_year": pd.arrays.IntegerArray(p_year.astype(np.int64), ~has_prev),
        "value_comparable": pd.arrays.BooleanArray(value_ok, ~both_values | ~has_prev),
        "rank_comparable": pd.arrays.BooleanArray(rank_ok, ~both_ranks | ~has_prev),
        "break_note": pd.Series(notes, dtype=object),
        "rank_basis": _str_or_none([None if mm else x for x, mm in zip(v["rank_basis"], m["rank_basis"],
                                                                       strict=True)]),
        "complete": pd.arrays.BooleanArray(complete, np.zeros(n, dtype=bool)),
        "has_conflict": v["has_conflict"].astype(bool),
        "band": _str_or_none([getattr(ind.band_for(float(x), int(y)), "label", None)
                              if ind is not None and not np.isnan(x) else None
                              for x, y in zip(value, year, strict=True)]),
    })
    return pd.DataFrame(columns, copy=False)


def _names_in_year(d, ix: np.ndarray, year: np.ndarray) -> list[str]:
    """The name of each unit in that year: the short name for provinces, the full name below."""
    province = d.level[ix] == "province"
    take = pa.array(ix)
    names = [s if p else f for s, f, p in zip(d.strings["short_name"].take(take).to_pylist(),
                                              d.strings["name"].take(take).to_pylist(), province, strict=True)]
    for i in range(len(ix)):
        spells = d.names(int(year[i]))
        if spells is not None:
            pos = int(np.searchsorted(spells[0], ix[i]))
            if pos < len(spells[0]) and spells[0][pos] == ix[i]:
                nm = spells[2 if province[i] else 1][pos].as_py()
                names[i] = nm if nm is not None else names[i]
    return names


def trend(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_id: str, *,
          lang: str = "en") -> pd.DataFrame:
    """One locality's series. Columns: year, value, rank, of, rank_source ('published'|'computed'),
    value_change, rank_change, comparable, prev_year, value_comparable, rank_comparable, break_note,
    rank_basis, complete, has_conflict, band. rank/of are the published ones where published, else the
    computed national rank among units with a value."""
    return _series(con, catalog, indicator_id, [unit_id], lang, with_unit=False)


def change_between(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_id: str,
                   start: int, end: int) -> dict:
    """Change over any span: value and rank at both ends, the changes, and why they are not comparable.

    Returns a dict: start, end, value_start, value_end, value_change, rank_start, of_start, rank_end,
    of_end, rank_change, comparable, reason ('series_break' | 'n_changed' | 'missing' | None), breaks.
    """
    ind = catalog.get(indicator_id)
    df = trend(con, catalog, indicator_id, unit_id).set_index("year")
    out = {"start": int(start), "end": int(end), "value_start": None, "value_end": None, "value_change": None,
           "rank_start": None, "of_start": None, "rank_end": None, "of_end": None, "rank_change": None,
           "comparable": None, "reason": None, "breaks": [b.year for b in ind.breaks_between(start, end)]}
    if start not in df.index or end not in df.index:
        out["reason"] = "missing"
        return out
    a, b = df.loc[[start]], df.loc[[end]]
    for k, row in (("start", a.iloc[0]), ("end", b.iloc[0])):
        out[f"value_{k}"] = None if pd.isna(row["value"]) else float(row["value"])
        out[f"rank_{k}"] = None if pd.isna(row["rank"]) else int(row["rank"])
        out[f"of_{k}"] = None if pd.isna(row["of"]) else int(row["of"])
    ren = {"rank": "display_rank", "of": "display_of"}
    broken = pd.Series([bool(out["breaks"])])
    ch = compare_columns(a.rename(columns=ren).reset_index(drop=True), b.rename(columns=ren).reset_index(drop=True),
                         broken).iloc[0]
    out["value_change"] = None if pd.isna(ch["value_change"]) else float(ch["value_change"])
    out["rank_change"] = None if pd.isna(ch["rank_change"]) else int(ch["rank_change"])
    out["comparable"] = None if pd.isna(ch["comparable"]) else bool(ch["comparable"])
    if out["breaks"]:
        out["reason"] = "series_break"
    elif out["comparable"] is False:
        out["reason"] = "n_changed"
    elif out["comparable"] is None:
        out["reason"] = "missing"
    return out


def trend_stats(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_ids: Sequence[str],
                *, trend_df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per unit: best/worst year (value, direction-aware; rank), the latest streak of comparable rank moves,
    and the slopes of fitted lines over the latest comparable segment (after the last series break).

    Columns: unit_id, first_year, last_year, best_year, best_value, worst_year, worst_value, best_rank_year,
    best_rank, worst_rank_year, worst_rank, streak (+n = moved up n editions in a row up to the last one,
    −n = fell), segment_start, segment_end, n_years, slope_value (value per year), slope_rank (places gained
    per year, + = improving).
    """
    ind = catalog.get(indicator_id)
    df = trend_df if trend_df is not None else trends(con, catalog, indicator_id, unit_ids)
    cols = ["unit_id", "first_year", "last_year", "best_year", "best_value", "worst_year", "worst_value",
            "best_rank_year", "best_rank", "worst_rank_year", "worst_rank", "streak", "segment_start",
            "segment_end", "n_years", "slope_value", "slope_rank"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    tdf = df[["unit_id", "year", "value", "rank", "of", "rank_source", "complete", "rank_change"]].copy()
    tdf["value"] = tdf["value"].astype("float64")
    tdf["rank"] = tdf["rank"].astype("float64")
    tdf["complete"] = tdf["complete"].fillna(False).astype(bool)
    tdf["rank_change"] = tdf["rank_change"].astype("float64")
    sign = -1.0 if ind.direction == "lower_is_better" else 1.0
    summary = con.execute(f"""
        WITH v AS (
            SELECT unit_id, min(year) AS first_year, max(year) AS last_year,
                arg_max(year, {sign} * value) AS best_year, max_by(value, {sign} * value) AS best_value,
                arg_min(year, {sign} * value) AS worst_year, min_by(value, {sign} * value) AS worst_value,
                arg_min(year, rank) FILTER (WHERE rank_source = 'published' OR complete) AS best_rank_year,
                min(rank) FILTER (WHERE rank_source = 'published' OR complete) AS best_rank,
                arg_max(year, rank) FILTER (WHERE rank_source = 'published' OR complete) AS worst_rank_year,
                max(rank) FILTER (WHERE rank_source = 'published' OR complete) AS worst_rank
            FROM tdf GROUP BY unit_id
        ),
        runs AS (   -- newest first; the streak is the run of same-sign comparable rank moves up to the last edition
            SELECT unit_id, rank_change, first_value(sign(rank_change)) OVER w AS last_dir, row_number() OVER w AS k
            FROM tdf WINDOW w AS (PARTITION BY unit_id ORDER BY year DESC)
        ),
        streaks AS (
            SELECT unit_id, CAST(coalesce(any_value(last_dir), 0) * (coalesce(
                min(k) FILTER (WHERE rank_change IS NULL OR sign(rank_change) <> last_dir OR last_dir = 0),
                max(k) + 1) - 1) AS INTEGER) AS streak
            FROM runs GROUP BY unit_id
        ),
        t AS (SELECT *, len(list_filter($break_years, lambda b: b <= year)) AS segment FROM tdf),
        latest AS (SELECT unit_id, max(segment) AS segment FROM t WHERE value IS NOT NULL GROUP BY unit_id),
        s AS (   -- fitted lines over the latest comparable segment (after the last series break)
            SELECT unit_id, min(year) FILTER (WHERE value IS NOT NULL) AS segment_start,
                max(year) FILTER (WHERE value IS NOT NULL) AS segment_end, count(value) AS n_years,
                regr_slope(value, year) AS slope_value,
                -regr_slope(rank, year) FILTER (WHERE rank_source = 'published' OR complete) AS slope_rank
            FROM t JOIN latest USING (unit_id, segment) GROUP BY unit_id
        )
        SELECT v.*, coalesce(streaks.streak, 0) AS streak, s.segment_start, s.segment_end, s.n_years,
            s.slope_value, s.slope_rank
        FROM v LEFT JOIN streaks USING (unit_id) LEFT JOIN s USING (unit_id)
        ORDER BY unit_id
    """, {"break_years": [int(b.year) for b in ind.series_breaks]}).df()
    for col in ("first_year", "last_year", "best_year", "worst_year", "best_rank_year", "worst_rank_year",
                "best_rank", "worst_rank", "streak", "segment_start", "segment_end", "n_years"):
        summary[col] = summary[col].astype("Int64")
    return summary[cols]
