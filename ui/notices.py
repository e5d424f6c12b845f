"""Boxes and notices around a chart: the context box (definition, unit, source, notes, breaks), links
to a profile, and the 2025 boundary-change notices."""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from analytics.catalog import Indicator
from analytics.fmt import fmt_date, fmt_value, is_missing
from analytics.i18n import t
from ui import cache, state
from ui.nav import PAGE_PATH
from ui.page_text import md, md_link, source_line


def context_box(ind: Indicator, lang: str, *, year: int | None = None, urls: Iterable[str] = (),
                extra: Iterable[str] = ()) -> None:
    """Definition, unit, direction, source with link, edition facts, method notes and series breaks."""
    with st.container(border=True):
        st.markdown(f"**{md(t('label.chart_context', lang))}**")
        st.markdown(f"**{md(t('label.definition', lang))}:** {md(ind.label(lang))}")
        direction = {"higher_is_better": t("label.direction_higher", lang),
                     "lower_is_better": t("label.direction_lower", lang)}.get(ind.direction or "", "")
        unit_line = f"**{md(t('label.unit', lang))}:** {md(ind.unit)}"
        scale = ind.scale_for(year) if year else ind.scale
        if scale.min is not None and scale.max is not None:
            unit_line += f" ({md(fmt_value(scale.min, None, lang, ind.decimals if ind.decimals < 3 else 0))}–"
            unit_line += f"{md(fmt_value(scale.max, None, lang, ind.decimals if ind.decimals < 3 else 0))})"
        if direction:
            unit_line += f" · {md(direction)}"
        st.markdown(unit_line)
        pub = ind.publisher.get(lang) or ind.publisher.get("vi") or ""
        st.markdown(f"**{md(t('label.source', lang))}:** {md_link(pub, ind.source_url)}")
        links = [u for u in dict.fromkeys(str(u) for u in urls if u and not is_missing(u))][:6]
        for i, u in enumerate(links, start=1):
            prefix = f"{t('label.link', lang)} {i}: "
            st.markdown(f"- {source_line(u, lang, prefix=prefix)}")
        if year is not None:
            ed = ind.edition(int(year))
            if ed is not None:
                bits = []
                if ed.n_ranked:
                    bits.append(f"{t('page.data.n_ranked', lang)}: {ed.n_ranked}")
                if ed.published:
                    bits.append(f"{t('page.data.published_date', lang)}: {fmt_date(ed.published, lang)}")
                if ed.published_top:
                    bits.append(f"{t('page.data.published_top', lang)}: {ed.published_top}")
                if bits:
                    st.caption(" · ".join(bits))
        for line in extra:
            st.caption(line)
        notes = ind.notes(lang)
        breaks = list(ind.series_breaks)
        if notes or breaks:
            with st.expander(t("label.method_notes", lang), expanded=False):
                for n in notes:
                    st.markdown(f"- {md(n)}")
                for b in breaks:
                    st.markdown(f"- **{md(t('label.series_break_year', lang, year=b.year))}:** {md(b.text(lang))}")


def profile_link(unit_id: str, lang: str, *, label: str | None = None, key_suffix: str = "") -> None:
    reg = cache.registry()
    u = reg.units_by_id.get(unit_id)
    if u is None:
        return
    lab = state.unit_label(u)
    st.page_link(PAGE_PATH["profile"], label=label or t("label.open_profile", lang, name=lab),
                 icon=":material/arrow_forward:", query_params={"p_unit": lab})


def boundary_notice(unit_id: str, lang: str) -> None:
    """A unit that ended on 30/6/2025 names its successor(s) with links; a new unit lists its former units."""
    reg = cache.registry()
    u = reg.units_by_id.get(unit_id)
    if u is None:
        return
    succ = reg.successors_of(unit_id)
    if u.vintage == "legacy" and u.valid_to is not None and succ:
        names = [state.unit_label(s) for s, _, _ in succ]
        if len(succ) == 1:
            st.warning(t("notice.unit_ended", lang, name=state.unit_label(u), successor=names[0]),
                       icon=":material/history:")
        else:
            st.warning(t("notice.unit_ended_split", lang, name=state.unit_label(u), successors=", ".join(names)),
                       icon=":material/history:")
        cols = st.columns(min(len(succ), 4))
        for i, (s, _, _) in enumerate(succ[:8]):
            with cols[i % len(cols)]:
                profile_link(s.unit_id, lang)
    preds = [p for p in reg.predecessors_of(unit_id) if p[0].level == u.level]
    if u.vintage == "2025" and preds:
        former = [state.unit_label(p) for p, _, _ in preds]
        shown = ", ".join(former[:12]) + ("…" if len(former) > 12 else "")
        st.info(t("notice.unit_new", lang, name=state.unit_label(u), former=shown), icon=":material/merge:")
        cols = st.columns(min(len(preds), 4))
        for i, (p, _, _) in enumerate(preds[:8]):
            with cols[i % len(cols)]:
                profile_link(p.unit_id, lang)
