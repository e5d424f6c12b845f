"""Readable table views and comparator lines for the figures: benchmarks, trends, components."""

from __future__ import annotations

import pandas as pd

from analytics.benchmarks import comparators
from analytics.catalog import Indicator
from analytics.fmt import fmt_value, is_missing
from analytics.i18n import t
from figures import tables as ft
from ui import cache
from ui.page_text import component_rank_text

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


def with_rank_labels(comp: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Components with ``rank_label``, the rank as the bars, the table view and the exports say it: x/N, or
    "among n with data" for a rank computed over a partial component table."""
    out = comp.copy()
    done = out["ranks_complete"] if "ranks_complete" in out else pd.Series([None] * len(out), index=out.index)
    rows = list(zip(out["rank"], out["of"], out["rank_source"], done, strict=True))
    out["rank_label"] = [component_rank_text(r, o, s, c, lang) if not is_missing(r) else None for r, o, s, c in rows]
    out["rank_label_chart"] = [component_rank_text(r, o, s, c, lang, short=True) if not is_missing(r) else None
                               for r, o, s, c in rows]
    return out


def component_view(comp: pd.DataFrame, ind: Indicator, lang: str) -> pd.DataFrame:
    """Table alternative of component bars: component, value, national mean, leader, gap, x/N (or "among n
    with data")."""
    view = ft.display_table(comp, lang, decimals=ind.decimals,
                            columns=["name", "value", "national_mean", "leader_value", "gap_to_leader"])
    view = view.rename(columns={view.columns[0]: t("label.component", lang)})
    labels = comp["rank_label"] if "rank_label" in comp else with_rank_labels(comp, lang)["rank_label"]
    view[t("col.rank", lang)] = [t("label.no_rank", lang) if is_missing(x) else x for x in labels]
    return view
