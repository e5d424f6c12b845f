"""What the map builders share: colours, texts in both languages, unit codes, the frame and the geo
subplot without any base map, hover text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import shape

from analytics.fmt import fmt_number as _fmt_number
from analytics.fmt import fmt_rank, fmt_rank_change
from analytics.i18n import t
from figures import style as S

NO_DATA_FILL = "#FFFFFF"
NO_DATA_LINE = "#8C8C8C"
HATCH_COLOR = "#9A9A9A"
BORDER = "#FFFFFF"
HOME_COLOR = "#D55E00"
SELECTED_COLOR = "#000000"
TEXT = "#1A1A1A"
MUTED = "#595959"
FONT = '"Noto Sans", "DejaVu Sans", Arial, sans-serif'


FRAME_SIDE = 12  # px left and right of a map's plot area
PHONE_PAGE_PADDING = 30  # px the page leaves beside a chart on a phone (a 390 px screen gives it 360)
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}


def _t(key: str, lang: str) -> str:
    """A map text: the catalog key ``map.<key>`` (scripts/i18n_catalogs.py knows this helper)."""
    return t(f"map.{key}", "en" if lang == "en" else "vi")


def fmt_number(x: Any, lang: str, decimals: int = 2) -> str:
    return _fmt_number(x, lang, decimals)


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


def _frame(fig: go.Figure, title: str, subtitle: str, source: str, lang: str, *, notes: str, legend_labels: list[str],
           preset: str, height: int | None, date: Any, width: int | None = None) -> None:
    S.apply_frame(
        fig, title, subtitle, source, lang, preset=preset, date=date, legend=True,
        legend_labels=legend_labels, notes=notes, plot_height=height if preset == "screen" else None,
        left=FRAME_SIDE, right=FRAME_SIDE, screen_width=width,
    )


def _screen_height(national: bool, width: int | None) -> int:
    """A map's plot height on screen: 720 px for the country, 560 for a province. On a phone, plotly draws
    the map in the largest square of the plot area, so a square plot area (the screen less the page's side
    padding and the frame's margins) leaves no empty band above the map or between it and its source."""
    if width and width < S.NARROW_WIDTH:
        return width - PHONE_PAGE_PADDING - 2 * FRAME_SIDE
    return 720 if national else 560


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


def _short(name: str) -> str:
    for p in ("Thành phố ", "Tỉnh ", "Thị xã ", "Thị trấn ", "Quận ", "Huyện ", "Phường ", "Xã ", "Đặc khu "):
        if str(name).startswith(p):
            return str(name)[len(p):]
    return str(name)
