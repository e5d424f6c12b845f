"""Trong tỉnh / Within a province: the cities, towns, districts, wards and departments of one province
(Bình Dương by default) — ranking, map and trends of the province's own indices, with an honest
"no data" where the province has not published.

URL keys: ``w_prov``, ``w_ind``, ``w_year``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.i18n import t
from figures import charts
from figures import tables as ft
from ui import cache, chart_blocks, coverage_years, map_view, notices, page, page_text, state, views

DISPLAY_COLS = ["display_rank", "name", "value", "band", "rank_change", "value_change", "rank_source"]
RAW_COLS = ["unit_id", "code", "name", "type_vi", "value", "display_rank", "display_of", "rank_source", "rank_basis",
            "band", "rank_change", "value_change", "prev_year", "comparable", "has_conflict", "value_url", "rank_url"]
MAP_LEVELS = {("district", "legacy"), ("commune", "legacy"), ("commune", "2025")}


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    reg = cache.registry()
    state.page_header(lg)
    provinces = [u.unit_id for u in reg.units(level="province")]
    home = state.home()
    prov = state.unit_picker("w_prov", lg, provinces, default=home, label=t("picker.province", lg))
    pu = reg.units_by_id[prov]
    pname = state.unit_label(pu)

    # what the province contains
    kids = reg.units(province_id=prov)
    kids = [k for k in kids if k.unit_id != prov]
    counts = pd.Series([(k.type_vi if lg == "vi" else k.type_en) for k in kids]).value_counts()
    st.subheader(pname, anchor=False)
    if len(counts):
        st.caption(" · ".join(f"{n} {typ.lower()}" for typ, n in counts.items()))
    notices.boundary_notice(prov, lg)

    # the province's own indices (district, commune and department level)
    have = cache.units_with_data()
    kid_ids = {k.unit_id for k in kids}
    ind_ids = [i.id for i in cat.roots() if i.levels[0] in ("district", "commune", "agency") and i.kind == "index"
               and any(i.id in have.get(k, []) for k in kid_ids)]
    if not ind_ids:
        own = [state.indicator_label(i, lg) for i in have.get(prov, []) if i in cat and cat.get(i).parent is None]
        st.info(t("page.within.indicators_none", lg, name=pname, others=", ".join(own) or "—"), icon=":material/info:")
        _units_table(kids, lg, pname)
        return
    iid = state.indicator_picker("w_ind", lg, ind_ids, default=ind_ids[0])
    ind = cat.get(iid)
    level, vintage = ind.levels[0], ind.vintage
    years = cache.years_with_data(iid)
    year = coverage_years.coverage_year_picker("w_year", lg, iid, years, province_id=prov)
    rk = cache.ranking(iid, year, "province", prov).copy()
    n_values = int(rk["value"].notna().sum())
    n_ranks = int(rk["display_rank"].notna().sum())
    st.caption(f"{ind.label(lg)} · {year} · {page_text.with_data_text(rk, lg)}")
    if n_values == 0 and n_ranks == 0:
        st.info(t("page.within.no_province_data", lg, name=pname, indicator=ind.label(lg, short=True)),
                icon=":material/info:")
    elif n_values < len(rk):
        st.caption(t("notice.not_published", lg, name=", ".join(rk.loc[rk["value"].isna(), "name"].head(8))) +
                   ("…" if (rk["value"].isna()).sum() > 8 else ""))

    meta = {"title": f"{ind.label(lg, short=True)} {year} · {pname}", "indicator": ind.label(lg), "level": level,
            "scope": pname, "year": year, "unit": ind.unit, "source": ind.publisher.get(lg),
            "source_url": ind.source_url}
    scope_slug = f"parent:{pu.short_name}"
    stem = ft.download_name(iid, level, scope_slug, year, "x", lang=lg)[:-2]
    ctx = lambda: notices.context_box(ind, lg, year=year, urls=rk["value_url"].dropna().unique()[:3])  # noqa: E731
    shown = rk if n_values else rk[rk["display_rank"].notna()]

    # ---------------------------------------------------------------- ranking
    st.subheader(t("page.rankings.table", lg), anchor=False)
    fig = cache.figure(charts.ranking_bar, shown, lang=lg, width=chart_blocks.layout_width(), title=meta["title"], subtitle=ind.label(lg),
                             source=page_text.source_text(ind, lg), unit=ind.unit, decimals=ind.decimals,
                             descending=ind.direction != "lower_is_better", show_change=True)
    chart_blocks.chart(fig, lg, key="wp_bar", stem=stem, table=ft.display_table(rk, lg, unit=ind.unit, decimals=ind.decimals,
                                                                       columns=DISPLAY_COLS),
            table_raw=rk[RAW_COLS], meta=meta, indicator_id=iid, level=level, scope=scope_slug, year=year,
            context=ctx, expanded_table=True)

    # ---------------------------------------------------------------- map
    if (level, vintage) in MAP_LEVELS and n_values:
        st.subheader(t("page.overview.map", lg), anchor=False)
        mfig = map_view.map_figure(rk, ind, year, lg, width=chart_blocks.layout_width(), level=level, vintage=vintage, title=meta["title"],
                            subtitle=f"{ind.label(lg)} · {t('label.approximate_boundaries', lg)}",
                            province_code=pu.code)
        if mfig is not None:
            chart_blocks.chart(mfig, lg, key="wp_map", stem=stem + "_map", table=ft.display_table(
                rk, lg, unit=ind.unit, decimals=ind.decimals, columns=DISPLAY_COLS), table_raw=rk[RAW_COLS],
                meta=meta, indicator_id=iid, level=level, scope=scope_slug, year=year,
                context=lambda: notices.context_box(ind, lg, year=year, extra=[t("notice.approximate_boundaries", lg)]))

    # ---------------------------------------------------------------- trends
    if len(years) > 1:
        ids = rk.loc[rk["value"].notna() | rk["display_rank"].notna(), "unit_id"].tolist()[:12]
        tr = cache.trends(iid, ids, lg)
        if len(tr):
            st.subheader(t("page.profile.trends", lg), anchor=False)
            span = (int(tr["year"].min()), int(tr["year"].max()))
            title = f"{ind.label(lg, short=True)} {ft.year_span(*span)} · {pname}"
            tfig = cache.figure(charts.trend_lines, tr, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=ind.label(lg), source=page_text.source_text(ind, lg),
                                      measure="both", breaks=views.break_marks(ind, lg), unit=ind.unit,
                                      decimals=ind.decimals)
            chart_blocks.chart(tfig, lg, key="wp_trend", stem=stem + "_trend", table=views.trend_view(tr, ind, lg), table_raw=tr,
                    meta={**meta, "year": span}, indicator_id=iid, level=level, scope=scope_slug, year=span,
                    context=ctx)
    _units_table(kids, lg, pname)


def _units_table(kids, lg: str, pname: str) -> None:
    """Every unit of the province (type, name, until when), with profile links for those with figures."""
    reg = cache.registry()
    have = cache.units_with_data()
    direct = [k for k in kids if k.parent_id == (kids[0].province_id if kids else None)]
    with st.expander(f"{t('page.profile.children', lg)} · {pname} ({len(direct)})"):
        rows = [{t("col.name", lg): k.name, t("col.type", lg): k.type_vi if lg == "vi" else k.type_en,
                 t("label.valid_to", lg): page_text.fmt_date_or_blank(k.valid_to, lg),
                 t("col.indicator", lg): ", ".join(state.indicator_label(i, lg) for i in have.get(k.unit_id, [])
                                                   if i in cache.catalog()) or "—"}
                for k in [reg.units_by_id[u] for u in state.sort_units([k.unit_id for k in direct])]]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


page.run_page(render)
