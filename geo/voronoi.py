"""Approximate (synthetic) layers: legacy wards and districts, 2025 communes.

No open polygons exist for these levels, so each province is split by the Voronoi cells of its unit
centroids (``vietnamadminunits``), clipped to the province polygon of the 63-province layer:

* legacy wards: one cell per ward (the five ward-less island districts get a cell of their own, keyed
  ``D<district code>`` internally); seeds outside their province are moved just inside it and identical
  seeds are spread on a small ring; Trường Sa's three wards get the Trường Sa islands, Hoàng Sa (ward-less)
  the Paracels;
* legacy districts: dissolve of their wards;
* 2025 communes: legacy ward cells dissolved through the old→new ward table (``converter_2025.json``); a
  split ward goes to its default successor, except when a successor would otherwise get no territory: then
  that ward's cell is split among the default and the starved successors by the Voronoi cells of their 2025
  centroids.

Every province is processed independently (a test can rebuild one province and compare it with the
committed layer) and every result is an exact coverage on the 1e-5° grid.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import shapely
from shapely.ops import nearest_points

from geo import islands, sources
from geo.topology import GRID, dissolve, to_multi, voronoi_split

INSET_DEG = 0.002  # seeds outside their province are moved this far inside it
RING_DEG = 0.004  # identical seeds are spread on a ring of this radius
ARCHI_DISTRICTS = {a["district_code"]: k for k, a in islands.ARCHIPELAGOS.items()}


def legacy_seeds(province_code: str) -> pd.DataFrame:
    """Seeds of one legacy province: ``unit`` (ward code or ``D``+district), ``district``, x, y."""
    rows = sources.legacy_rows()
    rows = rows[(rows.provinceCode == province_code) & ~rows.districtCode.isin(ARCHI_DISTRICTS)]
    unit = np.where(rows.wardCode.notna(), rows.wardCode, "D" + rows.districtCode)
    x = np.where(rows.wardCode.notna(), rows.wardLon, rows.districtLon)
    y = np.where(rows.wardCode.notna(), rows.wardLat, rows.districtLat)
    return pd.DataFrame({"unit": unit, "district": rows.districtCode.values, "x": x, "y": y}).sort_values("unit")


def _inside(outline, inner, x: float, y: float) -> tuple[float, float, bool]:
    p = shapely.Point(x, y)
    if outline.contains(p):
        return x, y, False
    target = inner if (inner is not None and not inner.is_empty) else outline
    q = nearest_points(target, p)[0]
    if not outline.contains(q):  # pragma: no cover - degenerate slivers
        q = outline.point_on_surface()
    return q.x, q.y, True


def place_seeds(outline, seeds: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Move seeds into ``outline`` and spread identical ones; returns the seeds and counts."""
    inner = outline.buffer(-INSET_DEG)
    xs, ys, moved = [], [], 0
    for x, y in zip(seeds.x.values, seeds.y.values, strict=True):
        nx, ny, m = _inside(outline, inner, float(x), float(y))
        xs.append(nx)
        ys.append(ny)
        moved += m
    out = seeds.copy()
    out["x"], out["y"] = xs, ys
    spread = 0
    for _ in range(5):
        keyxy = list(zip(np.round(out.x.values, 4), np.round(out.y.values, 4), strict=True))
        groups: dict = defaultdict(list)
        for i, k in enumerate(keyxy):
            groups[k].append(i)
        dups = [g for g in groups.values() if len(g) > 1]
        if not dups:
            break
        for g in dups:
            n = len(g)
            for k, i in enumerate(g):
                a = 2 * np.pi * k / n + 0.5 * _
                r = RING_DEG * (1 + 0.5 * _)
                nx, ny, _m = _inside(outline, inner, out.x.values[i] + r * np.cos(a), out.y.values[i] + r * np.sin(a))
                out.iloc[i, out.columns.get_loc("x")] = nx
                out.iloc[i, out.columns.get_loc("y")] = ny
            spread += n
    return out, {"moved_inside": moved, "spread": spread}


