"""Horizontal bar charts: a ranking (one bar per locality, best first) and a locality's components
against the national mean and the leader."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Unpack

import pandas as pd
import plotly.graph_objects as go

from analytics.fmt import (
    fmt_rank,
    fmt_rank_change,
    is_missing,
    vi_sort_key,
)
from analytics.i18n import t

from . import style as S
from .chart_parts import (
    ChartFrame,
    FrameOptions,
    _as_set,
    _col,
    _nodata_trace,
    _num,
    _percent_axis,
    _rank_text,
    _set_alt,
    _text_px,
    _value_fmt,
    _value_rows,
    add_comparators,
)


def _value_range(f: ChartFrame, lo: float, hi: float, longest: int, left: int) -> list[float]:
    """The value axis of a bar chart, with room right of the longest bar for ``longest`` label characters."""
    s = f.sizes
    room = f.figure_width - left - s["side"] - 20 if f.preset == "screen" else s["width"] - left - 2 * s["side"]
    return S.value_range(lo, hi, longest, s["small"], room)


def ranking_bar(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    home_id: str | None = None,
    highlight: Iterable[str] | str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    descending: bool = True,
    comparators: Iterable[dict] | None = None,
    show_change: bool = False,
    band_order: Sequence[str] | None = None,
    **frame: Unpack[FrameOptions],
) -> go.Figure:
    """Horizontal bars sorted by value (best at the top), rank labels "4/63", home/selected localities
    coloured *and* bold, bands as fill patterns with a legend, no-data rows listed at the bottom with a
    labelled hollow marker. ``descending=False`` puts the lowest value first (lower-is-better indices).
    """
    f = ChartFrame(title, lang, **frame)
    s = f.sizes
    d = _value_rows(df)
    d["_sort_name"] = [vi_sort_key(n) for n in d["_name"]]
    have = d[d["_v"].notna()].copy()
    have["_neg"] = -have["_v"] if descending else have["_v"]
    have = have.sort_values(["_neg", "_sort_name"], kind="stable")
    missing = d[d["_v"].isna()].sort_values("_sort_name", kind="stable")
    order = list(have["_id"]) + list(missing["_id"])

    home = {str(home_id)} if home_id else set()
    sel = _as_set(highlight) - home
    vf = _value_fmt(unit, lang, decimals)

    def tick(row):
        name = S._esc(row["_name"])
        return f"<b>{name}</b>" if row["_id"] in home | sel else name

    ticktext = [tick(r) for _, r in have.iterrows()] + [tick(r) for _, r in missing.iterrows()]

    def colour(i):
        return S.HOME if i in home else S.SELECTED if i in sel else S.BASE

    def label(row):
        parts = [vf(row["_v"])]
        rt = _rank_text(row, lang)
        if rt:
            parts.append(rt)
        if show_change and not is_missing(row.get("rank_change")):
            parts.append(fmt_rank_change(row.get("rank_change"), lang, unit=False))
        return " · ".join(parts)

    def hover(row):
        bits = [f"<b>{S._esc(row['_name'])}</b>", f"{t('label.value', lang)}: {vf(row['_v'])}"]
        rt = _rank_text(row, lang)
        if rt:
            bits.append(f"{t('label.rank', lang)}: {rt}")
        if not is_missing(row.get("band")):
            bits.append(f"{t('label.band', lang)}: {S._esc(row.get('band'))}")
        if not is_missing(row.get("rank_change")):
            bits.append(f"{t('label.rank_change', lang)}: {fmt_rank_change(row.get('rank_change'), lang)}")
        comp = row.get("comparable")
        if not is_missing(comp) and not bool(comp):
            bits.append(t("label.not_comparable", lang))
        return "<br>".join(bits)

    fig = go.Figure()
    bands = _col(have, "band")
    has_bands = bool(bands.notna().any()) if len(have) else False
    if has_bands:
        seen = list(dict.fromkeys(str(b) for b in bands if not is_missing(b)))
        order_b = [b for b in (band_order or []) if b in seen] + [b for b in seen if b not in (band_order or [])]
        groups = [(b, have[bands.astype("object").map(lambda x, b=b: not is_missing(x) and str(x) == b)])
                  for b in order_b]
        no_band = have[bands.isna()]
        if len(no_band):
            groups.append(("—", no_band))
    else:
        groups = [(t("label.value", lang), have)]
    for gi, (bname, g) in enumerate(groups):
        if not len(g):
            continue
        pattern = S.BAND_PATTERNS[gi % len(S.BAND_PATTERNS)] if has_bands else ""
        fills = [colour(i) for i in g["_id"]]
        if has_bands:
            # legend-only swatch in the neutral colour (a bar trace's swatch takes its first bar's
            # colour, which may be the highlighted one)
            fig.add_trace(go.Bar(
                x=[None], y=[None], orientation="h", name=str(bname), legendgroup=f"band-{gi}",
                marker=dict(color=S.BASE, line=dict(color=S.BASE_DARK, width=0.6),
                            pattern=dict(shape=pattern, fgcolor=S.BASE_DARK, size=max(6, s["small"] * 0.7),
                                         solidity=0.3)),
                hoverinfo="skip", showlegend=True,
            ))
        fig.add_trace(go.Bar(
            x=list(g["_v"]), y=list(g["_id"]), orientation="h", name=str(bname), legendgroup=f"band-{gi}",
            marker=dict(color=fills, line=dict(color=S.BASE_DARK, width=0.6),
                        pattern=dict(shape=pattern, fgcolor=["#FFFFFF" if c != S.BASE else S.BASE_DARK
                                                             for c in fills],
                                     size=max(6, s["small"] * 0.7), solidity=0.3)),
            text=[label(r) for _, r in g.iterrows()], textposition="outside", cliponaxis=False,
            textfont=dict(size=s["small"], color=S.TEXT), customdata=[hover(r) for _, r in g.iterrows()],
            hovertemplate="%{customdata}<extra></extra>", showlegend=False,
        ))
    vals = list(have["_v"])
    lo = min([0.0] + vals)
    hi = max([0.0] + vals)
    # Room on the right for the value labels ("86,93 · 4/63 ▲ 13").
    longest = max([len(label(r)) for _, r in have.iterrows()] + [len(t("chart.no_data_marker", lang))])
    left = int(max([_text_px(x, s["small"]) for x in d["_name"]] + [60]) + 24)
    x_range = _value_range(f, lo, hi, longest, left)
    if len(missing):
        fig.add_trace(_nodata_trace(list(missing["_id"]), lang, f.preset, x0=x_range[0]))
        fig.data[-1].customdata = list(missing["_name"])
    add_comparators(fig, comparators, lang=lang, axis="x", unit=unit, decimals=decimals, preset=f.preset)

    n = len(order)
    row_px = s["body"] * 1.75
    legend_labels = [str(g[0]) for g in groups if has_bands] + (
        [t("chart.no_data_marker", lang)] if len(missing) else [])
    fig = f.apply(fig, legend=bool(legend_labels), legend_labels=legend_labels, left=left, height=f.height,
                  plot_height=None if f.height else int(max(n, 3) * row_px))
    fig.update_layout(
        barmode="overlay", bargap=0.28,
        xaxis=S.axis_style(f.preset, range=x_range, title=dict(text=""), side="bottom", **_percent_axis(unit, lo, hi)),
        yaxis=S.axis_style(f.preset, type="category", categoryorder="array", categoryarray=order,
                           tickmode="array", tickvals=order, ticktext=ticktext, autorange="reversed",
                           showgrid=False, ticks=""),
    )
    # accessible description
    first = have.iloc[0] if len(have) else None
    last = have.iloc[-1] if len(have) else None
    hl = ""
    for _, r in d[d["_id"].isin(home | sel)].iterrows():
        hl += t("chart.alt.highlight", lang, name=r["_name"], value=vf(r["_v"]), rank=_rank_text(r, lang) or "—")
    miss = ""
    if len(missing):
        names = ", ".join(missing["_name"].head(10)) + ("…" if len(missing) > 10 else "")
        miss = t("chart.alt.missing", lang, n=len(missing), names=names)
    alt = t(
        "chart.alt.ranking_bar", lang, title=title, n=len(have),
        top=f"{first['_name']} ({vf(first['_v'])})" if first is not None else "—",
        bottom=f"{last['_name']} ({vf(last['_v'])})" if last is not None else "—",
        highlight=hl, missing=miss,
    )
    _set_alt(fig, alt, kind="ranking_bar", rows=n, category_axis="yaxis", value_axis="xaxis",
             value_lo=lo, value_hi=hi, label_chars=longest)
    return fig


def component_bars(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    locality_name: str = "",
    leader_name: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    **frame: Unpack[FrameOptions],
) -> go.Figure:
    """Per component: the locality's bar (with "value · rank" label), the national mean as a thick tick
    and the leader as a diamond; a component without a value shows the "no data" marker."""
    f = ChartFrame(title, lang, **frame)
    s = f.sizes
    d = _value_rows(df)
    d["_id"] = [str(x) for x in _col(d, "component_id", None).fillna(pd.Series(range(len(d))).astype(str))]
    d["_mean"] = [_num(v) for v in _col(d, "national_mean")]
    d["_lead"] = [_num(v) for v in _col(d, "leader_value")]
    order = list(d["_id"])
    vf = _value_fmt(unit, lang, decimals)
    have = d[d["_v"].notna()]
    missing = d[d["_v"].isna()]
    loc = locality_name or t("label.locality", lang)

    # on a narrow chart the rank goes under the value, so a long "among n with data" still fits
    two_lines = f.narrowest_width < S.NARROW_WIDTH

    def rank_of(r, *, chart: bool) -> str:
        # a caller's own rank text wins (a rank computed over a partial table reads "among n with data"),
        # in its short form inside the chart
        given = r.get("rank_label_chart") if chart else None
        given = given if isinstance(given, str) else r.get("rank_label")
        return str(given) if isinstance(given, str) else fmt_rank(r.get("rank"), r.get("of"), lang, na="")

    def label(r):
        rt = rank_of(r, chart=False)
        return vf(r["_v"]) + (f" · {rt}" if rt else "")

    def bar_text(r) -> list[str]:
        rt = rank_of(r, chart=True)
        if not rt:
            return [vf(r["_v"])]
        return [vf(r["_v"]), rt] if two_lines else [f"{vf(r['_v'])} · {rt}"]

    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=list(have["_v"]), y=list(have["_id"]), orientation="h", name=loc,
        marker=dict(color=S.HOME, line=dict(color=S.HOME, width=0.5)),
        customdata=[f"<b>{S._esc(r['_name'])}</b><br>{S._esc(loc)}: {label(r)}" for _, r in have.iterrows()],
        hovertemplate="%{customdata}<extra></extra>",
    ))
    means = d[d["_mean"].notna()]
    if len(means):
        fig.add_trace(go.Scatter(
            x=list(means["_mean"]), y=list(means["_id"]), mode="markers", name=t("label.national_average", lang),
            marker=dict(symbol="line-ns", size=s["marker"] * 2.6, line=dict(color=S.NATIONAL, width=s["linewidth"] * 1.1),
                        color=S.NATIONAL),
            customdata=[f"{t('label.national_average', lang)}: {vf(v)}" for v in means["_mean"]],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    leads = d[d["_lead"].notna()]
    if len(leads):
        lname = t("label.leader_named", lang, name=leader_name) if leader_name else t("label.leader", lang)
        fig.add_trace(go.Scatter(
            x=list(leads["_lead"]), y=list(leads["_id"]), mode="markers", name=lname,
            marker=dict(symbol="diamond", size=s["marker"] * 1.3, color=S.LEADER, line=dict(color="#FFFFFF", width=1)),
            customdata=[f"{S._esc(lname)}: {vf(v)}" for v in leads["_lead"]],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    # value labels right of the furthest mark of each row, so they never sit under a marker; a row
    # without a value says "no data" there too
    no_data = t("chart.no_data_marker", lang)
    ends = [max([v for v in (r["_v"], r["_mean"], r["_lead"]) if not is_missing(v)] + [0.0]) for _, r in d.iterrows()]
    fig.add_trace(go.Scatter(
        x=ends, y=list(d["_id"]), mode="text",
        text=["<br>".join("  " + ln for ln in (bar_text(r) if not is_missing(r["_v"]) else [no_data]))
              for _, r in d.iterrows()],
        textposition="middle right", textfont=dict(size=s["small"], color=S.TEXT), showlegend=False,
        hoverinfo="skip", cliponaxis=False,
    ))
    allv = [v for v in list(d["_v"]) + list(d["_mean"]) + list(d["_lead"]) if not is_missing(v)]
    lo, hi = min([0.0] + allv), max([0.0] + allv)
    longest = max([len(ln) + 2 for _, r in have.iterrows() for ln in bar_text(r)] + [len(no_data) + 2])
    tick_chars = 16 if two_lines else 26
    tick_lines = [S.wrap(x, tick_chars * s["small"] * 0.55, s["small"]) or [""] for x in d["_name"]]
    left = int(max([_text_px(ln, s["small"]) for lines in tick_lines for ln in lines] + [60]) + 24)
    x_range = _value_range(f, lo, hi, longest, left)
    if len(missing):
        fig.add_trace(_nodata_trace(list(missing["_id"]), lang, f.preset, x0=x_range[0]))
        fig.data[-1].customdata = list(missing["_name"])
        fig.data[-1].mode = "markers"  # the label sits right of the comparators (above)
    legend_labels = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    fig = f.apply(fig, legend=True, legend_labels=legend_labels, left=left, height=f.height,
                  plot_height=None if f.height else int(max(len(d), 3) * s["body"] * 2.6))
    fig.update_layout(
        bargap=0.35,
        xaxis=S.axis_style(f.preset, range=x_range, separatethousands=True),
        yaxis=S.axis_style(f.preset, type="category", categoryorder="array", categoryarray=order, tickmode="array",
                           tickvals=order, ticktext=["<br>".join(S._esc(x) for x in lines) for lines in tick_lines],
                           autorange="reversed",
                           showgrid=False, ticks=""),
    )
    details = "; ".join(
        f"{r['_name']}: {vf(r['_v'])} ({t('label.national_average', lang).lower()} {vf(r['_mean'])}, "
        f"{t('label.leader', lang).lower()} {vf(r['_lead'])})" for _, r in d.iterrows())
    _set_alt(fig, t("chart.alt.components", lang, name=loc, title=title, details=details),
             kind="component_bars", rows=len(d), category_axis="yaxis", value_axis="xaxis",
             value_lo=lo, value_hi=hi, label_chars=longest)
    return fig
