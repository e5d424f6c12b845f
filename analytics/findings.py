"""Plain-language findings: the key sentences for a locality, an indicator and a year, in Vietnamese or
English, written from the numbers (nothing per province is hard-coded; missing data yields no sentence).

    findings(con, cat, reg, "old-p-74", "par_index", 2020, "vi")
    # ['Năm 2020, Bình Dương xếp thứ 4/63 về Chỉ số cải cách hành chính (PAR INDEX), đạt 86,93%, tăng 13 bậc
    #   so với năm 2019.', 'Điểm tăng từ 82,30% (năm 2019) lên 86,93%.', 'Bình Dương thuộc nhóm B (từ 80% đến
    #   dưới 90%).']

Sentences, in order: position (rank x/N with its basis, value, rank change), score change beside it,
"not comparable" (series break / change of N), band or quartile, comparison with the national (published
or complete computed) average, strongest and weakest component, a note when sources disagree.
"""

from __future__ import annotations

import pandas as pd

from analytics.benchmarks import benchmarks, national_reference
from analytics.catalog import Band, Catalog, Indicator
from analytics.comparison import change_since
from analytics.components import components, strongest_weakest
from analytics.fmt import fmt_number, fmt_value, is_missing, unit_kind
from analytics.i18n import has, t
from analytics.ranking import ranking
from analytics.registry import Registry, fold_keep_case
from analytics.trends import trend

LANGS = ("vi", "en")

def _t(key: str, lang: str, **kw) -> str:
    """A sentence part: the catalog key ``finding.<key>`` (scripts/i18n_catalogs.py knows this helper)."""
    return t(f"finding.{key}", lang, **kw)


def unit_name(registry: Registry, unit_id: str, year: int, lang: str) -> str:
    """The unit's name in `year`, for a sentence: "Bình Dương" / "Binh Duong"; below the province level
    the full name ("Thành phố Thủ Dầu Một" / "Thu Dau Mot (provincial city)")."""
    u = registry.get(unit_id)
    province = u.level == "province"
    vi = registry.name_in_year(unit_id, year, short=province)
    if lang == "vi":
        return vi
    short_vi = registry.name_in_year(unit_id, year, short=True)
    en = u.name_en if short_vi == u.short_name and u.name_en else fold_keep_case(short_vi)
    if province or not u.type_en:
        return en
    return f"{en} ({u.type_en[0].lower() + u.type_en[1:]})"


def indicator_phrase(catalog: Catalog, ind: Indicator, lang: str) -> str:
    """"Chỉ số cải cách hành chính (PAR INDEX)" / "the PAR INDEX"; a component names its index."""
    if ind.parent:
        parent = catalog.get(ind.parent)
        if lang == "vi":
            return f"chỉ số thành phần “{ind.label('vi', short=True)}” của {parent.label('vi', short=True)}"
        return f"the {parent.label('en', short=True)} component “{ind.label('en', short=True)}”"
    return ind.label("vi") if lang == "vi" else f"the {ind.label('en', short=True)}"


def format_value(ind: Indicator, value, lang: str, decimals: int | None = None) -> str:
    text = fmt_value(value, ind.unit, lang, ind.decimals if decimals is None else decimals)
    unit = (ind.unit or "").lower()
    if unit_kind(ind.unit) == "other" and unit.startswith(("điểm", "points", "point")):
        text += " điểm" if lang == "vi" else " points"
    elif has(f"finding.unit.{unit}"):
        text += " " + t(f"finding.unit.{unit}", lang)
    return text


def band_range(band: Band, ind: Indicator, lang: str) -> str:
    def f(x: float) -> str:  # thresholds: no trailing zeros for whole numbers ("80%", not "80,00%")
        return format_value(ind, x, lang, 0 if float(x).is_integer() else None)

    if band.min is not None and band.max is not None:
        return f"từ {f(band.min)} đến dưới {f(band.max)}" if lang == "vi" else f"{f(band.min)} to under {f(band.max)}"
    if band.min is not None:
        return f"từ {f(band.min)} trở lên" if lang == "vi" else f"{f(band.min)} or more"
    return f"dưới {f(band.max)}" if lang == "vi" else f"under {f(band.max)}"


def _num(x):
    return None if is_missing(x) else x


