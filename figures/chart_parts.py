"""What the chart builders share: the frame keywords and their use (``FrameOptions``, ``ChartFrame``), the
rows of a value frame, value and rank text, comparators (reference lines and per-year lines), the labelled
no-data marker, value-axis helpers (percent ticks, units) and the alt-text setter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

import pandas as pd
import plotly.graph_objects as go

from analytics.fmt import (
    fmt_rank,
    fmt_value,
    is_missing,
    unit_kind,
)
from analytics.i18n import t

from . import style as S


# ============================================================================================ the frame
class FrameOptions(TypedDict, total=False):
    """The keywords every chart builder takes besides ``lang`` and ``title`` (``**frame``): what the frame
    around the plot says and the size it is laid out for (:func:`figures.style.apply_frame` draws it)."""

    subtitle: str          # the line under the title (default none)
    source: str            # the source line at the bottom (default none)
    preset: str            # "screen" (default) or an export size of figures.style.SIZES ("wide", "square")
    width: int | None      # "screen": the width the page gives the chart (default: a desktop width)
    date: Any              # the date of the "Chỉ số · <date>" line (default: today)
    notes: str | None      # a note under the source line
    height: int | None     # a fixed height in px (default: from the content)


@dataclass(frozen=True)
class ChartFrame:
    """A builder's ``title``, ``lang`` and ``**frame`` keywords (``FrameOptions``) with their defaults."""

    title: str
    lang: str
    subtitle: str = ""
    source: str = ""
    preset: str = "screen"
    width: int | None = None
    date: Any = None
    notes: str | None = None
    height: int | None = None

    @property
    def sizes(self) -> dict[str, Any]:
        return S.sizes(self.preset)

    @property
    def figure_width(self) -> int:
        """The whole figure's width in px (the page's width on screen, the preset's for an export)."""
        return S.screen_width(self.width) if self.preset == "screen" else self.sizes["width"]

    @property
    def narrowest_width(self) -> int:
        """The narrowest the figure may be drawn: the page's width, a desktop's narrowest when the page gives
        none (figures.style.DESKTOP_MIN_WIDTH), the preset's for an export. What must fit side by side is
        laid out for it."""
        if self.preset == "screen" and not self.width:
            return min(S.screen_width(None), S.DESKTOP_MIN_WIDTH)
        return self.figure_width

    @property
    def phone(self) -> bool:
        """Laid out for a phone screen (narrower than figures.style.NARROW_WIDTH)."""
        return self.preset == "screen" and bool(self.width) and self.width < S.NARROW_WIDTH

    def apply(self, fig: go.Figure, **layout: Any) -> go.Figure:
        """Draw the frame (title, subtitle, source, date, notes) around ``fig``; ``layout``: the builder's
        margins, legend and height (figures.style.base_layout)."""
        return S.apply_frame(fig, self.title, self.subtitle, self.source, self.lang, preset=self.preset,
                             screen_width=self.width, date=self.date, notes=self.notes, **layout)


