"""One object for the pages: a connection, the catalog and the registry, and every analytics call.

    from analytics.facade import Analytics
    an = Analytics.open()                       # var/chiso.duckdb (or $CHISO_DB), catalog, registry
    an.ranking("par_index", 2020)
    an.trend("par_index", "old-p-74")
    an.findings("old-p-74", "par_index", 2020, "vi")

Pure Python (no Streamlit); ui/cache.py decides what to cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from analytics import benchmarks as _b
from analytics import components as _c
from analytics import crosswalk as _x
from analytics import findings as _f
from analytics import peers as _p
from analytics import ranking as _r
from analytics import trends as _t
from analytics.catalog import Catalog
from analytics.registry import NameSpell, Registry, Unit


def _date(x):
    return None if x is None or pd.isna(x) else pd.Timestamp(x).date()


def registry_from_db(con: duckdb.DuckDBPyConnection) -> Registry:
    """A Registry rebuilt from the database's units/unit_names/successors/aliases/regions tables (much faster
    than `Registry.from_package()`, and always the same vintage as the data)."""
    cols = [f.name for f in Unit.__dataclass_fields__.values()]
    units = {}
    for row in con.execute(f"SELECT {', '.join(cols)} FROM units").fetchall():
        units[row[0]] = Unit(*row)
    names = [NameSpell(u, n, s, _date(a), _date(b), src) for u, n, s, a, b, src in con.execute(
        "SELECT unit_id, name, short_name, valid_from, valid_to, source FROM unit_names").fetchall()]
    succ = [tuple(r) for r in con.execute(
        "SELECT unit_id, successor_id, is_default, relation FROM successors").fetchall()]
    aliases = [tuple(r) for r in con.execute("SELECT unit_id, alias, source FROM aliases").fetchall()]
    regions = {r: {"vi": vi, "en": en, "source": src}
               for r, vi, en, src in con.execute("SELECT region_id, name_vi, name_en, source FROM regions").fetchall()}
    return Registry(units_by_id=units, name_history=names, successors=succ, aliases=aliases, regions=regions)


@dataclass
class Analytics:
    con: duckdb.DuckDBPyConnection
    catalog: Catalog
    registry: Registry

    @classmethod
    def open(cls, db_path: Path | str | None = None, *, catalog: Catalog | None = None,
             registry: Registry | None = None) -> Analytics:
        from analytics.catalog import load_catalog
        from analytics.store import connect

        return cls(connect(db_path), catalog or load_catalog(), registry or Registry.from_package())

    # ---------------------------------------------------------------- rankings
    def ranking(self, indicator_id: str, year: int, *, scope: _r.Scope | None = None, level: str | None = None,
                include_missing: bool = False, compare_to: int | None | bool = True) -> pd.DataFrame:
        return _r.ranking(self.con, indicator_id, year, scope=scope, level=level, include_missing=include_missing,
                          catalog=self.catalog, compare_to=compare_to)

    def rank_check(self) -> pd.DataFrame:
        return _r.rank_check(self.con)

    def rank_agreement(self, indicator_id: str | None = None) -> pd.DataFrame:
        return _r.rank_agreement(self.con, indicator_id)

    def coverage(self) -> pd.DataFrame:
        return _r.coverage(self.con)

    # ---------------------------------------------------------------- trends
    def trend(self, indicator_id: str, unit_id: str, *, lang: str = "en") -> pd.DataFrame:
        return _t.trend(self.con, self.catalog, indicator_id, unit_id, lang=lang)

    def trends(self, indicator_id: str, unit_ids: Sequence[str], *, lang: str = "en") -> pd.DataFrame:
        return _t.trends(self.con, self.catalog, indicator_id, unit_ids, lang=lang)

    def change_between(self, indicator_id: str, unit_id: str, start: int, end: int) -> dict:
        return _t.change_between(self.con, self.catalog, indicator_id, unit_id, start, end)

    def trend_stats(self, indicator_id: str, unit_ids: Sequence[str]) -> pd.DataFrame:
        return _t.trend_stats(self.con, self.catalog, indicator_id, unit_ids)

    # ---------------------------------------------------------------- benchmarks and peers
    def benchmarks(self, indicator_id: str, year: int, unit_id: str | None = None) -> pd.DataFrame:
        return _b.benchmarks(self.con, self.catalog, indicator_id, year, unit_id)

    def benchmark_series(self, indicator_id: str, unit_id: str | None = None) -> pd.DataFrame:
        return _b.benchmark_series(self.con, self.catalog, indicator_id, unit_id)

    def comparators(self, indicator_id: str, year: int, unit_id: str | None = None, *,
                    include_partial: bool = False) -> list[dict]:
        return _b.comparators(self.benchmarks(indicator_id, year, unit_id), include_partial=include_partial)

    def peer_group(self, unit_id: str, *, by: str = "region", year: int | None = None) -> pd.DataFrame:
        return _p.peer_group(self.con, unit_id, by=by, year=year)

    def similar_units(self, unit_id: str, indicators: Sequence[str], *, year: int | None = None,
                      k: int = 5) -> pd.DataFrame:
        return _p.similar_units(self.con, unit_id, indicators, year=year, k=k)

    # ---------------------------------------------------------------- components
    def components(self, indicator_id: str, unit_id: str, year: int, *, lang: str = "vi") -> pd.DataFrame:
        return _c.components(self.con, self.catalog, indicator_id, unit_id, year, lang=lang)

    # ---------------------------------------------------------------- 2025 crosswalk
    def crosswalk(self, indicator_id: str, year: int, *, weighted: bool = True) -> pd.DataFrame:
        return _x.crosswalk(self.con, self.catalog, indicator_id, year, weighted=weighted)

    def derived_series(self, indicator_id: str, unit_id: str, *, weighted: bool = True) -> pd.DataFrame:
        return _x.derived_series(self.con, self.catalog, indicator_id, unit_id, weighted=weighted)

    def former_units(self, unit_id: str, indicator_id: str | None = None, year: int | None = None) -> pd.DataFrame:
        return _x.former_units(self.con, unit_id, indicator_id, year)

    # ---------------------------------------------------------------- findings
    def findings(self, unit_id: str, indicator_id: str, year: int, lang: str = "vi") -> list[str]:
        return _f.findings(self.con, self.catalog, self.registry, unit_id, indicator_id, year, lang)
