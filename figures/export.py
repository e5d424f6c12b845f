"""Press export: PNG and SVG of any Chỉ số figure via plotly + kaleido (≥1.0, system Chromium).

    png = to_png(fig, preset="wide")      # 1920×1080 layout px × scale 2 → 3840×2160 pixels
    svg = to_svg(fig, preset="square")    # 1080×1080

The figure is re-laid out for the preset first (:func:`prepare`): fixed size, the frame (title,
subtitle, source line, "Chỉ số · <date>") rebuilt at the preset's font sizes in the figure's language,
and every other font, marker, line width and pixel offset scaled to match. The builder's figure is
not modified.

Kaleido is started once per process (:func:`ensure_server` → ``kaleido.start_sync_server``) and kept
running; the first export pays Chromium's start-up (a few seconds), later ones take a fraction of a
second. Exports are serialised with a lock because the kaleido sync server is a single queue.
"""

from __future__ import annotations

import copy
import html
import threading
import time
from typing import Any

import plotly.graph_objects as go

from . import style as S
from .chart_parts import _text_px
from .strips import _swarm_offsets
from .trend_parts import BREAK_LABEL_ROOM, _stack_break_labels

PRESETS = {"wide": (1920, 1080), "square": (1080, 1080)}
DEFAULT_SCALE = 2

_lock = threading.RLock()
_started = False
_warming: threading.Thread | None = None

_FONT_KEYS = {"font", "tickfont", "textfont", "insidetextfont", "outsidetextfont", "titlefont"}


def ensure_server() -> None:
    """Start the kaleido sync server once for this process (idempotent, thread-safe)."""
    global _started
    with _lock:
        if _started:
            return
        import kaleido

        # MathJax is never used by our charts and would be fetched from a CDN; disable it.
        kaleido.start_sync_server(n=1, timeout=90, mathjax=False, silence_warnings=True)
        _started = True


def warm_up(background: bool = True, delay: float = 0.0) -> threading.Thread | None:
    """Start kaleido and render one tiny figure so the first real export is fast. With
    ``background=True`` (for an app's start-up) this runs in a daemon thread, after ``delay`` seconds, and
    returns it; a second call while or after that thread ran starts nothing and returns the same thread."""
    global _warming

    def run():
        try:
            if delay > 0:
                time.sleep(delay)
            ensure_server()
            import kaleido

            with _lock:
                kaleido.calc_fig_sync({"data": [{"type": "bar", "x": [1], "y": [1]}], "layout": {}},
                                      opts=dict(format="png", width=50, height=50, scale=1))
        except Exception:  # noqa: BLE001 - warming up is best effort; the real export reports errors
            pass

    if not background:
        run()
        return None
    with _lock:
        if _warming is None:
            _warming = threading.Thread(target=run, name="kaleido-warm-up", daemon=True)
            _warming.start()
        return _warming


def stop_server() -> None:
    """Stop the kaleido server (tests / shutdown); a later export starts it again."""
    global _started
    with _lock:
        if not _started:
            return
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


# ------------------------------------------------------------------------------------ re-layout
def _scale_sizes(obj: Any, r: float, *, in_font: bool = False, in_marker: bool = False,
                 in_line: bool = False) -> None:
    """Recursively scale font sizes, marker sizes and line widths of a figure dict in place."""
    if isinstance(obj, list):
        for x in obj:
            _scale_sizes(x, r, in_font=in_font, in_marker=in_marker, in_line=in_line)
        return
    if not isinstance(obj, dict):
        return
    for k, v in list(obj.items()):
        if k == "size" and (in_font or in_marker):
            if isinstance(v, (int, float)):
                obj[k] = v * r
            elif isinstance(v, list):
                obj[k] = [x * r if isinstance(x, (int, float)) else x for x in v]
        elif k == "width" and in_line and isinstance(v, (int, float)) or k in ("xshift", "yshift", "ax", "ay", "arrowwidth") and isinstance(v, (int, float)):
            obj[k] = v * r
        elif isinstance(v, (dict, list)):
            _scale_sizes(v, r, in_font=k in _FONT_KEYS, in_marker=k == "marker" or (in_marker and k == "pattern"),
                         in_line=k == "line")


