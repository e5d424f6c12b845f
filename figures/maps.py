"""Map figures (pure plotly, no Streamlit): classed choropleths and centroid point maps.

    fig = choropleth(df, "province", "legacy", lang="vi", classification="quantile",
                     direction="higher_is_better", home="74", highlight=["79"], title=..., source=...)
    fig = points_map(df, "commune", "legacy", lang="en")        # 10k wards as light markers

``df`` holds one row per unit: ``code`` (zero-padded) or ``unit_id`` (``old-p-74``), ``value`` (or
``value_col``) and optionally ``name, display_rank, display_of, rank_change, value_change, band``.

Design rules:
- no map tiles or base layers at all (``geo.visible=False``): only our own polygons, so the figure
  renders offline. plotly.js fetches a world topojson for a geo subplot whose *first* trace has a
  ``locationmode`` (choropleths always do); every figure here therefore starts with a Scattergeo
  (island markers/labels), and :func:`offline_html` also pre-seeds ``PlotlyGeoAssets`` so nothing is
  fetched even if traces are reordered;
- discrete classes (quantile, equal intervals, fixed breaks, or the indicator's bands) on a
  colour-blind-safe sequential ColorBrewer YlGnBu ramp, reversed when lower is better (the best class is
  always the darkest); each class is a legend entry with its range;
- "no data" is white with a grey hatch and outline and its own legend entry, never the lowest colour;
- Hoàng Sa and Trường Sa are always drawn and labelled on national maps;
- approximate layers carry the note «ranh giới gần đúng / approximate boundaries».
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import shape

from geo import layers

from .map_classes import (
    _auto_decimals,
    _class_label,
    classify,
    palette,
)
from .map_islands import (
    ISLAND_FILL,
    MAINLAND_MAX_LON,
    _archipelago_inset,
    _island_shapes,
    _island_traces,
    _split_archipelago,
    _strip_archipelago,
)
from .map_parts import (
    BORDER,
    FONT,
    HATCH_COLOR,
    HOME_COLOR,
    NO_DATA_FILL,
    NO_DATA_LINE,
    SELECTED_COLOR,
    TEXT,
    _codes,
    _extent,
    _frame,
    _geo_layout,
    _hover_text,
    _is_national,
    _norm_codes,
    _screen_height,
    _short,
    _subset,
    _t,
    fmt_number,
)
from .point_maps import points_map

__all__ = [
    "choropleth",
    "points_map",
    "classify",
    "palette",
    "offline_html",
    "OFFLINE_CONFIG",
    "NO_DATA_FILL",
    "HOME_COLOR",
    "SELECTED_COLOR",
    "MAINLAND_MAX_LON",
    "ISLAND_FILL",
]

# plotly config for st.plotly_chart / to_html: nothing fetched from a CDN.
OFFLINE_CONFIG = {"displaylogo": False, "scrollZoom": False}
# An empty world topojson registered before plotting, so plotly.js never asks the network for one.
_EMPTY_TOPOJSON = '{"type":"Topology","objects":{},"arcs":[],"transform":{"scale":[1,1],"translate":[0,0]}}'
PRESEED_JS = (
    "window.PlotlyGeoAssets=window.PlotlyGeoAssets||{topojson:{}};"
    "window.PlotlyGeoAssets.topojson=window.PlotlyGeoAssets.topojson||{};"
    "['world_110m','world_50m','asia_110m','asia_50m'].forEach(function(k){"
    f"if(!window.PlotlyGeoAssets.topojson[k])window.PlotlyGeoAssets.topojson[k]={_EMPTY_TOPOJSON};}});"
)


def _hatch(features: list[dict], spacing: float) -> tuple[list, list]:
    """Diagonal hatch lines (lon, lat with None breaks) clipped to the features' polygons."""
    lons: list = []
    lats: list = []
    for f in features:
        g = shape(f["geometry"])
        if g.is_empty:
            continue
        minx, miny, maxx, maxy = g.bounds
        # lines y = x + c for c spanning the bounding box
        c0 = miny - maxx
        c1 = maxy - minx
        n = int((c1 - c0) / spacing) + 1
        if n > 400:
            n, spacing = 400, (c1 - c0) / 400
        segs = []
        for k in range(1, n):
            c = c0 + k * spacing
            segs.append(shapely.LineString([(minx - 1, minx - 1 + c), (maxx + 1, maxx + 1 + c)]))
        if not segs:
            continue
        clipped = shapely.intersection(shapely.MultiLineString(segs), g)
        for line in shapely.get_parts(clipped):
            if line.geom_type != "LineString" or line.is_empty:
                continue
            xs, ys = line.xy
            lons.extend([round(x, 5) for x in xs] + [None])
            lats.extend([round(y, 5) for y in ys] + [None])
    return lons, lats


