"""Hoàng Sa and Trường Sa on every map: island markers in their own neutral style (grey, outlined: they are
named, never coloured as data, so no reader takes them for a value of Đà Nẵng or Khánh Hòa), the archipelago
labels placed inside the map's frame, and the inset of the Đà Nẵng / Khánh Hòa maps."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import shapely
from shapely.geometry import shape

from geo import islands as geo_islands

from .map_parts import (
    FONT,
    MUTED,
    TEXT,
    _t,
)

ISLAND_FILL = "#B0B0B0"  # neutral grey: neither a YlGnBu class colour nor the white of "no data"


def _island_traces(lang: str, national: bool, size: float) -> list[go.Scattergeo]:
    """First trace(s) of every map: island markers (neutral) and the archipelago labels."""
    traces = []
    if national:
        lons, lats, hover = [], [], []
        for a in geo_islands.ARCHIPELAGOS.values():
            for isl in a["islands"]:
                lons.append(isl.lon)
                lats.append(isl.lat)
                hover.append(f"{isl.name_vi} ({isl.name_en})")
        traces.append(go.Scattergeo(
            lon=lons, lat=lats, mode="markers", name="islands", showlegend=False,
            marker=dict(size=max(4.0, size * 0.45), color=ISLAND_FILL, symbol="circle", line=dict(color=TEXT, width=0.8)),
            hovertext=hover, hoverinfo="text",
        ))
        lab = geo_islands.labels()
        traces.append(go.Scattergeo(
            lon=[x["lon"] for x in lab], lat=[x["lat"] for x in lab], mode="text", showlegend=False,
            name="archipelago labels", text=[_t(x["key"], lang) for x in lab], textposition=[x["position"] for x in lab],
            textfont=dict(size=size, color=TEXT, family=FONT), hoverinfo="skip",
        ))
    else:
        # an invisible lon/lat trace first keeps plotly.js from fetching a world topojson
        traces.append(go.Scattergeo(lon=[], lat=[], mode="markers", showlegend=False, hoverinfo="skip", name="_"))
    return traces


INSET_TOP = 0.30  # top of the archipelago inset (paper fraction)
MAINLAND_MAX_LON = 110.5  # every archipelago island lies east of this, all of the mainland west of it


def _archipelago_inset(fig: go.Figure, province_code: str | None, lang: str, fsize: float) -> bool:
    """Đà Nẵng / Khánh Hòa maps: frame the mainland and draw Hoàng Sa / Trường Sa in an inset (geo2)."""
    if province_code is None:
        return False
    pc = str(province_code).zfill(2)
    arch = [(k, a) for k, a in geo_islands.ARCHIPELAGOS.items() if a["province_code"] == pc]
    if not arch:
        return False
    key, a = arch[0]
    isl = a["islands"]
    lons = [i.lon for i in isl]
    lats = [i.lat for i in isl]
    fig.add_trace(go.Scattergeo(
        geo="geo2", lon=lons, lat=lats, mode="markers", showlegend=False, name="inset islands",
        marker=dict(size=7, color=ISLAND_FILL, line=dict(color=TEXT, width=0.8)),
        hovertext=[f"{i.name_vi} ({i.name_en})" for i in isl], hoverinfo="text",
    ))
    # The name goes above the inset box as a paper annotation: text inside a geo subplot is clipped at its
    # frame, and the inset is only ~110 px wide on a phone.
    fig.add_annotation(
        name="archipelago-label", text=_t(key, lang), x=0.85, y=INSET_TOP, xref="paper", yref="paper",
        xanchor="center", yanchor="bottom", showarrow=False, align="center",
        font=dict(size=fsize * 0.9, color=TEXT, family=FONT), bgcolor="rgba(255,255,255,0.85)",
    )
    dx, dy = max(lons) - min(lons), max(lats) - min(lats)
    fig.update_layout(geo2=dict(
        domain=dict(x=[0.70, 1.0], y=[0.0, INSET_TOP]), visible=True, showframe=True, framecolor=MUTED, framewidth=1,
        showcoastlines=False, showland=False, showocean=False, showlakes=False, showrivers=False,
        showcountries=False, showsubunits=False, projection_type="mercator", bgcolor="rgba(255,255,255,0.92)",
        lonaxis_range=[min(lons) - 0.15 * dx - 0.2, max(lons) + 0.15 * dx + 0.2],
        lataxis_range=[min(lats) - 0.15 * dy - 0.2, max(lats) + 0.45 * dy + 0.4],
    ))
    return True


def _split_archipelago(feats: list[dict]) -> tuple[list[dict], list[dict]]:
    """National maps: the features with their archipelago islands cut off (Đà Nẵng's and Khánh Hòa's
    polygons take their class colour on the mainland only), and the island parts as features of their own
    (code ``<unit code>:islands``) for :func:`_island_shapes`."""
    main, islands = [], []
    for f in feats:
        g = shape(f["geometry"])
        parts = list(shapely.get_parts(g))
        far = [p for p in parts if p.centroid.x >= MAINLAND_MAX_LON]
        if not far:
            main.append(f)
            continue
        code = f["properties"]["code"]
        islands.append({"type": "Feature", "properties": {"code": f"{code}:islands"},
                        "geometry": json.loads(shapely.to_geojson(shapely.MultiPolygon(far)))})
        near = [p for p in parts if p.centroid.x < MAINLAND_MAX_LON]
        if near:
            main.append({**f, "geometry": json.loads(shapely.to_geojson(shapely.MultiPolygon(near)))})
    return main, islands


def _island_shapes(islands: list[dict]) -> go.Choropleth:
    """The archipelagos' own shapes in the islands' neutral style (no legend, no value)."""
    codes = [f["properties"]["code"] for f in islands]
    return go.Choropleth(
        geojson={"type": "FeatureCollection", "features": islands}, featureidkey="properties.code",
        locations=codes, z=[0] * len(codes), colorscale=[[0, ISLAND_FILL], [1, ISLAND_FILL]], zmin=-0.5, zmax=0.5,
        showscale=False, showlegend=False, name="island shapes", marker=dict(line=dict(color=TEXT, width=0.4)),
        hoverinfo="skip",
    )


def _strip_archipelago(feats: list[dict], province_code: str | None) -> list[dict]:
    """Đà Nẵng / Khánh Hòa maps: drop the archipelago islands from the main frame (they go to an inset),
    so ``fitbounds`` frames the mainland instead of 600 km of sea."""
    if province_code is None:
        return feats
    pc = str(province_code).zfill(2)
    if not any(a["province_code"] == pc for a in geo_islands.ARCHIPELAGOS.values()):
        return feats
    out = []
    for f in feats:
        g = shape(f["geometry"])
        parts = [p for p in shapely.get_parts(g) if p.centroid.x < MAINLAND_MAX_LON]
        if not parts:
            continue
        if len(parts) != shapely.get_num_geometries(g):
            f = {**f, "geometry": json.loads(shapely.to_geojson(shapely.MultiPolygon(parts)))}
        out.append(f)
    return out

