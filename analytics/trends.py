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
import pandas as pd

from analytics.catalog import Catalog, Indicator
from analytics.ranking import compare_columns, indicator_level

TREND_COLUMNS = ["year", "value", "rank", "of", "rank_source", "value_change", "rank_change", "comparable"]
EXTRA_COLUMNS = ["prev_year", "value_comparable", "rank_comparable", "break_note", "rank_basis", "complete",
                 "has_conflict", "band"]

TREND_SQL = """
WITH counts AS (
    SELECT f.year, f.level, f.vintage, count(f.value) AS n_values, any_value(n.n_units) AS n_units
    FROM facts f
    JOIN (SELECT level, vintage, count(*) AS n_units FROM units GROUP BY ALL) n USING (level, vintage)
    WHERE f.indicator_id = $indicator GROUP BY ALL
),
base AS (
    SELECT f.unit_id, f.year, f.value, f.official_rank, f.official_of, f.rank_basis, f.has_conflict,
           r.rank_national AS computed_rank, r.n_national AS computed_of, c.n_values, coalesce(e.n_ranked, c.n_units) AS n_ranked,
           coalesce(n.short_name, u.short_name) AS short_name, coalesce(n.name, u.name) AS full_name, u.level
    FROM facts f
    JOIN units u ON u.unit_id = f.unit_id
    LEFT JOIN ranks r ON r.indicator_id = f.indicator_id AND r.unit_id = f.unit_id AND r.year = f.year
    LEFT JOIN counts c ON c.year = f.year AND c.level = f.level AND c.vintage = f.vintage
    LEFT JOIN editions e ON e.indicator_id = f.indicator_id AND e.year = f.year
    LEFT JOIN unit_names n ON n.unit_id = f.unit_id
        AND coalesce(year(n.valid_from), 0) <= f.year AND f.year <= coalesce(year(n.valid_to), 9999)
    WHERE f.indicator_id = $indicator AND list_contains($units, f.unit_id)
    QUALIFY row_number() OVER (PARTITION BY f.unit_id, f.year ORDER BY n.valid_from DESC NULLS LAST) = 1
),
shown AS (
    SELECT unit_id, year, value,
        coalesce(official_rank, computed_rank) AS rank,
        CASE WHEN official_rank IS NOT NULL THEN official_of ELSE computed_of END AS "of",
        CASE WHEN official_rank IS NOT NULL THEN 'published' WHEN computed_rank IS NOT NULL THEN 'computed' END
            AS rank_source,
        n_values > 0 AND n_values >= n_ranked AS complete,
        rank_basis, has_conflict,
        CASE WHEN level = 'province' THEN short_name ELSE full_name END AS name
    FROM base
),
lagged AS (
    SELECT *,
        lag(year) OVER w AS prev_year, lag(value) OVER w AS prev_value, lag(rank) OVER w AS prev_rank,
        lag("of") OVER w AS prev_of, lag(rank_source) OVER w AS prev_rank_source,
        lag(complete) OVER w AS prev_complete
    FROM shown WINDOW w AS (PARTITION BY unit_id ORDER BY year)
)
SELECT * FROM lagged ORDER BY unit_id, year
"""


def crossed_breaks(ind: Indicator, prev_year: pd.Series, year: pd.Series, lang: str = "en"
                   ) -> tuple[pd.Series, pd.Series]:
    """(crossed, note): whether a series break lies in (prev_year, year], and the breaks' notes in `lang`.
    Vectorised over rows; loops only over the catalog's few breaks."""
    crossed = pd.Series(False, index=year.index)
    notes = pd.Series("", index=year.index, dtype=object)
    prev = prev_year.astype("Float64")
    for b in ind.series_breaks:
        hit = ((prev < b.year) & (year >= b.year)).fillna(False).astype(bool)
        crossed |= hit
        notes = notes.where(~hit, notes.str.cat([b.text(lang)] * len(notes), sep="; ").str.lstrip("; "))
    return crossed, notes.where(crossed, None)


def trends(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_ids: Sequence[str], *,
           lang: str = "en") -> pd.DataFrame:
    """Series of several units. Columns: unit_id, name (the name in that year), then TREND_COLUMNS,
    then prev_year, value_comparable, rank_comparable, break_note (in `lang`), rank_basis, complete,
    has_conflict, band. ``rank_change`` = previous rank − current rank (+13 = moved up 13 places)."""
    indicator_level(con, indicator_id)  # raises a KeyError naming the known indicators
    ind = catalog.get(indicator_id)
    df = con.execute(TREND_SQL, {"indicator": indicator_id, "units": list(unit_ids)}).df()
    if df.empty:
        return pd.DataFrame(columns=["unit_id", "name", *TREND_COLUMNS, *EXTRA_COLUMNS])
    for col in ("rank", "of", "prev_rank", "prev_of", "prev_year"):
        df[col] = df[col].astype("Int64")
    df["complete"] = df["complete"].astype("boolean")
    df["prev_complete"] = df["prev_complete"].astype("boolean")
    prev = pd.DataFrame({"value": df["prev_value"], "display_rank": df["prev_rank"], "display_of": df["prev_of"],
                         "rank_source": df["prev_rank_source"], "complete": df["prev_complete"]})
    cur = df.rename(columns={"rank": "display_rank", "of": "display_of"})
    broken, notes = crossed_breaks(ind, df["prev_year"], df["year"], lang)
    ch = compare_columns(prev, cur, broken)
    first = df["prev_year"].isna()
    for col in ("value_change", "rank_change", "comparable", "value_comparable", "rank_comparable"):
        df[col] = ch[col].mask(first, pd.NA)
    df["break_note"] = notes
    df["band"] = [getattr(ind.band_for(v, y), "label", None) if pd.notna(v) else None
                  for v, y in zip(df["value"], df["year"], strict=True)]
    return df[["unit_id", "name", *TREND_COLUMNS, *EXTRA_COLUMNS]].reset_index(drop=True)


def trend(con: duckdb.DuckDBPyConnection, catalog: Catalog, indicator_id: str, unit_id: str, *,
          lang: str = "en") -> pd.DataFrame:
    """One locality's series. Columns: year, value, rank, of, rank_source ('published'|'computed'),
    value_change, rank_change, comparable, prev_year, value_comparable, rank_comparable, break_note,
    rank_basis, complete, has_conflict, band. rank/of are the published ones where published, else the
    computed national rank among units with a value."""
    df = trends(con, catalog, indicator_id, [unit_id], lang=lang)
    return df.drop(columns=["unit_id", "name"]).reset_index(drop=True)


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