def legacy_wards_for_province(province_code: str, outline) -> tuple[dict[str, object], dict]:
    """Ward cells ``{unit: geometry}`` for one province; ``outline`` must exclude archipelago islands."""
    seeds, stats = place_seeds(outline, legacy_seeds(province_code))
    cells = voronoi_split(outline, list(zip(seeds.unit, seeds.x, seeds.y, strict=True)))
    missing = sorted(set(seeds.unit) - set(cells))
    if missing:  # pragma: no cover - guarded by tests
        raise RuntimeError(f"province {province_code}: no Voronoi cell for {missing}")
    return cells, stats


def archipelago_wards(province_code: str) -> dict[str, object]:
    """Island 'cells' of a province's archipelago district, keyed like the ward cells."""
    out = {}
    for dcode, key in ARCHI_DISTRICTS.items():
        if islands.ARCHIPELAGOS[key]["province_code"] != province_code:
            continue
        if key == "truong_sa":
            out.update(islands.truong_sa_ward_geometries())
        else:
            out["D" + dcode] = islands.archipelago_geometry(key)
    return out


def mainland(province_geom, province_code: str):
    """Province geometry without its archipelago islands."""
    arch = [islands.archipelago_geometry(k) for k, a in islands.ARCHIPELAGOS.items() if a["province_code"] == province_code]
    if not arch:
        return province_geom
    return to_multi(shapely.difference(province_geom, shapely.union_all(arch), grid_size=GRID))


def unit_district(unit: str) -> str:
    rows = _ward_district()
    return rows.get(unit, unit[1:] if unit.startswith("D") else None)


_WD: dict[str, str] = {}


def _ward_district() -> dict[str, str]:
    if not _WD:
        rows = sources.legacy_rows()
        w = rows[rows.wardCode.notna()]
        _WD.update(dict(zip(w.wardCode, w.districtCode, strict=True)))
    return _WD


def districts_from_wards(wards: dict[str, object]) -> dict[str, object]:
    mapping = {u: unit_district(u) for u in wards}
    return dissolve(wards, mapping)


def communes_2025_for_province(new_province_code: str, wards: dict[str, object]) -> tuple[dict[str, object], dict]:
    """2025 communes of one new province from the legacy ward cells of its old provinces.

    ``wards`` must hold the cells (``{unit: geometry}``) of every old province merged into it.
    """
    new = sources.new_rows()
    new = new[new.provinceCode == new_province_code]
    targets = set(new.wardCode)
    succ = sources.ward_successors()
    default = {}
    for unit in wards:
        s = succ.get(unit, [])
        d = [c for c, is_def in s if is_def and c in targets]
        if not d:
            raise RuntimeError(f"no 2025 successor for legacy unit {unit}")
        default[unit] = d[0]
    got = set(default.values())
    starved = sorted(targets - got)
    pieces: dict[str, object] = {u: g for u, g in wards.items()}
    mapping = dict(default)
    carved = []
    pos = {r.wardCode: (float(r.wardLon), float(r.wardLat)) for r in new.itertuples()}
    for code in starved:
        donors = sorted(u for u in wards if any(c == code for c, _ in succ.get(u, [])))
        if not donors:
            raise RuntimeError(f"2025 commune {code} has no legacy territory at all")
        # the donor cell nearest to the commune's 2025 centroid
        p = shapely.Point(*pos[code])
        donor = min(donors, key=lambda u: (pieces[u].distance(p), u))
        cell = pieces.pop(donor)
        mapping.pop(donor)
        cands = sorted({default[donor], code})
        seeds = []
        for c in cands:
            x, y, _ = _inside(cell, cell.buffer(-INSET_DEG / 4), *pos[c])
            seeds.append((c, x, y))
        if len({(round(x, 6), round(y, 6)) for _, x, y in seeds}) < len(seeds):
            c0 = cell.centroid
            seeds = [(c, c0.x + (i - 0.5) * 1e-3, c0.y) for i, (c, _, _) in enumerate(seeds)]
        split = voronoi_split(cell, seeds)
        for c, g in split.items():
            k = f"{donor}>{c}"
            pieces[k] = g
            mapping[k] = c
        carved.append({"commune": code, "from_legacy_unit": donor})
    communes = dissolve(pieces, mapping)
    missing = sorted(targets - set(communes))
    if missing:  # pragma: no cover
        raise RuntimeError(f"2025 province {new_province_code}: communes without territory {missing}")
    return communes, {"carved": carved}
