"""Your own boundary files: register a better layer for a level+vintage, list, export.

    from geo import user_boundaries as ub
    report = ub.add("vn_adm1.gpkg", "province", "legacy")          # key auto-detected (codes or names)
    report = ub.add("binhduong_xa.zip", "commune", "legacy", key="MA_XA")
    # what each level uses, and export of the layer in use: geo.layers.list_layers() / export_layer()

Accepted: GeoJSON, GeoPackage, zipped Shapefile (or a bare .shp with its side files) and KML, read with
geopandas/pyogrio. Geometry is reprojected to EPSG:4326 and repaired with ``make_valid``; features are
matched to units by code (zero-padded: 2 digits for provinces, 3 for districts, 5 for communes; ``unit_id``
such as ``old-p-74`` also works) or by name through :class:`analytics.registry.Registry`. Several features
for one unit are merged (reported as duplicates). A registered layer is stored, normalised, under
``var/boundaries/`` (``CHISO_BOUNDARIES_DIR`` overrides) with ``manifest.json``, and replaces the built layer
for that level+vintage (its maps are no longer labelled approximate).

Any problem (not a geo file, no features, no polygons, unknown CRS, unknown key field, nothing matched,
codes of another level) raises :class:`BoundaryError` naming the file and what to fix; nothing is written.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import shapely

from geo import sources
from geo.boundary_match import (  # noqa: F401 - BoundaryError, normalise_code, expected_units, match: this module's API
    CODE_WIDTH,
    BoundaryError,
    expected_units,
    match,
    normalise_code,
)
from geo.levels import check

if TYPE_CHECKING:
    import geopandas as gpd


SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".shp", ".kml"}


MANIFEST = "manifest.json"


def user_dir() -> Path:
    env = os.environ.get("CHISO_BOUNDARIES_DIR")
    return Path(env) if env else sources.ROOT / "var" / "boundaries"


def _manifest_path() -> Path:
    return user_dir() / MANIFEST


def read_manifest() -> dict:
    p = _manifest_path()
    if not p.exists():
        return {"layers": {}}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"layers": {}}
    data.setdefault("layers", {})
    return data


def _write_json_atomic(path: Path, data: dict | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def registered(level: str, vintage: str) -> dict | None:
    """The manifest entry of a registered layer (with an absolute ``path``), or None."""
    entry = read_manifest()["layers"].get(f"{level}/{vintage}")
    if not entry:
        return None
    path = user_dir() / entry["file"]
    if not path.exists():
        return None
    return {**entry, "path": str(path)}


# ------------------------------------------------------------------------------------------ reading
def _read(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd  # here: the app reads `registered()` on every map, and geopandas costs ~0.3 s to import

    name = path.name
    if not path.exists():
        raise BoundaryError(f"{name}: file not found ({path})")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BoundaryError(
            f"{name}: unsupported file type {suffix or '(none)'}; use GeoJSON (.geojson), GeoPackage (.gpkg), "
            "a zipped Shapefile (.zip with .shp/.shx/.dbf/.prj) or KML (.kml)"
        )
    target = str(path)
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                shps = [n for n in zf.namelist() if n.lower().endswith(".shp") and not n.startswith("__MACOSX")]
                inner = [n for n in zf.namelist() if n.lower().endswith((".geojson", ".gpkg", ".kml"))]
        except zipfile.BadZipFile as exc:
            raise BoundaryError(f"{name}: not a valid zip archive ({exc})") from exc
        if len(shps) > 1:
            raise BoundaryError(f"{name}: the zip holds {len(shps)} shapefiles ({', '.join(shps)}); keep one")
        if not shps and not inner:
            raise BoundaryError(f"{name}: the zip holds no .shp (nor GeoJSON/GeoPackage/KML)")
        target = f"/vsizip/{path}/{(shps or inner)[0]}"
    try:
        gdf = gpd.read_file(target)
    except Exception as exc:  # pyogrio raises several types
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BoundaryError(
            f"{name}: cannot be read as a geo file ({msg}); export it as GeoJSON, GeoPackage, zipped "
            "Shapefile or KML"
        ) from exc
    if not isinstance(gdf, gpd.GeoDataFrame) or "geometry" not in gdf:
        raise BoundaryError(f"{name}: no geometry column; is this a table rather than a boundary file?")
    return gdf


def _prepare_geometry(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    if len(gdf) == 0:
        raise BoundaryError(f"{name}: the file has no features")
    if gdf.crs is None:
        raise BoundaryError(
            f"{name}: unknown coordinate reference system (a Shapefile needs its .prj); add the .prj "
            "to the zip or export the file as GeoJSON (EPSG:4326)"
        )
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty].copy()
    if len(gdf) == 0:
        raise BoundaryError(f"{name}: every feature has an empty geometry")
    try:
        gdf = gdf.to_crs("EPSG:4326")
    except Exception as exc:
        raise BoundaryError(f"{name}: cannot reproject from {gdf.crs} to EPSG:4326 ({exc})") from exc
    geoms = []
    for g in gdf.geometry.values:
        g = shapely.force_2d(g)
        if not g.is_valid:
            g = shapely.make_valid(g)
        geoms.append(_polygonal(g))
    gdf = gdf.set_geometry(geoms, crs="EPSG:4326")
    gdf = gdf[~gdf.geometry.is_empty]
    if len(gdf) == 0:
        raise BoundaryError(f"{name}: no polygons (points or lines only); a boundary file needs areas")
    minx, miny, maxx, maxy = gdf.total_bounds
    if maxx < 100 or minx > 120 or maxy < 5 or miny > 25:
        raise BoundaryError(
            f"{name}: features lie at {minx:.2f}..{maxx:.2f}°E, {miny:.2f}..{maxy:.2f}°N, not in Vietnam; "
            "check the file's coordinate reference system (.prj)"
        )
    return gdf


def _polygonal(g):
    if g is None or g.is_empty:
        return shapely.MultiPolygon()
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    flat = [q for p in parts for q in shapely.get_parts(p)]
    return shapely.MultiPolygon(flat) if flat else shapely.MultiPolygon()


# ------------------------------------------------------------------------------------------ add
def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _round(obj, nd=6):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), nd) for v in obj]
        return [_round(o, nd) for o in obj]
    return obj


def prepare(file, level: str, vintage: str, key: str | None = None) -> tuple[dict, dict]:
    """Validate and normalise a file without writing anything: returns (FeatureCollection, report)."""
    path = Path(file)
    name = path.name
    try:
        level, vintage = check(level, vintage)
    except ValueError as exc:
        raise BoundaryError(f"{name}: {exc}") from None
    raw = _read(path)
    crs_in = raw.crs.to_string() if raw.crs is not None else None
    gdf = _prepare_geometry(raw, name)
    codes, info = match(gdf, level, vintage, key, name)
    units = expected_units(level, vintage)
    names = dict(zip(units.code, units.name, strict=True))
    parents = dict(zip(units.code, units.province_code, strict=True))
    key_values = gdf[info["key"]].tolist()
    grouped: dict[str, list] = defaultdict(list)
    unmatched = []
    for code, geom, kv in zip(codes, gdf.geometry.values, key_values, strict=True):
        if code is None:
            unmatched.append(str(kv))
        else:
            grouped[code].append(geom)
    counts = Counter(c for c in codes if c is not None)
    duplicates = {c: n for c, n in sorted(counts.items()) if n > 1}
    features = []
    for code in sorted(grouped):
        geom = shapely.union_all(grouped[code]) if len(grouped[code]) > 1 else grouped[code][0]
        geom = _polygonal(shapely.make_valid(geom) if not geom.is_valid else geom)
        geom = shapely.orient_polygons(geom, exterior_cw=True)
        g = json.loads(shapely.to_geojson(geom))
        g["coordinates"] = _round(g["coordinates"])
        props = {
            "code": code, "name": names[code], "level": level, "vintage": vintage, "approximate": False,
            "province_code": parents[code],
        }
        features.append({"type": "Feature", "properties": props, "geometry": g})
    missing = sorted(set(units.code) - set(grouped))
    report = {
        "file": str(path),
        "level": level,
        "vintage": vintage,
        "key": info["key"],
        "key_kind": info["key_kind"],
        "features_in_file": int(len(gdf)),
        "units_expected": int(len(units)),
        "matched_units": len(grouped),
        "matched_features": int(sum(counts.values())),
        "unmatched_features": len(unmatched),
        "unmatched_values": sorted(set(unmatched))[:50],
        "unmatched_reasons": dict(list(sorted(info["reasons"].items()))[:50]),
        "duplicates": duplicates,
        "units_without_feature": len(missing),
        "units_without_feature_sample": missing[:30],
        "crs_in": crs_in,
    }
    fc = {"type": "FeatureCollection", "features": features}
    return fc, report


def add(file, level: str, vintage: str, key: str | None = None, *, attribution: str | None = None) -> dict:
    """Register ``file`` as the layer for level+vintage; returns the coverage report."""
    path = Path(file).resolve()
    fc, report = prepare(path, level, vintage, key)
    out_name = f"{level}_{vintage}.geojson"
    d = user_dir()
    text = (
        '{"type":"FeatureCollection","features":[\n'
        + ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"])
        + "\n]}\n"
    )
    _write_json_atomic(d / out_name, text)
    manifest = read_manifest()
    entry = {
        "level": level,
        "vintage": vintage,
        "file": out_name,
        "source_file": str(path),
        "source_sha256": _sha256(path),
        "attribution": attribution or path.name,
        "key": report["key"],
        "added": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "coverage": {k: report[k] for k in ("features_in_file", "units_expected", "matched_units",
                                             "unmatched_features", "units_without_feature")},
        "duplicates": report["duplicates"],
    }
    manifest["layers"][f"{level}/{vintage}"] = entry
    _write_json_atomic(_manifest_path(), manifest)
    return report


def remove(level: str, vintage: str) -> bool:
    """Unregister a user layer (the built one is used again). Returns False when none was registered."""
    manifest = read_manifest()
    entry = manifest["layers"].pop(f"{level}/{vintage}", None)
    if entry is None:
        return False
    _write_json_atomic(_manifest_path(), manifest)
    p = user_dir() / entry["file"]
    if p.exists():
        p.unlink()
    return True
