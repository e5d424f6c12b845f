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

import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry import shape

from geo import islands as geo_islands
from geo import layers

try:
    from analytics.fmt import fmt_number as _fmt_number
    from analytics.fmt import fmt_rank, fmt_rank_change
except Exception:  # pragma: no cover - analytics.fmt not there yet

    def _fmt_number(x, lang, decimals=2, **_):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "—"
        s = f"{float(x):,.{decimals}f}"
        return s.replace(",", "\0").replace(".", ",").replace("\0", ".") if lang == "vi" else s

    def fmt_rank(rank, of, lang, **_):
        return "—" if rank is None else (f"{int(rank)}/{int(of)}" if of else str(int(rank)))

    def fmt_rank_change(delta, lang, **_):
        if delta is None:
            return "—"
        d = int(delta)
        return "= 0" if d == 0 else ("▲ " if d > 0 else "▼ ") + str(abs(d))


try:
    from figures import style as S
except Exception:  # pragma: no cover
    S = None

__all__ = [
    "choropleth",
    "points_map",
    "classify",
    "palette",
    "offline_html",
    "OFFLINE_CONFIG",
    "NO_DATA_FILL",
]

# ColorBrewer YlGnBu (9-class), light → dark; colour-blind safe and print friendly.
YLGNBU9 = ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"]
NO_DATA_FILL = "#FFFFFF"
NO_DATA_LINE = "#8C8C8C"
HATCH_COLOR = "#9A9A9A"
BORDER = "#FFFFFF"
HOME_COLOR = "#D55E00"
SELECTED_COLOR = "#000000"
TEXT = "#1A1A1A"
MUTED = "#595959"
FONT = '"Noto Sans", "DejaVu Sans", Arial, sans-serif'

TEXTS = {
    "no_data": {"vi": "Không có số liệu", "en": "No data"},
    "approximate": {
        "vi": "Ranh giới gần đúng (ô Voronoi từ tâm đơn vị), không có giá trị pháp lý",
        "en": "Approximate boundaries (Voronoi cells of unit centroids), no legal standing",
    },
    "boundaries": {
        "vi": "Ranh giới: Natural Earth; vietnamadminunits",
        "en": "Boundaries: Natural Earth; vietnamadminunits",
    },
    "rank": {"vi": "Hạng", "en": "Rank"},
    "change": {"vi": "Thay đổi", "en": "Change"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "home": {"vi": "Địa phương của bạn", "en": "Your locality"},
    # three short lines: narrow enough to fit between the islands and the coast at phone width
    "hoang_sa": {"vi": "Quần đảo<br>Hoàng Sa<br>(Đà Nẵng)", "en": "Hoàng Sa<br>Islands<br>(Đà Nẵng)"},
    "truong_sa": {"vi": "Quần đảo<br>Trường Sa<br>(Khánh Hòa)", "en": "Trường Sa<br>Islands<br>(Khánh Hòa)"},
}

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

CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}


def _t(key: str, lang: str) -> str:
    return TEXTS[key]["en" if lang == "en" else "vi"]


def fmt_number(x: Any, lang: str, decimals: int = 2) -> str:
    return _fmt_number(x, lang, decimals)


# ============================================================================================ data
def _codes(df: pd.DataFrame, level: str) -> pd.Series:
    width = CODE_WIDTH[level]
    if "code" in df.columns:
        raw = df["code"].astype(str)
    elif "unit_id" in df.columns:
        raw = df["unit_id"].astype(str).str.rsplit("-", n=1).str[-1]
    else:
        raise ValueError("choropleth: df needs a `code` or `unit_id` column")
    return raw.str.strip().str.replace(r"\.0+$", "", regex=True).str.zfill(width)


def _norm_codes(items: Iterable[str] | str | None, level: str) -> list[str]:
    if items is None:
        return []
    if isinstance(items, str):
        items = [items]
    out = []
    for x in items:
        if x is None:
            continue
        s = str(x).rsplit("-", 1)[-1].strip()
        out.append(s.zfill(CODE_WIDTH[level]) if s.isdigit() else s)
    return out


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


# ===================================================================================== classification
def palette(n: int, direction: str = "higher_is_better") -> list[str]:
    """``n`` colours ordered from the lowest to the highest class (YlGnBu, darkest = best)."""
    n = max(1, min(int(n), 7))
    # skip the two lightest YlGnBu steps so no class looks like the white "no data"
    idx = np.linspace(2, 8, n) if n > 1 else np.array([6])
    cols = [YLGNBU9[int(round(i))] for i in idx]
    if direction == "lower_is_better":
        cols = cols[::-1]
    return cols


