"""Where a locality sits among all units: a strip of marks on one value axis, or a beeswarm."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from analytics.i18n import t

from . import style as S
from .chart_parts import (
    ChartFrame,
    FrameOptions,
    _as_set,
    _rank_text,
    _set_alt,
    _text_px,
    _unit_axis,
    _value_fmt,
    _value_rows,
    add_comparators,
    normalise_comparators,
)


def _swarm_offsets(xs_px: list[float], dot: float) -> list[float]:
    """Beeswarm: for x positions in px (sorted ascending), the vertical offset of each dot, in dot
    diameters, closest to the centre line without overlapping an already placed dot."""
    placed: list[tuple[float, float]] = []  # (x px, y px)
    out = []
    for x in xs_px:
        near = [(px, py) for px, py in placed if x - px < dot]
        cands = [0.0]
        for px, py in near:
            dy = math.sqrt(max(dot * dot - (x - px) ** 2, 0.0))
            cands += [py + dy, py - dy]
        best = 0.0
        for c in sorted(cands, key=lambda v: (abs(v), v)):
            if all((x - px) ** 2 + (c - py) ** 2 >= dot * dot * 0.999 for px, py in near):
                best = c
                break
        placed.append((x, best))
        placed = [(px, py) for px, py in placed if x - px < dot]  # only recent dots can collide
        out.append(best / dot)
    return out


def benchmark_strip(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    home_id: str | None = None,
    highlight: Iterable[str] | str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    comparators: Iterable[dict] | None = None,
    swarm: bool = False,
    **frame: Unpack[FrameOptions],
) -> go.Figure:
    """Where a locality sits among all units (ONS-style): every unit a mark on one value axis, the home
    locality a large labelled dot ("Bình Dương · 86,93 · 4/63"), comparators as labelled lines.
    ``swarm=True`` spreads the dots into a beeswarm instead of a single strip of ticks."""
    f = ChartFrame(title, lang, **frame)
    s, preset = f.sizes, f.preset
    d = _value_rows(df)
    have = d[d["_v"].notna()].sort_values("_v", kind="stable")
    missing = d[d["_v"].isna()]
    home = {str(home_id)} if home_id else set()
    sel = _as_set(highlight) - home
    vf = _value_fmt(unit, lang, decimals)
    vals = list(have["_v"])
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    span = (hi - lo) or 1.0
    x_range = [lo - span * 0.06, hi + span * 0.06]
    dot = s["marker"] * 1.05
    plot_w = f.figure_width - 2 * s["side"] - 20
    if swarm:
        px = [(v - x_range[0]) / (x_range[1] - x_range[0]) * plot_w for v in vals]
        offsets = _swarm_offsets(px, dot)
    else:
        offsets = [0.0] * len(have)
    have = have.assign(_y=offsets)
    others = have[~have["_id"].isin(home | sel)]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=list(others["_v"]), y=list(others["_y"]), mode="markers", name=t("chart.strip_others", lang),
        marker=(dict(symbol="circle", size=s["marker"], color=S.BASE, line=dict(color=S.BASE_DARK, width=0.8))
                if swarm else dict(symbol="line-ns-open", size=s["marker"] * 3, line=dict(color=S.BASE_DARK, width=2))),
        customdata=[f"{S._esc(r['_name'])}: {vf(r['_v'])} · {_rank_text(r, lang)}" for _, r in others.iterrows()],
        hovertemplate="%{customdata}<extra></extra>",
    ))
    for i, (_, r) in enumerate(have[have["_id"].isin(home | sel)].iterrows()):
        colour = S.HOME if r["_id"] in home else S.SELECTED
        text = " · ".join(x for x in [r["_name"], vf(r["_v"]), _rank_text(r, lang)] if x)
        fig.add_trace(go.Scatter(
            x=[r["_v"]], y=[r["_y"]], mode="markers", name=r["_name"], showlegend=False,
            marker=dict(symbol="circle" if r["_id"] in home else "diamond", size=s["marker"] * 2,
                        color=colour, line=dict(color="#000000", width=1.5)),
            customdata=[text], hovertemplate="%{customdata}<extra></extra>",
        ))
        # keep the label inside the plot: near an end of the axis it extends inwards
        pos = (r["_v"] - x_range[0]) / ((x_range[1] - x_range[0]) or 1.0)
        anchor = "right" if pos > 0.7 else "left" if pos < 0.3 else "center"
        fig.add_annotation(name=f"hl-{i}", text=f"<b>{S._esc(text)}</b>", x=r["_v"], y=r["_y"], xref="x", yref="y",
                           showarrow=True, arrowhead=0, arrowwidth=1.2, arrowcolor=colour, ax=0, xanchor=anchor,
                           ay=-(s["marker"] * 3.2 + i * s["small"] * 1.6), font=dict(size=s["small"], color=colour),
                           bgcolor="rgba(255,255,255,0.9)")
    # name the first and the last unit too (below the strip, muted), so the chart says who the ends are
    ends = [r for r in (have.iloc[-1], have.iloc[0]) if r["_id"] not in home | sel] if len(have) > 1 else []
    end_texts = [" · ".join(x for x in [r["_name"], vf(r["_v"]), _rank_text(r, lang)] if x) for r in ends]
    # two end labels too long to share one line (a phone): the second goes on a line of its own, further down
    end_row = s["small"] * 1.5 if sum(_text_px(x, s["small"] * 0.92) + 8 for x in end_texts) > plot_w else 0
    for j, (r, text) in enumerate(zip(ends, end_texts, strict=True)):
        fig.add_annotation(name=f"end-{j}", text=S._esc(text), x=r["_v"], y=r["_y"], xref="x", yref="y",
                           showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=S.BASE_DARK, ax=0,
                           ay=s["marker"] * 2.6 + j * end_row, xanchor="right" if j == 0 else "left", yanchor="top",
                           font=dict(size=s["small"] * 0.92, color=S.MUTED), bgcolor="rgba(255,255,255,0.9)")
    add_comparators(fig, comparators, lang=lang, axis="x", unit=unit, decimals=decimals, preset=preset)
    if len(missing):
        note = t("chart.alt.missing", lang, n=len(missing), names=", ".join(missing["_name"].head(6))).strip()
        note_w = f.figure_width - 2 * s["side"] - 20
        fig.add_annotation(name="nodata-note", text="<br>".join(S._esc(x) for x in S.wrap(note, note_w, s["small"] * 0.9)),
                           xref="x domain", x=1, yref="y domain", y=1, xanchor="right", yanchor="top",
                           showarrow=False, font=dict(size=s["small"] * 0.9, color=S.MUTED),
                           bgcolor="rgba(255,255,255,0.9)")
    # under the strip's centre line: the end labels (one or two lines) and a line per comparator label
    # (figures.chart_parts.add_comparators draws them up from the plot's bottom)
    n_cmp = len(normalise_comparators(comparators, lang))
    below = (s["marker"] * 2.6 + s["small"] * 1.4 + end_row if ends else 0) + n_cmp * s["small"] * 1.5 + 6
    ylo, yhi = (min(offsets), max(offsets)) if offsets else (0.0, 0.0)
    fig = f.apply(fig, legend=False, left=s["side"] + 10, right=s["side"] + 10,
                  height=f.height or (340 if preset == "screen" else None))
    m = fig.layout.margin
    plot_h = fig.layout.height - m.t - m.b
    # one y unit = one dot diameter; the centre line sits a little low (room above for the highlighted
    # localities' labels), with at least the room the labels under it take
    half = max(plot_h / dot / 2, (yhi - ylo) / 2 + 1)
    low = max(half * 0.75, below / dot, (yhi - ylo) / 2 + 1)
    grow = (low + half * 1.25) * dot - plot_h
    if grow >= 1 and not f.height:  # a taller figure, the plot growing under the strip
        fig = f.apply(fig, legend=False, left=s["side"] + 10, right=s["side"] + 10,
                      height=int(fig.layout.height + grow + 1))
        plot_h = fig.layout.height - m.t - m.b
    bottom = (ylo + yhi) / 2 - low
    fig.update_layout(
        xaxis=S.axis_style(preset, range=x_range, separatethousands=True, **_unit_axis(unit)),
        yaxis=dict(visible=False, range=[bottom, bottom + max(plot_h / dot, 2 * half)], fixedrange=True),
    )
    hl = ""
    for _, r in have[have["_id"].isin(home | sel)].iterrows():
        hl += t("chart.alt.highlight", lang, name=r["_name"], value=vf(r["_v"]), rank=_rank_text(r, lang) or "—")
    alt = t("chart.alt.strip", lang, title=title, n=len(have), low=vf(lo) if vals else "—",
            high=vf(hi) if vals else "—", highlight=hl)
    if len(missing):
        alt += t("chart.alt.missing", lang, n=len(missing), names=", ".join(missing["_name"].head(10)))
    _set_alt(fig, alt, kind="beeswarm" if swarm else "benchmark_strip", dot_px=dot, swarm_lo=ylo, swarm_hi=yhi,
             wrapped_notes={"nodata-note": note} if len(missing) else {})
    return fig


def beeswarm(df: pd.DataFrame, **kwargs) -> go.Figure:
    """:func:`benchmark_strip` with the dots spread into a beeswarm."""
    kwargs.setdefault("swarm", True)
    return benchmark_strip(df, **kwargs)
