"""Dữ liệu & nguồn / Data and sources: indicator definitions, method notes, series breaks, sources
with links, the coverage matrix (indicator × year: full, partial, none), the published-vs-computed
rank check, and downloads of everything.

URL keys: ``d_ind``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.fmt import fmt_date, fmt_value, is_missing
from analytics.i18n import t
from figures import tables as ft
from ui import audit_view, auth, cache, chart_blocks, page, page_text, state


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    state.page_header(lg)
    roots = [i.id for i in cat.roots()]
    iid = state.indicator_picker("d_ind", lg, roots, default="par_index")
    ind = cat.get(iid)

    # ---------------------------------------------------------------- all indicators
    st.subheader(t("page.data.indicators", lg), anchor=False)
    years = {i: cache.years_with_data(i) for i in roots}
    overview = pd.DataFrame([{
        t("col.indicator", lg): cat.get(i).label(lg, short=True),
        t("label.definition", lg): cat.get(i).label(lg),
        t("label.unit", lg): cat.get(i).unit,
        t("label.level", lg): t(f"level.{cat.get(i).levels[0]}", lg),
        t("label.vintage", lg): t(f"vintage.{cat.get(i).vintage}", lg),
        t("picker.years", lg): (f"{years[i][0]}–{years[i][-1]} ({len(years[i])})" if years[i] else "—"),
        t("label.publisher", lg): cat.get(i).publisher.get(lg, ""),
        t("col.source_url", lg): cat.get(i).source_url,
    } for i in roots])
    st.dataframe(overview, hide_index=True, width="stretch",
                 column_config={t("col.source_url", lg): st.column_config.LinkColumn()})
    chart_blocks.table_downloads(overview, {"title": t("page.data.indicators", lg)}, lg, key="ds_indicators",
                      indicator_id="chi-so" if lg == "vi" else "indicators", level=None, scope=None, year=None)

    # ---------------------------------------------------------------- one indicator in full
    st.subheader(ind.label(lg), anchor=False)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown(f"**{page_text.md(t('label.publisher', lg))}:** {page_text.md_link(ind.publisher.get(lg, ''), ind.source_url)}")
        if ind.release:
            st.markdown(f"**{page_text.md(t('page.data.published_date', lg))}:** {page_text.md(ind.release.get(lg, ''))}")
        scale = ind.scale
        rng = ""
        if scale.min is not None and scale.max is not None:
            rng = f" ({fmt_value(scale.min, None, lg, 0)}–{fmt_value(scale.max, None, lg, 0)})"
        direction = {"higher_is_better": t("label.direction_higher", lg),
                     "lower_is_better": t("label.direction_lower", lg)}.get(ind.direction or "", "")
        st.markdown(f"**{page_text.md(t('label.unit', lg))}:** {page_text.md(ind.unit + rng)}" + (f" · {page_text.md(direction)}"
                                                                                  if direction else ""))
        notes = ind.notes(lg)
        if notes:
            st.markdown(f"**{page_text.md(t('label.method_notes', lg))}**")
            for n in notes:
                st.markdown(f"- {page_text.md(n)}")
        if ind.series_breaks:
            st.markdown(f"**{page_text.md(t('label.series_break', lg))}**")
            for b in ind.series_breaks:
                st.markdown(f"- **{b.year}:** {page_text.md(b.text(lg))}")
        kids = cat.children(iid)
        if kids:
            st.markdown(f"**{page_text.md(t('page.profile.components', lg))}:** "
                        + page_text.md(", ".join(k.label(lg, short=True) for k in kids)))
    with right:
        eds = pd.DataFrame([{
            t("col.year", lg): str(y),
            t("page.data.n_ranked", lg): "—" if not e.n_ranked else str(e.n_ranked),
            t("page.data.published_top", lg): "—" if not e.published_top else str(e.published_top),
            t("page.data.published_date", lg): fmt_date(e.published, lg) if e.published else "—",
            t("col.note", lg): e.note or "",
        } for y, e in sorted(ind.editions.items(), reverse=True)])
        st.markdown(f"**{page_text.md(t('page.data.editions', lg))}**")
        if len(eds):
            st.dataframe(eds, hide_index=True, width="stretch")
        if ind.bands:
            st.markdown(f"**{page_text.md(t('label.band', lg))}**")
            for period in ind.bands:
                span = f"{period.start}–{period.end or ''}"
                grades = "; ".join(f"{g.label}: {_band_range(g, lg)}" for g in period.grades)
                st.markdown(f"- {page_text.md(span)}: {page_text.md(grades)}")
        if ind.published_averages:
            st.markdown(f"**{page_text.md(t('label.published_average', lg))}**")
            for a in ind.published_averages:
                st.markdown(f"- {a.year}: {page_text.md_link(fmt_value(a.value, ind.unit, lg, ind.decimals), a.source_url)}")

    # ---------------------------------------------------------------- coverage
    st.subheader(t("page.data.coverage", lg), anchor=False)
    cov = cache.coverage_table()
    order = {i: k for k, i in enumerate(roots)}
    cov = cov[cov["indicator_id"].isin(roots)].sort_values(["indicator_id", "year"],
                                                           key=lambda c: c.map(order) if c.name == "indicator_id" else c)
    matrix = _coverage_matrix(cov, lg)
    st.dataframe(matrix, hide_index=True, width="stretch")
    st.caption(" · ".join([
        f"● {t('page.data.coverage_full', lg)}", f"◐ {t('page.data.coverage_partial', lg)}",
        f"· {t('page.data.coverage_none', lg)}", t("page.data.coverage_legend", lg)]))
    chart_blocks.table_downloads(cov, {"title": t("page.data.coverage", lg)}, lg, key="ds_coverage",
                      indicator_id="do-phu" if lg == "vi" else "coverage", level=None, scope=None, year=None)

    # ---------------------------------------------------------------- rank check
    st.subheader(t("page.data.rank_check", lg), anchor=False)
    bad, agree = cache.rank_check_tables()
    if bad.empty:
        st.success(t("label.rank_check_ok", lg), icon=":material/check_circle:")
    else:
        st.dataframe(ft.localise_columns(bad, lg), hide_index=True, width="stretch")
    if len(agree):
        st.markdown(f"**{page_text.md(t('page.data.agreement', lg))}**")
        view = agree.copy()
        view["indicator_id"] = [state.indicator_label(i, lg) if i in cat else i for i in view["indicator_id"]]
        st.dataframe(ft.localise_columns(view, lg), hide_index=True, width="stretch")
    chart_blocks.table_downloads(pd.concat([bad.assign(kind="disagreement"), agree.assign(kind="agreement")]),
                      {"title": t("page.data.rank_check", lg)}, lg, key="ds_rankcheck",
                      indicator_id="doi-chieu-thu-hang" if lg == "vi" else "rank-check", level=None, scope=None,
                      year=None)

    # ---------------------------------------------------------------- downloads of everything
    st.subheader(t("page.data.downloads", lg), anchor=False)
    # every observation is read only when a download is clicked (millions of rows at national scale)
    counts = cache.observation_counts()
    n_all = sum(counts.values())
    st.caption(f"{t('page.data.all_observations', lg)} · {t('label.rows', lg, n=n_all)}")
    chart_blocks.table_downloads(cache.all_observations, {"title": t("page.data.all_observations", lg),
                                               "notes": t("label.computed_rank_note", lg)}, lg, key="ds_all",
                      indicator_id="chiso" if lg == "vi" else "chiso-all", level=None, scope=None, year=None,
                      n_rows=n_all)
    n_one = sum(n for i, n in counts.items() if str(i).startswith(iid))
    st.caption(f"{ind.label(lg)} · {t('label.rows', lg, n=n_one)}")
    chart_blocks.table_downloads(lambda: _one(iid), {"title": ind.label(lg), "indicator": ind.label(lg), "unit": ind.unit,
                                          "source": ind.publisher.get(lg), "source_url": ind.source_url}, lg,
                      key="ds_one", indicator_id=iid, level=ind.levels[0], scope=None, year=None, n_rows=n_one)
    imp = cache.imports()
    if len(imp):   # the import log: viewers see dates, file hashes and row counts only (ui.audit_view)
        st.caption(t("page.import.title", lg))
        st.dataframe(audit_view.import_audit(imp, lg, editor=auth.is_editor()), hide_index=True, width="stretch",
                     key="ds_import_audit")


def _one(iid: str) -> pd.DataFrame:
    obs = cache.all_observations()
    return obs[obs["indicator_id"].astype(str).str.startswith(iid)]


def _band_range(g, lg: str) -> str:
    lo = "" if g.min is None else fmt_value(g.min, None, lg, 0)
    hi = "" if g.max is None else fmt_value(g.max, None, lg, 0)
    if lo and hi:
        return f"{lo}–<{hi}"
    return f"≥ {lo}" if lo else f"< {hi}"


def _coverage_matrix(cov: pd.DataFrame, lg: str) -> pd.DataFrame:
    """Indicator × year: "● 63/63" full, "◐ 11/63" partial, "·" none — symbols as well as words, never colour."""
    if cov.empty:
        return pd.DataFrame()
    years = list(range(int(cov["year"].min()), int(cov["year"].max()) + 1))
    rows = []
    for iid, g in cov.groupby("indicator_id", sort=False):
        row = {t("col.indicator", lg): state.indicator_label(iid, lg)}
        by_year = {int(y): r for y, r in zip(g["year"], g.itertuples(index=False), strict=True)}
        for y in years:
            r = by_year.get(y)
            if r is None:
                row[str(y)] = "·"
                continue
            n = int(r.n_values) if not is_missing(r.n_values) else 0
            of = "" if is_missing(r.n_ranked) else f"/{int(r.n_ranked)}"
            mark = {"full": "●", "partial": "◐"}.get(r.coverage, "·")
            if n == 0 and not is_missing(r.n_ranks) and r.n_ranks:
                row[str(y)] = f"{mark} {int(r.n_ranks)}{of} ({t('label.ranks_only', lg)})"
            else:
                row[str(y)] = f"{mark} {n}{of}"
        rows.append(row)
    return pd.DataFrame(rows)


page.run_page(render)
