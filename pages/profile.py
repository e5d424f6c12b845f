"""Hồ sơ địa phương / Locality profile: one locality across every indicator and year — value and rank
lines with series breaks marked, components against the national mean and the leader, findings,
sources; units within a province; a notice for units that ended on 30/6/2025 (successor linked) and
for new units (former units listed and linked).

URL keys: ``p_unit``, ``p_ind``, ``p_measure``, ``p_year``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.fmt import fmt_value
from analytics.i18n import t
from figures import charts
from figures import tables as ft
from ui import cache, chart_blocks, coverage_years, headline, notices, page, page_text, state, views
from ui import explain_panel as EP

MEASURES = ["both", "value", "rank"]


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    reg = cache.registry()
    state.page_header(lg)
    options = state.locality_options()
    uid = state.unit_picker("p_unit", lg, options, default=state.home())
    u = reg.units_by_id[uid]
    name = state.unit_label(u)
    facts = cache.unit_facts(uid)
    have = [i for i in dict.fromkeys(facts.loc[facts["value"].notna() | facts["official_rank"].notna(), "indicator_id"])]
    roots = [i.id for i in cat.roots() if i.id in have]

    st.subheader(name, anchor=False)
    st.caption(" · ".join(x for x in [
        u.type_vi if lg == "vi" else u.type_en,
        t(f"vintage.{u.vintage}", lg),
        f"{t('label.valid_to', lg)} {page_text.fmt_date_or_blank(u.valid_to, lg)}" if u.valid_to else "",
    ] if x))
    notices.boundary_notice(uid, lg)

    # ---------------------------------------------------------------- every indicator, latest year
    st.subheader(t("page.profile.all_indicators", lg), anchor=False)
    summary = EP.glance_table(uid, roots, lg)
    if summary.empty:
        st.info(t("notice.no_data_year", lg, indicator=t("label.indicator", lg).lower(), year="—", name=name),
                icon=":material/info:")
    else:
        EP.show_glance(summary, lg)
        table = summary.drop(columns=[t("glance.rank_over_years", lg)])  # a sparkline is no table cell
        chart_blocks.table_downloads(table, {"title": t("label.indicators_for", lg, name=name), "scope": name}, lg,
                          key="pf_summary", indicator_id="ho-so", level=u.level, scope=name, year=None)

    # ---------------------------------------------------------------- one indicator over time
    derived_ids = _derived_options(uid) if u.vintage == "2025" else []
    ind_options = roots + [i for i in derived_ids if i not in roots]
    if not ind_options:
        _children(uid, lg)
        return
    iid = state.indicator_picker("p_ind", lg, ind_options, default=_default_indicator(facts, roots, ind_options))
    ind = cat.get(iid)
    labels = {"both": t("measure.both", lg), "value": t("measure.value", lg), "rank": t("measure.rank", lg)}
    measure = state.select(t("picker.measure", lg), MEASURES, key="p_measure", default="both",
                           format_func=lambda m: labels[m])
    st.subheader(f"{ind.label(lg, short=True)} · {t('page.profile.trends', lg)}", anchor=False)
    if iid in roots:
        tr = cache.trend(iid, uid, lg)
        _trend_chart(tr, ind, uid, name, measure, lg)
        latest = tr[tr["value"].notna() | tr["rank"].notna()]
        if len(latest):
            year = int(latest["year"].max())
            for text in cache.findings(uid, iid, year, lg):
                st.markdown(f"- {page_text.md(text)}")
            if page_text.truthy(latest["has_conflict"].iloc[-1]):
                headline.conflict_note(iid, uid, year, lg, ind)
            EP.why_and_gap(uid, iid, year, lg)
            EP.brief_button(uid, iid, year, lg)
        _components(iid, uid, name, lg)
    else:
        _derived(iid, uid, name, lg)

    # ---------------------------------------------------------------- units within, sources
    _children(uid, lg)
    urls = pd.concat([facts["value_source"], facts["rank_source"]]).dropna().unique().tolist()
    with st.expander(f"{t('page.profile.sources', lg)} ({len(urls)})"):
        for url in urls:
            st.markdown(f"- {page_text.source_line(url, lg)}")


# The mission's headline indices, in the order a profile prefers them when several have a figure
HEADLINE_INDICES = ("par_index", "sipas", "dti", "dti_34", "mic_it_app", "ict_index")


def _default_indicator(facts: pd.DataFrame, roots: list[str], options: list[str]) -> str:
    """Where the profile opens: the headline index with this locality's latest published figure (the first
    in ``HEADLINE_INDICES`` of equals), else its first indicator with a figure, else the first option."""
    have = facts[facts["value"].notna() | facts["official_rank"].notna()]
    latest = have.groupby("indicator_id")["year"].max()
    mission = [i for i in HEADLINE_INDICES if i in roots and i in latest.index]
    if mission:
        return max(mission, key=lambda i: (int(latest[i]), -HEADLINE_INDICES.index(i)))
    return roots[0] if roots else options[0]


def _no_chart(ind, uid: str, name: str, lg: str) -> None:
    """Instead of an empty chart: say there is no figure, and which indicators and years this locality has."""
    facts = cache.unit_facts(uid)
    have = facts[facts["value"].notna() | facts["official_rank"].notna()]
    cat = cache.catalog()
    parts = []
    for iid, years in have.groupby("indicator_id")["year"]:
        if iid in cat and cat.get(iid).parent is None:
            ys = sorted({int(y) for y in years})
            span = str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]} ({len(ys)})"
            parts.append(f"{state.indicator_label(iid, lg)}: {span}")
    st.info(t("notice.no_chart", lg, indicator=ind.label(lg, short=True), name=name,
              exists="; ".join(parts) or "—"), icon=":material/info:")


def _trend_chart(tr: pd.DataFrame, ind, uid: str, name: str, measure: str, lg: str) -> None:
    if tr.empty or not (tr["value"].notna() | tr["rank"].notna()).any():
        _no_chart(ind, uid, name, lg)
        return
    years = tr["year"].astype(int)
    title = f"{name} · {ind.label(lg, short=True)} {ft.year_span(years.min(), years.max())}"
    fig = cache.figure(charts.trend_lines, tr.assign(unit_id=uid, name=name), lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=ind.label(lg),
                             source=page_text.source_text(ind, lg), measure=measure, breaks=views.break_marks(ind, lg),
                             comparators=views.series_comparators(ind.id, uid, lg), home_id=uid, unit=ind.unit,
                             decimals=ind.decimals)
    raw = tr.assign(unit_id=uid, name=name)
    meta = {"title": title, "indicator": ind.label(lg), "level": ind.levels[0], "scope": name,
            "year": (int(years.min()), int(years.max())), "unit": ind.unit, "source": ind.publisher.get(lg),
            "source_url": ind.source_url}
    chart_blocks.chart(fig, lg, key="pf_trend", stem=ft.download_name(ind.id, ind.levels[0], name, None, "x", lang=lg)[:-2] + "_trend",
            table=views.trend_view(tr.assign(name=name), ind, lg), table_raw=raw, meta=meta, indicator_id=ind.id,
            level=ind.levels[0], scope=name, year=(int(years.min()), int(years.max())),
            context=lambda: notices.context_box(ind, lg, urls=_urls(uid, ind.id)))


def _urls(uid: str, iid: str) -> list[str]:
    f = cache.unit_facts(uid)
    return f.loc[f["indicator_id"] == iid, "value_source"].dropna().unique().tolist()[-3:]


def _components(iid: str, uid: str, name: str, lg: str) -> None:
    cat = cache.catalog()
    ind = cat.get(iid)
    if not cat.children(iid):
        return
    years = cache.component_years(iid, [uid], lg, ranks=True)
    st.subheader(t("page.profile.components", lg), anchor=False)
    if not years:
        st.caption(t("label.components_none", lg, name=name, year=max(cache.years_with_data(iid) or [0])))
        return
    year = state.year_picker("p_year", lg, years, labels=coverage_years.component_year_labels(iid, lg))
    comp = views.with_rank_labels(cache.components(iid, uid, year, lg), lg)
    lead = comp["leader_name"].dropna()
    title = f"{name} · {ind.label(lg, short=True)} {year}: {t('page.profile.components', lg).lower()}"
    fig = cache.figure(charts.component_bars, comp, lang=lg, width=chart_blocks.layout_width(), title=title, subtitle=ind.label(lg), source=page_text.source_text(ind, lg),
                                locality_name=name, leader_name=lead.iloc[0] if lead.nunique() == 1 else None,
                                unit=cat.get(comp["component_id"].iloc[0]).unit, decimals=ind.decimals)
    view = views.component_view(comp, ind, lg)
    meta = {"title": title, "indicator": ind.label(lg), "level": ind.levels[0], "scope": name, "year": year,
            "source": ind.publisher.get(lg), "source_url": ind.source_url}
    notes = []
    if not comp["ranks_complete"].fillna(False).all():
        notes.append(t("label.partial_table", lg, n=int(comp["n_values"].max()),
                       of=(ind.edition(year).n_ranked if ind.edition(year) and ind.edition(year).n_ranked else "—")))
    chart_blocks.chart(fig, lg, key="pf_comp", stem=ft.download_name(iid, ind.levels[0], name, year, "x", lang=lg)[:-2] + "_components",
            table=view, table_raw=comp, meta=meta, indicator_id=iid, level=ind.levels[0], scope=name, year=year,
            context=lambda: notices.context_box(ind, lg, year=year, extra=notes))


def _derived_options(uid: str) -> list[str]:
    """Legacy province/commune indicators with data for any former unit of a 2025 unit."""
    _, pred = cache.succession()
    former = set(pred.get(uid, []))
    have = cache.units_with_data()
    ids: list[str] = []
    for f in former:
        ids += have.get(f, [])
    cat = cache.catalog()
    return [i.id for i in cat.roots() if i.id in set(ids) and i.vintage == "legacy" and i.kind == "index"
            and i.levels[0] in ("province", "commune")]


def _derived(iid: str, uid: str, name: str, lg: str) -> None:
    """Legacy figures on a 2025 unit: derived from its former units, always labelled."""
    ind = cache.catalog().get(iid)
    st.info(t("notice.derived_data", lg), icon=":material/calculate:")
    ds = cache.derived_series(iid, uid)
    if ds.empty or ds["derived_value"].notna().sum() == 0:
        # no chart with an empty axis and live export buttons: what exists, and why nothing is derived
        _no_chart(ind, uid, name, lg)
        if len(ds):
            st.dataframe(pd.DataFrame({
                t("col.year", lg): ds["year"].astype(int).astype(str),
                t("col.n_with_data", lg): [f"{k}/{n}" for k, n in zip(ds["n_with_data"], ds["n_former"], strict=True)],
                t("label.derived", lg): ds[f"label_{lg}"],
            }), hide_index=True, width="stretch")
        return
    view = pd.DataFrame({
        t("col.year", lg): ds["year"].astype(int).astype(str),
        t("col.derived_value", lg): [fmt_value(v, ind.unit, lg, ind.decimals, na=t("label.no_data", lg))
                                     for v in ds["derived_value"]],
        t("col.n_with_data", lg): [f"{k}/{n}" for k, n in zip(ds["n_with_data"], ds["n_former"], strict=True)],
        t("label.derived", lg): ds[f"label_{lg}"],
    })
    plot = ds.rename(columns={"derived_value": "value"}).assign(unit_id=uid, name=name)
    title = f"{name} · {ind.label(lg, short=True)} ({t('label.derived', lg).lower()})"
    fig = cache.figure(charts.trend_lines, plot[["unit_id", "name", "year", "value"]], lang=lg, width=chart_blocks.layout_width(), title=title,
                             subtitle=t("label.derived_note", lg), source=page_text.source_text(ind, lg), measure="value",
                             breaks=views.break_marks(ind, lg), home_id=uid, unit=ind.unit, decimals=ind.decimals)
    meta = {"title": title, "indicator": ind.label(lg), "scope": name, "unit": ind.unit,
            "source": ind.publisher.get(lg), "source_url": ind.source_url, "notes": t("label.derived_note", lg)}
    chart_blocks.chart(fig, lg, key="pf_derived", stem=ft.download_name(iid, "province", name, None, "x", lang=lg)[:-2] + "_derived",
            table=view, table_raw=ds, meta=meta, indicator_id=iid, level="province", scope=name, year=None,
            context=lambda: notices.context_box(ind, lg, extra=[t("label.derived_note", lg)]))
    former = cache.former_units(uid, iid, int(ds["year"].max()))
    if len(former):
        st.caption(t("label.former_units", lg))
        st.dataframe(pd.DataFrame({
            t("col.name", lg): former["name"],
            t("col.value", lg): [fmt_value(v, ind.unit, lg, ind.decimals, na=t("label.no_data", lg))
                                 for v in former["value"]],
            t("col.rank", lg): [page_text.rank_text(r, o, s, lg) for r, o, s in zip(former["rank"], former["of"],
                                                                              former["rank_source"], strict=True)],
        }), hide_index=True, width="stretch")


def _children(uid: str, lg: str) -> None:
    """Units within a province (districts, wards, departments): which have figures, with links."""
    reg = cache.registry()
    kids = reg.children(uid)
    if not kids:
        return
    st.subheader(t("page.profile.children", lg), anchor=False)
    have = cache.units_with_data()
    rows = []
    for k in state.sort_units([k.unit_id for k in kids]):
        ku = reg.units_by_id[k]
        rows.append({t("col.name", lg): ku.name, t("col.type", lg): ku.type_vi if lg == "vi" else ku.type_en,
                     t("col.indicator", lg): ", ".join(state.indicator_label(i, lg) for i in have.get(k, [])
                                                       if i in cache.catalog() and cache.catalog().get(i).parent is None)
                     or "—"})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    with_data = [k for k in state.sort_units([k.unit_id for k in kids]) if k in have]
    cols = st.columns(3)
    for i, k in enumerate(with_data[:24]):
        with cols[i % 3]:
            notices.profile_link(k, lg, label=state.unit_label(reg.units_by_id[k]))


page.run_page(render)
