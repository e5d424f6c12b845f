"""Page pieces for the questions after "where do we stand?": why the rank moved, what it takes, the
locality at a glance, similar localities, and the one-page brief. Data through ``ui.cache``; every text
escaped (``page_text.md``); no raw HTML."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.fmt import fmt_rank_change, fmt_value, is_missing
from analytics.i18n import t
from figures import brief as fb
from ui import cache, chart_blocks, page_text, state


def why_and_gap(unit_id: str, indicator_id: str, year: int, lang: str, *, why: bool = True) -> None:
    """"Vì sao thứ hạng thay đổi" (with its method) and "Cần gì để lên hạng", as sentences."""
    why_lines, prev = cache.why_moved(indicator_id, unit_id, int(year), lang) if why else ([], None)
    gap_lines = cache.what_it_takes(indicator_id, unit_id, int(year), lang)
    if why_lines:
        st.markdown(f"**{page_text.md(t('why.title', lang))}**")
        st.markdown("\n".join(f"- {page_text.md(s)}" for s in why_lines))
        if prev is not None:
            st.caption(t("why.method", lang, prev=prev))
    if gap_lines:
        st.markdown(f"**{page_text.md(t('gap.title', lang))}**")
        st.markdown("\n".join(f"- {page_text.md(s)}" for s in gap_lines))


def brief_button(unit_id: str, indicator_id: str, year: int, lang: str) -> None:
    """Make the one-page brief on a click (PDF A4 + PNG 1080×1350), then offer both files."""
    if not chart_blocks.show_downloads():
        return
    key = f"brief:{unit_id}:{indicator_id}:{year}:{lang}"
    if st.button(t("brief.button", lang), key=f"btn_{key}", help=t("brief.help", lang),
                 icon=":material/picture_as_pdf:"):
        with st.spinner(t("brief.making", lang)):
            try:
                st.session_state[key] = cache.brief(unit_id, indicator_id, int(year), lang)
            except (fb.BriefError, KeyError) as exc:
                st.error(t("brief.failed", lang, error=str(exc)), icon=":material/error:")
    made = st.session_state.get(key)
    if made:
        names, pdf, png = made
        c1, c2 = st.columns(2)
        c1.download_button(t("brief.download_pdf", lang), pdf, file_name=names[0], mime="application/pdf",
                           key=f"pdf_{key}", on_click="ignore", icon=":material/download:")
        c2.download_button(t("brief.download_png", lang), png, file_name=names[1], mime="image/png",
                           key=f"png_{key}", on_click="ignore", icon=":material/image:")


def glance_table(unit_id: str, indicator_ids: list[str], lang: str) -> pd.DataFrame:
    """One row per indicator (latest figure, x/N with its basis, change, rank over the years, position
    among all localities); returns the display frame (empty without data)."""
    cat = cache.catalog()
    g = cache.glance(unit_id, tuple(indicator_ids), lang)
    if g.empty:
        return pd.DataFrame()
    rows = []
    for r in g.itertuples():
        ind = cat.get(r.indicator_id)
        notes = [t(f"vintage.{r.vintage}", lang)]
        if r.break_years:
            notes.append(t("glance.breaks", lang, years=", ".join(str(y) for y in r.break_years)))
        change = (fmt_rank_change(r.rank_change, lang) if not is_missing(r.rank_change)
                  else t("label.not_comparable", lang) if not is_missing(r.prev_year) else "—")
        rows.append({
            t("col.indicator", lang): ind.label(lang, short=True),
            t("col.year", lang): str(r.year),
            t("col.value", lang): fmt_value(r.value, ind.unit, lang, ind.decimals, na=t("label.no_data", lang)),
            t("col.rank", lang): page_text.rank_text(r.rank, r.of, r.rank_source, lang),
            t("col.rank_source", lang): page_text.rank_kind_text(r.rank_source, r.rank_basis, lang),
            t("col.rank_change", lang): change,
            t("glance.rank_over_years", lang): list(r.rank_series) or None,
            t("glance.position", lang): None if is_missing(r.position) else float(r.position),
            t("glance.notes", lang): " · ".join(notes),
        })
    return pd.DataFrame(rows)


GLANCE_ROW_HEIGHT = 72  # px: above Streamlit's 4rem, cells wrap their text (three lines of notes)


def show_glance(view: pd.DataFrame, lang: str) -> None:
    """The table at a glance; narrow columns whose text wraps, so that every column fits the main area of a
    1440 px screen without scrolling sideways (the notes are the longest cells). The position is shown in
    whole percent: Streamlit's "percent" format writes a decimal point in Vietnamese too ("64.52%")."""
    position = t("glance.position", lang)
    view = view.assign(**{position: view[position] * 100})
    st.dataframe(view, hide_index=True, width="stretch", row_height=GLANCE_ROW_HEIGHT, column_config={
        t("col.indicator", lang): st.column_config.TextColumn(width=115),
        t("col.year", lang): st.column_config.TextColumn(width=55),
        t("col.value", lang): st.column_config.TextColumn(width=85),
        t("col.rank", lang): st.column_config.TextColumn(width=65),
        t("col.rank_source", lang): st.column_config.TextColumn(width=110),
        t("col.rank_change", lang): st.column_config.TextColumn(width=110),
        t("glance.rank_over_years", lang): st.column_config.LineChartColumn(
            t("glance.rank_over_years", lang), y_min=0, y_max=1, help=t("glance.rank_over_years_help", lang),
            width=150),
        position: st.column_config.ProgressColumn(
            position, min_value=0, max_value=100, format="%.0f%%",
            help=t("glance.position_help", lang), width=130),
        t("glance.notes", lang): st.column_config.TextColumn(width=175),
    })


def similar_localities(unit_id: str, level: str, vintage: str, year: int | None, lang: str) -> list[str]:
    """The nearest localities on the declared characteristics, listed with the reason; returns their ids."""
    df = cache.similar(unit_id, level, vintage, year)
    if df.empty:
        return []
    cat = cache.catalog()
    reg = cache.registry()
    chars = [c for c in df.columns if c not in ("unit_id", "distance") and not c.endswith("__self")]
    rows = []
    for r in df.itertuples(index=False):
        d = r._asdict()
        reasons = []
        for c in chars:
            ind = cat.get(c)
            reasons.append(f"{ind.label(lang, short=True)} {fmt_value(d[c], ind.unit, lang, ind.decimals)} "
                           f"({t('similar.vs', lang)} {fmt_value(d[c + '__self'], ind.unit, lang, ind.decimals)})")
        rows.append({t("col.locality", lang): state.unit_label(reg.units_by_id[d["unit_id"]]),
                     t("similar.reason", lang): "; ".join(reasons)})
    years = ", ".join(f"{cat.get(k).label(lang, short=True)} {v}" for k, v in df.attrs.get("years", {}).items())
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("similar.method", lang, years=years, n=df.attrs.get("n", len(df))))
    return df["unit_id"].tolist()
