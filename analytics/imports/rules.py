"""The checks every record of a file goes through, one small rule per field: indicator and year, locality,
value, rank, source and note, duplicates; then checks over the whole file.

Each rule adds its issues to the context and returns what it read, or None when the row cannot be used.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import replace as dc_replace
from typing import Any

from analytics.catalog import Indicator
from analytics.imports.cells import (
    FORMULA_LIKE,
    MAX_TEXT,
    ORDINAL,
    CellError,
    cell_text,
    check_text,
    parse_number,
    parse_rank,
    parse_year,
    short,
)
from analytics.imports.grid import Grid, col_letter, is_date
from analytics.imports.layout import FieldRef, Record
from analytics.imports.model import CheckContext, Issue, ParsedRow
from analytics.imports.plausibility import (
    far_from_previous,
    file_checks,
    option_contradicts,
    thousands_or_decimal,
)
from analytics.imports.resolve import (
    LEGACY_LAST_YEAR,
    NEW_FIRST_YEAR,
    component_of,
    indicator_from_text,
    known_key,
    level_n,
    resolve_name,
)
from analytics.registry import RegistryError, Unit

NO_FIELD = FieldRef(None, None, None)
SOURCE_URL = re.compile(r"https?://[^\s<>\"']{3,}")
# Non-web sources as the carried data writes them: "github:owner/repo@commit path/in/repo".
SOURCE_REPO = re.compile(r"github:[\w.-]+/[\w.-]+@[0-9a-f]{7,40}(?:\s+\S.*)?")


def _where(rec: Record, fld: FieldRef) -> dict[str, Any]:
    return {"row": rec.row, "column": col_letter(fld.col) if fld.col is not None else None,
            "column_name": short(fld.name, 40) if fld.name else None}


def issue_at(ctx: CheckContext, rec: Record, fld: FieldRef, e: CellError, severity: str = "error") -> None:
    ctx.add(Issue(severity, e.code, e.message, e.fix, **_where(rec, fld),
                  value=short(fld.value) if fld.value is not None else None, key=e.key, params=e.params))


def scope_for(ctx: CheckContext, ind: Indicator, db_scopes: dict[str, str | None], majority: Unit | None) -> Unit | None:
    if ind.levels[0] == "province":
        return None
    if ctx.within is not None:
        return ctx.within
    pid = db_scopes.get(ind.id.split(".")[0])
    if pid:
        return ctx.reg.units_by_id.get(pid)
    return majority


# ------------------------------------------------------------------------------------ pass 1
def indicator_rule(ctx: CheckContext, rec: Record, params: dict[str, Any]) -> Indicator | None:
    """The indicator (or component) a record is about."""
    if rec.component_id:
        return ctx.cat.get(rec.component_id)
    ind_f = rec.f["indicator"]
    if ind_f.value is None:
        ctx.add(Issue.of("error", "missing_indicator", **_where(rec, ind_f)))
        return None
    try:
        text = check_text(ind_f.value, "indicator")
    except CellError as e:
        issue_at(ctx, rec, ind_f, e)
        return None
    ind, close = indicator_from_text(ctx.cat, text)
    if ind is None:
        ctx.add(Issue.of("error", "unknown_indicator" if close else "unknown_indicator_no_hint", code="unknown_indicator",
                         **_where(rec, ind_f), value=short(text), name=short(text), close=", ".join(close)))
        return None
    option = params.get("indicator")
    if option and ind_f.col is not None and "indicator" not in ctx.contradicted:
        given, _ = indicator_from_text(ctx.cat, str(option))
        if given is None or given.id != ind.id:
            ctx.contradicted.add("indicator")
            option_contradicts(ctx, rec, "indicator", option, text)
    comp_f = rec.f.get("component")
    if comp_f is None or comp_f.value is None:
        return ind
    try:
        ctext = check_text(comp_f.value, "component")
    except CellError as e:
        issue_at(ctx, rec, comp_f, e)
        return None
    child, kids = component_of(ctx.cat, ind, ctext)
    if child is None:
        ctx.add(Issue.of("error", "unknown_component" if kids else "unknown_component_none", code="unknown_component",
                         **_where(rec, comp_f), value=short(ctext), indicator=ind.id, name=short(ctext),
                         kids=", ".join(kids)))
    return child


def year_rule(ctx: CheckContext, rec: Record, ind: Indicator, params: dict[str, Any]) -> int | None:
    """The year, within 1990..today, the indicator's years and the years of its units."""
    yf = rec.f["year"]
    try:
        year = parse_year(yf.value)
    except CellError as e:
        issue_at(ctx, rec, yf, e)
        return None
    where = _where(rec, yf)
    if year is None:
        ctx.add(Issue.of("error", "missing_year", **where))
        return None
    option = params.get("year")
    if option not in (None, "") and yf.col is not None and "year" not in ctx.contradicted and str(option) != str(year):
        ctx.contradicted.add("year")
        option_contradicts(ctx, rec, "year", option, year)
    this_year = dt.date.today().year
    if not 1990 <= year <= this_year:
        key = "year_in_future" if year > this_year else "year_out_of_range"
        ctx.add(Issue.of("error", key, code="year_out_of_range", **where, value=str(year), year=year, now=this_year))
        return None
    if not ind.exists_in(year):
        ctx.add(Issue.of("error", "year_not_in_indicator", **where, value=str(year), indicator=ind.id, year=year,
                         span=f"{ind.first_year or '…'}–{ind.last_year or '…'}"))
        return None
    if ind.vintage == "legacy" and year > LEGACY_LAST_YEAR:
        ctx.add(Issue.of("error", "year_after_legacy_units", code="year_outside_units", **where, value=str(year),
                         indicator=ind.id, year=year))
        return None
    if ind.vintage == "2025" and year < NEW_FIRST_YEAR:
        ctx.add(Issue.of("error", "year_before_new_units", code="year_outside_units", **where, value=str(year),
                         indicator=ind.id, year=year))
        return None
    return year


