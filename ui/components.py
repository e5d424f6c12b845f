"""Reusable layout pieces: page guard, headline cards, context box, chart block with exports and
table downloads, boundary-change notices. No caching here (see ui.cache); no raw HTML anywhere."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.catalog import Indicator
from analytics.fmt import fmt_date, fmt_rank, fmt_rank_change, fmt_signed, fmt_value, is_missing
from analytics.i18n import t
from figures import downloads as fd
from figures import export as fx
from figures import tables as ft
from ui import cache, state
from ui.nav import PAGE_PATH

log = logging.getLogger("chiso.ui")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def md(text: Any) -> str:
    """Escape text for st.markdown (names and notes from data files are never interpreted)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def md_link(label: Any, url: Any) -> str:
    """A markdown link to an http(s) URL; anything else is shown as escaped text."""
    u = str(url or "").strip()
    if not re.match(r"^https?://[^\s()<>]+$", u):
        return md(label)
    return f"[{md(label)}]({u})"


def source_line(label: str, url: str, lang: str) -> str:
    """A source link, except for unofficial mirror copies (data/source_mirrors.csv): those name the
    original publisher and show the address as plain text, so the product never links to such sites."""
    mirror = cache.source_mirrors().get(_host(url))
    if mirror is None:
        return md_link(label, url)
    original = mirror["original_vi" if lang == "vi" else "original_en"]
    return md(t("label.mirror_source", lang, original=original, host=_host(url)))


# ---------------------------------------------------------------------------------- page guard
def run_page(render: Callable[[], None]) -> None:
    """Run a page body; an unexpected error shows a friendly message instead of a traceback.

    With ``CHISO_DEBUG=1`` (tests, development) the error is re-raised so it is never hidden."""
    lg = state.lang()
    if not cache.db_available():
        st.error(t("app.no_database", lg), icon=":material/database:")
        return
    try:
        render()
    except Exception:
        log.exception("page failed")
        if os.environ.get("CHISO_DEBUG"):
            raise
        st.error(t("app.error_unexpected", lg), icon=":material/error:")


def truthy(x: Any) -> bool:
    """True only for a real true value (None, NaN and pandas NA are False)."""
    return not is_missing(x) and bool(x)


def fmt_date_or_blank(d: Any, lang: str) -> str:
    return fmt_date(d, lang) if d else ""


def show_downloads() -> bool:
    return not state.presentation()


# ---------------------------------------------------------------------------------- formatting
def rank_kind_text(rank_source: Any, rank_basis: Any, lang: str) -> str:
    if is_missing(rank_source):
        return ""
    if rank_source == "published":
        if rank_basis == "listing_order":
            return t("label.rank_kind_listing", lang)
        return t("label.rank_kind_published", lang)
    return t("label.rank_kind_computed", lang)


def rank_text(rank: Any, of: Any, rank_source: Any, lang: str) -> str:
    text = fmt_rank(rank, of, lang, na=t("label.no_rank", lang))
    if rank_source == "computed" and not is_missing(rank):
        text += "*"
    return text


def source_text(ind: Indicator, lang: str) -> str:
    """The in-figure source line: publisher and portal."""
    pub = ind.publisher.get(lang) or ind.publisher.get("vi") or ""
    return f"{pub} ({ind.source_url})"



# ---------------------------------------------------------------------------------- downloads
def table_downloads(df: pd.DataFrame | Callable[[], pd.DataFrame], meta: dict, lang: str, *, key: str,
                    indicator_id: str, level: str | None, scope: str | None, year: Any,
                    n_rows: int | None = None) -> None:
    """CSV (UTF-8 with BOM, header block) and XLSX of a table; built only when clicked.

    ``df`` may be a zero-argument callable (with ``n_rows`` for the label): large tables are then only
    read when a download is clicked, never on a normal script run."""
    if not show_downloads() or df is None:
        return
    csv_name = ft.download_name(indicator_id, level, scope, year, "csv", lang=lang)
    xlsx_name = ft.download_name(indicator_id, level, scope, year, "xlsx", lang=lang)
    if callable(df):
        get, n = df, n_rows
    else:
        data = df.copy()
        get, n = (lambda: data), len(data)
    c1, c2, c3 = st.columns(3)
    c1.download_button(
        f"{t('download.csv', lang)} · {t('label.rows', lang, n=n)}",
        data=lambda: fd.to_csv_bytes(get(), meta, lang), file_name=csv_name, mime="text/csv",
        key=f"{key}_csv", help=t("download.help_csv", lang), on_click="ignore", icon=":material/download:")
    c3.download_button(
        t("download.csv_zip", lang), data=lambda: fd.to_csv_zip_bytes(get(), meta, lang, csv_name),
        file_name=csv_name[:-4] + ".zip", mime="application/zip", key=f"{key}_zip", on_click="ignore",
        icon=":material/folder_zip:")
    c2.download_button(
        t("download.xlsx", lang), data=lambda: fd.to_xlsx_bytes(get(), meta, lang), file_name=xlsx_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
        on_click="ignore", icon=":material/table:")


