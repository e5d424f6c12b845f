"""The checks every record of a file goes through, one small rule per field: indicator and year, locality,
value, rank, source and note, duplicates; then checks over the whole file."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import replace as dc_replace
from typing import Any

from analytics.catalog import Indicator
from analytics.imports.cells import (
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


def issue_at(ctx: CheckContext, rec: Record, fld: FieldRef, e: CellError, severity: str = "error") -> None:
    ctx.add(Issue(severity, e.code, e.message, e.fix, row=rec.row,
                  column=col_letter(fld.col) if fld.col is not None else None,
                  column_name=short(fld.name, 40) if fld.name else None,
                  value=short(fld.value) if fld.value is not None else None))


def scope_for(ctx: CheckContext, ind: Indicator, db_scopes: dict[str, str | None], majority: Unit | None) -> Unit | None:
    if ind.levels[0] == "province":
        return None
    if ctx.within is not None:
        return ctx.within
    root = ind.id.split(".")[0]
    pid = db_scopes.get(root)
    if pid:
        return ctx.reg.units_by_id.get(pid)
    return majority


def check_records(ctx: CheckContext, grid: Grid, records: list[Record], params: dict[str, Any],
                      db_scopes: dict[str, str | None]) -> list[ParsedRow]:
    cat, reg = ctx.cat, ctx.reg
    today = dt.date.today()
    parsed: list[ParsedRow] = []
    keys_seen: dict[tuple[str, str, int], int] = {}
    formula_used: list[str] = []
    pre: list[tuple[Record, Indicator, int]] = []
    # pass 1: indicator and year of every record
    for rec in records:
        if ctx.truncated:
            break
        f = rec.f
        ind: Indicator | None = None
        ind_f = f["indicator"]
        if rec.component_id:
            ind = cat.get(rec.component_id)
        elif ind_f.value is None:
            ctx.add(Issue("error", "missing_indicator", "the indicator is empty.",
                          "type a catalog id such as bd_par_district", row=rec.row,
                          column=col_letter(ind_f.col) if ind_f.col is not None else None,
                          column_name=ind_f.name))
            continue
        else:
            try:
                text = check_text(ind_f.value, "indicator")
            except CellError as e:
                issue_at(ctx, rec, ind_f, e)
                continue
            ind, close = indicator_from_text(cat, text)
            if ind is None:
                ctx.add(Issue("error", "unknown_indicator", f"unknown indicator {short(text)!r}.",
                              (f"did you mean: {', '.join(close)}?" if close else
                               "use a catalog id (see data/indicators.yaml), e.g. bd_par_district"),
                              row=rec.row, column=col_letter(ind_f.col) if ind_f.col is not None else None,
                              column_name=ind_f.name, value=short(text)))
                continue
            comp_f = f.get("component")
            if comp_f is not None and comp_f.value is not None:
                try:
                    ctext = check_text(comp_f.value, "component")
                except CellError as e:
                    issue_at(ctx, rec, comp_f, e)
                    continue
                child, kids = component_of(cat, ind, ctext)
                if child is None:
                    ctx.add(Issue("error", "unknown_component",
                                  f"{ind.id} has no component {short(ctext)!r}.",
                                  (f"use one of: {', '.join(kids)}" if kids else
                                   f"{ind.id} has no components; leave the cell empty"),
                                  row=rec.row, column=col_letter(comp_f.col) if comp_f.col is not None else None,
                                  column_name=comp_f.name, value=short(ctext)))
                    continue
                ind = child
        yf = f["year"]
        try:
            year = parse_year(yf.value)
        except CellError as e:
            issue_at(ctx, rec, yf, e)
            continue
        if year is None:
            ctx.add(Issue("error", "missing_year", "the year is empty.", "type the assessment year, e.g. 2017",
                          row=rec.row, column=col_letter(yf.col) if yf.col is not None else None,
                          column_name=yf.name))
            continue
        ycol = col_letter(yf.col) if yf.col is not None else None
        if not 1990 <= year <= today.year:
            ctx.add(Issue("error", "year_out_of_range",
                          f"year {year} is outside 1990–{today.year}" + (" (in the future)" if year > today.year else "")
                          + ".", "type the assessment year the figure refers to", row=rec.row, column=ycol,
                          column_name=yf.name, value=str(year)))
            continue
        if not ind.exists_in(year):
            span = f"{ind.first_year or '…'}–{ind.last_year or '…'}"
            ctx.add(Issue("error", "year_not_in_indicator", f"{ind.id} does not exist in {year} (years {span}).",
                          "check the year or the indicator", row=rec.row, column=ycol, column_name=yf.name,
                          value=str(year)))
            continue
        if ind.vintage == "legacy" and year > LEGACY_LAST_YEAR:
            ctx.add(Issue("error", "year_outside_units",
                          f"{ind.id} is measured on the units before the 1 Jul 2025 reform, which ended in 2025; "
                          f"year {year} is after that.", "check the year, or use the indicator of the 34 new "
                          "provinces (e.g. dti_34)", row=rec.row, column=ycol, column_name=yf.name, value=str(year)))
            continue
        if ind.vintage == "2025" and year < NEW_FIRST_YEAR:
            ctx.add(Issue("error", "year_outside_units",
                          f"{ind.id} is measured on the units of 1 Jul 2025; year {year} is before them.",
                          "use the indicator of the former 63 provinces for earlier years", row=rec.row, column=ycol,
                          column_name=yf.name, value=str(year)))
            continue
        pre.append((rec, ind, year))

    # the province of within-province indicators: parameter, database, else the file's majority
    majority: Unit | None = None
    if any(ind.levels[0] != "province" for _, ind, _ in pre) and ctx.within is None:
        provs: Counter = Counter()
        for rec, ind, year in pre[:400]:
            if ind.levels[0] == "province":
                continue
            name = cell_text(rec.f["locality"].value)
            if len(name) > MAX_TEXT["locality"] or not known_key(reg, name, level=ind.levels[0],
                                                                   vintage=ind.vintage):
                continue
            try:
                u = reg.resolve(name, year=year, level=ind.levels[0], vintage=ind.vintage)
                if u.province_id:
                    provs[u.province_id] += 1
            except RegistryError:
                continue
        if provs:
            majority = reg.units_by_id.get(provs.most_common(1)[0][0])

    # pass 2: locality, value, rank, text fields
    for rec, ind, year in pre:
        if ctx.truncated:
            break
        f = rec.f
        lf = f["locality"]
        lcol = col_letter(lf.col) if lf.col is not None else None
        if lf.value is None:
            ctx.add(Issue("error", "missing_locality", "the locality is empty.", "type the name of the unit",
                          row=rec.row, column=lcol, column_name=lf.name))
            continue
        if is_date(lf.value) or isinstance(lf.value, bool):
            ctx.add(Issue("error", "unknown_locality", f"{short(lf.value)} is not a locality name.",
                          "type the name of the unit", row=rec.row, column=lcol, column_name=lf.name))
            continue
        raw_loc = lf.value
        if isinstance(raw_loc, (int, float)) and not isinstance(raw_loc, bool):
            width = {"province": 2, "district": 3, "commune": 5}.get(ind.levels[0], 0)
            raw_loc = cell_text(raw_loc).zfill(width)
        try:
            name = check_text(raw_loc, "locality")
        except CellError as e:
            issue_at(ctx, rec, lf, e)
            continue
        name = ORDINAL.sub("", name).rstrip(" *") or name   # "1. Huyện Bàu Bàng (*)" as in official tables
        scope = scope_for(ctx, ind, db_scopes, majority)
        unit, res, issue = resolve_name(ctx, name, ind, year, scope)
        if issue is not None:
            ctx.add(dc_replace(issue, row=rec.row, column=lcol, column_name=lf.name, value=short(name)))
            continue
        assert unit is not None and res is not None
        rk = (name, unit.unit_id)
        if rk in ctx.resolutions:
            if rec.row not in ctx.resolutions[rk].rows:
                ctx.resolutions[rk].rows.append(rec.row)
        else:
            res.rows = [rec.row]
            ctx.resolutions[rk] = res
        if not unit.valid_in_year(year):
            ctx.add(Issue("error", "outside_validity",
                          f"{unit.display_name()} [{unit.unit_id}] did not exist in {year} "
                          f"(valid {unit.valid_from or '…'} to {unit.valid_to or '…'}).",
                          "check the year or the unit", row=rec.row, column=lcol, column_name=lf.name,
                          value=short(name)))
            continue
        if scope is not None and unit.province_id != scope.unit_id:
            ctx.add(Issue("error", "outside_scope", f"{unit.display_name()} is not in {scope.display_name()}; "
                          f"{ind.id} covers {scope.display_name()} only.", "remove the row or check the indicator",
                          row=rec.row, column=lcol, column_name=lf.name, value=short(name)))
            continue

        # value
        vf = f["value"]
        value = None
        bad = False
        vpos = (rec.grid_row, vf.col) if vf.col is not None else None
        if vf.value is not None or (vpos is not None and vpos in grid.formulas):
            pos = vpos
            if pos is not None and pos in grid.formulas:
                ftext = grid.formulas[pos]
                if vf.value is None or (isinstance(vf.value, str) and vf.value.startswith("=")):
                    ctx.add(Issue("error", "formula_cell", f"the cell holds the formula {short(ftext, 60)!r} "
                                  "without a saved value; formulas are never evaluated.",
                                  "open the file in Excel and save it (Excel stores the value), or paste values",
                                  row=rec.row, column=col_letter(vf.col), column_name=vf.name))
                    continue
                formula_used.append(f"{col_letter(vf.col)}{rec.row} {short(ftext, 40)}")
            try:
                value, pct = parse_number(vf.value, percent_cell=pos in grid.percent_cells if pos else False)
            except CellError as e:
                issue_at(ctx, rec, vf, e)
                continue
            if value is not None:
                sc = ind.scale_for(year)
                if pct and sc.max is not None and sc.max <= 1:
                    value = value / 100.0
                if (sc.min is not None and value < sc.min) or (sc.max is not None and value > sc.max):
                    lo = "…" if sc.min is None else f"{sc.min:g}"
                    hi = "…" if sc.max is None else f"{sc.max:g}"
                    neg = " (negative)" if value < 0 else ""
                    ctx.add(Issue("error", "out_of_scale",
                                  f"value {value:g}{neg} is outside the scale of {ind.id} in {year} ({lo}–{hi}).",
                                  "check the decimal separator, the column and the unit (% vs 0–1)",
                                  row=rec.row, column=col_letter(vf.col) if vf.col is not None else None,
                                  column_name=vf.name, value=short(vf.value)))
                    bad = True
        # rank
        rf = f.get("official_rank") or FieldRef(None, None, None)
        rank = None
        rpos = (rec.grid_row, rf.col) if rf.col is not None else None
        if rf.value is not None or (rpos is not None and rpos in grid.formulas):
            pos = rpos
            if pos is not None and pos in grid.formulas:
                if rf.value is None or (isinstance(rf.value, str) and rf.value.startswith("=")):
                    ctx.add(Issue("error", "formula_cell", f"the cell holds the formula "
                                  f"{short(grid.formulas[pos], 60)!r} without a saved value.",
                                  "save the file in Excel or paste values", row=rec.row, column=col_letter(rf.col),
                                  column_name=rf.name))
                    continue
                formula_used.append(f"{col_letter(rf.col)}{rec.row} {short(grid.formulas[pos], 40)}")
            try:
                rank = parse_rank(rf.value)
            except CellError as e:
                issue_at(ctx, rec, rf, e)
                continue
            if rank is not None:
                n = level_n(ctx, ind, year, scope)
                if rank < 1 or (n is not None and rank > n):
                    ctx.add(Issue("error", "rank_out_of_range",
                                  f"rank {rank} is outside 1–{n if n is not None else '…'} for {ind.id} {year}"
                                  + (f" ({n} units ranked)" if n is not None else "") + ".",
                                  "type the published rank (1 = best)", row=rec.row,
                                  column=col_letter(rf.col) if rf.col is not None else None,
                                  column_name=rf.name, value=short(rf.value)))
                    bad = True
        if bad:
            continue
        if value is None and rank is None:
            ctx.add(Issue("error", "no_figure", "the row has neither a value nor a rank.",
                          "type the published value (and rank), or delete the row", row=rec.row,
                          column=col_letter(vf.col) if vf.col is not None else None, column_name=vf.name))
            continue
        # source and note
        src_f = f.get("source_url") or FieldRef(None, None, None)
        note_f = f.get("note") or FieldRef(None, None, None)
        try:
            source = check_text(src_f.value, "source") if src_f.value is not None else (params.get("source_url") or "")
            note = check_text(note_f.value, "note", multiline=True) if note_f.value is not None else ""
        except CellError as e:
            issue_at(ctx, rec, src_f if src_f.value is not None and "source" in e.message else note_f, e)
            continue
        if source and not re.fullmatch(r"https?://[^\s<>\"']{3,}", source):
            note = (f"source: {source}" + (f"; {note}" if note else ""))[: MAX_TEXT["note"]]
            source = ""
        key3 = (ind.id, unit.unit_id, year)
        if key3 in keys_seen:
            ctx.add(Issue("error", "duplicate_key",
                          f"{ind.id} {year} {unit.display_name()} [{unit.unit_id}] appears twice in the file "
                          f"(first in row {keys_seen[key3]}).", "keep one of the two rows", row=rec.row,
                          column=lcol, column_name=lf.name, value=short(name)))
            continue
        keys_seen[key3] = rec.row
        parsed.append(ParsedRow(rec.row, ind.id, unit.unit_id, unit.display_name(), name, year, value, rank,
                                "published" if rank is not None else None, source or None, note or None))
    for res in ctx.resolutions.values():
        if res.method == "fuzzy":
            cands = "; ".join(f"{n} [{u}]" for u, n in res.candidates[:4])
            ctx.add(Issue("confirm", "fuzzy_locality",
                          f"{short(res.name)!r} is not an exact name; closest match {res.unit_name} "
                          f"[{res.unit_id}] (similarity {res.score}). Candidates: {cands}.",
                          f"confirm the match, or correct the spelling to {res.unit_name!r}",
                          row=res.rows[0] if res.rows else None))
    if formula_used:
        ctx.add(Issue("warning", "formula_values",
                      f"{len(formula_used)} formula cell(s) were read as the values Excel saved, not evaluated "
                      f"(e.g. {', '.join(formula_used[:3])})."))
    # a 0–100 index given entirely as fractions?
    by_ind: dict[str, list[float]] = defaultdict(list)
    for p in parsed:
        if p.value is not None:
            by_ind[p.indicator_id].append(p.value)
    for iid, vals in by_ind.items():
        sc = cat.get(iid).scale
        if sc.max is not None and sc.max >= 50 and len(vals) >= 3 and max(vals) <= 1.0:
            ctx.add(Issue("warning", "fraction_values",
                          f"every value of {iid} is ≤ 1 but its scale is {sc.min:g}–{sc.max:g}: were percentages "
                          "given as fractions?", "multiply by 100 if the source shows percentages"))
    return parsed

