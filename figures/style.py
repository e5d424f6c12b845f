"""Visual style of every Chỉ số chart: palette, fonts, sizes and the shared frame.

The frame (title, subtitle, source line and the footer "Chỉ số · <date>") is drawn as annotations
*inside* the figure, positioned in pixels from the figure edges, so that every export carries it.
The raw texts are kept in ``fig.layout.meta["chiso"]`` so :mod:`figures.export` can re-lay the frame
out for a press preset (other size, larger fonts) without the builder being called again.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from typing import Any

from analytics.fmt import fmt_date
from analytics.i18n import t

# ------------------------------------------------------------------------------------------ colours
# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
# Categorical order for lines/series: strong, distinct hues first; yellow last (poor on white).
CATEGORICAL = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
# Marker symbols paired with the categorical colours so series differ by shape too.
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "triangle-down", "cross", "x", "star"]
# Line dash per series (third channel after colour and symbol).
DASHES = ["solid", "solid", "solid", "solid", "solid", "solid", "solid", "solid"]

HOME = "#D55E00"  # the home locality (vermillion)
SELECTED = "#0072B2"  # other selected localities (blue)
BASE = "#A7B4C2"  # every other bar/dot (grey-blue)
BASE_DARK = "#5B6B7B"
NATIONAL = "#222222"  # national comparator
REGION = "#6A3D9A"  # region comparator
PARENT = "#117733"  # parent (province) comparator
LEADER = "#000000"
BREAK = "#6B6B6B"  # series break lines
NO_DATA = "#FFFFFF"  # no-data fill is white with a grey hatch, never the lowest colour
NO_DATA_LINE = "#8C8C8C"
NO_DATA_PATTERN = "/"
TEXT = "#1A1A1A"
MUTED = "#595959"
GRID = "#E3E6EA"
AXIS = "#8C8C8C"
BACKGROUND = "#FFFFFF"

# Sequential (ColorBrewer Blues, 7 classes) and diverging (ColorBrewer PuOr, 7 classes): both are
# colour-blind safe and print-friendly. Low → high.
SEQUENTIAL = ["#EFF3FF", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#084594"]
DIVERGING = ["#B35806", "#F1A340", "#FEE0B6", "#F7F7F7", "#D8DAEB", "#998EC3", "#542788"]


def colorscale(colors: list[str]) -> list[list]:
    """A plotly colorscale spreading ``colors`` evenly over 0..1."""
    n = len(colors) - 1
    return [[i / n, c] for i, c in enumerate(colors)]


SEQUENTIAL_SCALE = colorscale(SEQUENTIAL)
DIVERGING_SCALE = colorscale(DIVERGING)

# Fill patterns for bands, in band order (best band first: solid), so bands never rely on colour alone.
BAND_PATTERNS = ["", "/", ".", "x", "\\", "+", "-", "|"]

COMPARATOR_STYLE = {
    "national": {"color": NATIONAL, "dash": "dash"},
    "region": {"color": REGION, "dash": "dot"},
    "parent": {"color": PARENT, "dash": "dashdot"},
    "leader": {"color": LEADER, "dash": "longdash"},
    "other": {"color": BASE_DARK, "dash": "dot"},
}

# -------------------------------------------------------------------------------------------- fonts
# Noto Sans (Debian fonts-noto-core) covers every Vietnamese precomposed letter; fall back gracefully.
FONT_FAMILY = '"Noto Sans", "Noto Sans Display", "DejaVu Sans", Arial, sans-serif'
FONT_FAMILY_BOLD = FONT_FAMILY

# --------------------------------------------------------------------------------------------- sizes
# Per preset: figure size (None = responsive on screen), font sizes in px and frame margins in px.
SIZES: dict[str, dict[str, Any]] = {
    "screen": {"width": None, "height": 520, "title": 19, "subtitle": 14, "body": 13, "small": 12,
               "source": 11.5, "pad": 10, "side": 12, "line": 1.32, "linewidth": 2.5, "marker": 8},
    "wide": {"width": 1920, "height": 1080, "title": 42, "subtitle": 28, "body": 22, "small": 20,
             "source": 20, "pad": 28, "side": 40, "line": 1.3, "linewidth": 5, "marker": 14},
    "square": {"width": 1080, "height": 1080, "title": 44, "subtitle": 29, "body": 24, "small": 21,
               "source": 21, "pad": 26, "side": 34, "line": 1.3, "linewidth": 5.5, "marker": 15},
}
SCREEN_WRAP_WIDTH = 900  # assumed on-screen width (px) for wrapping long titles
# the narrowest a desktop page draws a chart (741 px in the main column at 1440 px): what must fit in any case
# (legend rows, labels beside one another) is laid out for it when the page gives no width
DESKTOP_MIN_WIDTH = 740
NARROW_WIDTH = 600  # below this on-screen width (phones): footer on its own line, room for the modebar
MODEBAR_PX = 28  # the modebar's height: on a phone it would cover the title's end otherwise


def screen_width(width: int | None) -> int:
    """The width a screen figure is laid out for: the page's (e.g. 390 on a phone) or the default."""
    return int(width) if width else SCREEN_WRAP_WIDTH