def export_row(fig: go.Figure, lang: str, *, key: str, stem: str) -> None:
    """Press export of a chart: PNG wide/square at 2× and SVG, rendered only when clicked."""
    if not show_downloads():
        return
    c1, c2, c3 = st.columns(3)
    c1.download_button(t("label.export_png_wide", lang), data=lambda: fx.to_png(fig, "wide", lang=lang),
                       file_name=fx.image_name(stem, "wide", "png"), mime="image/png", key=f"{key}_png_wide",
                       on_click="ignore", icon=":material/image:")
    c2.download_button(t("label.export_png_square", lang), data=lambda: fx.to_png(fig, "square", lang=lang),
                       file_name=fx.image_name(stem, "square", "png"), mime="image/png",
                       key=f"{key}_png_square", on_click="ignore", icon=":material/crop_square:")
    c3.download_button(t("label.export_svg", lang), data=lambda: fx.to_svg(fig, "wide", lang=lang),
                       file_name=fx.image_name(stem, "wide", "svg"), mime="image/svg+xml", key=f"{key}_svg",
                       on_click="ignore", icon=":material/draw:")


def alt_text(fig: go.Figure) -> str:
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return str(meta.get("alt") or "")


def chart(fig: go.Figure, lang: str, *, key: str, stem: str, table: pd.DataFrame | None = None,
          table_raw: pd.DataFrame | None = None, meta: dict | None = None, indicator_id: str = "",
          level: str | None = None, scope: str | None = None, year: Any = None,
          context: Callable[[], None] | None = None, expanded_table: bool = False) -> None:
    """A chart with its alt text, its table alternative, press export and downloads; ``context``
    (definition, unit, source, notes, breaks) is drawn in a column beside it."""
    if context is not None and not state.presentation():
        left, right = st.columns([3, 1], gap="medium")
    else:
        left, right = st.container(), None
    with left:
        st.plotly_chart(fig, key=f"{key}_chart", alt=alt_text(fig) or None, width="stretch", theme=None,
                        config={"displaylogo": False, "toImageButtonOptions": {
                            "format": "png", "filename": stem, "width": 1920, "height": 1080, "scale": 2}})
        export_row(fig, lang, key=key, stem=stem)
        if table is not None:
            with st.expander(t("label.table_view", lang), expanded=expanded_table):
                st.dataframe(table, hide_index=True, width="stretch")
                table_downloads(table_raw if table_raw is not None else table, meta or {}, lang, key=key,
                                indicator_id=indicator_id or stem, level=level, scope=scope, year=year)
    if right is not None:
        with right:
            context()


# ---------------------------------------------------------------------------------- context box
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
            host = _host(u)
            link_label = f"{t('label.link', lang)} {i}: {host if len(host) <= 48 else host[:45] + '…'}"
            st.markdown(f"- {source_line(link_label, u, lang)}")
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


def _host(url: str) -> str:
    m = re.match(r"^https?://([^/]+)", url)
    return m.group(1) if m else url


# ---------------------------------------------------------------------------------- headline
def headline(ind: Indicator, row: pd.Series | None, lang: str, *, name: str, year: int,
             trend_row: pd.Series | None = None) -> None:
    """Score, x/N (with its kind), rank change beside the score change, band — or an honest "no data"."""
    if row is None or (is_missing(row.get("value")) and is_missing(row.get("display_rank"))):
        st.info(t("notice.no_data_year", lang, indicator=ind.label(lang, short=True), year=year, name=name),
                icon=":material/info:")
        return
    value = row.get("value")
    c1, c2, c3, c4 = st.columns(4)
    prev_year = row.get("prev_year")
    vchange = row.get("value_change")
    rchange = row.get("rank_change")
    comparable = row.get("comparable")
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
                         if score_delta else None), delta_color="off")
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
            t("col.source_url", lang): [
                "" if cache.source_mirrors().get(_host(str(u))) else u for u in obs["source_url"].fillna("")],
            t("col.note", lang): obs["note"].fillna(""),
        })
        st.dataframe(view, hide_index=True, width="stretch",
                     column_config={t("col.source_url", lang): st.column_config.LinkColumn()})


