"""Xếp hạng / Rankings: the full ranking of a level — provinces nationally, or districts, wards and
departments within a province — with region and type filters, sorting, rank-change arrows, bands,
no-data rows kept visible, and a bar chart sorted by value.

URL keys: ``r_ind``, ``r_year``, ``r_prov`` (sub-province indices), ``r_region``, ``r_type``, ``r_sort``,
``r_missing``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.fmt import vi_sort_key
from analytics.i18n import t
from figures import charts
from figures import tables as ft
from ui import cache, chart_blocks, coverage_years, headline, notices, page, page_text, state

SORTS = ["rank", "value", "change", "name"]
DISPLAY_COLS = ["display_rank", "name", "value", "band", "rank_change", "value_change", "rank_source"]
RAW_COLS = ["unit_id", "code", "name", "type_vi", "value", "display_rank", "display_of", "rank_source", "rank_basis",
            "band", "quartile", "percentile", "rank_change", "value_change", "prev_year", "comparable",
            "has_conflict", "region_id", "value_url", "rank_url"]


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    reg = cache.registry()
    state.page_header(lg)
    options = state.indicator_options(levels=("province", "district", "commune", "agency"))
    iid = state.indicator_picker("r_ind", lg, options, default="par_index")
    ind = cat.get(iid)
    level, vintage = ind.levels[0], ind.vintage
    if not cache.years_with_data(iid):
        st.info(t("error.no_indicator_data", lg))
        return

    scope_kind, scope_id, scope_label = "national", None, t("scope.national", lg)
    if level != "province":
        # sub-province indices are published by a province for its own units
        provs = sorted({reg.units_by_id[u].province_id for u, ids in cache.units_with_data().items()
                        if iid in ids and u in reg.units_by_id and reg.units_by_id[u].province_id})
        home_prov = reg.units_by_id[state.home()].unit_id
        prov = state.unit_picker("r_prov", lg, provs, default=home_prov if home_prov in provs else provs[0],
                                 label=t("picker.province", lg))
        scope_kind, scope_id = "province", prov
        scope_label = t("page.rankings.within", lg, name=state.unit_label(reg.units_by_id[prov]))
    year = coverage_years.coverage_year_picker("r_year", lg, iid, cache.years_with_data(iid), province_id=scope_id)

    rk = cache.ranking(iid, year, scope_kind, scope_id).copy()
    if level == "province":
        rk["name"] = rk["short_name"]
    rk["type"] = rk["type_vi"] if lg == "vi" else rk["type_en"]

    # filters (recorded in the downloads' header block and file names)
    filters: list[str] = []
    if level == "province":
        regs = cache.regions()
        rnames = dict(zip(regs["region_id"], regs["name_vi" if lg == "vi" else "name_en"], strict=True))
        region = state.select(t("picker.region", lg), ["all", *rnames], key="r_region", default="all",
                              format_func=lambda r: t("picker.all", lg) if r == "all" else rnames.get(r, r))
        if region != "all":
            rk = rk[rk["region_id"] == region]
            # a region's table is named as such in the caption, the chart title and the downloads
            scope_kind, scope_label = "region", rnames.get(region, region)
            filters.append(t("filter.region", lg, name=scope_label))
    types = sorted({x for x in rk["type"].dropna()}, key=vi_sort_key)
    if len(types) > 1:
        typ = state.select(t("picker.unit_type", lg), ["all", *types], key="r_type", default="all",
                           format_func=lambda x: t("picker.all", lg) if x == "all" else x)
        if typ != "all":
            rk = rk[rk["type"] == typ]
            filters.append(t("filter.unit_type", lg, name=typ))
    sort_labels = {"rank": t("label.sort_rank", lg), "value": t("label.sort_value", lg),
                   "change": t("label.sort_change", lg), "name": t("label.sort_name", lg)}
    sort = state.select(t("picker.sort", lg), SORTS, key="r_sort", default="rank",
                        format_func=lambda s: sort_labels[s])
    show_missing = state.toggle(t("label.show_missing", lg), key="r_missing", default=True)

    n_values = int(rk["value"].notna().sum())
    st.caption(f"{ind.label(lg)} · {year} · {scope_label} · {page_text.with_data_text(rk, lg)}")
    if n_values == 0 and rk["display_rank"].notna().sum() == 0:
        st.info(t("notice.not_published", lg, name=scope_label), icon=":material/info:")

    table_df = _sorted(rk, sort, ind)
    if not show_missing:
        table_df = table_df[table_df["value"].notna() | table_df["display_rank"].notna()]

    # ---------------------------------------------------------------- table
    st.subheader(t("page.rankings.table", lg), anchor=False)
    view = ft.display_table(table_df, lg, unit=ind.unit, decimals=ind.decimals, columns=DISPLAY_COLS)
    st.dataframe(view, hide_index=True, width="stretch", height=min(38 + 35 * len(view), 640))
    notes = []
    if (table_df["rank_source"] == "computed").any():
        notes.append(t("label.computed_rank_note", lg))
    if (table_df["rank_basis"] == "listing_order").any():
        notes.append(t("label.rank_kind_listing", lg))
    prev = table_df["prev_year"].dropna()
    if len(prev):
        notes.append(t("label.changes_since", lg, year=int(prev.iloc[0])))
    if notes:
        st.caption(" · ".join(notes))
    scope_meta = {"national": "national", "region": scope_label}.get(scope_kind) or state.unit_label(
        reg.units_by_id[scope_id])
    title_scope = "" if scope_kind == "national" else f" · {scope_label}"
    meta = {"title": f"{ind.label(lg, short=True)} {year}{title_scope}", "indicator": ind.label(lg), "level": level,
            "scope": scope_meta,
            "year": year, "unit": ind.unit, "source": ind.publisher.get(lg), "source_url": ind.source_url,
            "notes": " · ".join(notes) or None, "filter": " · ".join(filters) or None}
    scope_slug = {"national": "national", "region": f"region:{scope_label}"}.get(scope_kind) or \
        f"parent:{reg.units_by_id[scope_id].short_name}"
    chart_blocks.table_downloads(table_df[RAW_COLS], meta, lg, key="rk_table", indicator_id=iid, level=level,
                      scope=scope_slug, year=year)
    for _, r in table_df[table_df["has_conflict"].fillna(False).astype(bool)].iterrows():
        st.caption(f"{page_text.md(r['name'])}: {t('label.conflict', lg)}")
        headline.conflict_note(iid, r["unit_id"], year, lg, ind)

    # ---------------------------------------------------------------- chart
    st.subheader(t("page.rankings.chart", lg), anchor=False)
    home_ids = state.vintage_home(state.home(), vintage)
    bar_df = rk if show_missing else rk[rk["value"].notna()]
    if bar_df["value"].notna().sum() == 0:   # ranks only: the table above says it all, no empty chart
        st.info(coverage_years.no_values_notice(iid, year, lg, scope_id), icon=":material/info:")
        return
    title = f"{ind.label(lg, short=True)} {year} · {scope_label}"
    fig = cache.figure(charts.ranking_bar, bar_df, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=ind.label(lg), source=page_text.source_text(ind, lg),
                             home_id=home_ids[0] if home_ids else None, unit=ind.unit, decimals=ind.decimals,
                             descending=ind.direction != "lower_is_better", show_change=True,
                             notes=t("label.computed_rank_note", lg) if (bar_df["rank_source"] == "computed").any()
                             else None)
    chart_blocks.chart(fig, lg, key="rk_bar", stem=ft.download_name(iid, level, scope_slug, year, "x", lang=lg)[:-2],
            table=ft.display_table(bar_df, lg, unit=ind.unit, decimals=ind.decimals, columns=DISPLAY_COLS),
            table_raw=bar_df[RAW_COLS], meta=meta, indicator_id=iid, level=level, scope=scope_slug, year=year,
            context=lambda: notices.context_box(ind, lg, year=year, urls=rk["value_url"].dropna().unique()[:3]))


def _sorted(rk: pd.DataFrame, sort: str, ind) -> pd.DataFrame:
    df = rk.copy()
    df["_name"] = [vi_sort_key(n, ignore_type_prefix=True) for n in df["name"]]
    df["_missing"] = df["value"].isna() & df["display_rank"].isna()
    if sort == "name":
        return df.sort_values("_name").drop(columns=["_name", "_missing"])
    if sort == "value":
        asc = ind.direction == "lower_is_better"
        return df.sort_values(["_missing", "value", "_name"], ascending=[True, asc, True],
                              na_position="last").drop(columns=["_name", "_missing"])
    if sort == "change":
        df["_chg"] = -df["rank_change"].astype("Float64")
        return df.sort_values(["_chg", "display_rank"], na_position="last").drop(columns=["_name", "_missing", "_chg"])
    df["_rank"] = df["display_rank"].astype("Float64")
    return df.sort_values(["_missing", "_rank", "_name"], na_position="last").drop(
        columns=["_name", "_missing", "_rank"])


page.run_page(render)
