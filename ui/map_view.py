"""A page's choropleth: the indicator's bands for the year (one rule: Indicator.band_period), the
home locality outlined, the source in the figure."""

from __future__ import annotations

import logging
import os

import pandas as pd
import plotly.graph_objects as go

from analytics.catalog import Indicator
from ui import cache
from ui.page_text import source_text

log = logging.getLogger("chiso.ui")


def map_figure(df: pd.DataFrame, ind: Indicator, year: int, lang: str, *, level: str, vintage: str,
               title: str, subtitle: str = "", home_id: str | None = None, province_code: str | None = None,
               value_col: str = "value", width: int | None = None) -> go.Figure | None:
    """A classed choropleth (figures.maps): the indicator's bands where it has them for that year, else
    quantiles; "no data" hatched, never the lowest colour. None when there is no boundary layer."""
    try:
        from figures import maps  # here, as before: without the maps stack a page has no map, not an error
    except ImportError:  # pragma: no cover - maps module not installed
        return None
    reg = cache.registry()
    period = ind.band_period(year)
    bands = [{"label": g.label, "min": g.min, "max": g.max} for g in period.grades] if period else None
    n_values = int(pd.to_numeric(df[value_col], errors="coerce").notna().sum())
    classification = "bands" if bands else ("quantile" if n_values >= 5 else "equal")
    home = reg.units_by_id[home_id].code if home_id and home_id in reg.units_by_id else None
    kwargs = dict(value_col=value_col, lang=lang, classification=classification, bands=bands,
                  direction=ind.direction or "higher_is_better", home=home, title=title, subtitle=subtitle,
                  source=source_text(ind, lang), province_code=province_code,
                  unit_suffix="%" if ind.unit.strip() == "%" else "", decimals=ind.decimals, width=width)
    try:
        fig = cache.figure(maps.choropleth, df, level, vintage, **kwargs)
    except Exception:
        log.exception("map failed")
        if os.environ.get("CHISO_DEBUG"):
            raise
        return None
    return fig