def _prepare(df: pd.DataFrame, level: str, vintage: str, value_col: str, province_code: str | None):
    gj = layers.display_geojson(level, vintage, province_code=province_code)
    feats = gj["features"]
    if not feats:
        raise ValueError(f"no {level}/{vintage} features for province {province_code!r}")
    props = pd.DataFrame([f["properties"] for f in feats])
    d = df.copy()
    d["code"] = _codes(d, level)
    d = d.drop_duplicates("code", keep="first")
    if value_col != "value":
        d["value"] = d[value_col]
    d["value"] = pd.to_numeric(d["value"], errors="coerce")
    keep = [c for c in ("code", "value", "name", "display_rank", "display_of", "rank_change", "value_change", "band")
            if c in d.columns]
    merged = props[["code", "name"]].merge(d[keep], on="code", how="left", suffixes=("", "_df"))
    if "name_df" in merged:
        merged["name"] = merged["name_df"].where(merged["name_df"].notna(), merged["name"])
        merged = merged.drop(columns=["name_df"])
    return gj, feats, merged


def choropleth(
    df: pd.DataFrame,
    level: str,
    vintage: str,
    *,
    value_col: str = "value",
    lang: str = "vi",
    classification: str = "quantile",
    n_classes: int = 5,
    breaks: Sequence[float] | None = None,
    bands: Sequence[dict] | None = None,
    direction: str = "higher_is_better",
    highlight: Iterable[str] | str | None = None,
    home: str | None = None,
    label_extremes: int = 0,
    title: str = "",
    subtitle: str = "",
    source: str = "",
    province_code: str | None = None,
    approximate_note: bool = True,
    unit_suffix: str = "",
    decimals: int | None = None,
    preset: str = "screen",
    width: int | None = None,
    height: int | None = None,
    date: Any = None,
    hatch: bool = True,
) -> go.Figure:
    """Classed choropleth of one indicator/year at ``level``/``vintage`` (see the module doc)."""
    level, vintage = layers.check(level, vintage)
    gj, feats, data = _prepare(df, level, vintage, value_col, province_code)
    feats = _strip_archipelago(feats, province_code)
    island_feats: list[dict] = []
    if _is_national(province_code):
        feats, island_feats = _split_archipelago(feats)
    values = data["value"].to_numpy(dtype=float)
    decimals = _auto_decimals(values) if decimals is None else int(decimals)
    classes, idx = classify(values, classification, n_classes=n_classes, breaks=breaks, bands=bands)
    cols = palette(len(classes), direction) if classes else []
    data["hover"] = [_hover_text(r, lang, decimals, unit_suffix) for _, r in data.iterrows()]
    national = _is_national(province_code)
    fsize = 12 if preset == "screen" else 22
    fig = go.Figure()
    for tr in _island_traces(lang, national, fsize):
        fig.add_trace(tr)
    line_w = 0.6 if level == "province" else (0.3 if len(feats) > 1500 else 0.5)
    # classes: best class first in the legend
    order = list(range(len(classes)))
    order = order[::-1] if direction != "lower_is_better" else order
    legend_labels = []
    for i in order:
        sel = [k for k, j in enumerate(idx) if j == i]
        label = _class_label(classes[i], lang, decimals)
        legend_labels.append(label)
        sub = data.iloc[sel]
        fig.add_trace(go.Choropleth(
            geojson=_subset(feats, sub["code"]), featureidkey="properties.code", locations=sub["code"].tolist(),
            z=[i] * len(sub),
            colorscale=[[0, cols[i]], [1, cols[i]]], zmin=i - 0.5, zmax=i + 0.5, showscale=False,
            name=label, showlegend=True, legendgroup=f"class{i}",
            marker=dict(line=dict(color=BORDER, width=line_w)),
            text=sub["hover"].tolist(), hovertemplate="%{text}<extra></extra>",
        ))
    # no data: white, grey outline, hatch, own legend entry
    nd = data[[j is None for j in idx]]
    nd_label = _t("no_data", lang)
    legend_labels.append(nd_label)
    fig.add_trace(go.Choropleth(
        geojson=_subset(feats, nd["code"]), featureidkey="properties.code", locations=nd["code"].tolist(),
        z=[0] * len(nd),
        colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]], zmin=-0.5, zmax=0.5, showscale=False,
        name=nd_label, showlegend=False, legendgroup="nodata",
        marker=dict(line=dict(color=NO_DATA_LINE, width=max(line_w, 0.5))),
        text=nd["hover"].tolist(), hovertemplate="%{text}<extra></extra>",
        meta={"chiso_role": "no_data"},
    ))
    fig.add_trace(_no_data_legend(nd_label, fsize))
    if hatch and 0 < len(nd) <= 2500:
        codes_nd = set(nd["code"])
        nd_feats = [f for f in feats if f["properties"]["code"] in codes_nd]
        minx, miny, maxx, maxy = _extent(feats)
        spacing = max(maxx - minx, maxy - miny) / (90 if national else 60)
        hl, ht = _hatch(nd_feats, spacing)
        if hl:
            fig.add_trace(go.Scattergeo(
                lon=hl, lat=ht, mode="lines", line=dict(color=HATCH_COLOR, width=0.7), hoverinfo="skip",
                showlegend=False, legendgroup="nodata", name="no data hatch",
            ))
    if island_feats:
        fig.add_trace(_island_shapes(island_feats))
    # highlight + home outlines and labels
    hl_codes = [c for c in _norm_codes(highlight, level) if c in set(data["code"])]
    home_code = next(iter(_norm_codes(home, level)), None)
    if home_code not in set(data["code"]):
        home_code = None
    outline = [(c, SELECTED_COLOR, 2.0) for c in hl_codes if c != home_code]
    if home_code:
        outline.append((home_code, HOME_COLOR, 3.0))
    for code, colour, line_px in outline:
        fig.add_trace(go.Choropleth(
            geojson=_subset(feats, [code]), featureidkey="properties.code", locations=[code], z=[0],
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False, showlegend=False,
            marker=dict(line=dict(color=colour, width=line_px)), hoverinfo="skip", name=f"outline {code}",
        ))
    # labels: home, highlights, extremes
    label_codes: list[tuple[str, bool]] = []
    if home_code:
        label_codes.append((home_code, True))
    label_codes += [(c, False) for c in hl_codes if c != home_code]
    if label_extremes and np.isfinite(values).any():
        ranked = data.dropna(subset=["value"]).sort_values("value", ascending=(direction == "lower_is_better"))
        for c in list(ranked["code"].head(label_extremes)) + list(ranked["code"].tail(label_extremes)):
            if c not in [x for x, _ in label_codes]:
                label_codes.append((c, False))
    if label_codes:
        cent = layers.centroids(level, vintage, province_code=province_code).set_index("code")
        names = data.set_index("code")["name"]
        lab = [(c, h) for c, h in label_codes if c in cent.index]
        fig.add_trace(go.Scattergeo(
            lon=[cent.at[c, "lon"] for c, _ in lab], lat=[cent.at[c, "lat"] for c, _ in lab], mode="markers+text",
            text=[(f"<b>{_short(names.get(c, c))}</b>" if h else _short(names.get(c, c))) for c, h in lab],
            textposition="top center", marker=dict(size=5, color=[HOME_COLOR if h else SELECTED_COLOR for _, h in lab]),
            textfont=dict(size=fsize, color=TEXT, family=FONT), hoverinfo="skip", showlegend=False, name="labels",
        ))
    _geo_layout(fig)
    _archipelago_inset(fig, province_code, lang, fsize)
    info = layers.layer_info(level, vintage, lang=lang)
    approx = bool(info["approximate"])
    notes_parts = []
    if approx and approximate_note:
        notes_parts.append(_t("approximate", lang))
    notes_parts.append(_t("boundaries", lang) if not info["user"] else str(info.get("attribution") or ""))
    notes = " · ".join(x for x in notes_parts if x)
    if height is None:
        height = _screen_height(national, width)
    _frame(fig, title, subtitle, source, lang, notes=notes, legend_labels=legend_labels, preset=preset,
           height=height, date=date, width=width)
    fig.update_layout(legend=dict(itemclick=False, itemdoubleclick=False), dragmode=False)
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    meta = dict(meta)
    meta["map"] = {
        "level": level, "vintage": vintage, "province_code": province_code, "approximate": approx,
        "classes": [{"label": lbl, "colour": c} for lbl, c in zip(
            [_class_label(classes[i], lang, decimals) for i in range(len(classes))], cols, strict=True)],
        "no_data": {"label": nd_label, "colour": NO_DATA_FILL, "count": int(len(nd))},
        "features": len(feats),
    }
    meta["alt"] = _alt_text(data, level, lang, title, decimals)
    fig.layout.meta = meta
    return fig