# ============================================================================================ helpers
def _value_rows(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` (index 0..n-1) with ``_id`` (unit id, else name, else row), ``_name`` and the
    numeric ``_v`` (None where missing)."""
    d = df.reset_index(drop=True).copy()
    d["_id"] = _ids(d)
    d["_name"] = _col(d, "name", "").fillna("").astype(str)
    d["_v"] = [_num(v) for v in _col(d, "value")]
    return d


def _num(x: Any) -> float | None:
    return None if is_missing(x) else float(x)


def _col(df: pd.DataFrame, name: str, default: Any = None) -> pd.Series:
    if name in df.columns:
        return df[name]
    return pd.Series([default] * len(df), index=df.index, dtype="object")


def _ids(df: pd.DataFrame) -> list[str]:
    if "unit_id" in df.columns:
        return [str(x) if not is_missing(x) else f"row-{i}" for i, x in zip(range(len(df)), df["unit_id"], strict=True)]
    if "name" in df.columns:
        return [str(x) for x in df["name"]]
    return [f"row-{i}" for i in range(len(df))]


def _as_set(x: Any) -> set[str]:
    if x is None:
        return set()
    if isinstance(x, str):
        return {x}
    return {str(v) for v in x}


def _text_px(text: str, font_px: float) -> float:
    return len(str(text)) * font_px * 0.58


def _rank_text(row: pd.Series, lang: str) -> str:
    rank = row.get("display_rank")
    of = row.get("display_of")
    if is_missing(rank):
        rank, of = row.get("rank"), row.get("of")
    if is_missing(rank):
        return ""
    text = fmt_rank(rank, of, lang)
    if str(row.get("rank_source") or "") == "computed":
        text += "*"
    return text


def _value_fmt(unit, lang, decimals):
    def f(v, na=None):
        return fmt_value(v, unit, lang, decimals, na=na if na is not None else t("label.no_data", lang))
    return f


def _set_alt(fig: go.Figure, alt: str, **extra) -> None:
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta["alt"] = alt
    chiso = dict(meta.get("chiso", {}))
    chiso.update(extra)
    meta["chiso"] = chiso
    fig.layout.meta = meta


def normalise_comparators(comparators: Iterable[dict] | None, lang: str) -> list[dict]:
    """Fill in label and style for each comparator; drop those without any value."""
    out = []
    for c in comparators or []:
        kind = c.get("kind", "other")
        label = c.get("label")
        if not label:
            key = {"national": "label.national_average", "region": "label.region_average",
                   "parent": "label.parent_average", "leader": "label.leader"}.get(kind)
            label = t(key, lang) if key else kind
        values = c.get("values")
        value = _num(c.get("value"))
        if values is not None:
            if isinstance(values, pd.Series):
                values = values.to_dict()
            values = {int(k): _num(v) for k, v in dict(values).items()}
            if all(v is None for v in values.values()):
                values = None
        if value is None and not values:
            continue
        st = S.COMPARATOR_STYLE.get(kind, S.COMPARATOR_STYLE["other"])
        out.append({"kind": kind, "label": str(label), "value": value, "values": values,
                    "color": c.get("color", st["color"]), "dash": c.get("dash", st["dash"])})
    return out


def add_comparators(
    fig: go.Figure,
    comparators: Iterable[dict] | None,
    *,
    lang: str,
    axis: str = "y",
    unit: str | None = None,
    decimals: int | None = None,
    preset: str = "screen",
    row: int | None = None,
    col: int | None = None,
    label: bool = True,
    xref: str = "x",
    yref: str = "y",
    break_years: Iterable[int] = (),
) -> go.Figure:
    """Draw comparators as labelled reference lines.

    ``axis="y"``: horizontal lines at ``y=value`` (trend charts); a comparator with per-year ``values``
    becomes a dashed line trace. ``axis="x"``: vertical lines at ``x=value`` (bar and strip charts).
    Labels read "<label>: <value>" in the language's number format. Per-year lines are broken
    (a gap) before each year in ``break_years``.
    """
    break_years = set(break_years)
    s = S.sizes(preset)
    comps = normalise_comparators(comparators, lang)
    vf = _value_fmt(unit, lang, decimals)
    for i, c in enumerate(comps):
        line = dict(color=c["color"], width=s["linewidth"] * 0.7, dash=c["dash"])
        if c["values"]:
            years = sorted(c["values"])
            xs, ys = [], []
            for y in range(years[0], years[-1] + 1):
                if y in break_years and xs:
                    xs.append(y - 0.5)  # an explicit gap: never join across a series break
                    ys.append(None)
                xs.append(y)
                ys.append(c["values"].get(y))
            trace = go.Scatter(
                x=xs, y=ys, mode="lines", name=c["label"], line=line, connectgaps=False,
                legendgroup=f"cmp-{i}", hovertemplate="%{customdata}<extra></extra>",
                customdata=[f"{c['label']} {y}: {vf(v)}" for y, v in zip(xs, ys, strict=True)],
                showlegend=(row is None or (row == 1 and col == 1)),
            )
            if row is not None:
                fig.add_trace(trace, row=row, col=col)
            else:
                fig.add_trace(trace)
            continue
        text = t("label.comparator_value", lang, label=c["label"], value=vf(c["value"]))
        if axis == "y":
            fig.add_shape(type="line", xref=f"{xref} domain", x0=0, x1=1, yref=yref, y0=c["value"],
                          y1=c["value"], line=line, layer="above", name=f"cmp-{c['kind']}")
            if label:
                fig.add_annotation(
                    name=f"cmp-label-{i}", text=S._esc(text), xref=f"{xref} domain", x=1, yref=yref, y=c["value"],
                    xanchor="right", yanchor="bottom", showarrow=False, yshift=1,
                    font=dict(size=s["small"], color=c["color"]), bgcolor="rgba(255,255,255,0.8)",
                )
        else:
            fig.add_shape(type="line", yref=f"{yref} domain", y0=0, y1=1, xref=xref, x0=c["value"],
                          x1=c["value"], line=line, layer="above", name=f"cmp-{c['kind']}")
            if label:
                # a line in the right half of the axis gets its label on its left, so it stays inside; the
                # axis spans the data, and zero too when bars are drawn (a bar starts at 0)
                xs = [v for tr in fig.data for v in (getattr(tr, "x", None) or ())
                      if isinstance(v, (int, float)) and not is_missing(v)]
                xs += [0.0] if xs and any(isinstance(tr, go.Bar) for tr in fig.data) else []
                right_half = bool(xs) and c["value"] > (min(xs) + max(xs)) / 2
                fig.add_annotation(
                    name=f"cmp-label-{i}", text=S._esc(text), yref=f"{yref} domain", y=0, xref=xref, x=c["value"],
                    xanchor="right" if right_half else "left", yanchor="bottom", showarrow=False,
                    xshift=-3 if right_half else 3,
                    yshift=4 + i * s["small"] * 1.5, font=dict(size=s["small"], color=c["color"]),
                    bgcolor="rgba(255,255,255,0.85)",
                )
    return fig


def _nodata_trace(ids: list[str], lang: str, preset: str, orientation: str = "h",
                  x0: float = 0.0) -> go.Scatter:
    """Hollow markers with a "No data" label, placed at the axis start of each no-data row."""
    s = S.sizes(preset)
    label = t("chart.no_data_marker", lang)
    return go.Scatter(
        x=[x0] * len(ids), y=ids, mode="markers+text", name=label,
        marker=dict(symbol="circle-open", size=s["marker"], color=S.NO_DATA_LINE, line=dict(width=1.5)),
        text=[label] * len(ids), textposition="middle right", textfont=dict(size=s["small"], color=S.MUTED),
        hovertemplate="%{customdata}: " + label + "<extra></extra>", cliponaxis=False,
    )


# ========================================================================================= ranking


def _percent_axis(unit: str | None, lo: float, hi: float) -> dict:
    """A percentage between 0 and 100: ticks 0–100 only (the range may run on for the value labels, but an
    axis reading "120 %" for a share is wrong), with the % sign."""
    if unit_kind(unit) != "percent" or lo < 0 or hi > 100:
        return {}
    return dict(tickmode="array", tickvals=[0, 20, 40, 60, 80, 100], ticksuffix="%")


def _unit_axis(unit: str | None) -> dict:
    """The value axis says its unit: "%" after each tick for a percentage, else the unit as axis title."""
    if unit_kind(unit) == "percent":
        return dict(ticksuffix="%")
    return dict(title=dict(text=S._esc(unit))) if unit and str(unit).strip() else {}
