"""The rules for the figure of a record: its value (within the indicator's scale, an ambiguous separator
read by scale, previous edition or the editor's choice), its published rank (1..N) and its source and note.
A formula cell is read by its saved value (noted), and refused without one.
"""

from __future__ import annotations

import re
from typing import Any

from analytics.catalog import Indicator
from analytics.imports.cells import (
    FORMULA_LIKE,
    MAX_TEXT,
    CellError,
    check_text,
    parse_number,
    parse_rank,
    short,
)
from analytics.imports.grid import Grid, col_letter
from analytics.imports.layout import FieldRef, Record
from analytics.imports.model import CheckContext, Issue
from analytics.imports.plausibility import far_from_previous, thousands_or_decimal
from analytics.imports.resolve import level_n
from analytics.imports.row_rules import NO_FIELD, cell_where, issue_at
from analytics.registry import Unit

SOURCE_URL = re.compile(r"https?://[^\s<>\"']{3,}")
# Non-web sources as the carried data writes them: "github:owner/repo@commit path/in/repo".
SOURCE_REPO = re.compile(r"github:[\w.-]+/[\w.-]+@[0-9a-f]{7,40}(?:\s+\S.*)?")


def _saved_formula(ctx: CheckContext, grid: Grid, rec: Record, fld: FieldRef, formula_used: list[str]) -> bool:
    """False when the cell is a formula without a saved value (an error); notes a formula read by value."""
    pos = (rec.grid_row, fld.col) if fld.col is not None else None
    if pos is None or pos not in grid.formulas:
        return True
    ftext = grid.formulas[pos]
    if fld.value is None or (isinstance(fld.value, str) and fld.value.startswith("=")):
        ctx.add(Issue.of("error", "formula_cell", **cell_where(rec, fld), formula=short(ftext, 60)))
        return False
    formula_used.append(f"{col_letter(fld.col)}{rec.row} {short(ftext, 40)}")
    return True


def value_rule(ctx: CheckContext, grid: Grid, rec: Record, ind: Indicator, year: int, unit_id: str,
               formula_used: list[str]) -> tuple[float | None] | tuple[()] | None:
    """The value, within the indicator's scale (a % cell of a 0–1 indicator divided by 100)."""
    vf = rec.f["value"]
    pos = (rec.grid_row, vf.col) if vf.col is not None else None
    if vf.value is None and (pos is None or pos not in grid.formulas):
        return (None,)
    if not _saved_formula(ctx, grid, rec, vf, formula_used):
        return None
    try:
        value, pct = parse_number(vf.value, percent_cell=pos in grid.percent_cells if pos else False)
    except CellError as e:
        issue_at(ctx, rec, vf, e)
        return None
    if value is None:
        return (None,)
    if not pct:
        value = thousands_or_decimal(ctx, rec, ind, year, unit_id, value)
        if value is None:
            return None
    sc = ind.scale_for(year)
    if pct and sc.max is not None and sc.max <= 1:
        value = value / 100.0
    if (sc.min is not None and value < sc.min) or (sc.max is not None and value > sc.max):
        ctx.add(Issue.of("error", "out_of_scale_negative" if value < 0 else "out_of_scale", code="out_of_scale",
                         **cell_where(rec, vf), value=short(vf.value), number=f"{value:g}", indicator=ind.id, year=year,
                         lo="…" if sc.min is None else f"{sc.min:g}", hi="…" if sc.max is None else f"{sc.max:g}"))
        return ()
    far_from_previous(ctx, rec, ind, year, unit_id, value)
    return (value,)


def rank_rule(ctx: CheckContext, grid: Grid, rec: Record, ind: Indicator, year: int, scope: Unit | None,
              formula_used: list[str]) -> tuple[int | None] | tuple[()] | None:
    """The published rank, a whole number 1..N (N of the edition, else of the competing units)."""
    rf = rec.f.get("official_rank") or NO_FIELD
    pos = (rec.grid_row, rf.col) if rf.col is not None else None
    if rf.value is None and (pos is None or pos not in grid.formulas):
        return (None,)
    if not _saved_formula(ctx, grid, rec, rf, formula_used):
        return None
    try:
        rank = parse_rank(rf.value)
    except CellError as e:
        issue_at(ctx, rec, rf, e)
        return None
    if rank is None:
        return (None,)
    n = level_n(ctx, ind, year, scope)
    if rank < 1 or (n is not None and rank > n):
        ctx.add(Issue.of("error", "rank_out_of_range" if n is not None else "rank_below_one",
                         code="rank_out_of_range", **cell_where(rec, rf), value=short(rf.value), rank=rank,
                         n=n if n is not None else "…", indicator=ind.id, year=year))
        return ()
    return (rank,)


def source_note_rule(ctx: CheckContext, rec: Record, params: dict[str, Any]) -> tuple[str, str] | None:
    """(source, note): the row's source, else the file's; a source that is no web address and no repository
    reference moves into the note."""
    src_f = rec.f.get("source_url") or NO_FIELD
    note_f = rec.f.get("note") or NO_FIELD
    try:
        source = check_text(src_f.value, "source") if src_f.value is not None else (params.get("source_url") or "")
    except CellError as e:
        issue_at(ctx, rec, src_f, e)
        return None
    try:
        note = check_text(note_f.value, "note", multiline=True) if note_f.value is not None else ""
    except CellError as e:
        issue_at(ctx, rec, note_f, e)
        return None
    if note and FORMULA_LIKE.match(note):
        ctx.add(Issue.of("warning", "formula_like_note", **cell_where(rec, note_f), cell=repr(short(note))))
    if source and not (SOURCE_URL.fullmatch(source) or SOURCE_REPO.fullmatch(source)):
        note = (f"source: {source}" + (f"; {note}" if note else ""))[: MAX_TEXT["note"]]
        source = ""
    return source, note
