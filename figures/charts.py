"""Pure plotly figure builders (no Streamlit). Input: the DataFrame shapes of docs/ARCHITECTURE.md.

Every builder takes ``lang``, ``title``, ``subtitle``, ``source`` and returns a ``go.Figure`` that
carries its own frame (title, subtitle, source, "Chỉ số · <date>"; see :mod:`figures.style`) and an
accessible description in ``fig.layout.meta["alt"]``.

Honesty rules enforced here:
- a missing value is never drawn as 0: ranking/component bars show a labelled "no data" marker,
  trend lines leave a gap (``connectgaps=False``; missing years are re-inserted as gaps);
- a non-comparable point (``comparable == False``) starts a new line segment, and each series break
  is a dashed vertical line with its label;
- nothing relies on colour alone: bands are fill patterns with a legend, highlighted localities are
  also bold, series have distinct marker symbols and direct labels.

Comparators (national / region / parent averages, leader) are passed as a list of dicts::

    {"kind": "national", "value": 80.1}                       # a reference line
    {"kind": "region", "label": "Đông Nam Bộ", "values": {2019: 78.0, 2020: 81.2}}  # per year (trends)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.fmt import (
    fmt_number,
    fmt_rank,
    fmt_rank_change,
    fmt_value,
    is_missing,
    unit_kind,
    vi_sort_key,
)
from analytics.i18n import t

from . import style as S

__all__ = [
    "ranking_bar",
    "trend_lines",
    "small_multiples",
    "component_bars",
    "benchmark_strip",
    "beeswarm",
    "add_comparators",
    "normalise_comparators",
]


# ============================================================================================ helpers
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
                # a line in the right half of the data gets its label on its left, so it stays inside
                xs = [v for tr in fig.data for v in (getattr(tr, "x", None) or ())
                      if isinstance(v, (int, float)) and not is_missing(v)]
                right_half = bool(xs) and c["value"] > (min(xs + [0.0]) + max(xs)) / 2
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
def ranking_bar(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    subtitle: str = "",
    source: str = "",
    home_id: str | None = None,
    highlight: Iterable[str] | str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    descending: bool = True,
    comparators: Iterable[dict] | None = None,
    show_change: bool = False,
    band_order: Sequence[str] | None = None,
    preset: str = "screen",
    width: int | None = None,
    date: Any = None,
    notes: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars sorted by value (best at the top), rank labels "4/63", home/selected localities
    coloured *and* bold, bands as fill patterns with a legend, no-data rows listed at the bottom with a
    labelled hollow marker. ``descending=False`` puts the lowest value first (lower-is-better indices).
    """
    s = S.sizes(preset)
    d = df.reset_index(drop=True).copy()
    d["_id"] = _ids(d)
    d["_name"] = _col(d, "name", "").fillna("").astype(str)
    d["_v"] = [_num(v) for v in _col(d, "value")]
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
    x_range = S.value_range(lo, hi, longest, s["small"], S.screen_width(width) - left - S.sizes(preset)["side"] - 20
                            if preset == "screen" else (s["width"] - left - 2 * s["side"]))
    if len(missing):
        fig.add_trace(_nodata_trace(list(missing["_id"]), lang, preset, x0=x_range[0]))
        fig.data[-1].customdata = list(missing["_name"])
    add_comparators(fig, comparators, lang=lang, axis="x", unit=unit, decimals=decimals, preset=preset)

    n = len(order)
    row_px = s["body"] * 1.75
    legend_labels = [str(g[0]) for g in groups if has_bands] + (
        [t("chart.no_data_marker", lang)] if len(missing) else [])
    fig = S.apply_frame(
        fig, title, subtitle, source, lang, preset=preset, screen_width=width, date=date, notes=notes,
        legend=bool(legend_labels), legend_labels=legend_labels, left=left, height=height,
        plot_height=None if height else int(max(n, 3) * row_px),
    )
    fig.update_layout(
        barmode="overlay", bargap=0.28,
        xaxis=S.axis_style(preset, range=x_range, title=dict(text=""), side="bottom", **_percent_axis(unit, lo, hi)),
        yaxis=S.axis_style(preset, type="category", categoryorder="array", categoryarray=order,
                           tickmode="array", tickvals=order, ticktext=ticktext, autorange="reversed",
                           showgrid=False, ticks=""),
    )
    # accessible description
    f = have.iloc[0] if len(have) else None
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
        top=f"{f['_name']} ({vf(f['_v'])})" if f is not None else "—",
        bottom=f"{last['_name']} ({vf(last['_v'])})" if last is not None else "—",
        highlight=hl, missing=miss,
    )
    _set_alt(fig, alt, kind="ranking_bar", rows=n, category_axis="yaxis", value_axis="xaxis",
             value_lo=lo, value_hi=hi, label_chars=longest)
    return fig


# =========================================================================================== trends
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
    ys += [int(b["year"]) for b in (breaks or []) if not is_missing(b.get("year"))]
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


