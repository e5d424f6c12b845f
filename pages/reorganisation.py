"""Sắp xếp 2025 / The 2025 reorganisation: old and new units side by side — which former provinces
and communes form each new unit — and legacy figures viewed on the 34 new provinces (derived from the
former units, always labelled, never mixed with published figures).

URL keys: ``g_new``, ``g_ind``, ``g_year``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import crosswalk
from analytics.fmt import fmt_value, is_missing
from analytics.i18n import t, t_or
from figures import charts
from figures import tables as ft
from ui import cache, chart_blocks, coverage_years, map_view, notices, page, page_text, state


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    reg = cache.registry()
    state.page_header(lg)
    st.caption(t("page.reorg.intro", lg))
    succ, pred = cache.succession()
    new_provs = [u.unit_id for u in reg.units(level="province", vintage="2025")]
    home = state.home()
    home_new = state.vintage_home(home, "2025")
    new_id = state.unit_picker("g_new", lg, new_provs, default=home_new[0] if home_new else new_provs[0],
                               label=t("page.reorg.pick_new", lg))
    nu = reg.units_by_id[new_id]
    legacy_inds = [i.id for i in cat.roots() if i.vintage == "legacy" and i.levels[0] == "province"
                   and i.kind == "index" and cache.years_with_data(i.id)]
    iid = state.indicator_picker("g_ind", lg, legacy_inds, default="pci" if "pci" in legacy_inds else legacy_inds[0])
    ind = cat.get(iid)
    year = coverage_years.coverage_year_picker("g_year", lg, iid, cache.years_with_data(iid))

    # ---------------------------------------------------------------- the chosen new unit, side by side
    former_ids = [p for p in pred.get(new_id, []) if reg.units_by_id[p].level == "province"]
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("page.reorg.old_units", lg), anchor=False)
        fu = cache.former_units(new_id, iid, year)
        fu = fu[fu["level"] == "province"]
        view = pd.DataFrame({
            t("col.name", lg): fu["name"],
            t("col.value", lg): [fmt_value(v, ind.unit, lg, ind.decimals, na=t("label.no_data", lg)) for v in fu["value"]],
            t("col.rank", lg): [page_text.rank_text(r, o, s, lg) for r, o, s in zip(fu["rank"], fu["of"], fu["rank_source"],
                                                                             strict=True)],
            t("label.relation", lg): [t_or(f"relation.{r}", lg, str(r)) for r in fu["relation"]],
        })
        st.dataframe(view, hide_index=True, width="stretch")
        for p in former_ids:
            notices.profile_link(p, lg, label=state.unit_label(reg.units_by_id[p]))
    with right:
        st.subheader(t("page.reorg.new_units", lg), anchor=False)
        st.markdown(f"**{page_text.md(state.unit_label(nu))}**")
        if len(former_ids) <= 1:
            st.caption(t("page.reorg.unchanged", lg, name=nu.short_name))
        else:
            st.caption(t("notice.unit_new", lg, name=nu.short_name,
                         former=", ".join(reg.units_by_id[p].short_name for p in former_ids)))
        cw = cache.crosswalk(iid, year)
        row = cw[cw["unit_id"] == new_id]
        if len(row):
            r = row.iloc[0]
            # the publisher's own figure on the new unit first; the derived one after it, labelled
            if not is_missing(r.get("published_value")) or not is_missing(r.get("published_rank")):
                pub_ind = cat.get(r["published_indicator"]) if r["published_indicator"] in cat else ind
                st.metric(f"{pub_ind.label(lg, short=True)} · {t('label.kind_published', lg)}",
                          fmt_value(r["published_value"], pub_ind.unit, lg, pub_ind.decimals,
                                    na=t("label.no_data", lg)), border=True)
            st.metric(f"{ind.label(lg, short=True)} {year} · {t('label.derived', lg)}",
                      fmt_value(r["derived_value"], ind.unit, lg, ind.decimals, na=t("label.no_data", lg)),
                      border=True, help=t("label.derived_note", lg))
            st.caption(str(r[f"label_{lg}"]))
            if not is_missing(r["derived_rank"]):
                st.caption(f"{t('label.derived', lg)}: "
                           f"{crosswalk.derived_rank_text(r['derived_rank'], r['derived_of'], len(cw), lg)}")
        notices.profile_link(new_id, lg)

    # ---------------------------------------------------------------- legacy data on the 34 new provinces
    st.subheader(f"{t('label.legacy_values', lg)} · {ind.label(lg, short=True)} {year}", anchor=False)
    st.info(t("notice.derived_data", lg), icon=":material/calculate:")
    cw = cache.crosswalk(iid, year).copy()
    cw["value"] = cw["derived_value"]
    cw["display_rank"] = cw["derived_rank"]
    cw["display_of"] = cw["derived_of"]
    cw["rank_source"] = "computed"
    title = f"{ind.label(lg, short=True)} {year} · {t('label.derived', lg)} (34)"
    subtitle = t("label.derived_note", lg)
    meta = {"title": title, "indicator": ind.label(lg), "level": "province", "scope": "national", "year": year,
            "unit": ind.unit, "source": ind.publisher.get(lg), "source_url": ind.source_url,
            "notes": t("label.derived_note", lg)}
    stem = ft.download_name(iid, "province", "national", year, "x", lang=lg)[:-2] + "_34"
    table = pd.DataFrame({
        t("col.name", lg): cw["name"],
        t("col.derived_value", lg): [fmt_value(v, ind.unit, lg, ind.decimals, na=t("label.no_data", lg))
                                     for v in cw["derived_value"]],
        t("col.rank", lg): [crosswalk.derived_rank_text(r, o, len(cw), lg) or t("label.no_rank", lg)
                            for r, o in zip(cw["derived_rank"], cw["derived_of"], strict=True)],
        t("col.n_with_data", lg): [f"{k}/{n}" for k, n in zip(cw["n_with_data"], cw["n_former"], strict=True)],
        t("label.derived", lg): cw[f"label_{lg}"],
    })
    raw = cw.drop(columns=["value", "display_rank", "display_of", "rank_source"])
    ctx = lambda: notices.context_box(ind, lg, year=year, extra=[t("label.derived_note", lg)])  # noqa: E731
    mfig = map_view.map_figure(cw, ind, year, lg, width=chart_blocks.layout_width(), level="province", vintage="2025", title=title, subtitle=subtitle,
                        home_id=new_id)
    if mfig is not None:
        chart_blocks.chart(mfig, lg, key="rg_map", stem=stem + "_map", table=table, table_raw=raw, meta=meta, indicator_id=iid,
                level="province", scope="national", year=year, context=ctx)
    bar = cache.figure(charts.ranking_bar, cw, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=subtitle, source=page_text.source_text(ind, lg),
                             home_id=new_id, unit=ind.unit, decimals=ind.decimals,
                             descending=ind.direction != "lower_is_better",
                             notes=t("label.computed_rank_note", lg))
    chart_blocks.chart(bar, lg, key="rg_bar", stem=stem, table=table, table_raw=raw, meta=meta, indicator_id=iid,
            level="province", scope="national", year=year, context=ctx)

    # ---------------------------------------------------------------- all 34 and their former provinces
    st.subheader(t("page.reorg.all_provinces", lg), anchor=False)
    rows = []
    for uid in state.sort_units(new_provs):
        u = reg.units_by_id[uid]
        former = [reg.units_by_id[p].short_name for p in pred.get(uid, []) if reg.units_by_id[p].level == "province"]
        rows.append({t("label.new_unit", lg): u.short_name, t("col.n_former", lg): len(former),
                     t("col.former_units", lg): ", ".join(former)})
    all34 = pd.DataFrame(rows)
    st.dataframe(all34, hide_index=True, width="stretch")
    chart_blocks.table_downloads(all34, {"title": t("page.reorg.all_provinces", lg)}, lg, key="rg_all34",
                      indicator_id="sap-xep-2025" if lg == "vi" else "reorganisation-2025", level="province",
                      scope=None, year=2025)

    # ---------------------------------------------------------------- communes of the chosen new province
    st.subheader(f"{t('page.reorg.communes', lg)} · {nu.short_name}", anchor=False)
    communes = [c.unit_id for c in reg.units(level="commune", vintage="2025", province_id=new_id)]
    crow = []
    for cid in state.sort_units(communes):
        c = reg.units_by_id[cid]
        former = [reg.units_by_id[p] for p in pred.get(cid, [])]
        crow.append({t("label.new_unit", lg): c.name, t("col.type", lg): c.type_vi if lg == "vi" else c.type_en,
                     t("col.n_former", lg): len(former),
                     t("col.former_units", lg): "; ".join(state.unit_label(f) for f in former)})
    ctable = pd.DataFrame(crow)
    st.caption(t("label.rows", lg, n=len(ctable)))
    st.dataframe(ctable, hide_index=True, width="stretch", height=360)
    chart_blocks.table_downloads(ctable, {"title": f"{t('page.reorg.communes', lg)} · {nu.short_name}"}, lg, key="rg_communes",
                      indicator_id="sap-xep-2025" if lg == "vi" else "reorganisation-2025", level="commune",
                      scope=nu.short_name, year=2025)


page.run_page(render)
