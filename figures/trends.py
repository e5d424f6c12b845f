"""Lines over the years: one chart with a line per locality (values, ranks or both), and small multiples
(one panel per locality). Missing years are gaps, a non-comparable year starts a new segment, and each
series break is a dashed line with its label."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.fmt import (
    fmt_number,
    fmt_rank,
    is_missing,
    unit_kind,
)
from analytics.i18n import t

from . import style as S
from .chart_parts import (
    ChartFrame,
    FrameOptions,
    _set_alt,
    _text_px,
    _value_fmt,
    add_comparators,
    normalise_comparators,
)
from .trend_parts import (
    BREAK_LABEL_ROOM,
    _add_breaks,
    _break_years,
    _colours,
    _direct_labels,
    _fit_axis_titles,
    _rank_axis,
    _segments,
    _split_series,
    _stack_break_labels,
    _year_ticks,
    _years,
)


def trend_lines(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    measure: str = "value",
    breaks: Iterable[dict] | None = None,
    comparators: Iterable[dict] | None = None,
    home_id: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    **frame: Unpack[FrameOptions],
) -> go.Figure:
    """Value and/or rank over years for one or several localities.

    ``measure``: "value", "rank" (axis reversed, 1 at the top) or "both" (two stacked panels).
    Missing years are gaps (never interpolated), ``comparable == False`` starts a new segment,
    ``breaks=[{"year": 2021, "label": "Đổi phương pháp"}]`` draws a dashed line between 2020 and 2021.
    Comparators with per-year ``values`` draw as dashed lines, with one ``value`` as reference lines
    (on the value panel).
    """
    if measure not in ("value", "rank", "both"):
        raise ValueError("measure must be 'value', 'rank' or 'both'")
    f = ChartFrame(title, lang, **frame)
    s, preset = f.sizes, f.preset
    # on a phone the names at the line ends would take half the width: the legend names the lines instead
    phone = f.phone
    d = df.copy()
    breaks = list(breaks or [])
    comps = normalise_comparators(comparators, lang)
    years = _years(d, breaks, comps)
    series = _split_series(d)
    home = {str(home_id)} if home_id else set()
    if not home and len(series) == 1:
        home = {series[0][0]}
    colours = _colours([sid for sid, _, _ in series], home)
    break_years = _break_years(breaks)
    vf = _value_fmt(unit, lang, decimals)
    measures = ["value", "rank"] if measure == "both" else [measure]
    if measure == "both":
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12)
    else:
        fig = go.Figure()
    multi = len(series) > 1
    label_names = []
    label_specs: list[dict] = []
    for mi, m in enumerate(measures):
        row = mi + 1 if measure == "both" else None
        for sid, name, g in series:
            colour, symbol = colours[sid]
            segs = _segments(g, years, m, break_years)
            for si, (xs, ys) in enumerate(segs):
                custom = []
                for x, y in zip(xs, ys, strict=True):
                    if m == "rank":
                        of = g.loc[g["year"] == x, "of"] if "of" in g.columns else pd.Series(dtype=float)
                        custom.append(f"{name} {x}: {fmt_rank(y, of.iloc[0] if len(of) else None, lang)}")
                    else:
                        custom.append(f"{name} {x}: {vf(y)}")
                tr = go.Scatter(
                    x=xs, y=ys, mode="lines+markers", name=name or t("label.value", lang),
                    line=dict(color=colour, width=s["linewidth"]), connectgaps=False,
                    marker=dict(symbol=symbol, size=s["marker"], color=colour, line=dict(color="#FFFFFF", width=1)),
                    legendgroup=sid, showlegend=multi and si == 0 and mi == 0,
                    customdata=custom, hovertemplate="%{customdata}<extra></extra>",
                )
                if row:
                    fig.add_trace(tr, row=row, col=1)
                else:
                    fig.add_trace(tr)
            # direct label at the last point with data
            last = [(x, y) for xs, ys in segs for x, y in zip(xs, ys, strict=True) if y is not None]
            if multi and last and not phone:
                x, y = last[-1]
                yref = "y" if (not row or row == 1) else "y2"
                label_specs.append(dict(sid=sid, m=m, name=name, x=x, y=y, yref=yref, colour=colour))
                label_names.append(name)
    value_row = 1 if measure in ("value", "both") else None
    if value_row:
        add_comparators(fig, [c for c in comps if c["values"]], lang=lang, axis="y", unit=unit,
                        decimals=decimals, preset=preset, row=1 if measure == "both" else None, col=1,
                        break_years=break_years)
        add_comparators(fig, [c for c in comps if not c["values"]], lang=lang, axis="y", unit=unit,
                        decimals=decimals, preset=preset, yref="y")
    _add_breaks(fig, breaks, preset, xref="x", yref="y")
    if measure == "both":
        _add_breaks(fig, breaks, preset, xref="x2", yref="y2", label=False)

    legend_labels = ([n for _, n, _ in series] if multi else []) + [c["label"] for c in comps if c["values"]]
    right = int(max([_text_px(n, s["small"]) for n in label_names] + [0]) + 20) if multi and not phone else None
    y_title = t("chart.axis_value", lang) if unit_kind(unit) != "percent" else "%"
    left = int(s["small"] * 5.2 + s["small"] * 2.2)
    # every entry the legend will show (a comparator's line included), so the frame reserves enough rows
    shown = [tr.name for tr in fig.data if tr.showlegend and tr.name]
    legend_labels = list(dict.fromkeys(legend_labels + shown))
    x_range = [years[0] - 0.5, years[-1] + 0.5] if years else None
    break_rows = _stack_break_labels(fig, x_range, f.narrowest_width - left - (right or s["side"] + 20), preset)
    # on screen the plot keeps its height and the figure grows with the legend (9 localities on a phone)
    fig = f.apply(fig, legend=bool(legend_labels), legend_labels=legend_labels, left=left, right=right,
                  top_extra=int(s["small"] * BREAK_LABEL_ROOM * break_rows), height=f.height,
                  plot_height=None if f.height else 450 if measure == "both" else 350)
    ticks = _year_ticks(years, f.figure_width - left - (right or 0), s["small"])
    xa = S.axis_style(preset, tickmode="array", tickvals=ticks, ticktext=[str(y) for y in ticks], range=x_range,
                      showgrid=False)
    max_of = None
    if "of" in d.columns and d["of"].notna().any():
        max_of = float(pd.to_numeric(d["of"], errors="coerce").max())
    elif "rank" in d.columns and d["rank"].notna().any():
        max_of = float(pd.to_numeric(d["rank"], errors="coerce").max())
    sep = dict(separatethousands=True)
    if measure == "both":
        fig.update_layout(
            xaxis=xa, xaxis2={**xa},
            yaxis=S.axis_style(preset, title=dict(text=y_title), **sep),
            yaxis2=_rank_axis(preset, max_of, title=dict(text=t("chart.axis_rank", lang))),
        )
    elif measure == "rank":
        fig.update_layout(xaxis=xa, yaxis=_rank_axis(preset, max_of, title=dict(text=t("chart.axis_rank", lang))))
    else:
        fig.update_layout(xaxis=xa, yaxis=S.axis_style(preset, title=dict(text=y_title), **sep))
    _direct_labels(fig, label_specs, comps, max_of, preset)
    _fit_axis_titles(fig, preset)
    # alt text
    parts = ""
    col = "rank" if measure == "rank" else "value"
    for _, name, g in series:
        g2 = g[g[col].notna()] if col in g.columns else g.iloc[0:0]
        if len(g2):
            fv = (lambda v: fmt_number(v, lang, 0)) if col == "rank" else vf
            parts += t("chart.alt.trend_series", lang, name=name or title, start=fv(g2.iloc[0][col]),
                       first=int(g2.iloc[0]["year"]), end=fv(g2.iloc[-1][col]), last=int(g2.iloc[-1]["year"]))
    brk = t("chart.alt.breaks", lang, years=", ".join(str(y) for y in sorted(break_years))) if break_years else ""
    alt = t("chart.alt.trend", lang, title=title, first=years[0] if years else "—",
            last=years[-1] if years else "—", series=parts, breaks=brk).strip()
    _set_alt(fig, alt, kind="trend_lines", measure=measure)
    return fig


def small_multiples(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    measure: str = "value",
    breaks: Iterable[dict] | None = None,
    comparators: Iterable[dict] | None = None,
    home_id: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    cols: int | None = None,
    context: bool = True,
    **frame: Unpack[FrameOptions],
) -> go.Figure:
    """One panel per locality (shared axes); the other localities drawn faintly behind each panel
    (``context``); gaps, non-comparable segments and breaks as in :func:`trend_lines`."""
    if measure not in ("value", "rank"):
        raise ValueError("measure must be 'value' or 'rank'")
    f = ChartFrame(title, lang, **frame)
    s, preset = f.sizes, f.preset
    breaks = list(breaks or [])
    comps = normalise_comparators(comparators, lang)
    series = _split_series(df)
    n = len(series)
    cols = cols or (1 if n == 1 or f.phone else 2 if n <= 4 else 3 if n <= 9 else 4)  # a phone: one per row
    rows = math.ceil(n / cols)
    years = _years(df, breaks, comps)
    break_years = _break_years(breaks)
    home = {str(home_id)} if home_id else set()
    vf = _value_fmt(unit, lang, decimals)
    # Axes are shared by giving every panel the same explicit range (plotly's ``matches`` misrenders
    # panels when the grid has an empty cell), inner tick labels are hidden.
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=False, shared_yaxes=False,
                        subplot_titles=[S._esc(nm) for _, nm, _ in series],
                        horizontal_spacing=0.04, vertical_spacing=min(0.14, 0.5 / rows))
    all_segs = {sid: _segments(g, years, measure, break_years) for sid, _, g in series}
    for k, (sid, name, _) in enumerate(series):
        r, c = k // cols + 1, k % cols + 1
        if context:
            for sid2, _, _ in series:
                if sid2 == sid:
                    continue
                for xs, ys in all_segs[sid2]:
                    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#D5DAE0", width=s["linewidth"] * 0.5),
                                             connectgaps=False, hoverinfo="skip", showlegend=False), row=r, col=c)
        colour = S.HOME if sid in home else S.SELECTED
        for xs, ys in all_segs[sid]:
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="lines+markers", name=name, connectgaps=False, showlegend=False,
                line=dict(color=colour, width=s["linewidth"]), marker=dict(size=s["marker"] * 0.8, color=colour),
                customdata=[f"{name} {x}: {vf(y) if measure == 'value' else fmt_rank(y, None, lang)}"
                            for x, y in zip(xs, ys, strict=True)],
                hovertemplate="%{customdata}<extra></extra>",
            ), row=r, col=c)
        axis_sfx = "" if k == 0 else str(k + 1)
        if measure == "value":
            add_comparators(fig, [cm for cm in comps if cm["values"]], lang=lang, axis="y", unit=unit,
                            decimals=decimals, preset=preset, row=r, col=c, break_years=break_years)
            add_comparators(fig, [cm for cm in comps if not cm["values"]], lang=lang, axis="y", unit=unit,
                            decimals=decimals, preset=preset, xref=f"x{axis_sfx}", yref=f"y{axis_sfx}",
                            label=(k == 0))
        _add_breaks(fig, breaks, preset, xref=f"x{axis_sfx}", yref=f"y{axis_sfx}", label=(k == 0), above=False)
    # subplot titles: bold, body size
    for a in fig.layout.annotations:
        if a.name is None and a.text and not a.text.startswith("<b>"):
            a.update(text=f"<b>{a.text}</b>", font=dict(size=s["body"], color=S.TEXT))
    legend_labels = [cm["label"] for cm in comps if cm["values"]]
    left = int(s["small"] * 5.2)
    fig = f.apply(fig, legend=bool(legend_labels), legend_labels=legend_labels, left=left,
                  top_extra=int(s["body"] * 1.6), height=f.height, plot_height=None if f.height else rows * 210)
    x_range = [years[0] - 0.5, years[-1] + 0.5] if years else None
    panel_w = (f.narrowest_width - left - s["side"] - 20) * (1 - 0.04 * (cols - 1)) / cols
    _stack_break_labels(fig, x_range, panel_w, preset, above=False)
    ticks = _year_ticks(years, panel_w, s["small"])
    max_of = pd.to_numeric(df.get("of", df.get("rank")), errors="coerce").max() if len(df) else None
    vals = [v for segs in all_segs.values() for _, ys in segs for v in ys if v is not None]
    for cm in comps:
        vals += [v for v in (cm["values"] or {}).values() if v is not None]
        if cm["value"] is not None:
            vals.append(cm["value"])
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    pad = (hi - lo) * 0.08 or 1.0
    y_range = [lo - pad, hi + pad]
    for k in range(rows * cols):
        sfx = "" if k == 0 else str(k + 1)
        r, c = k // cols + 1, k % cols + 1
        last_in_col = k + cols >= n  # no panel below this one
        if k >= n:  # empty cell of the grid
            fig.layout[f"xaxis{sfx}"].update(visible=False)
            fig.layout[f"yaxis{sfx}"].update(visible=False)
            continue
        fig.layout[f"xaxis{sfx}"].update(S.axis_style(preset, tickmode="array", tickvals=ticks,
                                                      ticktext=[str(y) for y in ticks], range=x_range,
                                                      showgrid=False, showticklabels=last_in_col))
        if measure == "rank":
            fig.layout[f"yaxis{sfx}"].update(_rank_axis(preset, None if is_missing(max_of) else float(max_of),
                                                        showticklabels=c == 1))
        else:
            fig.layout[f"yaxis{sfx}"].update(S.axis_style(preset, separatethousands=True, range=y_range,
                                                          showticklabels=c == 1))
    names = ", ".join(nm for _, nm, _ in series)
    _set_alt(fig, t("chart.alt.small_multiples", lang, title=title, names=names), kind="small_multiples",
             measure=measure)
    return fig
