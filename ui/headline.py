"""The headline cards (score, x/N with its kind, rank change beside the score change, band) and the
note shown where sources disagree."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import sources
from analytics.catalog import Indicator
from analytics.comparison import Comparison
from analytics.fmt import fmt_rank, fmt_rank_change, fmt_signed, fmt_value, is_missing
from analytics.i18n import t
from ui import cache
from ui.page_text import rank_kind_text, rank_text


def headline(ind: Indicator, row: pd.Series | None, lang: str, *, name: str, year: int,
             trend_row: pd.Series | None = None, since: Comparison | None = None) -> None:
    """Score, x/N (with its kind), rank change beside the score change, band — or an honest "no data".

    ``since`` (``analytics.comparison.change_since``): the edition compared against and whether the change
    is comparable, the decision the findings read too; without it, the ranking frame's previous edition."""
    if row is None or (is_missing(row.get("value")) and is_missing(row.get("display_rank"))):
        st.info(t("notice.no_data_year", lang, indicator=ind.label(lang, short=True), year=year, name=name),
                icon=":material/info:")
        return
    value = row.get("value")
    c1, c2, c3, c4 = st.columns(4)
    if since is not None:   # the locality's own previous figure, as the findings say it
        prev_year, vchange, rchange, comparable = (since.prev_year, since.value_change, since.rank_change,
                                                   since.comparable)
    else:
        prev_year, vchange, rchange, comparable = (row.get("prev_year"), row.get("value_change"),
                                                   row.get("rank_change"), row.get("comparable"))
    score_delta = None
    if not is_missing(vchange):
        score_delta = fmt_signed(vchange, lang, ind.decimals)
    c1.metric(t("label.score", lang), fmt_value(value, ind.unit, lang, ind.decimals, na=t("label.no_data", lang)),
              delta=score_delta, delta_arrow="off", delta_color="normal" if ind.direction != "lower_is_better"
              else "inverse", border=True,
              delta_description=t("label.since_year", lang, year=int(prev_year)) if score_delta and
              not is_missing(prev_year) else None)
    rt = rank_text(row.get("display_rank"), row.get("display_of"), row.get("rank_source"), lang)
    among = None
    if (row.get("rank_source") == "computed" and not bool(row.get("complete"))
            and not is_missing(row.get("display_rank"))):
        # a rank computed over a partial table is not an official x/N: say it is not published, and where
        # the locality stands among the units that have a score
        among = t("brief.among_scores", lang, rank=int(row.get("display_rank")), n=int(row.get("display_of")))
        rt = t("brief.not_published", lang)
    c2.metric(t("label.rank", lang), rt, border=True, delta=among, delta_color="off", delta_arrow="off",
              help=rank_kind_text(row.get("rank_source"), row.get("rank_basis"), lang) or None)
    kind = rank_kind_text(row.get("rank_source"), row.get("rank_basis"), lang)
    if not is_missing(rchange):
        rc_text = fmt_rank_change(rchange, lang)
        c3.metric(t("label.rank_change", lang), rc_text, border=True, delta_arrow="off",
                  delta=(t("label.score_change_beside", lang, change=score_delta, year=int(prev_year))
                         if score_delta else t("label.since_year", lang, year=int(prev_year))), delta_color="off")
    else:
        reason = t("label.no_previous", lang) if is_missing(prev_year) else t("label.not_comparable", lang)
        c3.metric(t("label.rank_change", lang), "—", border=True, delta=reason, delta_color="off", delta_arrow="off",
                  help=(trend_row.get("break_note") if trend_row is not None and
                        not is_missing(trend_row.get("break_note")) else None))
    band = row.get("band")
    quart = row.get("quartile")
    c4.metric(t("label.band", lang), "—" if is_missing(band) else str(band), border=True,
              delta=None if is_missing(quart) else t("label.quartile_group", lang, q=int(quart), desc=t(f"label.quartile_desc_{int(quart)}", lang)), delta_color="off",
              delta_arrow="off")
    caps = []
    if kind:
        caps.append(f"{rt} · {kind}")
    if not is_missing(comparable) and not bool(comparable) and not is_missing(prev_year):
        caps.append(f"{t('label.not_comparable', lang)} ({int(prev_year)}→{year})")
    if caps:
        st.caption(" · ".join(caps))


def conflict_note(indicator_id: str, unit_id: str, year: int, lang: str, ind: Indicator) -> None:
    """Where sources disagree: say so, and show every figure with its source."""
    obs = cache.observations(indicator_id, unit_id, year)
    if obs.empty or (obs["status"] == "alternative").sum() == 0:
        return
    st.warning(t("label.conflict", lang), icon=":material/rule:")
    with st.expander(t("label.conflict_values", lang)):
        view = pd.DataFrame({
            t("col.value", lang): [fmt_value(v, ind.unit, lang, ind.decimals, na=t("label.no_data", lang))
                                   for v in obs["value"]],
            t("col.official_rank", lang): [fmt_rank(r, None, lang) for r in obs["official_rank"]],
            t("col.status", lang): [t("label.status_alternative", lang) if s == "alternative"
                                    else t("label.kind_published", lang) for s in obs["status"]],
            t("col.publisher", lang): [sources.publisher_of(str(u), lang) or sources.host_of(str(u)) or str(u)
                                       for u in obs["source_url"].fillna("")],
            t("col.source_url", lang): [   # never a link to a mirror copy
                "" if sources.mirror_of(str(u)) else u for u in obs["source_url"].fillna("")],
            t("col.note", lang): obs["note"].fillna(""),
        })
        st.dataframe(view, hide_index=True, width="stretch",
                     column_config={t("col.source_url", lang): st.column_config.LinkColumn()})
