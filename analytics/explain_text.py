"""Plain sentences for "why did the rank move" and "what it takes", in Vietnamese or English, written
from ``analytics.movement.Movement`` and ``analytics.gap.Gap`` (every number comes from them).

    gap_sentences(cat, reg, gap, "vi")
    # ['Cần thêm 1,56 điểm để lên hạng 5 (ngang Đà Nẵng).', 'Cần thêm 4,27 điểm để đứng đầu (Quảng Ninh, 70,36 điểm).', ...]
"""

from __future__ import annotations

import pandas as pd

from analytics.catalog import Catalog
from analytics.findings import format_value, unit_name
from analytics.fmt import fmt_number, fmt_signed
from analytics.gap import Gap
from analytics.i18n import t
from analytics.movement import Movement
from analytics.registry import Registry

MAX_NAMES = 5


def _points(x: float, decimals: int, lang: str) -> str:
    return fmt_number(x, lang, decimals)


def _names(reg: Registry, df: pd.DataFrame, year: int, decimals: int, lang: str) -> str:
    parts = [f"{unit_name(reg, str(r.unit_id), year, lang)} ({fmt_signed(r.value_change, lang, decimals)})"
             for r in df.head(MAX_NAMES).itertuples()]
    more = len(df) - MAX_NAMES
    if more > 0:
        parts.append(t("why.and_more", lang, n=more))
    return ", ".join(parts)


def why_sentences(catalog: Catalog, reg: Registry, mv: Movement, lang: str) -> list[str]:
    """Sentences for a movement; one sentence saying why not when the editions are not comparable."""
    ind = catalog.get(mv.indicator_id)
    name = unit_name(reg, mv.unit_id, mv.year, lang)
    if not mv.comparable:
        return [t(f"why.not_comparable.{mv.reason}", lang, name=name, prev=mv.prev_year, year=mv.year)]
    out: list[str] = []
    if mv.rank_if_others_held is not None:
        basis = t("why.basis_among", lang, n=mv.n) if mv.basis == "among_n" else ""
        out.append(t("why.own_vs_others", lang, name=name, prev=mv.prev_year, year=mv.year,
                     prev_rank=mv.prev_rank, rank=mv.rank, basis=basis, held=mv.rank_if_others_held,
                     own=fmt_signed(mv.own_effect, lang, 0), others=fmt_signed(mv.others_effect, lang, 0)))
    parts = mv.components.dropna(subset=["change"])
    if len(parts):
        labels = [catalog.get(c).label(lang, short=True) for c in parts["component"]]
        text = "; ".join(t("why.component_part", lang, change=fmt_signed(ch, lang, ind.decimals), name=lab)
                         for ch, lab in zip(parts["change"], labels, strict=True))
        out.append(t("why.components_weighted" if mv.weighted else "why.components", lang, parts=text))
    elif mv.rank_if_others_held is not None:
        out.append(t("why.no_components", lang, prev=mv.prev_year))
    if len(mv.passed):
        out.append(t("why.passed", lang, names=_names(reg, mv.passed, mv.year, ind.decimals, lang)))
    if len(mv.passed_by):
        out.append(t("why.passed_by", lang, names=_names(reg, mv.passed_by, mv.year, ind.decimals, lang)))
    return out


def gap_sentences(catalog: Catalog, reg: Registry, gap: Gap, lang: str) -> list[str]:
    """Sentences for each target of ``gap`` (nothing when the unit has no value)."""
    if gap.value is None:
        return []
    ind = catalog.get(gap.indicator_id)
    dec = ind.decimals
    out: list[str] = []
    if gap.basis == "among_n":
        out.append(t("gap.partial", lang, n=gap.n, year=gap.year))
    for row in gap.targets.itertuples():
        pts = _points(row.points_needed, dec, lang)
        holder = unit_name(reg, row.target_unit_id, gap.year, lang) if isinstance(row.target_unit_id, str) else ""
        value = format_value(ind, row.target_value, lang)
        if row.target == "next_rank":
            if row.target_rank == 1:
                continue  # said by the rank_1 sentence
            out.append(t("gap.next_rank", lang, points=pts, rank=row.target_rank, holder=holder))
        elif row.target == "top_10":
            out.append(t("gap.top_10_in" if row.points_needed == 0 else "gap.top_10", lang, points=pts))
        elif row.target == "rank_1":
            if row.points_needed > 0:
                out.append(t("gap.rank_1", lang, points=pts, holder=holder, value=value))
        elif row.target.startswith("band_"):
            out.append(t("gap.band", lang, points=pts, band=row.target[5:], value=value))
        elif row.target == "national_mean":
            key = "gap.mean_reached" if row.points_needed == 0 else "gap.mean"
            src = t("gap.src_published", lang) if row.source == "published" else ""
            out.append(t(key, lang, points=pts, value=value, src=src))
        elif row.target == "region_best":
            out.append(t("gap.region_best", lang, points=pts, holder=holder, value=value))
    if gap.widest_component is not None:
        cid, diff = gap.widest_component
        out.append(t("gap.widest_component", lang, name=catalog.get(cid).label(lang, short=True),
                     points=_points(abs(diff), catalog.get(cid).decimals, lang)))
    return out
