"""The checks every record of a file goes through, in two passes: what the record is about (indicator,
year; then locality, in ``row_rules``), then its figure (value, rank, source and note, in ``figure_rules``)
and duplicates; then the checks over the whole file (sources, fuzzy names to confirm, plausibility).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from analytics.catalog import Indicator
from analytics.imports.cells import short
from analytics.imports.figure_rules import rank_rule, source_note_rule, value_rule
from analytics.imports.grid import Grid
from analytics.imports.layout import Record
from analytics.imports.model import CheckContext, Issue, ParsedRow
from analytics.imports.plausibility import file_checks
from analytics.imports.row_rules import (
    NO_FIELD,
    cell_where,
    indicator_rule,
    locality_rule,
    majority_province,
    scope_for,
    year_rule,
)


def _rows_text(rows: list[int], limit: int = 8) -> str:
    return ", ".join(map(str, rows[:limit])) + (" …" if len(rows) > limit else "")


def file_rules(ctx: CheckContext, parsed: list[ParsedRow], formula_used: list[str]) -> None:
    # no figure without a source: a web address, a repository reference or a citation (kept in the note)
    sourceless = [p.row for p in parsed if not p.source_url and not (p.note or "").startswith("source: ")]
    if sourceless:
        ctx.add(Issue.of("error", "no_source", row=sourceless[0], n=len(sourceless), rows=_rows_text(sourceless)))
    for res in ctx.resolutions.values():
        if res.method == "fuzzy":
            ctx.add(Issue.of("confirm", "fuzzy_locality", row=res.rows[0] if res.rows else None,
                             name=short(res.name), unit=res.unit_name, unit_id=res.unit_id, score=res.score,
                             candidates="; ".join(f"{n} [{u}]" for u, n in res.candidates[:4])))
    if formula_used:
        ctx.add(Issue.of("warning", "formula_values", n=len(formula_used), cells=", ".join(formula_used[:3])))
    by_ind: dict[str, list[float]] = defaultdict(list)
    for p in parsed:
        if p.value is not None:
            by_ind[p.indicator_id].append(p.value)
    for iid, vals in by_ind.items():   # a 0–100 index given entirely as fractions?
        sc = ctx.cat.get(iid).scale
        if sc.max is not None and sc.max >= 50 and len(vals) >= 3 and max(vals) <= 1.0:
            ctx.add(Issue.of("warning", "fraction_values", indicator=iid, lo=f"{sc.min:g}", hi=f"{sc.max:g}"))


def _same_source(parsed: list[ParsedRow], first_row: int, source: str) -> bool:
    """Does the row `first_row` of the file cite `source` too (then a second figure is a duplicate)?"""
    first = next((p for p in parsed if p.row == first_row), None)
    return first is None or (first.source_url or "") == (source or "")


def check_records(ctx: CheckContext, grid: Grid, records: list[Record], params: dict[str, Any],
                  db_scopes: dict[str, str | None]) -> list[ParsedRow]:
    pre: list[tuple[Record, Indicator, int]] = []
    for rec in records:
        if ctx.truncated:
            break
        ind = indicator_rule(ctx, rec, params)
        year = year_rule(ctx, rec, ind, params) if ind is not None else None
        if ind is not None and year is not None:
            pre.append((rec, ind, year))
    majority = majority_province(ctx, pre)
    parsed: list[ParsedRow] = []
    keys_seen: dict[tuple[str, str, int], int] = {}
    formula_used: list[str] = []
    for rec, ind, year in pre:
        if ctx.truncated:
            break
        scope = scope_for(ctx, ind, db_scopes, majority)
        found = locality_rule(ctx, rec, ind, year, scope)
        if found is None:
            continue
        unit, name = found
        # None: the cell cannot be read; (): read but out of range (the rank is still checked)
        value = value_rule(ctx, grid, rec, ind, year, unit.unit_id, formula_used)
        if value is None:
            continue
        rank = rank_rule(ctx, grid, rec, ind, year, scope, formula_used)
        if not value or not rank:
            continue
        if value[0] is None and rank[0] is None:
            ctx.add(Issue.of("error", "no_figure", **cell_where(rec, rec.f["value"])))
            continue
        text = source_note_rule(ctx, rec, params)
        if text is None:
            continue
        code_f = rec.f.get("code") or NO_FIELD
        if code_f.value is not None and str(code_f.value).strip().lstrip("0") != unit.code.lstrip("0"):
            ctx.add(Issue.of("error", "code_mismatch", **cell_where(rec, code_f), value=short(str(code_f.value)),
                             given=short(str(code_f.value)), unit=unit.display_name(), unit_code=unit.code))
            continue
        key3 = (ind.id, unit.unit_id, year)
        status = "primary"
        if key3 in keys_seen:
            first = keys_seen[key3]
            if _same_source(parsed, first, text[0]):
                ctx.add(Issue.of("error", "duplicate_key", **cell_where(rec, rec.f["locality"]), value=short(name),
                                 indicator=ind.id, year=year, unit=unit.display_name(), unit_id=unit.unit_id,
                                 first=first))
                continue
            # a multi-source table: the first row is the primary figure, the others are kept as conflicts
            status = "alternative"
            ctx.add(Issue.of("warning", "kept_as_alternative", row=rec.row, indicator=ind.id, year=year,
                             unit=unit.display_name(), first=first))
        else:
            keys_seen[key3] = rec.row
        parsed.append(ParsedRow(rec.row, ind.id, unit.unit_id, unit.display_name(), name, year, value[0], rank[0],
                                "published" if rank[0] is not None else None, text[0] or None, text[1] or None,
                                status=status))
    file_rules(ctx, parsed, formula_used)
    file_checks(ctx, parsed, formula_used)
    return parsed
