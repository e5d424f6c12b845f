"""Coverage helpers: exact partitions on a fixed grid, Voronoi splits, simplification, orientation, QA."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon

GRID = 1e-5  # coordinates are snapped to 5 decimals (≈1 m)
KM2_PER_DEG2_AT_EQUATOR = 111.32 * 111.32


def polygonal(geom) -> MultiPolygon | Polygon:
    """Keep only the polygonal parts of a geometry (after overlay/make_valid)."""
    if geom is None or geom.is_empty:
        return MultiPolygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    flat = []
    for p in parts:
        flat.extend(shapely.get_parts(p))
    return MultiPolygon(flat) if flat else MultiPolygon()


def to_multi(geom) -> MultiPolygon:
    geom = polygonal(geom)
    if geom.geom_type == "Polygon":
        return MultiPolygon([geom])
    return geom


def snapped_faces(geoms: Sequence, grid: float = GRID) -> list[Polygon]:
    """All faces of the arrangement of the geometries' boundaries, noded on a ``grid``."""
    lines = shapely.union_all(
        [shapely.boundary(g) for g in geoms if g is not None and not g.is_empty], grid_size=grid
    )
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    return [f for f in faces if f.area > 0]


def clean_coverage(geoms: Mapping[str, object], grid: float = GRID, fill_gaps: bool = True) -> dict[str, MultiPolygon]:
    """Rebuild ``{code: geometry}`` as an exact coverage on ``grid``: no gaps, no overlaps.

    Every face of the noded boundary arrangement goes to the input geometry that contains it (the largest
    overlap wins; ties by code). Faces that no input covers (slivers, gaps between neighbours) go to the
    neighbour sharing the longest edge when ``fill_gaps``. The result is dissolved per code on the grid.
    """
    codes = sorted(geoms)
    arr = [geoms[c] for c in codes]
    faces = snapped_faces(arr, grid)
    tree = shapely.STRtree(arr)
    pts = [f.point_on_surface() for f in faces]
    owner: list[str | None] = []
    for f, p in zip(faces, pts, strict=True):
        cand = tree.query(p, predicate="intersects")
        if len(cand) == 1:
            owner.append(codes[cand[0]])
        elif len(cand) > 1:
            best = max(cand, key=lambda i: (shapely.area(shapely.intersection(arr[i], f)), -i))
            owner.append(codes[best])
        else:
            owner.append(None)
    if fill_gaps:
        ftree = shapely.STRtree(faces)
        # iterate: a gap may touch only other gaps at first
        for _ in range(10):
            todo = [i for i, o in enumerate(owner) if o is None]
            if not todo:
                break
            for i in todo:
                best, best_len = None, 0.0
                for j in ftree.query(faces[i], predicate="touches"):
                    if owner[j] is None:
                        continue
                    shared = shapely.length(shapely.intersection(faces[i].boundary, faces[j].boundary))
                    if shared > best_len:
                        best, best_len = owner[j], shared
                if best is not None:
                    owner[i] = best
    grouped: dict[str, list] = defaultdict(list)
    for f, o in zip(faces, owner, strict=True):
        if o is not None:
            grouped[o].append(f)
    out = {}
    for c in codes:
        if grouped.get(c):
            out[c] = to_multi(shapely.coverage_union_all(grouped[c]))
    return out


def dissolve(geoms: Mapping[str, object], mapping: Mapping[str, str]) -> dict[str, MultiPolygon]:
    """Union of coverage members by ``mapping[code] -> new code`` (exact for grid-snapped coverages)."""
    grouped: dict[str, list] = defaultdict(list)
    for c, g in geoms.items():
        if c in mapping:
            grouped[mapping[c]].append(g)
    out = {}
    for new in sorted(grouped):
        parts = []
        for g in grouped[new]:
            parts.extend(shapely.get_parts(g))
        try:
            u = shapely.coverage_union_all(parts)
        except shapely.errors.GEOSException:  # pragma: no cover - fall back to a robust union
            u = shapely.union_all(parts)
        if not u.is_valid:
            u = shapely.union_all(parts, grid_size=GRID)
        out[new] = to_multi(u)
    return out