def sizes(preset: str = "screen") -> dict[str, Any]:
    if preset not in SIZES:
        raise KeyError(f"unknown preset {preset!r}; expected one of {sorted(SIZES)}")
    return SIZES[preset]


# ------------------------------------------------------------------------------------------- helpers
def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """Wrap plain text to lines that fit ``width_px`` at ``font_px`` (≈0.55 em per character)."""
    if not text:
        return []
    chars = max(int(width_px / (font_px * 0.55)), 12)
    lines: list[str] = []
    for para in str(text).split("\n"):
        lines.extend(textwrap.wrap(para, chars, break_long_words=False) or [""])
    return lines


def _legend_rows(labels, width_px: float, font_px: float, *, margin: float = 0.0) -> int:
    """Rows plotly gives a horizontal legend of ``labels`` at ``font_px`` on a plot ``width_px`` wide. Like
    plotly (legend/draw.js): one row when every entry fits at its own width (40 px of symbol and gaps plus
    its text, 5 px apart), else every entry takes the widest entry's width, in columns. ``margin`` (px per
    entry) errs on the side of more rows where a wrong guess costs most (a phone: the legend would run
    over the plot)."""
    widths = [len(str(lab)) * font_px * 0.62 + 40 + margin for lab in labels]
    if not widths or sum(widths) + 5 * (len(widths) - 1) < width_px:
        return 1
    column = max(widths) + 5
    per_row = max(1, int((width_px + 5 - column) // column) + 1)
    return -(-len(widths) // per_row)


def _esc(text: str) -> str:
    """Escape text for plotly's HTML-like annotation markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


FRAME_NAMES = ("chiso-title", "chiso-subtitle", "chiso-source", "chiso-footer")


def frame_meta(fig) -> dict[str, Any]:
    meta = fig.layout.meta
    if isinstance(meta, dict) and isinstance(meta.get("chiso"), dict):
        return meta["chiso"]
    return {}


def _today() -> _dt.date:
    return _dt.date.today()


def base_layout(
    title: str,
    subtitle: str | None,
    source: str | None,
    lang: str,
    *,
    preset: str = "screen",
    date: Any = None,
    width: int | None = None,
    height: int | None = None,
    legend: bool = True,
    legend_labels: list[str] | None = None,
    legend_rows: int | None = None,
    top_extra: int = 0,
    bottom_extra: int = 0,
    left: int | None = None,
    right: int | None = None,
    notes: str | None = None,
    plot_height: int | None = None,
    screen_width: int | None = None,
) -> dict[str, Any]:
    """Layout kwargs for ``fig.update_layout(**base_layout(...))``.

    Draws title (bold), subtitle, an optional notes line, the source line ("Nguồn: …" / "Source: …")
    and the footer "Chỉ số · <date>" as annotations named ``chiso-*``; reserves the margins for them
    (plus a legend row above the plot when ``legend``); sets fonts, colours and the white background.
    ``legend_labels`` (the legend entries) lets the frame estimate how many legend rows to reserve;
    ``top_extra`` adds room between legend and plot (subplot titles), ``bottom_extra`` under the plot
    (axis titles). ``date`` defaults to today. ``plot_height`` (screen only) sizes the figure as the
    frame's margins plus that many pixels for the plot, e.g. for a ranking of 63 rows. ``screen_width``
    (screen only) is the width the page shows the figure at: texts wrap to it, and below ``NARROW_WIDTH``
    the footer gets its own line under the source and the title starts below the modebar.
    """
    s = sizes(preset)
    width = width or s["width"]
    height = height or s["height"]
    layout_w = width or (screen_width if preset == "screen" and screen_width else SCREEN_WRAP_WIDTH)
    narrow = layout_w < NARROW_WIDTH
    wrap_w = layout_w - 2 * s["side"]
    day = date if date is not None else _today()
    pad, line = s["pad"], s["line"]

    title_lines = wrap(title or "", wrap_w, s["title"])
    subtitle_lines = wrap(subtitle or "", wrap_w, s["subtitle"])
    source_text = t("label.source_line", lang, source=source) if source else ""
    bottom_text = " · ".join(x for x in [notes or "", source_text] if x)
    # Leave room on the right of the source line for the footer.
    source_lines = wrap(bottom_text, wrap_w * (1.0 if narrow else 0.72), s["source"])
    footer = t("app.footer", lang, date=fmt_date(day, lang))

    title_h = len(title_lines) * s["title"] * line
    subtitle_h = len(subtitle_lines) * s["subtitle"] * line
    left = left if left is not None else s["side"] + 40
    right = right if right is not None else s["side"] + 20
    if legend_rows is None:
        # plotly wraps a horizontal legend at the plot-area width
        plot_w = (layout_w if width or screen_width else min(layout_w, DESKTOP_MIN_WIDTH)) - left - right
        legend_rows = (_legend_rows(legend_labels or [], plot_w, s["small"], margin=12 if narrow else 0)
                       if legend_labels else 1)
    legend_h = (s["small"] * 1.75 * legend_rows + pad * 0.3) if legend else 0
    mb = MODEBAR_PX if narrow and preset == "screen" else 0
    legend_top = pad + mb + title_h + (pad * 0.4 if subtitle_lines else 0) + subtitle_h + pad * 0.7
    top = int(legend_top + legend_h + top_extra + pad * 0.5)
    footer_h = s["source"] * line if narrow else 0  # narrow: the footer on its own line under the source
    source_h = max(len(source_lines), 1) * s["source"] * line + footer_h
    axis_h = s["body"] * 2.6  # tick labels under the x axis
    bottom = int(pad + source_h + pad * 0.8 + axis_h + bottom_extra)
    if plot_height and preset == "screen":
        height = int(top + bottom + plot_height)

    annotations = []

    def frame_ann(name, text, y, yanchor, yshift, size, color, xanchor="left", x=0.0, xshift=None):
        return dict(
            name=name, text=text, xref="paper", yref="paper", x=x, y=y,
            xanchor=xanchor, yanchor=yanchor, align=xanchor,
            xshift=(-left + s["side"]) if xshift is None else xshift, yshift=yshift, showarrow=False,
            font=dict(family=FONT_FAMILY, size=size, color=color),
        )

    if title_lines:
        annotations.append(frame_ann(
            "chiso-title", "<br>".join(f"<b>{_esc(x)}</b>" for x in title_lines), 1, "top", top - pad - mb,
            s["title"], TEXT))
    if subtitle_lines:
        annotations.append(frame_ann(
            "chiso-subtitle", "<br>".join(_esc(x) for x in subtitle_lines), 1, "top",
            top - pad - mb - title_h - pad * 0.4, s["subtitle"], MUTED))
    if source_lines:
        annotations.append(frame_ann(
            "chiso-source", "<br>".join(_esc(x) for x in source_lines), 0, "bottom", -bottom + pad + footer_h,
            s["source"], MUTED))
    annotations.append(frame_ann(
        "chiso-footer", f"<b>{_esc(footer)}</b>", 0, "bottom", -bottom + pad, s["source"], MUTED,
        xanchor="right", x=1.0, xshift=right - s["side"]))

    layout: dict[str, Any] = dict(
        font=dict(family=FONT_FAMILY, size=s["body"], color=TEXT),
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        margin=dict(l=left, r=right, t=top, b=bottom, pad=4, autoexpand=False),
        annotations=annotations,
        showlegend=legend,
        legend=dict(
            orientation="h", xanchor="left", yanchor="top", yref="container",
            # aligned with the title when the width is known (exports), else with the plot
            **({"xref": "container", "x": s["side"] / width} if width else {"xref": "paper", "x": 0}),
            y=1 - legend_top / height,
            font=dict(size=s["small"]), bgcolor="rgba(255,255,255,0)", itemsizing="constant",
            traceorder="normal",
        ),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=s["small"])),
        separators=",." if lang == "vi" else ".,",
        height=height,
        colorway=CATEGORICAL,
    )
    if width:
        layout["width"] = width
    layout["meta"] = {
        "chiso": {
            "title": title or "", "subtitle": subtitle or "", "source": source or "", "notes": notes or "",
            "lang": lang, "date": str(day), "preset": preset, "legend": legend,
            "legend_labels": list(legend_labels or []), "top_extra": top_extra, "bottom_extra": bottom_extra,
            "left_base": left - s["side"], "right_base": right - s["side"], "screen_width": screen_width,
        }
    }
    return layout


def value_range(lo: float, hi: float, label_chars: int, font_px: float, plot_w_px: float) -> list[float]:
    """Axis range from ``lo``/``hi`` (bars start at 0) leaving room right of the longest bar for a
    label of ``label_chars`` characters at ``font_px`` on a plot ``plot_w_px`` wide."""
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = (hi - lo) or 1.0
    frac = min(max((label_chars * font_px * 0.58 + 12) / max(plot_w_px, 100), 0.04), 0.6)
    return [lo - (0.02 * span if lo < 0 else 0), hi + span * frac / (1 - frac)]


def plot_width(fig_or_layout, preset: str = "screen") -> float:
    """Plot-area width in px (screen figures are assumed SCREEN_WRAP_WIDTH wide)."""
    lay = fig_or_layout.layout if hasattr(fig_or_layout, "layout") else fig_or_layout
    width = lay.width or SIZES[preset]["width"] or SCREEN_WRAP_WIDTH
    return width - (lay.margin.l or 0) - (lay.margin.r or 0)


def axis_style(preset: str = "screen", **extra) -> dict[str, Any]:
    """Common axis look: light grid, no zero line clutter, muted ticks."""
    s = sizes(preset)
    style = dict(
        showgrid=True, gridcolor=GRID, zeroline=False, linecolor=AXIS, ticks="outside", tickcolor=AXIS,
        ticklen=4, tickfont=dict(size=s["small"], color=TEXT), title=dict(font=dict(size=s["small"], color=MUTED)),
        automargin=False,
    )
    style.update(extra)
    return style


def apply_frame(fig, title, subtitle, source, lang, **kwargs):
    """Apply :func:`base_layout` to ``fig`` keeping non-frame annotations and existing meta keys."""
    layout = base_layout(title, subtitle, source, lang, **kwargs)
    own = [a for a in (fig.layout.annotations or []) if a.name not in FRAME_NAMES]
    old_meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    meta = {**old_meta, **layout.pop("meta")}
    frame = layout.pop("annotations")
    fig.update_layout(**layout)
    fig.layout.annotations = list(frame) + [a.to_plotly_json() for a in own]
    fig.layout.meta = meta
    return fig