def trend_lines(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    subtitle: str = "",
    source: str = "",
    measure: str = "value",
    breaks: Iterable[dict] | None = None,
    comparators: Iterable[dict] | None = None,
    home_id: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    preset: str = "screen",
    width: int | None = None,
    date: Any = None,
    notes: str | None = None,
    height: int | None = None,
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
    s = S.sizes(preset)
    # on a phone the names at the line ends would take half the width: the legend names the lines instead
    phone = preset == "screen" and bool(width) and width < S.NARROW_WIDTH
    d = df.copy()
    breaks = list(breaks or [])
    comps = normalise_comparators(comparators, lang)
    years = _years(d, breaks, comps)
    series = _split_series(d)
    home = {str(home_id)} if home_id else set()
    if not home and len(series) == 1:
        home = {series[0][0]}
    colours = _colours([sid for sid, _, _ in series], home)
    break_years = {int(b["year"]) for b in breaks if not is_missing(b.get("year"))}
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
    labelled_breaks = any(b.get("label") and not is_missing(b.get("year")) for b in (breaks or []))
    fig = S.apply_frame(fig, title, subtitle, source, lang, preset=preset, screen_width=width, date=date, notes=notes,
                        legend=bool(legend_labels), legend_labels=legend_labels, left=left, right=right,
                        top_extra=int(s["small"] * BREAK_LABEL_ROOM) if labelled_breaks else 0,
                        height=height or (620 if measure == "both" and preset == "screen" else None))
    x_range = [years[0] - 0.5, years[-1] + 0.5] if years else None
    ticks = _year_ticks(years, (S.screen_width(width) if preset == "screen" else s["width"]) - left - (right or 0),
                        s["small"])
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
    subtitle: str = "",
    source: str = "",
    measure: str = "value",
    breaks: Iterable[dict] | None = None,
    comparators: Iterable[dict] | None = None,
    home_id: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    cols: int | None = None,
    context: bool = True,
    preset: str = "screen",
    width: int | None = None,
    date: Any = None,
    notes: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """One panel per locality (shared axes); the other localities drawn faintly behind each panel
    (``context``); gaps, non-comparable segments and breaks as in :func:`trend_lines`."""
    if measure not in ("value", "rank"):
        raise ValueError("measure must be 'value' or 'rank'")
    s = S.sizes(preset)
    breaks = list(breaks or [])
    comps = normalise_comparators(comparators, lang)
    series = _split_series(df)
    n = len(series)
    cols = cols or (1 if n == 1 else 2 if n <= 4 else 3 if n <= 9 else 4)
    rows = math.ceil(n / cols)
    years = _years(df, breaks, comps)
    break_years = {int(b["year"]) for b in breaks if not is_missing(b.get("year"))}
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
                            decimals=decimals, preset=preset, row=r, col=c)
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
    fig = S.apply_frame(fig, title, subtitle, source, lang, preset=preset, screen_width=width, date=date, notes=notes,
                        legend=bool(legend_labels), legend_labels=legend_labels, left=left,
                        top_extra=int(s["body"] * 1.6), height=height,
                        plot_height=None if height else rows * 210)
    x_range = [years[0] - 0.5, years[-1] + 0.5] if years else None
    step = 1 if len(years) <= (8 if cols == 1 else 5) else 2
    ticks = years[::step]
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


