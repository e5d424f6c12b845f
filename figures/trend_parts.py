"""What the trend charts share: series split by locality, line segments that stop at gaps and breaks,
the series-break marks, colours, direct labels at the line ends, year ticks and the rank axis."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from analytics.fmt import (
    is_missing,
)

from . import style as S
from .chart_parts import (
    _num,
    _text_px,
)


def _series_key(df: pd.DataFrame) -> str | None:
    for c in ("unit_id", "name"):
        if c in df.columns and df[c].nunique(dropna=True) > 0:
            return c
    return None


def _split_series(df: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """[(id, display name, rows sorted by year)] in first-appearance order."""
    key = _series_key(df)
    if key is None:
        return [("series", "", df.sort_values("year"))]
    out = []
    for k in dict.fromkeys(df[key].tolist()):
        g = df[df[key] == k].sort_values("year")
        name = str(g["name"].dropna().iloc[0]) if "name" in g.columns and g["name"].notna().any() else str(k)
        out.append((str(k), name, g))
    return out


def _break_years(breaks: Iterable[dict] | None) -> set[int]:
    """The years that start a new series (a break without a year marks nothing)."""
    return {int(b["year"]) for b in (breaks or []) if not is_missing(b.get("year"))}


def _segments(g: pd.DataFrame, years: list[int], measure: str, break_years: set[int]) -> list[tuple[list, list]]:
    """Split one series into segments (x, y) with None for missing years; a new segment starts at a
    point whose ``comparable`` is False or (for values) at a series break year."""
    col = "rank" if measure == "rank" else "value"
    by_year = {}
    starts = set()
    for _, r in g.iterrows():
        if is_missing(r.get("year")):
            continue
        y = int(r["year"])
        by_year[y] = _num(r.get(col))
        comp = r.get("comparable")
        if comp is not None and not is_missing(comp) and not bool(comp):
            starts.add(y)
    if measure == "value":
        starts |= break_years
    segs: list[tuple[list, list]] = []
    xs: list = []
    ys: list = []
    for y in years:
        if y in starts and any(v is not None for v in ys):
            segs.append((xs, ys))
            xs, ys = [], []
        xs.append(y)
        ys.append(by_year.get(y))
    if any(v is not None for v in ys):
        segs.append((xs, ys))
    return segs


BREAK_LABEL_ROOM = 1.5  # × the small font: the row above the plot kept for series-break labels


def _add_breaks(fig: go.Figure, breaks: Iterable[dict] | None, preset: str, *, xref: str = "x",
                yref: str = "y", label: bool = True, above: bool = True) -> list[int]:
    """Dashed vertical line between year-1 and year for each break, labelled just above the plot (in a row
    the caller reserves with ``top_extra``, below the legend, so a label never lands on a legend entry) or,
    with ``above=False`` (panels whose top holds a subplot title), inside the plot at its bottom."""
    s = S.sizes(preset)
    years = []
    for i, b in enumerate(breaks or []):
        y = b.get("year")
        if is_missing(y):
            continue
        y = int(y)
        years.append(y)
        fig.add_shape(type="line", xref=xref, x0=y - 0.5, x1=y - 0.5, yref=f"{yref} domain", y0=0, y1=1,
                      line=dict(color=S.BREAK, width=max(1.2, s["linewidth"] * 0.5), dash="dash"),
                      layer="below", name=f"break-{y}")
        if label and b.get("label"):
            fig.add_annotation(
                name=f"break-label-{i}", text=S._esc(b["label"]), xref=xref, x=y - 0.5, yref=f"{yref} domain",
                y=1 if above else 0, xanchor="left", yanchor="bottom", xshift=3, yshift=2 if above else 3,
                showarrow=False,
                font=dict(size=s["small"] * 0.92, color=S.BREAK), bgcolor="rgba(255,255,255,0.85)",
            )
    return years


def _stack_break_labels(fig: go.Figure, x_range: list[float] | None, plot_w: float, preset: str, *,
                        xref: str = "x", above: bool = True) -> int:
    """Lay the labels of :func:`_add_breaks` (on ``xref``, an axis spanning ``x_range`` drawn ``plot_w`` px
    wide) out so each stays within the plot and none meets another: a label goes right of its line, or left
    of it where it would run past the plot's right end, in the first row (from the plot's edge outwards)
    where it meets no label. Returns the rows used (the room ``above`` labels need over the plot)."""
    s = S.sizes(preset)
    font = s["small"] * 0.92
    labels = sorted((a for a in fig.layout.annotations or () if (a.name or "").startswith("break-label-")
                     and a.xref == xref), key=lambda a: a.x)
    if not labels or not x_range or plot_w <= 0:
        return 1 if labels else 0
    scale = plot_w / ((x_range[1] - x_range[0]) or 1.0)
    row_ends: list[float] = []  # per row, the right end (px) of its last label
    for a in labels:
        x = (a.x - x_range[0]) * scale
        w = _text_px(html.unescape(a.text), font) + 6  # the text and its background's padding
        right_side = x + 3 + w <= plot_w or x - 3 - w < 0  # fits right of the line, or not left of it either
        start = x + 3 if right_side else x - 3 - w
        row = next((k for k, end in enumerate(row_ends) if start >= end + 4), len(row_ends))
        row_ends[row:row + 1] = [start + w]
        a.update(xanchor="left" if right_side else "right", xshift=3 if right_side else -3,
                 yshift=(2 if above else 3) + row * s["small"] * BREAK_LABEL_ROOM)
    return len(row_ends)


def _fit_axis_titles(fig: go.Figure, preset: str) -> None:
    """Wrap a y axis title longer than its axis (a short panel, a phone) onto lines that fit along it, so it
    never runs past the panel into the source line."""
    s = S.sizes(preset)
    lay = fig.layout
    plot_h = (lay.height or s["height"]) - lay.margin.t - lay.margin.b
    for name in [k for k in lay.to_plotly_json() if k.startswith("yaxis")]:
        axis = lay[name]
        text = axis.title.text if axis.title else None
        if not text:
            continue
        dom = axis.domain or (0, 1)
        size = (axis.title.font.size if axis.title.font and axis.title.font.size else s["small"])
        length = plot_h * (dom[1] - dom[0]) - 8
        plain = html.unescape(str(text)).replace("<br>", " ")
        if _text_px(plain, size) > length:
            lines = S.wrap(plain, length, size)
            axis.title.text = "<br>".join(S._esc(x) for x in lines)


def _colours(series_ids: list[str], home: set[str]) -> dict[str, tuple[str, str]]:
    palette = [c for c in S.CATEGORICAL if c != S.HOME]
    out, j = {}, 0
    for sid in series_ids:
        if sid in home:
            out[sid] = (S.HOME, "circle")
        else:
            out[sid] = (palette[j % len(palette)], S.SYMBOLS[(j + 1) % len(S.SYMBOLS)])
            j += 1
    return out


def _years(df: pd.DataFrame, breaks, comparators) -> list[int]:
    ys = [int(y) for y in df["year"].dropna()] if "year" in df.columns else []
    ys += sorted(_break_years(breaks))
    if not ys:
        return []
    return list(range(min(ys), max(ys) + 1))


def _direct_labels(fig: go.Figure, specs: list[dict], comps: list[dict], max_of: float | None,
                   preset: str) -> None:
    """Name labels at the end of each line, nudged apart vertically so they never overlap."""
    s = S.sizes(preset)
    m = fig.layout.margin
    plot_h = (fig.layout.height or s["height"]) - m.t - m.b
    gap = s["small"] * 1.3
    for yref in ("y", "y2"):
        group = [sp for sp in specs if sp["yref"] == yref]
        if not group:
            continue
        axis = fig.layout["yaxis" if yref == "y" else "yaxis2"]
        dom = axis.domain or (0, 1)
        h = plot_h * (dom[1] - dom[0])
        if group[0]["m"] == "rank":
            top = (max_of or 1) + 0.5
            def up(y, top=top, h=h):
                return (top - y) / (top - 0.5) * h
        else:
            ys = [v for tr in fig.data if (tr.yaxis or "y") == yref for v in (tr.y or ()) if v is not None]
            ys += [c["value"] for c in comps if c["value"] is not None]
            lo, hi = min(ys), max(ys)
            pad = (hi - lo) * 0.06 or 1.0
            lo, hi = lo - pad, hi + pad
            def up(y, lo=lo, hi=hi, h=h):
                return (y - lo) / (hi - lo) * h
        pos = sorted(((up(sp["y"]), i) for i, sp in enumerate(group)))
        placed: list[float] = []
        for p, _ in pos:
            placed.append(max(p, placed[-1] + gap) if placed else p)
        overflow = (placed[-1] - h + gap / 2) if placed else 0
        if overflow > 0:  # pushed past the top: slide the stack down
            placed = [p - overflow for p in placed]
            for k in range(len(placed) - 2, -1, -1):
                placed[k] = min(placed[k], placed[k + 1] - gap)
        for (p, i), q in zip(pos, placed, strict=True):
            sp = group[i]
            fig.add_annotation(name=f"label-{sp['sid']}-{sp['m']}", text=f"<b>{S._esc(sp['name'])}</b>", x=sp["x"],
                               y=sp["y"], xref="x", yref=yref, xanchor="left", yanchor="middle", xshift=s["marker"],
                               yshift=q - p, showarrow=False, font=dict(size=s["small"], color=sp["colour"]))


def _year_ticks(years: list[int], plot_w_px: float, font_px: float) -> list[int]:
    """Every year when they fit side by side (a year label ≈ 3 em with its gap), else every 2nd, 3rd…
    year, always ending on the last one (on a phone, 12 years would otherwise stack)."""
    if not years:
        return []
    fit = max(2, int(plot_w_px // (font_px * 3.2)))
    step = -(-len(years) // fit)
    return years[::-1][::step][::-1]


def _rank_axis(preset: str, max_of: float | None, **extra) -> dict:
    top = (max_of or 1) + 0.5
    return S.axis_style(preset, range=[top, 0.5], autorange=False, tickformat="d", rangemode="normal",
                        **extra)
