"""So sánh / Compare: 2 to 8 localities of one level on one indicator — lines, small multiples,
component bars and a table, with the national, region or parent comparators labelled on the chart.
A mix of levels (or of the 63/34 unit lists) is refused with a clear message.

URL keys: ``c_units``, ``c_ind``, ``c_measure``, ``c_year``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.fmt import fmt_value
from analytics.i18n import t
from figures import charts
from figures import tables as ft
from ui import (
    cache,
    chart_blocks,
    coverage_years,
    notices,
    page,
    page_text,
    spellings,
    state,
    url_state,
    views,
)
from ui import explain_panel as EP

MIN_UNITS, MAX_UNITS = 2, 8
DEFAULT_UNITS = ["old-p-74", "old-p-79", "old-p-01", "old-p-48"]  # Bình Dương, TP.HCM, Hà Nội, Đà Nẵng
MEASURES = ["value", "rank"]


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    reg = cache.registry()
    state.page_header(lg)
    options = state.locality_options()
    labels = state.unit_labels(options)
    picker_labels = spellings.search_labels(options, labels)
    home = state.home()
    default = [home] + [u for u in DEFAULT_UNITS if u != home][:3]
    units = state.multiselect(t("picker.localities", lg), options, key="c_units", default=default,
                              format_func=lambda u: picker_labels.get(u, u), max_selections=MAX_UNITS,
                              help=t("picker.help.compare", lg),
                              resolve=spellings.locality_resolver(options, picker_labels),
                              placeholder=t("picker.placeholder_search", lg))
    if not MIN_UNITS <= len(units) <= MAX_UNITS:
        st.warning(t("error.compare_count", lg, min=MIN_UNITS, max=MAX_UNITS), icon=":material/group:")
        return
    kinds = {(reg.units_by_id[u].level, reg.units_by_id[u].vintage) for u in units}
    if len(kinds) > 1:
        st.warning(t("error.mixed_levels", lg), icon=":material/block:")
        st.caption(", ".join(f"{labels[u]}: {t('level_one.' + reg.units_by_id[u].level, lg)} · "
                             f"{t('vintage.' + reg.units_by_id[u].vintage, lg)}" for u in units))
        return
    level, vintage = next(iter(kinds))
    _similar(units, level, vintage, lg)
    have = cache.units_with_data()
    ind_ids = [i.id for i in cat.roots() if i.kind == "index" and i.levels[0] == level and i.vintage == vintage
               and any(i.id in have.get(u, []) for u in units)]
    if not ind_ids:
        st.info(t("error.no_indicator_data", lg), icon=":material/info:")
        return
    iid = state.indicator_picker("c_ind", lg, ind_ids, default="par_index" if "par_index" in ind_ids else ind_ids[0])
    ind = cat.get(iid)
    mlabels = {"value": t("measure.value", lg), "rank": t("measure.rank", lg)}
    measure = state.select(t("picker.measure", lg), MEASURES, key="c_measure", default="value",
                           format_func=lambda m: mlabels[m])

    names = {u: labels[u] for u in units}
    tr = cache.trends(iid, units, lg).copy()
    tr["name"] = tr["unit_id"].map(names)
    tr = tr.sort_values(["unit_id", "year"])
    missing = [names[u] for u in units if u not in set(tr.loc[tr["value"].notna() | tr["rank"].notna(), "unit_id"])]
    if missing:
        st.caption(t("notice.no_data_year", lg, indicator=ind.label(lg, short=True), year="—",
                     name=", ".join(missing)))
    if tr.empty:
        return
    years = tr["year"].astype(int)
    span = (int(years.min()), int(years.max()))
    comps = views.series_comparators(iid, units[0], lg, region=len({reg.units_by_id[u].region_id for u in units}) == 1)
    title = f"{ind.label(lg, short=True)} {ft.year_span(*span)}: {', '.join(names[u] for u in units)}"
    meta = {"title": title, "indicator": ind.label(lg), "level": level, "scope": ", ".join(names.values()),
            "year": span, "unit": ind.unit, "source": ind.publisher.get(lg), "source_url": ind.source_url}
    stem = ft.download_name(iid, level, "so-sanh" if lg == "vi" else "compare", span, "x", lang=lg)[:-2]
    table = views.trend_view(tr, ind, lg)
    ctx = lambda: notices.context_box(ind, lg, urls=[])  # noqa: E731
    home_ids = [u for u in units if u == home] or [None]

    # the open tab is in the URL (?c_tab=…), so a shared link or Back shows the same tab
    tab_lines, tab_multi, tab_comp, tab_table = st.tabs([
        t("page.compare.lines", lg), t("page.compare.small_multiples", lg), t("page.compare.components", lg),
        t("page.compare.table", lg)], key="c_tab", bind="query-params")
    url_state.remember("c_tab", st.session_state.get("c_tab"))
    with tab_lines:
        fig = cache.figure(charts.trend_lines, tr, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=ind.label(lg), source=page_text.source_text(ind, lg),
                                 measure=measure, breaks=views.break_marks(ind, lg), comparators=comps,
                                 home_id=home_ids[0], unit=ind.unit, decimals=ind.decimals)
        chart_blocks.chart(fig, lg, key="cp_lines", stem=stem + "_lines", table=table, table_raw=tr, meta=meta,
                indicator_id=iid, level=level, scope="compare", year=span, context=ctx)
    with tab_multi:
        fig2 = cache.figure(charts.small_multiples, tr, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=ind.label(lg), source=page_text.source_text(ind, lg),
                                      measure=measure, breaks=views.break_marks(ind, lg), comparators=comps,
                                      home_id=home_ids[0], unit=ind.unit, decimals=ind.decimals)
        chart_blocks.chart(fig2, lg, key="cp_multi", stem=stem + "_panels", table=table, table_raw=tr, meta=meta,
                indicator_id=iid, level=level, scope="compare", year=span, context=ctx)
    with tab_comp:
        _components(iid, units, names, lg)
    with tab_table:
        wide = _wide(tr, ind, units, names, lg)
        st.dataframe(wide, hide_index=True, width="stretch")
        chart_blocks.table_downloads(tr, meta, lg, key="cp_table", indicator_id=iid, level=level, scope="compare", year=span)


def _wide(tr: pd.DataFrame, ind, units: list[str], names: dict[str, str], lg: str) -> pd.DataFrame:
    """Year × locality: "value · x/N" in each cell, "no data" never blank or zero."""
    out = pd.DataFrame({t("col.year", lg): sorted({int(y) for y in tr["year"]})})
    for u in units:
        g = tr[tr["unit_id"] == u].set_index("year")
        cells = []
        for y in out[t("col.year", lg)]:
            if y in g.index:
                r = g.loc[y]
                v = fmt_value(r["value"], ind.unit, lg, ind.decimals, na=t("label.no_data", lg))
                rk = page_text.rank_text(r["rank"], r["of"], r["rank_source"], lg)
                cells.append(f"{v} · {rk}")
            else:
                cells.append(t("label.no_data", lg))
        out[names[u]] = cells
    out[t("col.year", lg)] = out[t("col.year", lg)].astype(str)
    return out


def _components(iid: str, units: list[str], names: dict[str, str], lg: str) -> None:
    cat = cache.catalog()
    ind = cat.get(iid)
    if not cat.children(iid):
        st.caption(t("label.components_none", lg, name=", ".join(names.values()), year="—"))
        return
    years = cache.component_years(iid, units, lg)
    if not years:
        st.caption(t("label.components_none", lg, name=", ".join(names.values()), year="—"))
        return
    year = state.year_picker("c_year", lg, years, labels=coverage_years.component_year_labels(iid, lg))
    allc = cache.components_many(iid, units, year, lg)
    if not allc.empty:
        allc = views.with_rank_labels(allc, lg)
    if allc.empty:
        st.caption(t("label.components_none", lg, name=", ".join(names.values()), year=year))
        return
    allc["locality"] = allc["unit_id"].map(names)
    shown = list(dict.fromkeys(allc["unit_id"]))
    wide = allc.pivot_table(index="name", columns="locality", values="value", aggfunc="first", sort=False)
    view = wide.reset_index().rename(columns={"name": t("label.component", lg)})
    for c in view.columns[1:]:
        view[c] = [fmt_value(v, None, lg, ind.decimals, na=t("label.no_data", lg)) for v in view[c]]
    means = allc.drop_duplicates("component_id").set_index("name")["national_mean"]
    view[t("col.national_mean", lg)] = [fmt_value(means.get(n), None, lg, ind.decimals)
                                        for n in view[t("label.component", lg)]]
    st.dataframe(view, hide_index=True, width="stretch")
    chart_blocks.table_downloads(allc, {"title": f"{ind.label(lg, short=True)} {year}", "indicator": ind.label(lg),
                             "year": year, "source": ind.publisher.get(lg), "source_url": ind.source_url}, lg,
                      key="cp_comp_table", indicator_id=iid, level=ind.levels[0], scope="compare", year=year)
    for u, tab in zip(shown, st.tabs([names[u] for u in shown]), strict=True):
        with tab:
            comp = allc[allc["unit_id"] == u]
            lead = comp["leader_name"].dropna()
            title = f"{names[u]} · {ind.label(lg, short=True)} {year}: {t('page.profile.components', lg).lower()}"
            fig = cache.figure(charts.component_bars, comp, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=ind.label(lg),
                                        source=page_text.source_text(ind, lg), locality_name=names[u],
                                        leader_name=lead.iloc[0] if lead.nunique() == 1 else None,
                                        decimals=ind.decimals)
            chart_blocks.chart(fig, lg, key=f"cp_comp_{u}", stem=ft.download_name(iid, ind.levels[0], names[u], year, "x", lang=lg)[:-2]
                    + "_components", table=views.component_view(comp, ind, lg),
                    table_raw=comp, meta={"title": title}, indicator_id=iid, level=ind.levels[0], scope=names[u],
                    year=year)


def _add_units(new: list[str]) -> None:
    st.session_state["c_units"] = list(dict.fromkeys([*st.session_state.get("c_units", []), *new]))[:MAX_UNITS]


def _similar(units: list[str], level: str, vintage: str, lg: str) -> None:
    """Peers beyond the region: the localities nearest to the first one, with the reason; one click adds
    them to the comparison."""
    with st.expander(t("similar.title", lg), icon=":material/diversity_3:"):
        ids = EP.similar_localities(units[0], level, vintage, None, lg)
        new = [u for u in ids if u not in units][: MAX_UNITS - len(units)]
        if new:
            st.button(t("similar.add", lg), key="c_add_similar", on_click=_add_units, args=(new,),
                      icon=":material/group_add:")


page.run_page(render)
