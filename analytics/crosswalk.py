"""The 2025 crosswalk: legacy-year data viewed on the units of 1 July 2025 (34 provinces, new communes).

Each legacy unit maps to its default successor (`successors.is_default`); a ward split between several
new communes counts only in its default successor (flagged `any_split`). A new unit's value for a legacy
year is *derived*:

- ``area_weighted_mean`` — mean weighted by the former units' area (indicator `area_km2`, the nearest
  year in the data) when every former unit has an area;
- ``mean`` — simple mean otherwise;
- ``single`` — one former unit, same territory: its value carried over;
- ``mean_of_former`` — the publisher's own method where the catalog declares one (``derive_2025``; DTI
  2024 on the 34 units = simple mean of the former provinces): it replaces the two above;

and only when every former unit has a value (otherwise no value, with `n_with_data` of `n_former`).
Derived figures are always labelled "derived from N former units" and kept in their own columns, never
mixed with published values (a published recomputation on the new units, e.g. `dti_34`, sits in
`published_value`, and comes first: `figure`/`figure_kind` hold the published figure where there is one,
else the derived one). A rank among derived values is a place among the new units that have one
(`derived_rank_text`: "2nd of the 3 with a derived figure"), never an official x/34.

    crosswalk(con, cat, "pci", 2018)                 # one row per new province
    former_units(con, "new-p-79", "pci", 2018)        # the reverse view
    derived_series(con, cat, "pci", "new-p-79")       # every legacy year
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analytics.catalog import Catalog
from analytics.i18n import t
from analytics.store.reads import indicator_level

NEW_LEVEL = {"province": "province", "commune": "commune"}
WEIGHT_INDICATOR = {"province": "area_km2"}

CROSSWALK_COLUMNS = ["unit_id", "code", "name", "year", "derived_value", "is_derived", "method", "n_former",
                     "n_with_data", "complete", "weight_indicator", "weight_year", "any_split", "derived_rank",
                     "derived_of", "published_indicator", "published_value", "published_rank", "figure",
                     "figure_kind", "label_vi", "label_en"]

_SQL = """
WITH map AS (
    SELECT s.unit_id AS former_id, s.successor_id AS unit_id,
        count(*) OVER (PARTITION BY s.unit_id) > 1 AS is_split
    FROM successors s
    JOIN units o ON o.unit_id = s.unit_id
    JOIN units n ON n.unit_id = s.successor_id
    WHERE o.level = $level AND o.vintage = 'legacy' AND n.level = $new_level AND n.vintage = '2025'
    QUALIFY s.is_default
),
years AS (
    SELECT DISTINCT year FROM facts
    WHERE indicator_id = $indicator AND value IS NOT NULL AND ($year IS NULL OR year = $year)
),
v AS (SELECT unit_id AS former_id, year, value FROM facts WHERE indicator_id = $indicator AND value IS NOT NULL),
w AS (   -- each former unit's area in the data year nearest to each year (later year on a tie)
    SELECT a.unit_id AS former_id, y.year, a.value AS weight, a.year AS weight_year
    FROM facts a, years y
    WHERE a.indicator_id = $weight_indicator AND a.value IS NOT NULL AND a.value > 0
    QUALIFY row_number() OVER (PARTITION BY a.unit_id, y.year ORDER BY abs(a.year - y.year), a.year DESC) = 1
),
j AS (
    SELECT m.unit_id, m.former_id, m.is_split, y.year, v.value, w.weight, w.weight_year
    FROM map m CROSS JOIN years y
    LEFT JOIN v ON v.former_id = m.former_id AND v.year = y.year
    LEFT JOIN w ON w.former_id = m.former_id AND w.year = y.year
),
agg AS (
    SELECT unit_id, year, count(*) AS n_former, count(value) AS n_with_data, count(weight) AS n_weight,
        bool_or(is_split) AS any_split, avg(value) AS mean_value,
        sum(value * weight) / sum(weight) AS weighted_value, max(weight_year) AS weight_year
    FROM j GROUP BY unit_id, year
),
d AS (
    SELECT *, n_with_data = n_former AS complete,
        CASE WHEN n_with_data < n_former THEN NULL
             WHEN n_former = 1 THEN 'single'
             WHEN n_weight = n_former AND $weighted THEN 'area_weighted_mean' ELSE 'mean' END AS method
    FROM agg
),
dv AS (
    SELECT *, CASE method WHEN 'area_weighted_mean' THEN weighted_value WHEN 'mean' THEN mean_value
                          WHEN 'single' THEN mean_value END AS derived_value
    FROM d
)
SELECT dv.unit_id, u.code, u.short_name AS short_name, u.name AS full_name, dv.year, dv.derived_value,
    dv.method, dv.n_former, dv.n_with_data, dv.complete,
    CASE WHEN dv.method = 'area_weighted_mean' THEN $weight_indicator END AS weight_indicator,
    CASE WHEN dv.method = 'area_weighted_mean' THEN dv.weight_year END AS weight_year, dv.any_split,
    CASE WHEN dv.derived_value IS NOT NULL THEN rank() OVER (
        PARTITION BY dv.year, dv.derived_value IS NULL
        ORDER BY CASE WHEN $direction = 'lower_is_better' THEN dv.derived_value ELSE -dv.derived_value END)
    END AS derived_rank,
    count(dv.derived_value) OVER (PARTITION BY dv.year) AS derived_of,
    p.value AS published_value, p.official_rank AS published_rank
