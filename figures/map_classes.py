"""Classes of a choropleth: quantiles, equal intervals, fixed breaks or the indicator's bands, on a
colour-blind-safe ramp whose darkest class is always the best; their legend labels."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .map_parts import (
    _is_missing,
    fmt_number,
)

# ColorBrewer YlGnBu (9-class), light → dark; colour-blind safe and print friendly.
YLGNBU9 = ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"]


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