def findings(con, catalog: Catalog, registry: Registry, unit_id: str, indicator_id: str, year: int,
             lang: str = "vi") -> list[str]:
    """Key sentences for one locality, indicator and year in `lang` ('vi' | 'en'); [] without data."""
    if lang not in LANGS:
        raise KeyError(f"unsupported language {lang!r}; expected one of {LANGS}")
    ind = catalog.get(indicator_id)
    year = int(year)
    tr = trend(con, catalog, indicator_id, unit_id, lang=lang)
    row_t = tr[tr["year"] == year]
    if row_t.empty:
        return []
    row_t = row_t.iloc[0]
    value = _num(row_t["value"])
    name = unit_name(registry, unit_id, year, lang)
    ind_text = indicator_phrase(catalog, ind, lang)
    out: list[str] = []

    if ind.direction is None:  # a context variable (population, area): no rank, no judgement
        if value is not None:
            out.append(_t("context", lang, year=year, ind=ind.label(lang, short=True).lower() if lang == "en"
                          else ind.label(lang, short=True), name=name, value=format_value(ind, value, lang)))
        return out

    rk = ranking(con, indicator_id, year, catalog=catalog, compare_to=False)
    row_r = rk[rk["unit_id"] == unit_id]
    row_r = row_r.iloc[0] if len(row_r) else None
    rank = _num(row_t["rank"])
    of = _num(row_t["of"])
    since = change_since(tr, year)   # the same decision the headline cards read
    prev, rank_change, value_change, comparable = (since.prev_year, since.rank_change, since.value_change,
                                                   since.comparable)

    # 1. position
    if rank is not None:
        rank_text = f"{int(rank)}/{int(of)}" if of is not None else t("label.rank_n_unknown", lang, rank=int(rank))
        basis = ""
        if row_t["rank_source"] == "published" and row_t["rank_basis"] == "listing_order":
            basis = _t("listing_order", lang)
        elif row_t["rank_source"] == "computed":
            basis = _t("computed_full", lang) if bool(row_t["complete"]) else _t("computed_partial", lang, n=int(of))
        change = ""
        if rank_change is not None and prev is not None:
            n = abs(int(rank_change))
            key = "up" if rank_change > 0 else "down" if rank_change < 0 else "same"
            change = _t(key, lang, n=n, prev=int(prev))
        value_clause = _t("value_clause", lang, value=format_value(ind, value, lang)) if value is not None else ""
        out.append(_t("position", lang, year=year, name=name, rank=rank_text, basis=basis, ind=ind_text,
                      value=value_clause, change=change))
    elif value is not None:
        out.append(_t("value_only", lang, year=year, name=name, value=format_value(ind, value, lang), ind=ind_text))

    # 2. the score change beside the rank change
    if value_change is not None and prev is not None:
        prev_value = value - value_change
        key = "score_up" if value_change > 0 else "score_down" if value_change < 0 else "score_same"
        if key != "score_same" and fmt_number(prev_value, lang, ind.decimals) == fmt_number(value, lang, ind.decimals):
            key = "score_same"
        out.append(_t(key, lang, prev_value=format_value(ind, prev_value, lang), prev=int(prev),
                      value=format_value(ind, value, lang)))

    # 3. not comparable
    if comparable is not None and not comparable and prev is not None:
        if since.break_note:
            out.append(_t("break", lang, prev=int(prev), note=since.break_note.rstrip(".") + "."))
        elif since.n_changed:
            out.append(_t("n_changed", lang, prev=int(prev), n0=since.prev_of, n1=since.of))
        else:
            out.append(_t("basis_changed", lang, prev=int(prev)))

    # 4. band (the catalog's grades), else the quartile of a full ranking
    band = ind.band_for(value, year) if value is not None else None
    if band is not None:
        out.append(_t("band", lang, name=name, band=band.label, range=band_range(band, ind, lang)))
    elif row_r is not None and not is_missing(row_r["quartile"]):
        out.append(_t("quartile", lang, name=name, q=t(f"finding.quartile_{int(row_r['quartile'])}", lang)))

    # 5. against the national (published, or complete computed) average
    if value is not None:
        bench = benchmarks(con, catalog, indicator_id, year, unit_id)
        ref = national_reference(bench)
        if ref is not None:
            ref_text = format_value(ind, ref["value"], lang)
            src = _t("src_published", lang) if ref["source"] == "published" else _t("src_computed", lang, n=ref["n"])
            avg = _t("avg_national" if ind.levels[0] == "province" else "avg_assessed", lang)
            same = fmt_number(value, lang, ind.decimals) == fmt_number(ref["value"], lang, ind.decimals)
            key = "equal" if same else "above" if value > ref["value"] else "below"
            out.append(_t(key, lang, avg=avg, value=ref_text, src=src))

    # 6. strongest and weakest component
    if not ind.parent and catalog.children(indicator_id):
        comp = components(con, catalog, indicator_id, unit_id, year, lang=lang)
        best, worst = strongest_weakest(comp)
        if best and worst:
            c = comp.set_index("component_id")

            def rank_of(cid: str) -> str:
                r, n = _num(c.loc[cid, "rank"]), _num(c.loc[cid, "of"])
                if r is None:
                    return format_value(catalog.get(cid), c.loc[cid, "value"], lang)
                if c.loc[cid, "rank_source"] == "computed" and not bool(c.loc[cid, "ranks_complete"]) and n is not None:
                    # computed over a partial component table: a place among those with data, not an x/N
                    return t("brief.among_scores", lang, rank=int(r), n=int(n))
                return _t("rank_word", lang, rank=f"{int(r)}/{int(n)}" if n is not None else str(int(r)))

            out.append(_t("components", lang, best=c.loc[best, "name"], best_rank=rank_of(best),
                          worst=c.loc[worst, "name"], worst_rank=rank_of(worst)))

    # 7. sources disagree
    if bool(row_t.get("has_conflict")) and not pd.isna(row_t.get("has_conflict")):
        out.append(_t("conflict", lang, name=name, year=year))
    return out
