"""A chart block: the chart with its alt text, its table alternative, press export and table
downloads (built only when clicked); the width charts are laid out for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.i18n import t
from figures import downloads as fd
from figures import export as fx
from figures import tables as ft
from ui import state


def show_downloads() -> bool:
    return not state.presentation()


def table_downloads(df: pd.DataFrame | Callable[[], pd.DataFrame], meta: dict, lang: str, *, key: str,
                    indicator_id: str, level: str | None, scope: str | None, year: Any,
                    n_rows: int | None = None) -> None:
    """CSV (UTF-8 with BOM, header block) and XLSX of a table; built only when clicked.

    ``df`` may be a zero-argument callable (with ``n_rows`` for the label): large tables are then only
    read when a download is clicked, never on a normal script run."""
    if not show_downloads() or df is None:
        return
    csv_name = ft.download_name(indicator_id, level, scope, year, "csv", lang=lang)
    xlsx_name = ft.download_name(indicator_id, level, scope, year, "xlsx", lang=lang)
    if callable(df):
        get, n = df, n_rows
    else:
        data = df.copy()
        get, n = (lambda: data), len(data)
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        f"{t('download.csv', lang)} · {t('label.rows', lang, n=n)}",
        data=lambda: fd.to_csv_bytes(get(), meta, lang), file_name=csv_name, mime="text/csv",
        key=f"{key}_csv", help=t("download.help_csv", lang), on_click="ignore", icon=":material/download:")
    c3.download_button(
        t("download.csv_zip", lang), data=lambda: fd.to_csv_zip_bytes(get(), meta, lang, csv_name),
        file_name=csv_name[:-4] + ".zip", mime="application/zip", key=f"{key}_zip", on_click="ignore",
        icon=":material/folder_zip:")
    c2.download_button(
        t("download.xlsx", lang), data=lambda: fd.to_xlsx_bytes(get(), meta, lang), file_name=xlsx_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
        on_click="ignore", icon=":material/table:")


def export_row(fig: go.Figure, lang: str, *, key: str, stem: str) -> None:
    """Press export of a chart: PNG wide/square at 2× and SVG, rendered only when clicked. While the file
    is built, Streamlit shows a spinner in the clicked button (a download with callable data). The first
    export pays the renderer's start-up (Chromium, ~4 s): a browser session that shows an export row starts
    it in the background, once per process, so that a click seconds later does not wait for it."""
    if not show_downloads():
        return
    if _browser_session():
        fx.warm_up(background=True, delay=WARM_UP_AFTER_S)
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("label.export_png_wide", lang), data=lambda: fx.to_png(fig, "wide", lang=lang),
                       file_name=fx.image_name(stem, "wide", "png"), mime="image/png", key=f"{key}_png_wide",
                       on_click="ignore", icon=":material/image:")
    c2.download_button(t("label.export_png_square", lang), data=lambda: fx.to_png(fig, "square", lang=lang),
                       file_name=fx.image_name(stem, "square", "png"), mime="image/png",
                       key=f"{key}_png_square", on_click="ignore", icon=":material/crop_square:")
    c3.download_button(t("label.export_svg", lang), data=lambda: fx.to_svg(fig, "wide", lang=lang),
                       file_name=fx.image_name(stem, "wide", "svg"), mime="image/svg+xml", key=f"{key}_svg",
                       on_click="ignore", icon=":material/draw:")


def alt_text(fig: go.Figure) -> str:
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return str(meta.get("alt") or "")


def chart(fig: go.Figure, lang: str, *, key: str, stem: str, table: pd.DataFrame | None = None,
          table_raw: pd.DataFrame | None = None, meta: dict | None = None, indicator_id: str = "",
          level: str | None = None, scope: str | None = None, year: Any = None,
          context: Callable[[], None] | None = None, expanded_table: bool = False) -> None:
    """A chart with its alt text, its table alternative, press export and downloads; ``context``
    (definition, unit, source, notes, breaks) is drawn in a column beside it."""
    if context is not None and not state.presentation():
        left, right = st.columns([3, 1], gap="medium")
    else:
        left, right = st.container(), None
    with left:
        st.plotly_chart(fig, key=f"{key}_chart", alt=alt_text(fig) or None, width="stretch", theme=None,
                        config={"displaylogo": False, "toImageButtonOptions": {
                            "format": "png", "filename": stem, "width": 1920, "height": 1080, "scale": 2}})
        export_row(fig, lang, key=key, stem=stem)
        if table is not None:
            with st.expander(t("label.table_view", lang), expanded=expanded_table):
                st.dataframe(table, hide_index=True, width="stretch")
                table_downloads(table_raw if table_raw is not None else table, meta or {}, lang, key=key,
                                indicator_id=indicator_id or stem, level=level, scope=scope, year=year)
    if right is not None:
        with right:
            context()


# the image renderer (a Chromium) is started this long after the first export row is drawn: early enough for
# a first PNG to be quick, late enough not to compete with the first page for the CPU
WARM_UP_AFTER_S = 8.0


def _user_agent() -> str | None:
    """The browser's user agent, or None without a browser session (bare mode, AppTest, scripts)."""
    try:
        return st.context.headers.get("User-Agent", "") or None
    except Exception:  # noqa: BLE001 - no session context at all
        return None


def _browser_session() -> bool:
    """A person's browser (every browser's user agent starts "Mozilla/"), not a script or a WebSocket client."""
    return (_user_agent() or "").startswith("Mozilla/")


PHONE_WIDTH = 390  # px a phone lays a chart out for (figures wrap titles and move the legend below 600)


def layout_width() -> int | None:
    """The width to lay charts out for: phone width for a mobile browser, else None (the figures' 900 px).

    Streamlit cannot report the viewport width; the user agent ("Mobi" in every phone browser's) is the
    one signal the server has."""
    return PHONE_WIDTH if "Mobi" in (_user_agent() or "") else None