FROM dv JOIN units u USING (unit_id)
LEFT JOIN facts p ON p.indicator_id = $published_indicator AND p.unit_id = dv.unit_id AND p.year = dv.year
ORDER BY dv.year, u.code
"""


def derived_label(n_former: int, method: str | None, lang: str, *, n_with_data: int | None = None,
                  weight_year: int | None = None, any_split: bool = False) -> str:
    """"Derived from 3 former units (area-weighted mean 2016)" in `lang`; "Only 1 of 4 former units have
    data: no derived value" when there is none."""
    if not method and n_with_data is not None:
        key = "crosswalk.none_note" if int(n_with_data) == 0 else "crosswalk.missing_note"
        text = t(key, lang, k=int(n_with_data), n=int(n_former))
        text = text[0].upper() + text[1:]
        return text + (f" ({t('crosswalk.split_note', lang)})" if any_split else "")
    text = t("label.derived_from", lang, n=int(n_former))
    bits = []
    if method:
        m = t(f"crosswalk.method.{method}", lang)
        if method == "area_weighted_mean" and weight_year:
            m += f" {weight_year}" if lang == "en" else f" năm {weight_year}"
        bits.append(m)
    if any_split:
        bits.append(t("crosswalk.split_note", lang))
    return text + (f" ({'; '.join(bits)})" if bits else "")


def derived_rank_text(rank, of, n_units: int, lang: str) -> str:
    """A rank among derived values: "2/34 (quy đổi)" when every new unit has one, else "thứ 2 trong 3 đơn vị
    có số liệu quy đổi" (a place among those with a derived figure); '' without a rank."""
    if rank is None or pd.isna(rank):
        return ""
    if of is not None and not pd.isna(of) and int(of) >= int(n_units):
        return t("crosswalk.rank_full", lang, rank=int(rank), n=int(of))
    return t("crosswalk.rank_among", lang, rank=int(rank), n=int(of))


def publisher_method(catalog: Catalog | None, indicator_id: str) -> str | None:
    """The catalog's ``derive_2025`` method for the indicator (the publisher's own way of carrying its legacy
    figures onto the 2025 units), or None."""
    if catalog is None or indicator_id not in catalog:
        return None
    d = catalog.get(indicator_id).derive_2025
    return d.get("method") if d else None


def _published_variant(catalog: Catalog | None, indicator_id: str) -> str | None:
    if catalog is None:
        return None
    for ind in catalog:
        if ind.variant_of == indicator_id and ind.vintage == "2025":
            return ind.id
    return None


def _run(con, catalog, indicator_id: str, year: int | None, *, weighted: bool) -> pd.DataFrame:
    level, vintage, direction = indicator_level(con, indicator_id)
    if vintage != "legacy" or level not in NEW_LEVEL:
        raise ValueError(f"{indicator_id!r} is not a legacy province/commune indicator; nothing to carry over")
    own = publisher_method(catalog, indicator_id)
    if own == "mean_of_former":
        weighted = False   # the publisher's simple mean, not our area weighting
    df = con.execute(_SQL, {
        "indicator": indicator_id, "year": None if year is None else int(year), "level": level,
        "new_level": NEW_LEVEL[level], "weight_indicator": WEIGHT_INDICATOR.get(level, ""),
        "weighted": weighted, "direction": direction or "higher_is_better",
        "published_indicator": _published_variant(catalog, indicator_id) or "",
    }).df()
    if own is not None:
        df.loc[df["method"] == "mean", "method"] = own
    df["name"] = df["short_name"] if NEW_LEVEL[level] == "province" else df["full_name"]
    # the publisher's own figure on the new units first; a derived one only where there is none
    pub = df["published_value"].notna()
    df["figure"] = df["published_value"].where(pub, df["derived_value"])
    df["figure_kind"] = pd.Series(["published" if p else ("derived" if pd.notna(v) else None)
                                   for p, v in zip(pub, df["derived_value"], strict=True)], dtype=object)
    df["is_derived"] = True
    df["published_indicator"] = _published_variant(catalog, indicator_id)
    for col in ("n_former", "n_with_data", "weight_year", "derived_rank", "derived_of", "published_rank"):
        df[col] = df[col].astype("Int64")
    for lang in ("vi", "en"):
        df[f"label_{lang}"] = [
            derived_label(n, m if isinstance(m, str) else None, lang, n_with_data=k,
                          weight_year=None if pd.isna(wy) else int(wy), any_split=bool(sp))
            for n, m, k, wy, sp in zip(df["n_former"], df["method"], df["n_with_data"], df["weight_year"],
                                       df["any_split"], strict=True)]
    return df[CROSSWALK_COLUMNS]