def _no_data_legend(label: str, size: float) -> go.Scattergeo:
    """Legend entry for "no data": a white hatched square (choropleth legend icons cannot show a hatch)."""
    return go.Scattergeo(
        lon=[None], lat=[None], mode="markers", name=label, legendgroup="nodata", showlegend=True,
        marker=dict(symbol="square-x", size=size + 2, color=NO_DATA_FILL, line=dict(color=NO_DATA_LINE, width=1.2)),
        hoverinfo="skip", meta={"chiso_role": "no_data_legend"},
    )


def _alt_text(data: pd.DataFrame, level: str, lang: str, title: str, decimals: int) -> str:
    ok = data.dropna(subset=["value"]).sort_values("value")
    if ok.empty:
        return f"{title}: {_t('no_data', lang)}"
    lo, hi = ok.iloc[0], ok.iloc[-1]
    if lang == "en":
        return (f"Map: {title}. {len(ok)} of {len(data)} units have data; highest {hi['name']} "
                f"({fmt_number(hi['value'], lang, decimals)}), lowest {lo['name']} ({fmt_number(lo['value'], lang, decimals)}).")
    return (f"Bản đồ: {title}. {len(ok)}/{len(data)} đơn vị có số liệu; cao nhất {hi['name']} "
            f"({fmt_number(hi['value'], lang, decimals)}), thấp nhất {lo['name']} ({fmt_number(lo['value'], lang, decimals)}).")


def offline_html(fig: go.Figure, path=None, *, full_html: bool = True) -> str:
    """Standalone HTML with plotly.js inline (no CDN) and the topojson pre-seed; written to ``path`` if given."""
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    div = pio.to_html(fig, include_plotlyjs=False, full_html=False, config=OFFLINE_CONFIG)
    body = f"<script>{get_plotlyjs()}</script>\n<script>{PRESEED_JS}</script>\n{div}"
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Chỉ số map</title></head>'
        f'<body style="margin:0;background:#fff">{body}</body></html>'
    ) if full_html else body
    if path is not None:
        from pathlib import Path

        Path(path).write_text(html, encoding="utf-8")
    return html
