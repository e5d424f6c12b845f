"""Which boundary layers exist (level × vintage) and the check every layer function starts with.

Its own module so that :mod:`geo.layers` (which file serves a layer) and :mod:`geo.user_boundaries` (layers a
user adds) can both use it without importing each other.
"""

from __future__ import annotations

LEVELS = ("province", "district", "commune")
VINTAGES = ("legacy", "2025")
AVAILABLE = {
    ("province", "legacy"): "province_legacy.geojson",
    ("province", "2025"): "province_2025.geojson",
    ("district", "legacy"): "district_legacy.geojson",
    ("commune", "legacy"): "commune_legacy.geojson",
    ("commune", "2025"): "commune_2025.geojson",
}
class LayerError(ValueError):
    """Unknown level/vintage combination or a missing layer file."""


def check(level: str, vintage: str) -> tuple[str, str]:
    level, vintage = str(level), str(vintage)
    if (level, vintage) not in AVAILABLE:
        raise LayerError(
            f"no boundary layer for level={level!r} vintage={vintage!r}; "
            f"available: {', '.join(f'{lv}/{v}' for lv, v in AVAILABLE)} "
            "(districts were abolished on 1 July 2025, so there is no district/2025 layer)"
        )
    return level, vintage