def classify(
    values: Sequence[float],
    classification: str = "quantile",
    *,
    n_classes: int = 5,
    breaks: Sequence[float] | None = None,
    bands: Sequence[dict] | None = None,
) -> tuple[list[dict], list[int | None]]:
    """Classes ``[{lo, hi, label_lo, label_hi, band}]`` (low → high) and each value's class index.

    - ``quantile``: edges at the k/n quantiles of the values (duplicates merged);
    - ``equal``: ``n_classes`` equal intervals between min and max;
    - ``fixed``: ``breaks`` are thresholds; classes are ``< b0``, ``[b0, b1)``, …, ``≥ bn`` and are all
      shown even when empty, so maps of several years share one legend;
    - ``bands``: the indicator's grades ``[{label, min, max}]`` (min inclusive, max exclusive, None =
      unbounded), any order.
    Missing values get ``None``.
    """
    vals = np.array([np.nan if _is_missing(v) else float(v) for v in values], dtype=float)
    ok = vals[~np.isnan(vals)]
    classes: list[dict] = []
    if classification == "bands":
        if not bands:
            raise ValueError("classification='bands' needs bands=[{label, min, max}, ...]")
        grades = sorted(
            bands,
            key=lambda g: (-math.inf if g.get("min") is None else g["min"], math.inf if g.get("max") is None else g["max"]),
        )
        for g in grades:
            classes.append({"lo": g.get("min"), "hi": g.get("max"), "band": str(g.get("label")), "trim": True})
    elif classification == "fixed":
        if not breaks:
            raise ValueError("classification='fixed' needs breaks=[...]")
        b = sorted(float(x) for x in breaks)
        classes.append({"lo": None, "hi": b[0], "trim": True})
        for lo, hi in zip(b[:-1], b[1:], strict=True):
            classes.append({"lo": lo, "hi": hi, "trim": True})
        classes.append({"lo": b[-1], "hi": None, "trim": True})
    elif classification in ("quantile", "equal"):
        if ok.size == 0:
            return [], [None] * len(vals)
        vmin, vmax = float(ok.min()), float(ok.max())
        if vmin == vmax:
            classes = [{"lo": vmin, "hi": vmax, "closed": True}]
        else:
            k = max(1, min(int(n_classes), 7))
            if classification == "quantile":
                k = min(k, len(np.unique(ok)))
            if classification == "quantile":
                edges = list(np.quantile(ok, np.linspace(0, 1, k + 1)))
            else:
                edges = list(np.linspace(vmin, vmax, k + 1))
            edges = sorted(set(float(e) for e in edges))
            for lo, hi in zip(edges[:-1], edges[1:], strict=True):
                classes.append({"lo": lo, "hi": hi})
            classes[-1]["closed"] = True
    else:
        raise ValueError(f"unknown classification {classification!r}; use quantile, equal, fixed or bands")

    def which(v: float) -> int | None:
        if np.isnan(v):
            return None
        for i, c in enumerate(classes):
            lo, hi = c["lo"], c["hi"]
            if lo is not None and v < lo:
                continue
            if hi is None or v < hi or (c.get("closed") and v <= hi):
                return i
        # quantile/equal: the max value belongs to the last class; outside all bands → None
        return len(classes) - 1 if classification in ("quantile", "equal") and classes else None

    idx = [which(v) for v in vals]
    return classes, idx


def _class_label(c: dict, lang: str, decimals: int) -> str:
    def f(x):
        text = fmt_number(x, lang, decimals)
        if c.get("trim") and decimals > 0:  # user thresholds (80, 90) read better without ",0"
            sep = "," if lang == "vi" else "."
            if sep in text:
                text = text.rstrip("0").rstrip(sep)
        return text

    lo, hi = c.get("lo"), c.get("hi")
    if c.get("band"):
        if lo is None and hi is None:
            return c["band"]
        if lo is None:
            rng = f"< {f(hi)}"
        elif hi is None:
            rng = f"≥ {f(lo)}"
        else:
            rng = f"{f(lo)}–<{f(hi)}"
        band = str(c["band"])
        if all(f(x) in band for x in (lo, hi) if x is not None):
            return band  # the band's name already states its range ("0–1"): no "0–1 (0–1)"
        return f"{band} ({rng})"
    if lo is None:
        return f"< {f(hi)}"
    if hi is None:
        return f"≥ {f(lo)}"
    if lo == hi:
        return f(lo)
    return f"{f(lo)} – {f(hi)}"


