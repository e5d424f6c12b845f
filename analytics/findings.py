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
from analytics.components import components, strongest_weakest
from analytics.fmt import fmt_number, fmt_value, is_missing, unit_kind
from analytics.ranking import ranking
from analytics.registry import Registry, fold_keep_case
from analytics.trends import trend

LANGS = ("vi", "en")

# Sentence templates (the findings' own vocabulary; UI labels live in analytics.i18n).
T = {
    "position": {
        "vi": "Năm {year}, {name} xếp thứ {rank}{basis} về {ind}{value}{change}.",
        "en": "In {year}, {name} ranked {rank}{basis} on {ind}{value}{change}.",
    },
    "value_only": {
        "vi": "Năm {year}, {name} đạt {value} về {ind}.",
        "en": "In {year}, {name} scored {value} on {ind}.",
    },
    "context": {
        "vi": "Năm {year}, {ind} của {name} là {value}.",
        "en": "In {year}, the {ind} of {name} was {value}.",
    },
    "value_clause": {"vi": ", đạt {value}", "en": " with {value}"},
    "up": {"vi": ", tăng {n} bậc so với năm {prev}", "en": ", up {n} {places} from {prev}"},
    "down": {"vi": ", giảm {n} bậc so với năm {prev}", "en": ", down {n} {places} from {prev}"},
    "same": {"vi": ", giữ nguyên thứ hạng so với năm {prev}", "en": ", the same rank as in {prev}"},
    "listing_order": {"vi": " (theo thứ tự liệt kê trong nguồn)", "en": " (by listing order in the source)"},
    "computed_full": {"vi": " (thứ hạng tính lại từ điểm công bố)", "en": " (rank computed from the published scores)"},
    "computed_partial": {
        "vi": " (thứ hạng tính lại trong {n} địa phương có số liệu)",
        "en": " (rank computed among the {n} localities with data)",
    },
    "score_up": {"vi": "Điểm tăng từ {prev_value} (năm {prev}) lên {value}.",
                 "en": "The score rose from {prev_value} in {prev} to {value}."},
    "score_down": {"vi": "Điểm giảm từ {prev_value} (năm {prev}) xuống {value}.",
                   "en": "The score fell from {prev_value} in {prev} to {value}."},
    "score_same": {"vi": "Điểm không đổi so với năm {prev} ({value}).",
                   "en": "The score was unchanged from {prev} ({value})."},
    "break": {
        "vi": "So với năm {prev}, kết quả không so sánh được do thay đổi phương pháp: {note}",
        "en": "Compared with {prev}, results are not comparable because the method changed: {note}",
    },
    "n_changed": {
        "vi": "Thứ hạng không so sánh được với năm {prev} do số địa phương được xếp hạng thay đổi ({n0} → {n1}).",
        "en": "The rank is not comparable with {prev} because a different number of localities was ranked "
              "({n0} → {n1}).",
    },
    "basis_changed": {
        "vi": "Thứ hạng không so sánh được với năm {prev} do một trong hai thứ hạng được tính trên bảng không đầy đủ.",
        "en": "The rank is not comparable with {prev} because one of the two ranks comes from an incomplete table.",
    },
    "band": {"vi": "{name} thuộc nhóm {band} ({range}).", "en": "{name} is in band {band} ({range})."},
    "quartile": {"vi": "{name} thuộc {q}.", "en": "{name} is in the {q}."},
    "above": {"vi": "Kết quả này cao hơn {avg} ({value}{src}).", "en": "This is above {avg} ({value}{src})."},
    "below": {"vi": "Kết quả này thấp hơn {avg} ({value}{src}).", "en": "This is below {avg} ({value}{src})."},
    "equal": {"vi": "Kết quả này bằng {avg} ({value}{src}).", "en": "This equals {avg} ({value}{src})."},
    "avg_national": {"vi": "mức trung bình cả nước", "en": "the national average"},
    "avg_assessed": {"vi": "mức trung bình của các đơn vị được đánh giá", "en": "the average of the assessed units"},
    "src_published": {"vi": ", số liệu công bố", "en": ", as published"},
    "src_computed": {"vi": ", tính từ số liệu của {n} địa phương", "en": ", computed over {n} localities"},
    "components": {
        "vi": "Mạnh nhất: {best} ({best_rank}); yếu nhất: {worst} ({worst_rank}).",
        "en": "Strongest component: {best} ({best_rank}); weakest: {worst} ({worst_rank}).",
    },
    "rank_word": {"vi": "hạng {rank}", "en": "rank {rank}"},
    "conflict": {
        "vi": "Lưu ý: có nguồn khác công bố số liệu khác cho {name} năm {year}.",
        "en": "Note: another source gives a different figure for {name} in {year}.",
    },
}
QUARTILES = {
    1: {"vi": "nhóm 25% địa phương dẫn đầu", "en": "top quarter"},
    2: {"vi": "nhóm 25% thứ hai", "en": "second quarter"},
    3: {"vi": "nhóm 25% thứ ba", "en": "third quarter"},
    4: {"vi": "nhóm 25% cuối bảng", "en": "bottom quarter"},
}


