"""Quần đảo Hoàng Sa (Paracel) and Quần đảo Trường Sa (Spratly): island features for every national map.

Natural Earth admin-1 for Vietnam has neither archipelago, and the ``vietnamadminunits`` rows for
"Huyện Hoàng Sa" (498, Đà Nẵng) and "Huyện Trường Sa" (576, Khánh Hòa) carry geocoder centroids on the
mainland (16.05 N 108.20 E = Đà Nẵng city; 12.21 N 109.09 E = near Cam Ranh), so they cannot place them.
The 2025 rows are right: "Đặc khu Hoàng Sa" (20333) lies at 16.568 N 112.135 E and "Đặc khu Trường Sa"
(22736) at 9.71 N 114.45 E; those are used only as a sanity check (see tests).

Each island below is drawn as a small regular polygon (radius ``RADIUS_DEG`` ≈ 2 km, *not to scale*: the
real islands cover 0.01-2 km²) centred on its published position. Positions are the coordinates given in
the island's Wikipedia article infobox (English Wikipedia, "Pattle Island", "Woody Island (South China
Sea)", "Spratly Island", "Sin Cowe Island", "Sand Cay", "Amboyna Cay", ... retrieved 2026-11), which for the
Spratlys cite the "Digital Gazetteer of the Spratly Islands" (southchinasea.org); the archipelago centre
16°30′N 112°00′E is the CIA World Factbook's. Rounded to 0.001° (≈100 m), far below the symbol size.

Administrative attachment (Vietnamese law): Hoàng Sa → Đà Nẵng (48 in both vintages; district 498, 2025
special zone 20333); Trường Sa → Khánh Hòa (56 in both vintages; district 576 with the wards Thị trấn
Trường Sa 22736, Xã Song Tử Tây 22737, Xã Sinh Tồn 22739; 2025 special zone 22736). Each Trường Sa island
goes to the nearest of the three ward seats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Polygon

RADIUS_DEG = 0.02
N_SIDES = 12


@dataclass(frozen=True)
class Island:
    name_vi: str
    name_en: str
    lat: float
    lon: float


HOANG_SA = [  # Paracel Islands
    Island("Đảo Hoàng Sa", "Pattle Island", 16.535, 111.608),
    Island("Đảo Phú Lâm", "Woody Island", 16.834, 112.338),
    Island("Đảo Linh Côn", "Lincoln Island", 16.667, 112.733),
    Island("Đảo Cây", "Tree Island", 16.983, 112.267),
    Island("Đảo Hữu Nhật", "Robert Island", 16.500, 111.583),
    Island("Đảo Quang Ảnh", "Money Island", 16.450, 111.508),
    Island("Đảo Quang Hòa", "Duncan Island", 16.450, 111.717),
    Island("Đảo Duy Mộng", "Drummond Island", 16.467, 111.733),
    Island("Đảo Tri Tôn", "Triton Island", 15.783, 111.200),
    Island("Đá Bông Bay", "Bombay Reef", 16.033, 112.517),
]

TRUONG_SA = [  # Spratly Islands
    Island("Đảo Trường Sa Lớn", "Spratly Island", 8.645, 111.920),
    Island("Đảo Song Tử Tây", "Southwest Cay", 11.430, 114.331),
    Island("Đảo Song Tử Đông", "Northeast Cay", 11.453, 114.356),
    Island("Đảo Sinh Tồn", "Sin Cowe Island", 9.885, 114.330),
    Island("Đảo Sơn Ca", "Sand Cay", 10.375, 114.480),
    Island("Đảo Nam Yết", "Namyit Island", 10.183, 114.361),
    Island("Đảo Ba Bình", "Itu Aba Island", 10.377, 114.365),
    Island("Đảo Thị Tứ", "Thitu Island", 11.055, 114.284),
    Island("Đảo Loại Ta", "Loaita Island", 10.682, 114.423),
    Island("Đảo Bến Lạc", "West York Island", 11.083, 115.017),
    Island("Đảo Vĩnh Viễn", "Nanshan Island", 10.733, 115.817),
    Island("Đảo An Bang", "Amboyna Cay", 7.892, 112.921),
    Island("Đá Tây", "West London Reef", 8.850, 112.200),
    Island("Đảo Phan Vinh", "Pearson Reef", 8.967, 113.683),
    Island("Đá Hoa Lau", "Swallow Reef", 7.373, 113.842),
]

# Ward seats used to split Trường Sa between its three legacy wards.
TRUONG_SA_WARD_SEATS = {
    "22736": "Đảo Trường Sa Lớn",  # Thị trấn Trường Sa
    "22737": "Đảo Song Tử Tây",  # Xã Song Tử Tây
    "22739": "Đảo Sinh Tồn",  # Xã Sinh Tồn
}

ARCHIPELAGOS = {
    "hoang_sa": {
        "name_vi": "Quần đảo Hoàng Sa",
        "name_en": "Hoàng Sa (Paracel) Islands",
        "province_code": "48",
        "district_code": "498",
        "commune_2025_code": "20333",
        "islands": HOANG_SA,
        # label above the group, centred: north of it lies open sea up to the frame's top (mainland ≤ 107.5 E)
        "label_lat": 17.25,
        "label_lon": 112.0,
        "label_position": "top center",
    },
    "truong_sa": {
        "name_vi": "Quần đảo Trường Sa",
        "name_en": "Trường Sa (Spratly) Islands",
        "province_code": "56",
        "district_code": "576",
        "commune_2025_code": "22736",
        "islands": TRUONG_SA,
        # label west of the group, in the open sea between Côn Đảo (106.6 E) and Trường Sa Lớn (111.9 E):
        # to the east or south a label would leave the mainland's frame and be clipped at the map's edge
        "label_lat": 9.6,
        "label_lon": 111.55,
        "label_position": "middle left",
    },
}


def island_polygon(island: Island, radius: float = RADIUS_DEG) -> Polygon:
    """Clockwise regular polygon around the island (clockwise = what plotly/d3 need)."""
    pts = []
    for k in range(N_SIDES):
        a = -2 * math.pi * k / N_SIDES  # negative angle step: clockwise
        pts.append((round(island.lon + radius * math.cos(a), 5), round(island.lat + radius * math.sin(a), 5)))
    pts.append(pts[0])
    return Polygon(pts)


def _merge(polys: list[Polygon]) -> MultiPolygon:
    """Union (nearby islands' symbols overlap), on the 1e-5° grid, as a MultiPolygon."""
    u = shapely.union_all(polys, grid_size=1e-5)
    return u if u.geom_type == "MultiPolygon" else MultiPolygon([u])


def archipelago_geometry(key: str) -> MultiPolygon:
    return _merge([island_polygon(i) for i in ARCHIPELAGOS[key]["islands"]])


def truong_sa_ward_geometries() -> dict[str, MultiPolygon]:
    """Trường Sa islands grouped by the nearest of the three legacy ward seats."""
    by_name = {i.name_vi: i for i in TRUONG_SA}
    seats = {code: by_name[name] for code, name in TRUONG_SA_WARD_SEATS.items()}
    groups: dict[str, list[Polygon]] = {code: [] for code in seats}
    for isl in TRUONG_SA:
        code = min(seats, key=lambda c: (seats[c].lat - isl.lat) ** 2 + (seats[c].lon - isl.lon) ** 2)
        groups[code].append(island_polygon(isl))
    return {code: _merge(polys) for code, polys in groups.items()}


def island_seat(code: str) -> tuple[float, float]:
    """(lat, lon) of a Trường Sa ward seat."""
    by_name = {i.name_vi: i for i in TRUONG_SA}
    isl = by_name[TRUONG_SA_WARD_SEATS[code]]
    return isl.lat, isl.lon


def labels() -> list[dict]:
    """Label anchors for figures: name (vi/en), lat, lon, text position relative to the anchor, province code.

    Each anchor and its text lie inside the bounding box of the mainland and the islands, so a map framed on
    its features never clips a label, whatever its width."""
    return [
        {
            "key": k,
            "name_vi": a["name_vi"],
            "name_en": a["name_en"],
            "lat": a["label_lat"],
            "lon": a["label_lon"],
            "position": a["label_position"],
            "province_code": a["province_code"],
        }
        for k, a in ARCHIPELAGOS.items()
    ]


def all_islands_union() -> shapely.Geometry:
    return shapely.union_all([archipelago_geometry(k) for k in ARCHIPELAGOS])
