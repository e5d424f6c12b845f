"""Checks of figures that are readable but implausible. They do not refuse the file: the editor confirms
them on the page, and the CLI stops unless ``--accept-warnings`` is given (exit 2, naming row and column).

- a lone separator followed by three digits ("1.997", "1,064") read against the indicator's scale and
  the unit's previous edition; still ambiguous, the editor's reading for the column (``ambiguous``:
  the page asks, the CLI takes ``--ambiguous-numbers``), else an error naming both readings;
- a published rank that contradicts the order of the values;
- a value more than ~100× away from the unit's previous edition;
- values saved with formulas in a workbook that asks for recalculation (they may be stale);
- a ranks-only file for an indicator whose editions publish values;
- ``--year``/``--indicator`` options that contradict the file's columns.
"""

from __future__ import annotations

import math
from collections import defaultdict

from analytics.catalog import Indicator
from analytics.imports.cells import ambiguous_readings, short
from analytics.imports.compare import previous_value, publishes_values
from analytics.imports.grid import col_letter
from analytics.imports.layout import FieldRef, Record
from analytics.imports.model import AmbiguousCell, CheckContext, Issue, ParsedRow

FAR_RATIO = 100.0


def _where(rec: Record, fld: FieldRef) -> dict:
    return {"row": rec.row, "column": col_letter(fld.col) if fld.col is not None else None,
            "column_name": short(fld.name, 40) if fld.name else None}


def thousands_or_decimal(ctx: CheckContext, rec: Record, ind: Indicator, year: int, unit_id: str,
                         value: float) -> float | None:
    """The reading of an ambiguous "1.997"/"1,064" cell; None (after an error) when it stays ambiguous."""
    vf = rec.f["value"]
    readings = ambiguous_readings(vf.value)
    if readings is None:
        return value
    sc = ind.scale_for(year)
    fits = [r for r in readings if (sc.min is None or r >= sc.min) and (sc.max is None or r <= sc.max)]
    if len(fits) == 1:
        return fits[0]
    prev = previous_value(ctx.con, ind.id, unit_id, year)
    if prev is not None and prev[1] > 0:
        near = sorted(readings, key=lambda r: abs(_log_ratio(r, prev[1])))
        if abs(_log_ratio(near[0], prev[1])) < abs(_log_ratio(near[1], prev[1])) - 1.0:   # clearly closer
            return near[0]
    where = _where(rec, vf)
    column = where["column"] or "*"
    choice = ctx.ambiguous.get(column) or ctx.ambiguous.get("*")
    loc = rec.f.get("locality")
    ctx.ambiguous_cells.append(AmbiguousCell(rec.row, column, where["column_name"], short(vf.value),
                                             short(loc.value, 60) if loc and loc.value is not None else None,
                                             readings[0], readings[1], choice))
    if choice is not None:   # the editor said how this column is written
        return readings[1] if choice == "thousands" else readings[0]
    ctx.add(Issue.of("error", "ambiguous_separator", **where, value=short(vf.value), cell=short(vf.value),
                     decimal=f"{readings[0]:g}", thousands=f"{readings[1]:g}"))
    return None


def _log_ratio(a: float, b: float) -> float:
    return math.log10(max(abs(a), 1e-12) / max(abs(b), 1e-12))


def far_from_previous(ctx: CheckContext, rec: Record, ind: Indicator, year: int, unit_id: str,
                      value: float) -> None:
    prev = previous_value(ctx.con, ind.id, unit_id, year)
    if prev is None or prev[1] == 0 or value == 0:
        return
    ratio = abs(value / prev[1])
    if ratio > FAR_RATIO or ratio < 1 / FAR_RATIO:
        ctx.add(Issue.of("check", "far_from_previous", **_where(rec, rec.f["value"]), value=short(rec.f["value"].value),
                         number=f"{value:g}", previous=f"{prev[1]:g}", previous_year=prev[0]))


def option_contradicts(ctx: CheckContext, rec: Record, what: str, option: object, found: object) -> None:
    ctx.add(Issue.of("check", "option_contradicts", **_where(rec, rec.f[what]), value=short(found),
                     option=f"--{what}", given=str(option), found=str(found)))


def file_checks(ctx: CheckContext, parsed: list[ParsedRow], formula_used: list[str]) -> None:
    if formula_used and ctx.stale_formulas:
        ctx.add(Issue.of("check", "stale_formulas", n=len(formula_used), cells=", ".join(formula_used[:3])))
    groups: dict[tuple[str, int], list[ParsedRow]] = defaultdict(list)
    for p in parsed:
        groups[(p.indicator_id, p.year)].append(p)
    for (iid, year), rows in sorted(groups.items()):
        ind = ctx.cat.get(iid)
        if all(r.value is None for r in rows) and publishes_values(ctx.con, iid):
            ctx.add(Issue.of("check", "ranks_only", row=rows[0].row, indicator=iid, year=year))
        ranked = sorted((r for r in rows if r.value is not None and r.official_rank is not None),
                        key=lambda r: r.official_rank)
        if len(ranked) < 3 or ind.direction not in ("higher_is_better", "lower_is_better"):
            continue
        sign = 1 if ind.direction == "higher_is_better" else -1
        for better, worse in zip(ranked, ranked[1:], strict=False):
            if better.official_rank < worse.official_rank and sign * (better.value - worse.value) < 0:
                ctx.add(Issue.of("check", "rank_contradicts_values", row=worse.row, indicator=iid, year=year,
                                 rank=worse.official_rank, score=f"{worse.value:g}", other_rank=better.official_rank,
                                 other_score=f"{better.value:g}", other_row=better.row))
                break