def crosswalk(con: duckdb.DuckDBPyConnection, catalog: Catalog | None, indicator_id: str, year: int, *,
              weighted: bool = True) -> pd.DataFrame:
    """Legacy `year` of `indicator_id` on the new units, one row per new unit (a new unit none of whose
    former units had the indicator's level does not appear).

    Columns: unit_id, code, name, year, derived_value (None unless every former unit has a value),
    is_derived (always True), method ('area_weighted_mean' | 'mean' | 'single' | None), n_former, n_with_data,
    complete, weight_indicator, weight_year, any_split, derived_rank/derived_of (rank among the derived
    values, direction-aware; a derived figure, not a published rank), published_indicator/published_value/
    published_rank (a publisher's own figure on the new units, e.g. dti_34, kept apart), figure/figure_kind
    (the published figure where there is one, else the derived one: 'published' | 'derived'), label_vi, label_en
    ("Quy đổi từ 3 đơn vị cũ (…)" / "Derived from 3 former units (…)"). ``weighted=False`` forces the
    simple mean.
    """
    return _run(con, catalog, indicator_id, year, weighted=weighted).reset_index(drop=True)


def derived_series(con: duckdb.DuckDBPyConnection, catalog: Catalog | None, indicator_id: str, unit_id: str, *,
                   weighted: bool = True) -> pd.DataFrame:
    """Every legacy year of `indicator_id` derived on one new unit (same columns as `crosswalk`)."""
    df = _run(con, catalog, indicator_id, None, weighted=weighted)
    return df[df["unit_id"] == unit_id].reset_index(drop=True)


_FORMER_SQL = """
WITH n AS (SELECT unit_id, count(*) AS n_successors FROM successors GROUP BY unit_id),
m AS (
    SELECT s.unit_id, s.is_default, s.relation, n.n_successors
    FROM successors s JOIN n USING (unit_id) WHERE s.successor_id = $new
)
SELECT m.unit_id, u.code, CASE WHEN u.level = 'province' THEN u.short_name ELSE u.name END AS name, u.level,
    m.is_default, m.relation, m.n_successors > 1 AS is_split,
    x.value, coalesce(x.official_rank, r.rank_national) AS rank,
    CASE WHEN x.official_rank IS NOT NULL THEN x.official_of ELSE r.n_national END AS "of",
    CASE WHEN x.official_rank IS NOT NULL THEN 'published' WHEN r.rank_national IS NOT NULL THEN 'computed' END
        AS rank_source,
    a.value AS area_km2, a.year AS area_year
FROM m
JOIN units u USING (unit_id)
LEFT JOIN facts x ON x.unit_id = m.unit_id AND x.indicator_id = $indicator AND x.year = $year
LEFT JOIN ranks r ON r.unit_id = m.unit_id AND r.indicator_id = $indicator AND r.year = $year
LEFT JOIN (
    SELECT unit_id, value, year FROM facts WHERE indicator_id = 'area_km2' AND value IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY abs(year - coalesce($year, 9999)), year DESC) = 1
) a ON a.unit_id = m.unit_id
WHERE $level IS NULL OR u.level = $level
ORDER BY u.level <> 'province', u.level, u.code
"""


def former_units(con: duckdb.DuckDBPyConnection, unit_id: str, indicator_id: str | None = None,
                 year: int | None = None, *, level: str | None = None) -> pd.DataFrame:
    """The reverse view: the legacy units a new unit came from (all of them, including split wards whose
    default successor is elsewhere: `is_default` False, not counted in derived values), with their value
    and rank for `indicator_id`/`year` when given. `level` defaults to the new unit's own level.

    Columns: unit_id, code, name, level, is_default, relation, is_split, value, rank, of, rank_source,
    area_km2, area_year, counted (counts in the derived value)."""
    if level is None:
        row = con.execute("SELECT level FROM units WHERE unit_id = ?", [unit_id]).fetchall()
        level = row[0][0] if row else None
    df = con.execute(_FORMER_SQL, {"new": unit_id, "indicator": indicator_id or "",
                                   "year": None if year is None else int(year), "level": level}).df()
    for col in ("rank", "of", "area_year"):
        df[col] = df[col].astype("Int64")
    df["counted"] = df["is_default"].astype(bool)
    return df
