"""A tiny hand-made world for the analytics unit tests: 6 provinces in 2 regions, districts, communes,
3 new provinces and 2 new communes, a handful of indicators and observations chosen to exercise ties,
direction, scopes, partial tables, series breaks, N changes and the 2025 crosswalk.

Built in memory with the real schema (`analytics.store.SCHEMA`) and `refresh_derived`.

Province values of `idx` (higher is better, %; break in 2022; 2023 ranks only 5):

    unit  region  2019 (rank)   2020 (rank)   2021 (partial)       2022 (rank)  2023 (of 5)
    P1    R1      90  (1)       92  (1)       91 (1)               70 (3)       80 (1)
    P2    R1      85  (2)       80  (3)       89 (2, listing)      90 (1)       70 (2)
    P3    R1      85  (2)       88  (2)       —                    80 (2)       60 (3)
    P4    R2      70  (4)       75  (4)       —  (5 published)     60 (4)       50 (4)
    P5    R2      60  (5)       65  (5)       —                    50 (5)       40 (5)
    P6    R2      50  (6)       55  (6)       —                    40 (6)       —
"""

from __future__ import annotations

import datetime as dt

import duckdb

from analytics.catalog import Catalog, parse_catalog
from analytics.registry import NameSpell, Registry, Unit
from analytics.store import SCHEMA, load_catalog_tables, load_observations, load_registry, refresh_derived

URL = "https://example.org/source"
END = dt.date(2025, 6, 30)
START = dt.date(2025, 7, 1)


def _p(code, short, region, type_vi="Tỉnh", type_en="Province", en=None):
    return Unit(f"old-p-{code}", code, "legacy", "province", type_vi, type_en, f"{type_vi} {short}", short,
                en or short, None, f"old-p-{code}", region, valid_to=END)


def _u(uid, code, level, short, parent, province, region, type_vi, type_en, vintage="legacy"):
    return Unit(uid, code, vintage, level, type_vi, type_en, f"{type_vi} {short}", short, short, parent, province,
                region, valid_to=END if vintage == "legacy" else None, valid_from=START if vintage == "2025" else None)


def registry() -> Registry:
    units = [
        _p("01", "Một", "R1", "Thành phố", "Centrally-run city", en="Mot"),
        _p("02", "Hai", "R1", en="Hai"),
        _p("03", "Ba", "R1", en="Ba"),
        _p("04", "Bốn", "R2", en="Bon"),
        _p("05", "Năm", "R2", en="Nam"),
        _p("06", "Sáu", "R2", en="Sau"),
        _u("old-d-101", "101", "district", "Đông", "old-p-01", "old-p-01", "R1", "Quận", "Urban district"),
        _u("old-d-102", "102", "district", "Tây", "old-p-01", "old-p-01", "R1", "Huyện", "Rural district"),
        _u("old-d-103", "103", "district", "Nam", "old-p-01", "old-p-01", "R1", "Huyện", "Rural district"),
        _u("old-d-201", "201", "district", "Bắc", "old-p-02", "old-p-02", "R1", "Huyện", "Rural district"),
        _u("old-c-10001", "10001", "commune", "An", "old-d-101", "old-p-01", "R1", "Phường", "Ward"),
        _u("old-c-10002", "10002", "commune", "Bình", "old-d-101", "old-p-01", "R1", "Phường", "Ward"),
        _u("old-c-10003", "10003", "commune", "Cường", "old-d-102", "old-p-01", "R1", "Xã", "Commune"),
        _u("new-p-01", "01", "province", "Một Mới", None, "new-p-01", "R1", "Thành phố", "Centrally-run city",
           "2025"),
        _u("new-p-03", "03", "province", "Ba", None, "new-p-03", "R1", "Tỉnh", "Province", "2025"),
        _u("new-p-04", "04", "province", "Bốn Mới", None, "new-p-04", "R2", "Tỉnh", "Province", "2025"),
        _u("new-c-1", "90001", "commune", "An Bình", "new-p-01", "new-p-01", "R1", "Phường", "Ward", "2025"),
        _u("new-c-2", "90002", "commune", "Cường Mới", "new-p-01", "new-p-01", "R1", "Xã", "Commune", "2025"),
    ]
    names = [NameSpell("old-p-03", "Tỉnh Ba Cũ", "Ba Cũ", None, dt.date(2019, 12, 31), URL),
             NameSpell("old-p-03", "Tỉnh Ba", "Ba", dt.date(2020, 1, 1), END, URL)]
    succ = [("old-p-01", "new-p-01", True, "merged"), ("old-p-02", "new-p-01", True, "merged"),
            ("old-p-03", "new-p-03", True, "renamed_or_kept"), ("old-p-04", "new-p-04", True, "merged"),
            ("old-p-05", "new-p-04", True, "merged"), ("old-p-06", "new-p-04", True, "merged"),
            ("old-c-10001", "new-c-1", True, "merged"), ("old-c-10002", "new-c-1", True, "split"),
            ("old-c-10002", "new-c-2", False, "split"), ("old-c-10003", "new-c-2", True, "merged")]
    regions = {"R1": {"vi": "Vùng Một", "en": "Region One", "source": URL},
               "R2": {"vi": "Vùng Hai", "en": "Region Two", "source": URL}}
    return Registry(units_by_id={u.unit_id: u for u in units}, name_history=names, successors=succ,
                    regions=regions)


def _entry(iid, *, parent=None, kind="index", direction="higher_is_better", level="province", vintage="legacy",
           unit="%", name=None, short=None, **extra):
    e = {"id": iid, "parent": parent, "kind": kind, "name": name or {"vi": f"Chỉ số {iid}", "en": f"Index {iid}"},
         "short": short or {"vi": iid.upper(), "en": iid.upper()}, "unit": unit, "scale": {"min": 0, "max": None},
         "decimals": 2, "direction": direction, "levels": [level], "vintage": vintage,
         "publisher": {"vi": "Bộ Thử", "en": "Ministry of Tests"}, "source_url": URL}
    e.update(extra)
    return e


