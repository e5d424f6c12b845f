"""Độ phủ số liệu / Data coverage: for one indicator, which localities have a value, a published rank only,
or nothing, year by year ("30/63"); the localities missing in a chosen year; an import template of the gaps
(CSV and XLSX) pre-filled with names and codes, for editors to complete with published figures.

URL keys: ``cv_ind``, ``cv_prov`` (indices a province publishes for its own units), ``cv_year``, ``cv_all``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import coverage as cv
from analytics.fmt import NA, fmt_number
from analytics.i18n import t
from figures import template as tp
from ui import cache, page, page_text, state

MARKS = {"value": "●", "rank_only": "◐", "none": NA}   # symbols as well as words, never colour alone; a gap is never 0


def render() -> None:
    lg = state.lang()
    cat = cache.catalog()
    reg = cache.registry()
    state.page_header(lg)
    st.caption(t("page.coverage.intro", lg))
    options = state.indicator_options(levels=("province", "district", "commune", "agency"), with_data=False)
    iid = state.indicator_picker("cv_ind", lg, options, default="par_index")
    ind = cat.get(iid)

    prov = None
    if ind.levels[0] != "province":
        # an index a province publishes for its own units: counted within that province
        level_units = {u.unit_id for u in reg.units(level=ind.levels[0], vintage=ind.vintage)}
        provs = sorted({reg.units_by_id[u].province_id for u, ids in cache.units_with_data().items()
                        if iid in ids and u in level_units and reg.units_by_id[u].province_id})
        if not provs:
            provs = [u.unit_id for u in reg.units(level="province", vintage=ind.vintage)]
        home = state.home()
        home_prov = reg.units_by_id[home].province_id or home if home in reg.units_by_id else None
        prov = state.unit_picker("cv_prov", lg, provs, default=home_prov if home_prov in provs else provs[0],
                                 label=t("picker.province", lg))

    cells = cache.coverage_cells(iid, prov)
    if cells.empty:
        st.info(t("error.no_indicator_data", lg), icon=":material/info:")
        return
    counts = cache.coverage_counts(iid, prov)
    labels = cv.year_labels(counts, lg)
    scope = "" if prov is None else f" · {t('page.rankings.within', lg, name=state.unit_label(reg.units_by_id[prov]))}"
    st.subheader(f"{ind.label(lg)}{scope}", anchor=False)

    # ---------------------------------------------------------------- counts per year
    st.markdown(f"**{page_text.md(t('page.coverage.per_year', lg))}**")
    per_year = pd.DataFrame({
        t("col.year", lg): counts["year"].astype(str),
        t("col.coverage_n", lg): [cv.count_label(n, of, lg) for n, of in zip(counts["n"], counts["n_of"], strict=True)],
        t("col.coverage_values", lg): counts["n_values"].astype(int),
        t("col.coverage_rank_only", lg): counts["n_rank_only"].astype(int),
    })
    st.dataframe(per_year, hide_index=True, width="stretch", height=min(38 + 35 * len(per_year), 480))
    bases = set(counts["of_basis"])
    st.caption(" · ".join(t(f"page.coverage.of_basis_{b}", lg) for b in ("edition", "units") if b in bases))

    # ---------------------------------------------------------------- units × years
    st.markdown(f"**{page_text.md(t('page.coverage.matrix', lg))}**")
    matrix = cv.status_matrix(cells)
    years = [c for c in matrix.columns if isinstance(c, int)]
    view = pd.DataFrame({t("col.code", lg): matrix["code"], t("col.name", lg): matrix["short_name"]})
    for y in years:
        view[str(y)] = matrix[y].map(MARKS)
    st.dataframe(view, hide_index=True, width="stretch", height=min(38 + 35 * len(view), 560))
    st.caption(" · ".join(f"{MARKS[s]} {t(f'label.coverage_{s}', lg)}" for s in cv.STATUSES))

    # ---------------------------------------------------------------- gaps of one year
    default_year = max(years)
    # the URL holds the plain year (a label with counts would change with every import and break links)
    year = state.select(t("picker.year", lg), sorted(years, reverse=True), key="cv_year", default=default_year,
                        format_func=lambda y: labels.get(y, str(y)), container=st, url_value=str)
    missing = cv.missing_units(cells, year)
    row = counts.set_index("year").loc[year]
    st.markdown(f"**{page_text.md(t('page.coverage.missing', lg, year=year))}** · "
                f"{page_text.md(t('label.with_data', lg, n=fmt_number(row['n_values'], lg, 0), of=fmt_number(row['n_of'], lg, 0)))}"
                + (f" · {page_text.md(t('label.rank_only_n', lg, n=int(row['n_rank_only'])))}" if row["n_rank_only"] else ""))
    if missing.empty:
        st.success(t("page.coverage.none_missing", lg, year=year), icon=":material/check_circle:")
    else:
        st.dataframe(pd.DataFrame({t("col.code", lg): missing["code"], t("col.name", lg): missing["name"]}),
                     hide_index=True, width="stretch", height=min(38 + 35 * len(missing), 400))

    # ---------------------------------------------------------------- import template
    st.subheader(t("page.coverage.template", lg), anchor=False)
    every_year = state.toggle(t("page.coverage.template_years", lg) + f": {years[0]}–{years[-1]}",
                              key="cv_all", default=False, container=st)
    gaps = cells[cells["status"] == "none"] if every_year else missing
    if gaps.empty:
        return
    t_years = sorted({int(y) for y in gaps["year"]})
    st.caption(t("page.coverage.template_help", lg, n=len(gaps)))
    title = f"{t('template.title', lg)} · {ind.label(lg)}{scope} · {'; '.join(labels[y] for y in t_years)}"
    code = reg.units_by_id[prov].code if prov else None
    c1, c2 = st.columns(2)
    c1.download_button(t("download.template_xlsx", lg),
                       data=lambda: tp.template_xlsx(tp.template_frame(gaps, iid), lang=lg, title=title),
                       file_name=tp.template_name(iid, t_years, "xlsx", scope=code),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="cv_template_xlsx", on_click="ignore", icon=":material/table:")
    c2.download_button(t("download.template_csv", lg), data=lambda: tp.template_csv(tp.template_frame(gaps, iid)),
                       file_name=tp.template_name(iid, t_years, "csv", scope=code), mime="text/csv",
                       key="cv_template_csv", on_click="ignore", icon=":material/download:")


page.run_page(render)