def prepare(fig: go.Figure, preset: str = "wide", *, lang: str | None = None) -> go.Figure:
    """Return a copy of ``fig`` laid out for ``preset`` ("wide" 1920×1080 or "square" 1080×1080).

    ``lang`` only changes the frame's own words (source prefix, footer date format); the texts
    themselves come from the figure (build the figure in the target language).
    """
    if preset not in PRESETS:
        raise KeyError(f"unknown preset {preset!r}; expected one of {sorted(PRESETS)}")
    width, height = PRESETS[preset]
    meta = S.frame_meta(fig)
    src_preset = meta.get("preset", "screen")
    r = S.sizes(preset)["body"] / S.sizes(src_preset)["body"]
    d = copy.deepcopy(fig.to_plotly_json())
    layout = d.setdefault("layout", {})
    # drop the old frame; it is rebuilt below at the preset's sizes
    layout["annotations"] = [a for a in layout.get("annotations", []) if a.get("name") not in S.FRAME_NAMES]
    _scale_sizes(d.get("data", []), r)
    _scale_sizes({k: v for k, v in layout.items() if k not in ("meta", "template")}, r)
    out = go.Figure(d)
    s = S.sizes(preset)
    if meta:
        left = int(meta.get("left_base", 40) * r + s["side"])
        right = int(meta.get("right_base", 20) * r + s["side"])
        more_rows = _restack_breaks(out, preset, width - left - right)
        out = S.apply_frame(
            out, meta.get("title", ""), meta.get("subtitle", ""), meta.get("source", ""),
            lang or meta.get("lang", "vi"), preset=preset, date=meta.get("date"), notes=meta.get("notes") or None,
            legend=bool(meta.get("legend", True)), legend_labels=meta.get("legend_labels") or None,
            top_extra=max(0, int(meta.get("top_extra", 0) * r + more_rows * s["small"] * BREAK_LABEL_ROOM)),
            bottom_extra=int(meta.get("bottom_extra", 0) * r), left=left, right=right, width=width, height=height,
        )
        # keep the meta (alt text etc.) but record the new preset
        meta = {**meta, "export_preset": preset}
    out.update_layout(width=width, height=height, autosize=False)
    _fit_category_axis(out, meta, preset)
    _refit_value_axis(out, meta, preset)
    _refit_swarm(out, meta)
    _fill_strip(out, meta)
    _rewrap_notes(out, meta, preset)
    return out


def _restack_breaks(fig: go.Figure, preset: str, plot_w: float) -> int:
    """Series-break labels laid out again for the export's plot width and font (a chart laid out for a
    phone has them in two rows, a square export may need two where the screen had one). Returns the rows
    added (or, if negative, freed) above the plot (labels over the plot's top; those of panels sit inside)."""
    labels = [a for a in fig.layout.annotations or () if (a.name or "").startswith("break-label-")]
    if not labels:
        return 0
    added = 0
    for xref in dict.fromkeys(a.xref for a in labels):
        mine = [a for a in labels if a.xref == xref]
        above = mine[0].y == 1
        axis = fig.layout["xaxis" + xref[1:]]
        if axis.range is None:
            continue
        dom = axis.domain or (0, 1)
        before = len({round(a.yshift or 0) for a in mine})
        rows = _stack_break_labels(fig, list(axis.range), plot_w * (dom[1] - dom[0]), preset, xref=xref,
                                   above=above)
        added = rows - before if above else added
    return added


def _rewrap_notes(fig: go.Figure, meta: dict, preset: str) -> None:
    """Notes the builder wrapped for the screen, wrapped again for the preset's width and (larger) font."""
    notes = meta.get("wrapped_notes") or {}
    if not notes:
        return
    width = (fig.layout.width or S.sizes(preset)["width"]) - 2 * S.sizes(preset)["side"] - 20
    for a in fig.layout.annotations:
        if a.name in notes:
            a.text = "<br>".join(S._esc(x) for x in S.wrap(notes[a.name], width, a.font.size or S.sizes(preset)["small"]))


def _refit_value_axis(fig: go.Figure, meta: dict, preset: str) -> None:
    """Recompute the room kept for bar labels for the export's plot width and label font."""
    axis = meta.get("value_axis")
    if not axis or meta.get("value_lo") is None:
        return
    size = S.sizes(preset)["small"]
    for tr in fig.data:
        if getattr(tr, "textfont", None) is not None and tr.textfont.size:
            size = tr.textfont.size
            break
    fig.layout[axis].range = S.value_range(meta["value_lo"], meta["value_hi"], meta.get("label_chars", 10),
                                           size, S.plot_width(fig, preset))


def _refit_swarm(fig: go.Figure, meta: dict) -> None:
    """Re-pack a beeswarm for the export's plot width and (scaled) dot size, so dots touch but never
    overlap, and keep one y unit = one dot diameter."""
    if meta.get("kind") != "beeswarm" or not meta.get("dot_px"):
        return
    m = fig.layout.margin
    plot_h = fig.layout.height - m.t - m.b
    plot_w = S.plot_width(fig, meta["export_preset"])
    r = S.sizes(meta["export_preset"])["body"] / S.sizes(meta.get("preset", "screen"))["body"]
    dot = meta["dot_px"] * r  # markers were scaled by the same ratio
    x0, x1 = fig.layout.xaxis.range
    pts = [(float(x), ti, j) for ti, tr in enumerate(fig.data)
           if isinstance(tr, go.Scatter) and tr.mode == "markers" and tr.x is not None
           for j, x in enumerate(tr.x) if x is not None]
    pts.sort()
    offs = _swarm_offsets([(x - x0) / ((x1 - x0) or 1.0) * plot_w for x, _, _ in pts], dot)
    ys = {ti: list(fig.data[ti].y) for _, ti, _ in pts}
    for (_, ti, j), o in zip(pts, offs, strict=True):
        ys[ti][j] = o
    for ti, y in ys.items():
        fig.data[ti].y = y
    # highlight labels follow their dot
    by_x = {x: ys[ti][j] for x, ti, j in pts}
    for a in fig.layout.annotations:
        if (a.name or "").startswith("hl-") and a.x in by_x:
            a.y = by_x[a.x]
    lo, hi = (min(offs), max(offs)) if offs else (0.0, 0.0)
    half = max(plot_h / dot / 2, (hi - lo) / 2 + 1)
    mid = (lo + hi) / 2 + half * 0.25
    fig.layout.yaxis.range = [mid - half, mid + half]