def _t(key: str, lang: str, **kw) -> str:
    return T[key][lang].format(**kw)


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


UNIT_WORDS = {"thousand persons": {"vi": "nghìn người", "en": "thousand persons"},
              "persons": {"vi": "người", "en": "persons"}}


def format_value(ind: Indicator, value, lang: str, decimals: int | None = None) -> str:
    text = fmt_value(value, ind.unit, lang, ind.decimals if decimals is None else decimals)
    unit = (ind.unit or "").lower()
    if unit_kind(ind.unit) == "other" and unit.startswith(("điểm", "points", "point")):
        text += " điểm" if lang == "vi" else " points"
    elif unit in UNIT_WORDS:
        text += " " + UNIT_WORDS[unit][lang]
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
    prev = _num(row_t["prev_year"])
    rank_change = _num(row_t["rank_change"])
    value_change = _num(row_t["value_change"])
    comparable = _num(row_t["comparable"])

    # 1. position
    if rank is not None:
        rank_text = f"{int(rank)}/{int(of)}" if of is not None else str(int(rank))
        basis = ""
        if row_t["rank_source"] == "published" and row_t["rank_basis"] == "listing_order":
            basis = _t("listing_order", lang)
        elif row_t["rank_source"] == "computed":
            basis = _t("computed_full", lang) if bool(row_t["complete"]) else _t("computed_partial", lang, n=int(of))
        change = ""
        if rank_change is not None and prev is not None:
            n = abs(int(rank_change))
            places = "place" if n == 1 else "places"
            key = "up" if rank_change > 0 else "down" if rank_change < 0 else "same"
            change = _t(key, lang, n=n, prev=int(prev), places=places)
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
    if comparable is not None and not bool(comparable) and prev is not None:
        note = row_t["break_note"]
        if isinstance(note, str) and note:
            out.append(_t("break", lang, prev=int(prev), note=note.rstrip(".") + "."))
        else:
            prev_row = tr[tr["year"] == int(prev)].iloc[0]
            n0, n1 = _num(prev_row["of"]), of
            if n0 is not None and n1 is not None and int(n0) != int(n1):
                out.append(_t("n_changed", lang, prev=int(prev), n0=int(n0), n1=int(n1)))
            else:
                out.append(_t("basis_changed", lang, prev=int(prev)))

    # 4. band (the catalog's grades), else the quartile of a full ranking
    band = ind.band_for(value, year) if value is not None else None
    if band is not None:
        out.append(_t("band", lang, name=name, band=band.label, range=band_range(band, ind, lang)))
    elif row_r is not None and not is_missing(row_r["quartile"]):
        out.append(_t("quartile", lang, name=name, q=QUARTILES[int(row_r["quartile"])][lang]))

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
                return _t("rank_word", lang, rank=f"{int(r)}/{int(n)}" if n is not None else str(int(r)))

            out.append(_t("components", lang, best=c.loc[best, "name"], best_rank=rank_of(best),
                          worst=c.loc[worst, "name"], worst_rank=rank_of(worst)))

    # 7. sources disagree
    if bool(row_t.get("has_conflict")) and not pd.isna(row_t.get("has_conflict")):
        out.append(_t("conflict", lang, name=name, year=year))
    return out
