"""Text for pages: markdown escaping (names and notes from data files are never interpreted),
source lines that name publishers and never link to mirrors, rank texts. No raw HTML anywhere."""

from __future__ import annotations

import re
from typing import Any

from analytics import sources
from analytics.catalog import Indicator
from analytics.fmt import fmt_date, fmt_rank, is_missing
from analytics.i18n import t

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


def host(url: str) -> str:
    m = re.match(r"^https?://([^/]+)", url)
    return m.group(1) if m else url


def source_line(url: str, lang: str, *, prefix: str = "") -> str:
    """A source link that reads as its publisher ("Link 1: Báo Bình Dương"; analytics.sources), except for
    unofficial mirror copies (data/source_mirrors.csv): those name the original publisher only (never the
    mirror's host or address), and the product never links to such sites. An address whose publisher is not
    declared shows its host, shortened."""
    mirror = sources.mirror_of(url)
    if mirror is not None:
        original = mirror["original_vi" if lang == "vi" else "original_en"]
        return md(prefix + t("label.mirror_source", lang, original=original))
    name = sources.publisher_of(url, lang)
    if name is None:
        h = host(url)
        name = h if len(h) <= 48 else h[:45] + "…"
    return md_link(prefix + name, url)


def truthy(x: Any) -> bool:
    """True only for a real true value (None, NaN and pandas NA are False)."""
    return not is_missing(x) and bool(x)


def fmt_date_or_blank(d: Any, lang: str) -> str:
    return fmt_date(d, lang) if d else ""


def rank_kind_text(rank_source: Any, rank_basis: Any, lang: str) -> str:
    if is_missing(rank_source):
        return ""
    if rank_source == "published":
        if rank_basis == "listing_order":
            return t("label.rank_kind_listing", lang)
        return t("label.rank_kind_published", lang)
    return t("label.rank_kind_computed", lang)


def rank_text(rank: Any, of: Any, rank_source: Any, lang: str) -> str:
    """x/N (a computed rank marked *); a rank published without its N says so."""
    if not is_missing(rank) and is_missing(of):
        return t("label.rank_n_unknown", lang, rank=int(rank))
    text = fmt_rank(rank, of, lang, na=t("label.no_rank", lang))
    if rank_source == "computed" and not is_missing(rank):
        text += "*"
    return text


def component_rank_text(rank: Any, of: Any, rank_source: Any, ranks_complete: Any, lang: str, *,
                        short: bool = False) -> str:
    """A component's rank: x/N as published or computed over the full table; computed over a partial
    component table, a place "among n with data" (never an x/N that reads as official); ``short`` is the
    form written inside a chart."""
    if rank_source == "computed" and not is_missing(rank) and not is_missing(of) and not truthy(ranks_complete):
        key = "chart.among_scores_short" if short else "brief.among_scores"
        return t(key, lang, rank=int(rank), n=int(of))
    return rank_text(rank, of, rank_source, lang)


def source_text(ind: Indicator, lang: str) -> str:
    """The in-figure source line: publisher and portal."""
    pub = ind.publisher.get(lang) or ind.publisher.get("vi") or ""
    return f"{pub} ({ind.source_url})"


def with_data_text(rk: Any, lang: str, *, of: int | None = None) -> str:
    """ "11/63 localities with a score · 3 with a published rank only": what a ranking frame holds, counted the
    way the year pickers count (a published rank without a score is a figure too)."""
    n_values = int(rk["value"].notna().sum())
    text = t("label.with_data", lang, n=n_values, of=len(rk) if of is None else of)
    rank_only = int((rk["value"].isna() & rk["display_rank"].notna() & (rk["rank_source"] == "published")).sum())
    if rank_only:
        text += " · " + t("label.rank_only_n", lang, n=rank_only)
    return text