STRIP_TICK_SHARE = 0.22  # of the plot's height: the strip's ticks in an export (a thin line would leave it empty)


def _fill_strip(fig: go.Figure, meta: dict) -> None:
    """A strip chart in a 1920×1080 or 1080×1080 frame: taller ticks, and the labels moved to clear them,
    so the chart fills its frame instead of being a thin line in white space."""
    if meta.get("kind") != "benchmark_strip" or not fig.data:
        return
    m = fig.layout.margin
    tick = (fig.layout.height - m.t - m.b) * STRIP_TICK_SHARE
    fig.data[0].marker.size = tick
    # the two end labels on a line each when they cannot share one at the export's width and font
    ends = [a for a in fig.layout.annotations if (a.name or "").startswith("end-")]
    stack = sum(_text_px(html.unescape(a.text), a.font.size or 20) + 8 for a in ends) > S.plot_width(fig)
    for a in fig.layout.annotations:
        name = a.name or ""
        if name.startswith("hl-"):
            k = int(name[3:])
            a.ay = -(tick * 0.7 + (a.font.size or 20) * (1.2 + 1.6 * k))  # the symbol draws ~1.35 × its size
        elif name.startswith("end-"):
            a.ay = tick * 0.7 + (a.font.size or 20) * (0.8 + (1.5 * int(name[4:]) if stack else 0))


def _fit_category_axis(fig: go.Figure, meta: dict, preset: str) -> None:
    """On a fixed-height export, shrink category tick labels and bar texts to the row pitch."""
    rows = meta.get("rows")
    axis = meta.get("category_axis")
    if not rows or not axis:
        return
    m = fig.layout.margin
    pitch = (fig.layout.height - m.t - m.b) / max(rows, 1)
    cap = max(pitch * 0.78, 7)
    ax = fig.layout[axis]
    size = (ax.tickfont.size if ax.tickfont and ax.tickfont.size else S.sizes(preset)["small"])
    if size > cap:
        ax.tickfont.size = cap
        for tr in fig.data:
            if getattr(tr, "textfont", None) is not None and tr.textfont.size and tr.textfont.size > cap:
                tr.textfont.size = cap
            if getattr(tr, "marker", None) is not None and isinstance(tr, go.Scatter) and tr.marker.size:
                tr.marker.size = min(tr.marker.size, cap)


# ---------------------------------------------------------------------------------------- export
def _render(fig: go.Figure, fmt: str, preset: str, scale: float, lang: str | None) -> bytes:
    ready = prepare(fig, preset, lang=lang)
    width, height = PRESETS[preset]
    ensure_server()
    import kaleido

    spec = ready.to_dict()
    opts = dict(format=fmt, width=width, height=height, scale=scale)
    with _lock:
        try:
            return kaleido.calc_fig_sync(spec, opts=opts)
        except Exception:
            # the Chromium behind the server may have died: restart once and retry
            stop_server()
            ensure_server()
            return kaleido.calc_fig_sync(spec, opts=opts)


def to_png(fig: go.Figure, preset: str = "wide", scale: float = DEFAULT_SCALE, *, lang: str | None = None) -> bytes:
    """PNG bytes: 1920×1080 ("wide") or 1080×1080 ("square") layout pixels × ``scale``."""
    return _render(fig, "png", preset, scale, lang)


def to_svg(fig: go.Figure, preset: str = "wide", *, lang: str | None = None) -> bytes:
    """SVG bytes (UTF-8; text stays text, so titles keep their Vietnamese diacritics)."""
    return _render(fig, "svg", preset, 1, lang)


def image_name(stem: str, preset: str, ext: str) -> str:
    """File name for an exported image, e.g. ``par-index_2020_tinh_toan-quoc_wide.png``."""
    return f"{stem}_{preset}.{ext.lstrip('.')}"


def to_image_at(fig: go.Figure, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
    """The figure as it is (no press re-layout) at ``width``×``height`` layout px: for composed documents
    such as the one-page brief, which set their own titles and sources around the charts."""
    ensure_server()
    import kaleido

    spec = fig.to_dict()
    opts = dict(format=fmt, width=int(width), height=int(height), scale=scale)
    with _lock:
        try:
            return kaleido.calc_fig_sync(spec, opts=opts)
        except Exception:
            stop_server()
            ensure_server()
            return kaleido.calc_fig_sync(spec, opts=opts)
