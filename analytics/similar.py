"""Similar localities beyond the region: the nearest units on a declared set of characteristics
(``data/similarity.yaml``: population, area, PCI, PAPI for provinces), each listed with its reason.

    similar(con, catalog, "old-p-74", year=2020, k=5)
    # unit_id, name, distance, and per characteristic the peer's value beside the unit's

A characteristic is read in the latest year ≤ ``year`` in which the declared share of the level's units
has a value; units without a value on every characteristic are left out (never filled in).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

from analytics.catalog import Catalog
from analytics.paths import DATA_DIR

SIMILARITY_FILE = DATA_DIR / "similarity.yaml"
TRANSFORMS = ("none", "log")


class SimilarityError(ValueError):
    """data/similarity.yaml is malformed: the message names the file, the set and the field."""


@dataclass(frozen=True)
class Characteristic:
    indicator_id: str
    transform: str


@dataclass(frozen=True)
class SimilaritySet:
    level: str
    vintage: str
    coverage: float
    characteristics: tuple[Characteristic, ...]


def load_similarity(catalog: Catalog, path: Path = SIMILARITY_FILE) -> list[SimilaritySet]:
    """The declared sets, checked against the catalog."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SimilarityError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("sets"), list):
        raise SimilarityError(f"{path}: expected a mapping with a list 'sets'")
    out = []
    for i, s in enumerate(doc["sets"], start=1):
        where = f"{path}: set {i}"
        if not isinstance(s, dict) or not {"level", "vintage", "coverage", "characteristics"} <= set(s):
            raise SimilarityError(f"{where}: needs level, vintage, coverage and characteristics")
        cov = s["coverage"]
        if not isinstance(cov, int | float) or not 0 < cov <= 1:
            raise SimilarityError(f"{where}: coverage must be a share in (0, 1], got {cov!r}")
        chars = []
        for c in s["characteristics"]:
            iid, tr = (c or {}).get("indicator"), (c or {}).get("transform", "none")
            if iid not in catalog:
                raise SimilarityError(f"{where}: indicator {iid!r} is not in the catalog")
            if tr not in TRANSFORMS:
                raise SimilarityError(f"{where}: transform of {iid} must be one of {TRANSFORMS}, got {tr!r}")
            chars.append(Characteristic(iid, tr))
        if not chars:
            raise SimilarityError(f"{where}: no characteristics")
        out.append(SimilaritySet(str(s["level"]), str(s["vintage"]), float(cov), tuple(chars)))
    return out


def set_for(sets: list[SimilaritySet], level: str, vintage: str) -> SimilaritySet | None:
    return next((s for s in sets if s.level == level and s.vintage == vintage), None)


_VALUES_SQL = """
WITH lvl AS (SELECT count(*) AS n FROM units WHERE level = $level AND vintage = $vintage),
cov AS (
    SELECT f.year, count(*) AS n FROM facts f JOIN units u USING (unit_id)
    WHERE f.indicator_id = $ind AND f.value IS NOT NULL AND u.level = $level AND u.vintage = $vintage
      AND ($year IS NULL OR f.year <= $year)
    GROUP BY 1
),
pick AS (SELECT max(year) AS year FROM cov, lvl WHERE cov.n >= $coverage * lvl.n)
SELECT f.unit_id, f.value, f.year FROM facts f JOIN pick USING (year) JOIN units u USING (unit_id)
WHERE f.indicator_id = $ind AND f.value IS NOT NULL AND u.level = $level AND u.vintage = $vintage
"""


def characteristic_values(con: duckdb.DuckDBPyConnection, sset: SimilaritySet, year: int | None
                          ) -> tuple[pd.DataFrame, dict[str, int]]:
    """(unit × characteristic values, {indicator: year read}) for the units with every value."""
    cols, years = [], {}
    for c in sset.characteristics:
        df = con.execute(_VALUES_SQL, {"ind": c.indicator_id, "level": sset.level, "vintage": sset.vintage,
                                       "year": year, "coverage": sset.coverage}).df()
        if df.empty:
            continue
        years[c.indicator_id] = int(df["year"].iloc[0])
        cols.append(df.set_index("unit_id")["value"].rename(c.indicator_id))
    if not cols:
        return pd.DataFrame(), years
    return pd.concat(cols, axis=1, join="inner"), years


def similar(con: duckdb.DuckDBPyConnection, catalog: Catalog, unit_id: str, *, level: str, vintage: str,
            year: int | None = None, k: int = 5, sets: list[SimilaritySet] | None = None) -> pd.DataFrame:
    """The ``k`` units nearest to ``unit_id``. Columns: ``unit_id, distance`` and, per characteristic,
    ``<id>`` (the peer's value) and ``<id>__self`` (the unit's). ``attrs``: ``years`` read per
    characteristic, ``n`` units compared. Empty when the unit lacks a characteristic."""
    sset = set_for(sets if sets is not None else load_similarity(catalog), level, vintage)
    if sset is None:
        return pd.DataFrame()
    values, years = characteristic_values(con, sset, year)
    if unit_id not in values.index or len(values) < 2:
        return pd.DataFrame()
    x = values.copy()
    for c in sset.characteristics:
        if c.transform == "log" and c.indicator_id in x:
            x[c.indicator_id] = np.log(x[c.indicator_id].where(x[c.indicator_id] > 0))
    x = x.dropna()
    z = (x - x.mean()) / x.std(ddof=0).replace(0, np.nan)
    z = z.dropna(axis=1, how="all").fillna(0.0)
    if unit_id not in z.index:
        return pd.DataFrame()
    dist = np.sqrt(((z - z.loc[unit_id]) ** 2).sum(axis=1)).drop(unit_id)
    nearest = dist.sort_values(kind="stable").head(int(k))
    out = values.loc[nearest.index].copy()
    for col in values.columns:
        out[f"{col}__self"] = values.loc[unit_id, col]
    out.insert(0, "distance", nearest.round(4))
    out = out.reset_index(names="unit_id")
    out.attrs["years"] = years
    out.attrs["n"] = len(z)
    return out