# ---------------------------------------------------------------------------------- notices
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


# ---------------------------------------------------------------------------------- benchmarks
BENCH_KEYS = {
    "published_average": "label.published_average",
    "national_mean": "label.national_average",
    "national_median": "label.national_median",
    "national_best": "label.leader",
    "national_worst": "label.last_place",
    "region_mean": "label.region_average",
    "parent_mean": "label.parent_average",
}


def chart_comparators(bench: pd.DataFrame, lang: str) -> list[dict]:
    """Comparator lines for the charts (analytics.benchmarks.comparators): published or complete national
    average, region/parent mean, the leader; each labelled, computed ones marked as such."""
    from analytics.benchmarks import comparators

    regs = cache.regions()
    rnames = dict(zip(regs["region_id"], regs["name_vi" if lang == "vi" else "name_en"], strict=True))
    out = []
    for c in comparators(bench):
        c = dict(c)
        if c["kind"] == "leader":
            c["label"] = t("label.leader_named", lang, name=c.get("name") or "—")
        elif c["kind"] == "region":
            c["label"] = f"{t('label.region_average', lang)} ({rnames.get(c.get('scope_id'), c.get('scope_id'))})"
        elif c["kind"] == "national":
            c["label"] = t("label.national_average", lang) + (
                "" if c.get("source") == "published" else f" ({t('label.kind_computed', lang).lower()})")
        out.append(c)
    return out


def benchmark_view(bench: pd.DataFrame, ind: Indicator, lang: str) -> pd.DataFrame:
    """The benchmarks as a readable table: what, value, published/computed, n of N, who (best/worst)."""
    regs = cache.regions()
    rnames = dict(zip(regs["region_id"], regs["name_vi" if lang == "vi" else "name_en"], strict=True))
    rows = []
    for _, b in bench.iterrows():
        if b["source"] != "published" and (is_missing(b.get("complete")) or not bool(b.get("complete"))):
            continue  # a mean, median, leader or last place of a partial table is not a national comparator
        label = t(BENCH_KEYS.get(b["benchmark"], "label.value"), lang)
        if b["benchmark"] == "region_mean" and not is_missing(b.get("scope_id")):
            label += f" ({rnames.get(b['scope_id'], b['scope_id'])})"
        n, nr = b.get("n"), b.get("n_ranked")
        national = str(b["benchmark"]).startswith("national")
        cover = "—" if is_missing(n) else (f"{int(n)}/{int(nr)}" if national and not is_missing(nr) else str(int(n)))
        rows.append({
            t("label.scope", lang): label,
            t("col.value", lang): fmt_value(b["value"], ind.unit, lang, ind.decimals),
            t("col.kind", lang): t("label.kind_published" if b["source"] == "published" else "label.kind_computed", lang),
            t("col.n_with_data", lang): cover,
            t("col.name", lang): "" if is_missing(b.get("name")) else str(b["name"]),
            t("col.source_url", lang): "" if is_missing(b.get("source_url")) else str(b["source_url"]),
        })
    return pd.DataFrame(rows)


def series_comparators(indicator_id: str, unit_id: str, lang: str, *, region: bool = True) -> list[dict]:
    """Per-year comparator lines for trend charts: the national average (published, else the mean of a
    complete table), the region mean and the parent mean (complete tables only)."""
    bs = cache.benchmark_series(indicator_id, unit_id)
    if bs.empty:
        return []
    complete = bs["complete"].fillna(False).astype(bool)
    nat = {}
    for y, pub, mean, ok in zip(bs["year"], bs["published_average"], bs["national_mean"], complete, strict=True):
        if not is_missing(pub):
            nat[int(y)] = float(pub)
        elif ok and not is_missing(mean):
            nat[int(y)] = float(mean)
    out = [{"kind": "national", "values": nat}] if nat else []
    reg = cache.registry()
    u = reg.units_by_id.get(unit_id)
    if region and u is not None and u.level == "province":
        vals = {int(y): float(v) for y, v, ok in zip(bs["year"], bs["region_mean"], complete, strict=True)
                if ok and not is_missing(v)}
        if vals:
            regs = cache.regions()
            rnames = dict(zip(regs["region_id"], regs["name_vi" if lang == "vi" else "name_en"], strict=True))
            out.append({"kind": "region", "values": vals,
                        "label": f"{t('label.region_average', lang)} ({rnames.get(u.region_id, u.region_id)})"})
    if u is not None and u.level != "province":
        vals = {int(y): float(v) for y, v in zip(bs["year"], bs["parent_mean"], strict=True) if not is_missing(v)}
        if vals:
            out.append({"kind": "parent", "values": vals})
    return out