# ======================================================================================= components
def component_bars(
    df: pd.DataFrame,
    *,
    lang: str,
    title: str,
    subtitle: str = "",
    source: str = "",
    locality_name: str = "",
    leader_name: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    preset: str = "screen",
    width: int | None = None,
    date: Any = None,
    notes: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Per component: the locality's bar (with "value · rank" label), the national mean as a thick tick
    and the leader as a diamond; a component without a value shows the "no data" marker."""
    s = S.sizes(preset)
    d = df.reset_index(drop=True).copy()
    d["_id"] = [str(x) for x in _col(d, "component_id", None).fillna(pd.Series(range(len(d))).astype(str))]
    d["_name"] = _col(d, "name", "").fillna("").astype(str)
    d["_v"] = [_num(v) for v in _col(d, "value")]
    d["_mean"] = [_num(v) for v in _col(d, "national_mean")]
    d["_lead"] = [_num(v) for v in _col(d, "leader_value")]
    order = list(d["_id"])
    vf = _value_fmt(unit, lang, decimals)
    have = d[d["_v"].notna()]
    missing = d[d["_v"].isna()]
    loc = locality_name or t("label.locality", lang)

    def label(r):
        rt = fmt_rank(r.get("rank"), r.get("of"), lang, na="")
        return vf(r["_v"]) + (f" · {rt}" if rt else "")

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
        text=["  " + (label(r) if not is_missing(r["_v"]) else no_data) for _, r in d.iterrows()],
        textposition="middle right", textfont=dict(size=s["small"], color=S.TEXT), showlegend=False,
        hoverinfo="skip", cliponaxis=False,
    ))
    allv = [v for v in list(d["_v"]) + list(d["_mean"]) + list(d["_lead"]) if not is_missing(v)]
    lo, hi = min([0.0] + allv), max([0.0] + allv)
    longest = max([len(label(r)) + 2 for _, r in have.iterrows()] + [len(no_data) + 2])
    tick_lines = [S.wrap(x, 26 * s["small"] * 0.55, s["small"]) or [""] for x in d["_name"]]
    left = int(max([_text_px(ln, s["small"]) for lines in tick_lines for ln in lines] + [60]) + 24)
    x_range = S.value_range(lo, hi, longest, s["small"], S.screen_width(width) - left - S.sizes(preset)["side"] - 20
                            if preset == "screen" else (s["width"] - left - 2 * s["side"]))
    if len(missing):
        fig.add_trace(_nodata_trace(list(missing["_id"]), lang, preset, x0=x_range[0]))
        fig.data[-1].customdata = list(missing["_name"])
        fig.data[-1].mode = "markers"  # the label sits right of the comparators (above)
    legend_labels = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    fig = S.apply_frame(fig, title, subtitle, source, lang, preset=preset, screen_width=width, date=date, notes=notes,
                        legend=True, legend_labels=legend_labels, left=left, height=height,
                        plot_height=None if height else int(max(len(d), 3) * s["body"] * 2.6))
    fig.update_layout(
        bargap=0.35,
        xaxis=S.axis_style(preset, range=x_range, separatethousands=True),
        yaxis=S.axis_style(preset, type="category", categoryorder="array", categoryarray=order, tickmode="array",
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


# ===================================================================================== benchmarks
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
    subtitle: str = "",
    source: str = "",
    home_id: str | None = None,
    highlight: Iterable[str] | str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    comparators: Iterable[dict] | None = None,
    swarm: bool = False,
    preset: str = "screen",
    width: int | None = None,
    date: Any = None,
    notes: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Where a locality sits among all units (ONS-style): every unit a mark on one value axis, the home
    locality a large labelled dot ("Bình Dương · 86,93 · 4/63"), comparators as labelled lines.
    ``swarm=True`` spreads the dots into a beeswarm instead of a single strip of ticks."""
    s = S.sizes(preset)
    d = df.reset_index(drop=True).copy()
    d["_id"] = _ids(d)
    d["_name"] = _col(d, "name", "").fillna("").astype(str)
    d["_v"] = [_num(v) for v in _col(d, "value")]
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
    if swarm:
        plot_w = (S.screen_width(width) if preset == "screen" else s["width"]) - 2 * s["side"] - 20
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
    for j, r in enumerate(ends):
        text = " · ".join(x for x in [r["_name"], vf(r["_v"]), _rank_text(r, lang)] if x)
        fig.add_annotation(name=f"end-{j}", text=S._esc(text), x=r["_v"], y=r["_y"], xref="x", yref="y",
                           showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=S.BASE_DARK, ax=0,
                           ay=s["marker"] * 2.6, xanchor="right" if j == 0 else "left", yanchor="top",
                           font=dict(size=s["small"] * 0.92, color=S.MUTED), bgcolor="rgba(255,255,255,0.9)")
    add_comparators(fig, comparators, lang=lang, axis="x", unit=unit, decimals=decimals, preset=preset)
    if len(missing):
        note = t("chart.alt.missing", lang, n=len(missing), names=", ".join(missing["_name"].head(6))).strip()
        note_w = (S.screen_width(width) if preset == "screen" else s["width"]) - 2 * s["side"] - 20
        fig.add_annotation(name="nodata-note", text="<br>".join(S._esc(x) for x in S.wrap(note, note_w, s["small"] * 0.9)),
                           xref="x domain", x=1, yref="y domain", y=1, xanchor="right", yanchor="top",
                           showarrow=False, font=dict(size=s["small"] * 0.9, color=S.MUTED),
                           bgcolor="rgba(255,255,255,0.9)")
    fig = S.apply_frame(fig, title, subtitle, source, lang, preset=preset, screen_width=width, date=date, notes=notes,
                        legend=False, left=s["side"] + 10, right=s["side"] + 10,
                        height=height or (340 if preset == "screen" else None))
    m = fig.layout.margin
    plot_h = fig.layout.height - m.t - m.b
    ylo, yhi = (min(offsets), max(offsets)) if offsets else (0.0, 0.0)
    # one y unit = one dot diameter; the centre line sits a little low to leave room for labels
    half = max(plot_h / dot / 2, (yhi - ylo) / 2 + 1)
    mid = (ylo + yhi) / 2 + half * 0.25
    fig.update_layout(
        xaxis=S.axis_style(preset, range=x_range, separatethousands=True, **_unit_axis(unit)),
        yaxis=dict(visible=False, range=[mid - half, mid + half], fixedrange=True),
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