def majority_province(ctx: CheckContext, pre: list[tuple[Record, Indicator, int]]) -> Unit | None:
    """The province most of a within-province file's names resolve in (when no parameter says it)."""
    if ctx.within is not None or all(ind.levels[0] == "province" for _, ind, _ in pre):
        return None
    reg = ctx.reg
    provs: Counter = Counter()
    for rec, ind, year in pre[:400]:
        if ind.levels[0] == "province":
            continue
        name = cell_text(rec.f["locality"].value)
        if len(name) > MAX_TEXT["locality"] or not known_key(reg, name, level=ind.levels[0], vintage=ind.vintage):
            continue
        try:
            u = reg.resolve(name, year=year, level=ind.levels[0], vintage=ind.vintage)
        except RegistryError:
            continue
        if u.province_id:
            provs[u.province_id] += 1
    return reg.units_by_id.get(provs.most_common(1)[0][0]) if provs else None


# ------------------------------------------------------------------------------------ pass 2
def locality_rule(ctx: CheckContext, rec: Record, ind: Indicator, year: int, scope: Unit | None
                  ) -> tuple[Unit, str] | None:
    """The unit a row's locality names (and the name as written), valid in the year and in the scope."""
    lf = rec.f["locality"]
    where = _where(rec, lf)
    if lf.value is None:
        ctx.add(Issue.of("error", "missing_locality", **where))
        return None
    if is_date(lf.value) or isinstance(lf.value, bool):
        ctx.add(Issue.of("error", "not_a_locality", code="unknown_locality", **where, name=short(lf.value)))
        return None
    raw_loc = lf.value
    if isinstance(raw_loc, str) and raw_loc.strip().isdigit():
        raw_loc = int(raw_loc)
    if isinstance(raw_loc, (int, float)):
        # a code column read as numbers lost its leading zeros: "1" is province code "01"
        raw_loc = cell_text(raw_loc).zfill({"province": 2, "district": 3, "commune": 5}.get(ind.levels[0], 0))
    try:
        name = check_text(raw_loc, "locality")
    except CellError as e:
        issue_at(ctx, rec, lf, e)
        return None
    name = ORDINAL.sub("", name).rstrip(" *") or name   # "1. Huyện Bàu Bàng (*)" as in official tables
    unit, res, issue = resolve_name(ctx, name, ind, year, scope)
    if issue is not None:
        ctx.add(dc_replace(issue, **where, value=short(name)))
        return None
    assert unit is not None and res is not None
    known = ctx.resolutions.get((name, unit.unit_id))
    if known is None:
        res.rows = [rec.row]
        ctx.resolutions[(name, unit.unit_id)] = res
    elif rec.row not in known.rows:
        known.rows.append(rec.row)
    if not unit.valid_in_year(year):
        ctx.add(Issue.of("error", "outside_validity_years", code="outside_validity", **where, value=short(name),
                         unit=unit.display_name(), unit_id=unit.unit_id, year=year,
                         start=unit.valid_from or "…", end=unit.valid_to or "…"))
        return None
    if scope is not None and unit.province_id != scope.unit_id:
        ctx.add(Issue.of("error", "outside_scope_unit", code="outside_scope", **where, value=short(name),
                         unit=unit.display_name(), scope=scope.display_name(), indicator=ind.id))
        return None
    return unit, name


def _saved_formula(ctx: CheckContext, grid: Grid, rec: Record, fld: FieldRef, formula_used: list[str]) -> bool:
    """False when the cell is a formula without a saved value (an error); notes a formula read by value."""
    pos = (rec.grid_row, fld.col) if fld.col is not None else None
    if pos is None or pos not in grid.formulas:
        return True
    ftext = grid.formulas[pos]
    if fld.value is None or (isinstance(fld.value, str) and fld.value.startswith("=")):
        ctx.add(Issue.of("error", "formula_cell", **_where(rec, fld), formula=short(ftext, 60)))
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
                         **_where(rec, vf), value=short(vf.value), number=f"{value:g}", indicator=ind.id, year=year,
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
                         code="rank_out_of_range", **_where(rec, rf), value=short(rf.value), rank=rank,
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
        ctx.add(Issue.of("warning", "formula_like_note", **_where(rec, note_f), cell=repr(short(note))))
    if source and not (SOURCE_URL.fullmatch(source) or SOURCE_REPO.fullmatch(source)):
        note = (f"source: {source}" + (f"; {note}" if note else ""))[: MAX_TEXT["note"]]
        source = ""
    return source, note


# ------------------------------------------------------------------------------------ whole file
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
            ctx.add(Issue.of("error", "no_figure", **_where(rec, rec.f["value"])))
            continue
        text = source_note_rule(ctx, rec, params)
        if text is None:
            continue
        code_f = rec.f.get("code") or NO_FIELD
        if code_f.value is not None and str(code_f.value).strip().lstrip("0") != unit.code.lstrip("0"):
            ctx.add(Issue.of("error", "code_mismatch", **_where(rec, code_f), value=short(str(code_f.value)),
                             given=short(str(code_f.value)), unit=unit.display_name(), unit_code=unit.code))
            continue
        key3 = (ind.id, unit.unit_id, year)
        status = "primary"
        if key3 in keys_seen:
            first = keys_seen[key3]
            if _same_source(parsed, first, text[0]):
                ctx.add(Issue.of("error", "duplicate_key", **_where(rec, rec.f["locality"]), value=short(name),
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