def catalog() -> Catalog:
    eds = {y: {"n_ranked": 6} for y in (2019, 2020, 2021, 2022)}
    eds[2023] = {"n_ranked": 5}
    eds[2024] = {"n_ranked": 6}
    doc = {"indicators": [
        _entry("idx", name={"vi": "Chỉ số Thử (IDX)", "en": "Test Index (IDX)"},
               short={"vi": "IDX", "en": "IDX"}, editions=eds,
               series_breaks=[{"year": 2022, "note": {"vi": "Bộ tiêu chí mới.", "en": "New criteria."}}],
               bands=[{"from": 2020, "to": None, "grades": [{"label": "A", "min": 90, "max": None},
                                                            {"label": "B", "min": 80, "max": 90},
                                                            {"label": "C", "min": None, "max": 80}]}],
               published_averages=[{"year": 2020, "value": 79.5, "level": "province", "source_url": URL}]),
        _entry("idx.a", parent="idx", kind="component", unit="điểm/points",
               name={"vi": "Thành phần A", "en": "Component A"}, short={"vi": "TP A", "en": "Comp. A"}),
        _entry("idx.b", parent="idx", kind="component", unit="điểm/points",
               name={"vi": "Thành phần B", "en": "Component B"}, short={"vi": "TP B", "en": "Comp. B"}),
        _entry("idx.c", parent="idx", kind="component", unit="điểm/points",
               name={"vi": "Thành phần C", "en": "Component C"}, short={"vi": "TP C", "en": "Comp. C"}),
        _entry("idx_34", vintage="2025", variant_of="idx", editions={2024: {"n_ranked": 3}}),
        _entry("low", direction="lower_is_better", unit="điểm/points", editions={2020: {"n_ranked": 4}}),
        _entry("dist", level="district", editions={2020: {"n_ranked": 4}}),
        _entry("com", level="commune"),
        _entry("area_km2", kind="context", direction=None, unit="km²"),
    ]}
    return Catalog(items=parse_catalog(doc))


def _o(ind, unit, year, value=None, rank=None, basis=None, status="primary"):
    return {"indicator_id": ind, "unit_id": unit, "locality_in_source": unit, "year": str(year),
            "value": "" if value is None else str(value), "official_rank": "" if rank is None else str(rank),
            "rank_basis": basis or ("published" if rank is not None else ""), "source_url": URL, "note": "",
            "status": status}


def observations() -> list[dict]:
    P = [f"old-p-0{i}" for i in range(1, 7)]
    rows = []
    for year, values, ranks in (
        (2019, [90, 85, 85, 70, 60, 50], [1, 2, 2, 4, 5, 6]),
        (2020, [92, 80, 88, 75, 65, 55], [1, 3, 2, 4, 5, 6]),
        (2022, [70, 90, 80, 60, 50, 40], [3, 1, 2, 4, 5, 6]),
        (2023, [80, 70, 60, 50, 40, None], [1, 2, 3, 4, 5, None]),
    ):
        rows += [_o("idx", u, year, v, r) for u, v, r in zip(P, values, ranks, strict=True) if v is not None]
    # 2021: a partial table (two scores, one rank without a score), one rank by listing order
    rows += [_o("idx", P[0], 2021, 91, 1), _o("idx", P[1], 2021, 89, 2, "listing_order"), _o("idx", P[3], 2021, None, 5)]
    rows += [_o("idx", P[0], 2024, 95, 1), _o("idx", P[1], 2024, 85, 2)]
    rows.append(_o("idx", P[0], 2020, 91.5, None, status="alternative"))  # a conflicting figure
    rows += [_o("idx_34", "new-p-01", 2024, 93.0, 1)]
    # components 2020 (no ranks published): P2 strong on A, weak on C
    for u, a, b, c in zip(P, [5, 9, 6, 4, 3, 2], [5, 6, 6, 5, 4, 3], [8, 2, 7, 6, 5, 4], strict=True):
        rows += [_o("idx.a", u, 2020, a), _o("idx.b", u, 2020, b), _o("idx.c", u, 2020, c)]
    # lower is better: P2 1st, P3 and P4 tied 2nd, P1 4th
    rows += [_o("low", P[0], 2020, 3), _o("low", P[1], 2020, 1), _o("low", P[2], 2020, 2), _o("low", P[3], 2020, 2)]
    rows += [_o("dist", "old-d-101", 2020, 70), _o("dist", "old-d-102", 2020, 80), _o("dist", "old-d-103", 2020, 75),
             _o("dist", "old-d-201", 2020, 90)]
    rows += [_o("com", "old-c-10001", 2020, 50), _o("com", "old-c-10002", 2020, 60), _o("com", "old-c-10003", 2020, 70)]
    # area: P1 has a 2018 figure (nearest to 2019+), P6 has none (→ simple mean for new-p-04)
    rows += [_o("area_km2", u, 2016, a) for u, a in zip(P[:5], [100, 300, 50, 10, 20], strict=True)]
    rows.append(_o("area_km2", P[0], 2018, 200))
    return rows


def build(con: duckdb.DuckDBPyConnection | None = None) -> tuple[duckdb.DuckDBPyConnection, Catalog, Registry]:
    con = con or duckdb.connect(":memory:")
    reg, cat = registry(), catalog()
    con.execute(SCHEMA)
    load_registry(con, reg)
    load_catalog_tables(con, cat)
    load_observations(con, observations())
    refresh_derived(con)
    return con, cat, reg