def _auto_decimals(values: np.ndarray) -> int:
    ok = values[~np.isnan(values)]
    if ok.size == 0:
        return 1
    span = float(ok.max() - ok.min()) or abs(float(ok.max())) or 1.0
    if span >= 100:
        return 0
    if span >= 10:
        return 1
    if span >= 1:
        return 2
    return 3


# ========================================================================================= geometry
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


def _subset(feats: list[dict], codes: Iterable[str]) -> dict:
    """A FeatureCollection with only the features of ``codes`` (each trace carries just its own shapes), each
    with only the ``code`` plotly matches on (names and ids would add ~150 bytes a feature to the message)."""
    want = set(codes)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": f["properties"]["code"]}, "geometry": f["geometry"]}
        for f in feats if f["properties"]["code"] in want]}


def _extent(features: list[dict]) -> tuple[float, float, float, float]:
    b = [shape(f["geometry"]).bounds for f in features]
    if not b:
        return (102.0, 8.0, 110.0, 23.5)
    arr = np.array(b)
    return float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max())


def _is_national(province_code: str | None) -> bool:
    return province_code is None


# ============================================================================================ figure
def _frame(fig: go.Figure, title: str, subtitle: str, source: str, lang: str, *, notes: str, legend_labels: list[str],
           preset: str, height: int | None, date: Any, width: int | None = None) -> None:
    if S is not None:
        try:
            S.apply_frame(
                fig, title, subtitle, source, lang, preset=preset, date=date, legend=True,
                legend_labels=legend_labels, notes=notes, plot_height=height if preset == "screen" else None,
                left=12, right=12, screen_width=width,
            )
            return
        except Exception:  # pragma: no cover - style module changed; fall back to a plain frame
            pass
    fig.update_layout(
        title=dict(text=f"<b>{title}</b>" + (f"<br><sup>{subtitle}</sup>" if subtitle else "")),
        height=(height or 640) + 160,
        legend=dict(orientation="h", y=1.0, x=0),
        annotations=[dict(text=" · ".join(x for x in [notes, source] if x), x=0, y=-0.02, xref="paper",
                          yref="paper", showarrow=False, xanchor="left", yanchor="top", font=dict(size=11, color=MUTED))],
        separators=",." if lang == "vi" else ".,",
        margin=dict(l=12, r=12, t=90, b=60),
    )


def _geo_layout(fig: go.Figure) -> None:
    fig.update_geos(
        visible=False,
        showframe=False,
        showcoastlines=False,
        showland=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showcountries=False,
        showsubunits=False,
        projection_type="mercator",
        fitbounds="locations",
        bgcolor="rgba(0,0,0,0)",
        domain=dict(x=[0, 1], y=[0, 1]),  # explicit: with an inset (geo2) plotly would otherwise shrink it
    )


