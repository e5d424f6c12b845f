"""What goes on the one-page brief of a locality, an indicator and a year (``figures.brief`` renders it):
headline cards, the map position, the trend, "why it moved", "what it takes", the findings, sources.

Read straight from the database (a brief is made on a click, not on every page run), with the same
analytics functions and figure builders as the pages, so every number on it is one the site shows.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from analytics import explain
from analytics.catalog import Catalog, Indicator
from analytics.explain_text import gap_sentences, why_sentences
from analytics.findings import findings, format_value, unit_name
from analytics.fmt import fmt_date, fmt_rank, fmt_rank_change, is_missing
from analytics.i18n import t
from analytics.ranking import ranking
from analytics.registry import Registry
from analytics.sources import source_label
from analytics.trends import trend

from .brief import CHART_SIZE, Brief, Card
from .charts import trend_lines
from .maps import choropleth


def _source_line(ind: Indicator, lang: str) -> str:
    pub = ind.publisher.get(lang) or ind.publisher.get("vi") or ""
    return f"{pub} ({ind.source_url})"


def rank_card(row: pd.Series, lang: str) -> Card:
    """The rank as the table supports it: the published rank x/N (listing order said), a rank computed
    over a complete table (said), or "not published" with the position among the scores there are."""
    label = t("brief.card_rank", lang)
    rank, of, source = row.get("rank"), row.get("of"), row.get("rank_source")
    if is_missing(rank):
        return Card(label, t("brief.not_published", lang))
    if source == "published":
        note = t("label.rank_kind_listing", lang) if row.get("rank_basis") == "listing_order" \
            else t("label.rank_kind_published", lang)
        shown = fmt_rank(rank, of, lang) if not is_missing(of) else t("label.rank_n_unknown", lang, rank=int(rank))
        return Card(label, shown, note)
    if bool(row.get("complete")):
        return Card(label, fmt_rank(rank, of, lang), t("label.rank_kind_computed", lang))
    return Card(label, t("brief.not_published", lang),
                t("brief.among_scores", lang, rank=int(rank), n=int(of)))


def _bands(ind: Indicator, year: int) -> list[dict] | None:
    period = ind.band_period(int(year))
    return None if period is None else [{"label": g.label, "min": g.min, "max": g.max} for g in period.grades]


def compose(con: duckdb.DuckDBPyConnection, catalog: Catalog, registry: Registry, unit_id: str,
            indicator_id: str, year: int, lang: str, *, today: dt.date | None = None) -> Brief:
    """The brief's content in ``lang``; raises ``KeyError`` when the unit has no figure that year."""
    ind = catalog.get(indicator_id)
    unit = registry.get(unit_id)
    name = unit_name(registry, unit_id, int(year), lang)
    series = trend(con, catalog, indicator_id, unit_id, lang=lang)
    at = series.loc[series["year"] == int(year)]
    if at.empty:
        raise KeyError(f"{unit_id} has no figure for {indicator_id} {year}")
    row = at.iloc[0]
    cards = [Card(t("brief.card_value", lang), format_value(ind, row["value"], lang) if not is_missing(row["value"])
                  else t("label.no_data", lang), str(int(year))),
             rank_card(row, lang)]
    if not is_missing(row.get("rank_change")) and not is_missing(row.get("prev_year")):
        cards.append(Card(t("brief.card_change", lang), fmt_rank_change(row["rank_change"], lang),
                          t("brief.since", lang, year=int(row["prev_year"]))))
    if not is_missing(row.get("band")):
        cards.append(Card(t("brief.card_band", lang), str(row["band"])))

    mv, _, _ = explain.movement(con, catalog, indicator_id, unit_id, int(year))
    gap = explain.gap(con, catalog, indicator_id, unit_id, int(year))
    sections = [(t("page.overview.findings", lang), findings(con, catalog, registry, unit_id, indicator_id,
                                                             int(year), lang)),
                (t("why.title", lang), why_sentences(catalog, registry, mv, lang)),
                (t("gap.title", lang), gap_sentences(catalog, registry, gap, lang))]

    charts = []
    frame = ranking(con, indicator_id, int(year), catalog=catalog)
    level = ind.levels[0]
    if level == "province" and frame["value"].notna().any():
        bands = _bands(ind, int(year))
        n_values = int(frame["value"].notna().sum())
        fig = choropleth(frame, level, ind.vintage, lang=lang, bands=bands,
                         classification="bands" if bands else ("quantile" if n_values >= 5 else "equal"),
                         direction=ind.direction or "higher_is_better", home=unit.code,
                         title=f"{ind.label(lang, short=True)} {year}", source=_source_line(ind, lang),
                         unit_suffix="%" if ind.unit.strip() == "%" else "", decimals=ind.decimals,
                         width=CHART_SIZE["map"][0])
        charts.append(("map", t("brief.map_caption", lang, name=name, year=int(year)), fig))
    plotted = series.loc[series["value"].notna() | series["rank"].notna()]
    if len(plotted) >= 2:
        years = plotted["year"].astype(int)
        fig = trend_lines(plotted.assign(unit_id=unit_id, name=name), lang=lang,
                          title=f"{name} · {ind.label(lang, short=True)} {years.min()}–{years.max()}",
                          source=_source_line(ind, lang), measure="both" if plotted["value"].notna().any()
                          and plotted["rank"].notna().any() else "value",
                          breaks=[{"year": b.year, "label": t("label.series_break_year", lang, year=b.year)}
                                  for b in ind.series_breaks], home_id=unit_id, unit=ind.unit,
                          decimals=ind.decimals, width=CHART_SIZE["trend"][0])
        charts.append(("trend", t("brief.trend_caption", lang, name=name), fig))

    urls = [u for u in dict.fromkeys(frame.loc[frame["unit_id"].astype(str) == unit_id,
                                               ["value_url", "rank_url"]].stack().dropna().tolist())]
    # publishers, not hosts: a copy on another site names the original publisher
    sources = [f"{_source_line(ind, lang)}"] + list(dict.fromkeys(source_label(u, lang) for u in urls))
    title = f"{name} · {ind.label(lang, short=True)} {year}"
    return Brief(lang=lang, product=t("app.name", lang), title=title,
                 subtitle=f"{ind.label(lang)} — {ind.publisher.get(lang) or ''}", cards=cards, sections=sections,
                 charts=charts, sources=sources, date=fmt_date(today or dt.date.today(), lang),
                 locality=registry.name_in_year(unit_id, int(year), short=True), indicator=ind.label("en", short=True),
                 year=int(year), labels={"sources": t("brief.sources", lang)})
