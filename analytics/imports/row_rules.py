"""The rules that say what a record of a file is about: its indicator (or component) and year, then its
locality, resolved in the scope of the indicator (the province of a within-province index).

Each rule adds its issues to the context and returns what it read, or None when the row cannot be used.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace as dc_replace
from typing import Any

from analytics.catalog import Indicator
from analytics.imports.cells import MAX_TEXT, ORDINAL, CellError, cell_text, check_text, parse_year, short
from analytics.imports.grid import col_letter, is_date
from analytics.imports.layout import FieldRef, Record
from analytics.imports.model import CheckContext, Issue
from analytics.imports.plausibility import option_contradicts
from analytics.imports.resolve import (
    LEGACY_LAST_YEAR,
    NEW_FIRST_YEAR,
    component_of,
    indicator_from_text,
    known_key,
    resolve_name,
)
from analytics.registry import RegistryError, Unit

NO_FIELD = FieldRef(None, None, None)


def cell_where(rec: Record, fld: FieldRef) -> dict[str, Any]:
    return {"row": rec.row, "column": col_letter(fld.col) if fld.col is not None else None,
            "column_name": short(fld.name, 40) if fld.name else None}


def issue_at(ctx: CheckContext, rec: Record, fld: FieldRef, e: CellError, severity: str = "error") -> None:
    ctx.add(Issue(severity, e.code, e.message, e.fix, **cell_where(rec, fld),
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


def indicator_rule(ctx: CheckContext, rec: Record, params: dict[str, Any]) -> Indicator | None:
    """The indicator (or component) a record is about."""
    if rec.component_id:
        return ctx.cat.get(rec.component_id)
    ind_f = rec.f["indicator"]
    if ind_f.value is None:
        ctx.add(Issue.of("error", "missing_indicator", **cell_where(rec, ind_f)))
        return None
    try:
        text = check_text(ind_f.value, "indicator")
    except CellError as e:
        issue_at(ctx, rec, ind_f, e)
        return None
    ind, close = indicator_from_text(ctx.cat, text)
    if ind is None:
        ctx.add(Issue.of("error", "unknown_indicator" if close else "unknown_indicator_no_hint", code="unknown_indicator",
                         **cell_where(rec, ind_f), value=short(text), name=short(text), close=", ".join(close)))
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
                         **cell_where(rec, comp_f), value=short(ctext), indicator=ind.id, name=short(ctext),
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
    where = cell_where(rec, yf)
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


def locality_rule(ctx: CheckContext, rec: Record, ind: Indicator, year: int, scope: Unit | None
                  ) -> tuple[Unit, str] | None:
    """The unit a row's locality names (and the name as written), valid in the year and in the scope."""
    lf = rec.f["locality"]
    where = cell_where(rec, lf)
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
