"""Tổng quan / Overview: the home locality in ten seconds — score, x/N, rank change beside the score
change, band; where it stands among all provinces; top and bottom 10; averages; findings.

URL keys: ``indicator``, ``year`` (plus the app-wide ``lang``, ``home``, ``presentation``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.comparison import change_since
from analytics.fmt import is_missing
from analytics.i18n import t
from figures import charts
from figures import tables as ft
from ui import cache, chart_blocks, coverage_years, headline, map_view, notices, page, page_text, state, views
from ui import explain_panel as EP

DISPLAY_COLS = ["name", "value", "display_rank", "rank_change", "value_change", "band", "rank_source"]
RAW_COLS = ["unit_id", "code", "name", "value", "display_rank", "display_of", "rank_source", "rank_basis", "band",
            "quartile", "rank_change", "value_change", "prev_year", "comparable", "has_conflict", "region_id",
            "value_url", "rank_url"]


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    reg = cache.registry()
    state.page_header(lg)
    options = state.indicator_options(levels=("province",))
    iid = state.indicator_picker("indicator", lg, options, default="par_index")
    ind = cat.get(iid)
    level, vintage = ind.levels[0], ind.vintage
    home_ids = state.vintage_home(state.home(), vintage) or [state.DEFAULT_HOME]
    year = coverage_years.coverage_year_picker("year", lg, iid, cache.years_with_data(iid), unit_id=home_ids[0])
    if year is None:
        st.info(t("error.no_indicator_data", lg))
        return

    rk = cache.ranking(iid, year).copy()
    rk["name"] = rk["short_name"]
    home_id = home_ids[0]
    home_unit = reg.units_by_id[home_id]
    home_name = state.unit_label(home_unit)
    n_values = int(rk["value"].notna().sum())
    n_units = len(rk)
    of = rk["display_of"].dropna()
    n_ranked = int(of.max()) if len(of) else n_units

    st.subheader(t("page.overview.home_card", lg, name=home_name, indicator=ind.label(lg, short=True), year=year),
                 anchor=False)
    row = rk[rk["unit_id"] == home_id]
    row = row.iloc[0] if len(row) else None
    trow = None
    tr = cache.trend(iid, home_id, lg)
    if len(tr) and (tr["year"] == year).any():
        trow = tr[tr["year"] == year].iloc[0]
    headline.headline(ind, row, lg, name=home_name, year=year, trend_row=trow,
                      since=change_since(tr, year) if trow is not None else None)
    if row is not None and page_text.truthy(row.get("has_conflict")):
        headline.conflict_note(iid, home_id, year, lg, ind)
    notices.boundary_notice(home_id, lg)
    st.caption(page_text.with_data_text(rk, lg) + " · " +
               t("label.rank_of_year", lg, n=n_ranked, units=t(f"level.{level}", lg).lower(), year=year))

    # ---------------------------------------------------------------- where it stands
    bench = cache.benchmarks(iid, year, home_id)
    comps = views.chart_comparators(bench, lg)
    st.subheader(t("page.overview.distribution", lg), anchor=False)
    if n_values == 0:
        # ranks only: no chart with an empty axis; the years that have scores (the ranks are in the tables below)
        st.info(coverage_years.no_values_notice(iid, year, lg), icon=":material/info:")
    else:
        _strip_and_map(iid, year, rk, lg, ind, home_id, row, home_name, comps, n_values, n_units)

    # ---------------------------------------------------------------- top and bottom 10
    ranked = rk[rk["display_rank"].notna()].sort_values(["display_rank", "name"])
    top = ranked[(ranked["display_rank"] <= 10).fillna(False).astype(bool)]
    in_bottom = (ranked["display_rank"] > ranked["display_of"] - 10).fillna(False).astype(bool)
    bottom = ranked[in_bottom].sort_values("display_rank", ascending=False)
    c1, c2 = st.columns(2)
    with c1:
        st.subheader(t("page.overview.top_n", lg, n=10), anchor=False)
        _small_table(top, lg, ind)
    with c2:
        st.subheader(t("page.overview.bottom_n", lg, n=10), anchor=False)
        _small_table(bottom, lg, ind)

    # ---------------------------------------------------------------- averages
    st.subheader(t("label.benchmarks", lg), anchor=False)
    if len(bench):
        st.dataframe(views.benchmark_view(bench, ind, lg), hide_index=True, width="stretch",
                     column_config={t("col.source_url", lg): st.column_config.LinkColumn()})
    complete = bool(bench["complete"].fillna(False).any()) if len(bench) else False
    if not complete:
        st.caption(t("label.partial_table", lg, n=n_values, of=n_ranked))

    # ---------------------------------------------------------------- findings, what it takes
    _findings(iid, year, home_id, lg)
    if row is not None:
        EP.why_and_gap(home_id, iid, year, lg, why=False)


def _strip_and_map(iid: str, year: int, rk: pd.DataFrame, lg: str, ind, home_id: str, row, home_name: str,
                   comps: list[dict], n_values: int, n_units: int) -> None:
    level = ind.levels[0]
    title = f"{ind.label(lg, short=True)} {year}"
    if row is not None and not is_missing(row.get("display_rank")):
        title += f": {home_name} {page_text.rank_text(row['display_rank'], row['display_of'], row['rank_source'], lg)}"
    subtitle = f"{ind.label(lg)} · {t('label.with_data', lg, n=n_values, of=n_units)}"
    notes = t("label.computed_rank_note", lg) if (rk["rank_source"] == "computed").any() else None
    fig = cache.figure(charts.benchmark_strip, rk, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=subtitle, source=page_text.source_text(ind, lg),
                                 home_id=home_id, unit=ind.unit, decimals=ind.decimals, comparators=comps,
                                 notes=notes)
    meta = {"title": title, "indicator": ind.label(lg), "level": level, "scope": "national", "year": year,
            "unit": ind.unit, "source": ind.publisher.get(lg), "source_url": ind.source_url}
    table = ft.display_table(rk, lg, unit=ind.unit, decimals=ind.decimals, columns=DISPLAY_COLS)
    chart_blocks.chart(fig, lg, key="ov_strip", stem=ft.download_name(iid, level, "national", year, "x", lang=lg)[:-2],
            table=table, table_raw=rk[RAW_COLS], meta=meta, indicator_id=iid, level=level, scope="national",
            year=year, context=lambda: notices.context_box(ind, lg, year=year,
                                                     urls=rk["value_url"].dropna().unique()[:3]))
    _map(iid, year, rk, lg, ind, home_id)


def _small_table(df: pd.DataFrame, lg: str, ind) -> None:
    if df.empty:
        st.caption(t("label.no_data", lg))
        return
    st.dataframe(ft.display_table(df, lg, unit=ind.unit, decimals=ind.decimals,
                                  columns=["display_rank", "name", "value", "rank_change"]),
                 hide_index=True, width="stretch")
    n_pub = len(df)
    if n_pub < 10:
        st.caption(t("label.with_data", lg, n=n_pub, of=10))


def _map(iid: str, year: int, rk: pd.DataFrame, lg: str, ind, home_id: str) -> None:
    level, vintage = ind.levels[0], ind.vintage
    title = f"{ind.label(lg, short=True)} {year}"
    n_values = int(rk["value"].notna().sum())
    fig = map_view.map_figure(rk, ind, year, lg, width=chart_blocks.layout_width(), level=level, vintage=vintage, title=title,
                       subtitle=f"{ind.label(lg)} · {t('label.with_data', lg, n=n_values, of=len(rk))}",
                       home_id=home_id)
    if fig is None:
        return
    st.subheader(t("page.overview.map", lg), anchor=False)
    table = ft.display_table(rk, lg, unit=ind.unit, decimals=ind.decimals, columns=DISPLAY_COLS)
    meta = {"title": title, "indicator": ind.label(lg), "level": level, "scope": "national", "year": year,
            "unit": ind.unit, "source": ind.publisher.get(lg), "source_url": ind.source_url}
    chart_blocks.chart(fig, lg, key="ov_map", stem=ft.download_name(iid, level, "national", year, "x", lang=lg)[:-2] + "_map",
            table=table, table_raw=rk[RAW_COLS], meta=meta, indicator_id=iid, level=level, scope="national",
            year=year, context=lambda: notices.context_box(ind, lg, year=year))


def _findings(iid: str, year: int, home_id: str, lg: str) -> None:
    st.subheader(t("page.overview.findings", lg), anchor=False)
    items = cache.findings(home_id, iid, year, lg)
    if not items:
        st.caption(t("label.findings_none", lg))
        return
    for text in items:
        st.markdown(f"- {page_text.md(text)}")


page.run_page(render)