def voronoi_split(
    outline, seeds: Sequence[tuple[str, float, float]], grid: float = GRID
) -> dict[str, MultiPolygon]:
    """Partition ``outline`` by the Voronoi cells of ``seeds`` ``(code, x, y)``; several seeds may share a code.

    Faces of (outline boundary ∪ Voronoi edges), snapped to ``grid``, are assigned to the seed whose cell
    contains them, so the result is an exact partition of the (snapped) outline.
    """
    if not seeds:
        return {}
    codes = [s[0] for s in seeds]
    if len(seeds) == 1:
        return {codes[0]: to_multi(shapely.set_precision(outline, grid))}
    mp = shapely.MultiPoint([(s[1], s[2]) for s in seeds])
    xmin, ymin, xmax, ymax = outline.bounds
    pad = max(xmax - xmin, ymax - ymin) + 1.0
    env = shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    cells = list(shapely.get_parts(shapely.voronoi_polygons(mp, extend_to=env, ordered=True)))
    if len(cells) != len(seeds):  # pragma: no cover - duplicate points collapse cells
        raise ValueError("duplicate Voronoi seeds; spread them first")
    clipped = [shapely.intersection(c, env) for c in cells]
    lines = shapely.union_all([shapely.boundary(outline)] + [shapely.boundary(c) for c in clipped], grid_size=grid)
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))) if f.area > 0]
    snapped_outline = shapely.set_precision(outline, grid)
    otree = shapely.STRtree(list(shapely.get_parts(snapped_outline)))
    ctree = shapely.STRtree(cells)
    grouped: dict[str, list] = defaultdict(list)
    for f in faces:
        p = f.point_on_surface()
        if not len(otree.query(p, predicate="intersects")):
            continue
        hit = ctree.query(p, predicate="intersects")
        if not len(hit):  # pragma: no cover
            hit = [int(np.argmin([c.distance(p) for c in cells]))]
        grouped[codes[min(hit)]].append(f)
    return {c: to_multi(shapely.coverage_union_all(v)) for c, v in grouped.items()}


def orient_cw(geom):
    """Exterior rings clockwise, holes counter-clockwise (d3/plotly convention)."""
    return shapely.orient_polygons(geom, exterior_cw=True)


def simplify_coverage(geoms: Mapping[str, object], tolerance: float, simplify_boundary: bool = True) -> dict:
    codes = sorted(geoms)
    if tolerance <= 0:
        return {c: geoms[c] for c in codes}
    arr = np.array([geoms[c] for c in codes], dtype=object)
    simp = shapely.coverage_simplify(arr, tolerance, simplify_boundary=simplify_boundary)
    return {c: to_multi(shapely.make_valid(g) if not g.is_valid else g) for c, g in zip(codes, simp, strict=True)}


def _sinusoidal(coords: np.ndarray) -> np.ndarray:
    lat = np.radians(coords[:, 1])
    return np.column_stack([coords[:, 0] * 111.32 * np.cos(lat), coords[:, 1] * 111.32])


def area_km2(geom) -> float:
    """Area in km² in the (equal-area) sinusoidal projection."""
    if geom is None or geom.is_empty:
        return 0.0
    return float(shapely.area(shapely.transform(geom, _sinusoidal)))


def coverage_qa(geoms: Mapping[str, object]) -> dict:
    """Gaps/overlaps/validity figures for a coverage."""
    codes = sorted(geoms)
    arr = [geoms[c] for c in codes]
    tree = shapely.STRtree(arr)
    overlap = 0.0
    a_idx, b_idx = tree.query(arr, predicate="intersects")
    for i, j in zip(a_idx, b_idx, strict=True):
        if i < j:
            overlap += area_km2(shapely.intersection(arr[i], arr[j]))
    union = shapely.union_all(arr)
    holes = [Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
    return {
        "features": len(codes),
        "all_valid": bool(all(g.is_valid for g in arr)),
        "sum_area_km2": round(sum(area_km2(g) for g in arr), 1),
        "union_area_km2": round(area_km2(union), 1),
        "overlap_km2": round(overlap, 4),
        "holes_in_union": len(holes),
        "holes_area_km2": round(sum(area_km2(h) for h in holes), 3),
        "vertices": int(sum(shapely.get_num_coordinates(g) for g in arr)),
    }
