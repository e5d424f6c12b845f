"""A point map: one light marker per unit at its centroid (fast for 10,000+ wards), classed like the
choropleth, over the province outlines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from geo import layers

from .map_classes import (
    _auto_decimals,
    _class_label,
    classify,
    palette,
)
from .map_islands import (
    _island_traces,
)
from .map_parts import (
    NO_DATA_FILL,
    NO_DATA_LINE,
    _codes,
    _frame,
    _geo_layout,
    _hover_text,
    _is_national,
    _screen_height,
    _t,
)


def points_map(
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
    title: str = "",
    subtitle: str = "",
    source: str = "",
    province_code: str | None = None,
    decimals: int | None = None,
    marker_size: float | None = None,
    preset: str = "screen",
    width: int | None = None,
    height: int | None = None,
    date: Any = None,
    outline_level: str = "province",
) -> go.Figure:
    """One light marker per unit at its centroid (fast for 10,000+ wards), classed like :func:`choropleth`,
    over the province outlines; units without data are hollow grey circles."""
    level, vintage = layers.check(level, vintage)
    cent = layers.centroids(level, vintage, province_code=province_code)
    d = df.copy()
    d["code"] = _codes(d, level)
    if value_col != "value":
        d["value"] = d[value_col]
    d["value"] = pd.to_numeric(d["value"], errors="coerce")
    keep = [c for c in ("code", "value", "display_rank", "display_of", "rank_change", "value_change") if c in d]
    data = cent.merge(d[keep].drop_duplicates("code"), on="code", how="left")
    values = data["value"].to_numpy(dtype=float)
    decimals = _auto_decimals(values) if decimals is None else int(decimals)
    classes, idx = classify(values, classification, n_classes=n_classes, breaks=breaks, bands=bands)
    cols = palette(len(classes), direction) if classes else []
    national = _is_national(province_code)
    n = len(data)
    size = marker_size or (3.0 if n > 3000 else 5.0 if n > 500 else 8.0)
    fsize = 12 if preset == "screen" else 22
    fig = go.Figure()
    for tr in _island_traces(lang, national, fsize):
        fig.add_trace(tr)
    # context outlines (province or the selected province), no hover
    o_vintage = vintage
    try:
        ogj = layers.display_geojson(outline_level, o_vintage, province_code=province_code if outline_level == "province" else None)
        ocodes = [f["properties"]["code"] for f in ogj["features"]]
        fig.add_trace(go.Choropleth(
            geojson=ogj, featureidkey="properties.code", locations=ocodes, z=[0] * len(ocodes),
            colorscale=[[0, "#F7F7F7"], [1, "#F7F7F7"]], showscale=False, showlegend=False,
            marker=dict(line=dict(color="#BDBDBD", width=0.5)), hoverinfo="skip", name="outline",
        ))
    except Exception:  # pragma: no cover
        pass
    data["hover"] = [_hover_text(r, lang, decimals, "") for _, r in data.iterrows()]
    order = list(range(len(classes)))
    order = order[::-1] if direction != "lower_is_better" else order
    legend_labels = []
    nd = data[[j is None for j in idx]]
    nd_label = _t("no_data", lang)
    fig.add_trace(go.Scattergeo(
        lon=nd["lon"], lat=nd["lat"], mode="markers", name=nd_label, legendgroup="nodata",
        marker=dict(size=size, color=NO_DATA_FILL, symbol="circle-open", line=dict(color=NO_DATA_LINE, width=1)),
        text=nd["hover"], hovertemplate="%{text}<extra></extra>", customdata=nd["code"],
    ))
    for i in order:
        sub = data.iloc[[k for k, j in enumerate(idx) if j == i]]
        label = _class_label(classes[i], lang, decimals)
        legend_labels.append(label)
        fig.add_trace(go.Scattergeo(
            lon=sub["lon"], lat=sub["lat"], mode="markers", name=label, legendgroup=f"class{i}",
            marker=dict(size=size, color=cols[i], line=dict(width=0)),
            text=sub["hover"], hovertemplate="%{text}<extra></extra>", customdata=sub["code"],
        ))
    legend_labels.append(nd_label)
    _geo_layout(fig)
    if height is None:
        height = _screen_height(national, width)
    _frame(fig, title, subtitle, source, lang, notes=_t("boundaries", lang), legend_labels=legend_labels,
           preset=preset, height=height, date=date, width=width)
    fig.update_layout(legend=dict(itemsizing="constant"), dragmode=False)
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta["map"] = {"level": level, "vintage": vintage, "province_code": province_code, "points": n,
                   "no_data": {"label": nd_label, "count": int(len(nd))}}
    fig.layout.meta = meta
    return fig