def break_marks(ind: Indicator, lang: str) -> list[dict]:
    """Series breaks for the trend builders: a dashed line labelled "Gãy chuỗi 2016"."""
    return [{"year": b.year, "label": t("label.series_break_year", lang, year=b.year)} for b in ind.series_breaks]


def trend_view(df: pd.DataFrame, ind: Indicator, lang: str) -> pd.DataFrame:
    """Table alternative of a trend chart: year, value, x/N with its kind, changes, comparability, band."""
    d = df.copy()
    d["display_rank"] = d["rank"]
    d["display_of"] = d["of"]
    cols = [c for c in ["name", "year", "value", "display_rank", "rank_change", "value_change", "comparable",
                        "band", "rank_source"] if c in d.columns]
    out = ft.display_table(d, lang, unit=ind.unit, decimals=ind.decimals, columns=cols)
    if "break_note" in d.columns:
        out[t("label.series_break", lang)] = ["" if is_missing(x) else str(x) for x in d["break_note"]]
    return out


def component_view(comp: pd.DataFrame, ind: Indicator, lang: str) -> pd.DataFrame:
    """Table alternative of component bars: component, value, national mean, leader, gap, x/N."""
    view = ft.display_table(comp, lang, decimals=ind.decimals,
                            columns=["name", "value", "national_mean", "leader_value", "gap_to_leader"])
    view = view.rename(columns={view.columns[0]: t("label.component", lang)})
    view[t("col.rank", lang)] = [rank_text(r, o, s, lang) for r, o, s in
                                 zip(comp["rank"], comp["of"], comp["rank_source"], strict=True)]
    return view


# ---------------------------------------------------------------------------------- layout width
PHONE_WIDTH = 390  # px a phone lays a chart out for (figures wrap titles and move the legend below 600)


def layout_width() -> int | None:
    """The width to lay charts out for: phone width for a mobile browser, else None (the figures' 900 px).

    Streamlit cannot report the viewport width; the user agent ("Mobi" in every phone browser's) is the
    one signal the server has."""
    try:
        agent = st.context.headers.get("User-Agent", "") or ""
    except Exception:  # no browser session (bare mode, scripts)
        return None
    return PHONE_WIDTH if "Mobi" in agent else None


# ---------------------------------------------------------------------------------- maps
def map_figure(df: pd.DataFrame, ind: Indicator, year: int, lang: str, *, level: str, vintage: str,
               title: str, subtitle: str = "", home_id: str | None = None, province_code: str | None = None,
               value_col: str = "value", width: int | None = None) -> go.Figure | None:
    """A classed choropleth (figures.maps): the indicator's bands where it has them for that year, else
    quantiles; "no data" hatched, never the lowest colour. None when there is no boundary layer."""
    try:
        from figures import maps  # here, as before: without the maps stack a page has no map, not an error
    except ImportError:  # pragma: no cover - maps module not installed
        return None
    reg = cache.registry()
    period = ind.band_period(year)
    bands = [{"label": g.label, "min": g.min, "max": g.max} for g in period.grades] if period else None
    n_values = int(pd.to_numeric(df[value_col], errors="coerce").notna().sum())
    classification = "bands" if bands else ("quantile" if n_values >= 5 else "equal")
    home = reg.units_by_id[home_id].code if home_id and home_id in reg.units_by_id else None
    kwargs = dict(value_col=value_col, lang=lang, classification=classification, bands=bands,
                  direction=ind.direction or "higher_is_better", home=home, title=title, subtitle=subtitle,
                  source=source_text(ind, lang), province_code=province_code,
                  unit_suffix="%" if ind.unit.strip() == "%" else "", decimals=ind.decimals, width=width)
    try:
        fig = cache.figure(maps.choropleth, df, level, vintage, **kwargs)
    except Exception:
        log.exception("map failed")
        if os.environ.get("CHISO_DEBUG"):
            raise
        return None
    return fig