def _island_traces(lang: str, colour_of: dict[str, str], level: str, national: bool, size: float) -> list[go.Scattergeo]:
    """First trace(s) of every map: island markers (coloured like their unit) and the archipelago labels."""
    traces = []
    if national:
        lons, lats, cols, hover = [], [], [], []
        for key, a in geo_islands.ARCHIPELAGOS.items():
            for isl in a["islands"]:
                code = _island_owner(key, isl, level, colour_of)
                lons.append(isl.lon)
                lats.append(isl.lat)
                cols.append(colour_of.get(code, NO_DATA_FILL))
                hover.append(f"{isl.name_vi} ({isl.name_en})")
        traces.append(go.Scattergeo(
            lon=lons, lat=lats, mode="markers", name="islands", showlegend=False,
            marker=dict(size=max(4.0, size * 0.45), color=cols, symbol="circle", line=dict(color=TEXT, width=0.8)),
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


def _island_owner(key: str, isl, level: str, colour_of: dict[str, str]) -> str:
    """Code of the unit an island belongs to at ``level`` (legacy or 2025 codes, whichever has a colour)."""
    a = geo_islands.ARCHIPELAGOS[key]
    if level == "province":
        return a["province_code"]
    if level == "district":
        return a["district_code"]
    code = a["commune_2025_code"]
    if key == "truong_sa":  # legacy wards: nearest seat; 2025: one special zone
        return _truong_sa_ward(isl) if colour_of.get(_truong_sa_ward(isl)) else code
    return a["district_code"] if colour_of.get(a["district_code"]) else code


INSET_TOP = 0.30  # top of the archipelago inset (paper fraction)
MAINLAND_MAX_LON = 110.5  # every archipelago island lies east of this, all of the mainland west of it


def _archipelago_inset(fig: go.Figure, feats: list[dict], province_code: str | None, level: str,
                       colour_of: dict[str, str], lang: str, fsize: float) -> bool:
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
        marker=dict(size=7, color=[colour_of.get(_island_owner(key, i, level, colour_of), NO_DATA_FILL) for i in isl],
                    line=dict(color=TEXT, width=0.8)),
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


def _truong_sa_ward(isl) -> str:
    seats = {c: geo_islands.island_seat(c) for c in geo_islands.TRUONG_SA_WARD_SEATS}
    return min(seats, key=lambda c: (seats[c][0] - isl.lat) ** 2 + (seats[c][1] - isl.lon) ** 2)


def _hover_text(row: pd.Series, lang: str, decimals: int, unit_suffix: str) -> str:
    name = row.get("name") or row["code"]
    parts = [f"<b>{name}</b>"]
    v = row.get("value")
    if _is_missing(v):
        parts.append(_t("no_data", lang))
    else:
        parts.append(f"{_t('value', lang)}: {fmt_number(v, lang, decimals)}{unit_suffix}")
    if not _is_missing(row.get("display_rank")):
        parts.append(f"{_t('rank', lang)}: {fmt_rank(row.get('display_rank'), row.get('display_of'), lang)}")
    if not _is_missing(row.get("rank_change")):
        parts.append(f"{_t('change', lang)}: {fmt_rank_change(row.get('rank_change'), lang)}")
    if not _is_missing(row.get("value_change")):
        vc = float(row.get("value_change"))
        sign = "+" if vc > 0 else ""
        parts.append(f"Δ {sign}{fmt_number(vc, lang, decimals)}{unit_suffix}")
    return "<br>".join(parts)


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
    values = data["value"].to_numpy(dtype=float)
    decimals = _auto_decimals(values) if decimals is None else int(decimals)
    classes, idx = classify(values, classification, n_classes=n_classes, breaks=breaks, bands=bands)
    cols = palette(len(classes), direction) if classes else []
    colour_of: dict[str, str] = {}
    for code, i in zip(data["code"], idx, strict=True):
        if i is not None:
            colour_of[code] = cols[i]
    data["hover"] = [_hover_text(r, lang, decimals, unit_suffix) for _, r in data.iterrows()]
    national = _is_national(province_code)
    fsize = 12 if preset == "screen" else 22
    fig = go.Figure()
    for tr in _island_traces(lang, colour_of, level, national, fsize):
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
    _archipelago_inset(fig, feats, province_code, level, colour_of, lang, fsize)
    info = layers.layer_info(level, vintage, lang=lang)
    approx = bool(info["approximate"])
    notes_parts = []
    if approx and approximate_note:
        notes_parts.append(_t("approximate", lang))
    notes_parts.append(_t("boundaries", lang) if not info["user"] else str(info.get("attribution") or ""))
    notes = " · ".join(x for x in notes_parts if x)
    if height is None:
        height = 720 if national else 560
        if width and width < S.NARROW_WIDTH:  # a phone: the country is as wide as the screen, ~480 px tall
            height = int(height * 0.7)
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


def _short(name: str) -> str:
    for p in ("Thành phố ", "Tỉnh ", "Thị xã ", "Thị trấn ", "Quận ", "Huyện ", "Phường ", "Xã ", "Đặc khu "):
        if str(name).startswith(p):
            return str(name)[len(p):]
    return str(name)


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
    colour_of = {c: cols[i] for c, i in zip(data["code"], idx, strict=True) if i is not None}
    for tr in _island_traces(lang, colour_of, level, national, fsize):
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
        height = 720 if national else 560
    _frame(fig, title, subtitle, source, lang, notes=_t("boundaries", lang), legend_labels=legend_labels,
           preset=preset, height=height, date=date, width=width)
    fig.update_layout(legend=dict(itemsizing="constant"), dragmode=False)
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta["map"] = {"level": level, "vintage": vintage, "province_code": province_code, "points": n,
                   "no_data": {"label": nd_label, "count": int(len(nd))}}
    fig.layout.meta = meta
    return fig


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
