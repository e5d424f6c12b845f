"""Finding the table in a grid: the header rows, the role of each column, the data rows below, and the
indicator, year and source stated in the title rows (the official wide layout) or the columns (long)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from analytics.catalog import Catalog, Indicator
from analytics.imports.cells import CellError, cell_text, parse_number, short
from analytics.imports.grid import Grid, col_letter
from analytics.imports.mapping import find_mapped_header, signature
from analytics.imports.model import CheckContext, Issue
from analytics.imports.vocabulary import (
    FAMILIES,
    INDEX_WORDS,
    LEVEL_WORDS,
    META_KEYS,
    NOTE_PREFIXES,
    SUMMARY_PREFIXES,
    classify_header,
)
from analytics.text import fold, key


# ============================================================================================ layout
@dataclass
class Column:
    idx: int
    role: str
    name: str
    component: str | None = None     # wide layout: the component indicator id of this column


@dataclass
class Layout:
    kind: str                        # 'long' | 'wide'
    header_first: int                # grid index of the first header row
    header_last: int                 # grid index of the last header row
    cols: list[Column]
    data_start: int


def row_texts(row: list[Any]) -> list[str]:
    return [cell_text(c) for c in row]


def nonempty(row: list[Any]) -> list[str]:
    return [t for t in row_texts(row) if t]


def is_numeric_cell(v: Any) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    if isinstance(v, str):
        try:
            return parse_number(v)[0] is not None
        except CellError:
            return False
    return False


_COLNUM = re.compile(r"^(?:\d{1,2}|[A-Za-z])(?:[=+\-*/x](?:\d{1,2}|[A-Za-z]))*$")


def is_column_number_row(row: list[Any]) -> bool:
    """A row of column numbers under the header: "(1) (2) (3) (4)=(2)+(3)" or "A B 1 2"."""
    cells = [re.sub(r"[\s()]", "", c) for c in nonempty(row)]
    return len(cells) >= 2 and all(_COLNUM.match(c) for c in cells) and \
        len([c for c in cells if re.search(r"\d", c)]) >= 2 and not any(len(c) > 16 for c in cells)


def find_header(grid: Grid) -> tuple[int, dict[int, str]] | None:
    for i, row in enumerate(grid.rows[:60]):
        roles = {c: classify_header(v) for c, v in enumerate(row)}
        roles = {c: r for c, r in roles.items() if r}
        present = set(roles.values())
        if "locality" in present and present & {"value", "official_rank", "year", "indicator", "component"}:
            return i, roles
    return None


def combined_header(grid: Grid, first: int, last: int, c: int) -> tuple[str, str]:
    """(bottom-most header text, all header texts of the column joined)."""
    texts: list[str] = []
    for r in range(first, last + 1):
        row = grid.rows[r]
        t = cell_text(row[c]) if c < len(row) else ""
        if t and (not texts or texts[-1] != t):
            texts.append(t)
    return (texts[-1] if texts else ""), " ".join(texts)


# ============================================================================================ the parse
@dataclass
class FieldRef:
    value: Any
    col: int | None
    name: str | None


@dataclass
class Record:
    grid_row: int
    row: int
    f: dict[str, FieldRef]
    component_id: str | None = None
    role: str = "root"


def fixed(value: Any, name: str) -> FieldRef:
    return FieldRef(value, None, name)


def meta_from_rows(grid: Grid, rows: range) -> dict[str, tuple[str, int]]:
    """``key: value`` cells (or a label cell followed by a value cell) in title/notes rows."""
    out: dict[str, tuple[str, int]] = {}
    for r in rows:
        row = grid.rows[r]
        texts = row_texts(row)
        seen: set[str] = set()
        for c, t in enumerate(texts):
            if not t or t in seen:
                continue
            seen.add(t)
            m = re.match(r"^\s*([^:：]{1,30})[:：]\s*(.+)$", t)
            label, val = (m.group(1), m.group(2).strip()) if m else (t, None)
            lk = key(label)
            for what, keys in META_KEYS.items():
                if lk in keys:
                    if val is None:
                        nxt = [x for x in texts[c + 1:] if x and x != t]
                        val = nxt[0] if nxt else None
                    if val and what not in out:
                        out[what] = (val, r)
    return out


def year_from_title(title: str) -> int | None:
    f = fold(title)
    f = re.sub(r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}", " ", f)
    f = re.sub(r"thang\s+\d{1,2}\s+nam\s+\d{4}", " ", f)
    f = re.sub(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", " ", f)
    years = [int(y) for y in re.findall(r"\b(?:nam|year|ky|giai doan)\s*:?\s*((?:19|20)\d{2})\b", f)]
    if len(set(years)) == 1:
        return years[0]
    years = [int(y) for y in re.findall(r"\b((?:199|20[0-4])\d)\b", f)]
    return years[0] if len(set(years)) == 1 else None


def indicator_from_title(cat: Catalog, title: str, level_hint: str | None) -> tuple[str | None, str]:
    tk = key(title)
    if not tk:
        return None, "why_no_title"
    for ind in cat:
        if ind.parent is None and len(ind.id) > 4 and (ind.id.replace("_", "") in tk and "_" in ind.id):
            return ind.id, "title"
    level = level_hint
    if level is None:
        for lv, words in LEVEL_WORDS:
            if any(w in tk for w in words):
                level = lv
                break
    for _fam, words, by_level in FAMILIES:
        if any(w in tk for w in words):
            if level and level in by_level:
                return by_level[level], "title"
            if len(by_level) == 1:
                return next(iter(by_level.values())), "title"
            return None, "why_several_levels:" + ", ".join(by_level.values())
    return None, "why_unknown_index"


def detect_layout(grid: Grid, ctx: CheckContext, params: dict[str, Any]) -> tuple[Layout | None, dict[str, Any]]:
    info: dict[str, Any] = {}
    mapping = params.get("mapping")
    if mapping:   # the editor said which column holds what: no guessing
        mapped = find_mapped_header(grid.rows, mapping)
        if mapped is None:
            ctx.add(Issue.of("error", "map_headers_missing", headers=", ".join(mapping.values())))
            return None, info
        h, roles = mapped
        cols = [Column(c, roles.get(c, "ignore"), cell_text(v)) for c, v in enumerate(grid.rows[h])]
        return Layout("long", h, h, cols, h + 1), {"signature": signature(grid.rows[h])}
    found = find_header(grid)
    if found is None:
        ctx.add(Issue.of("error", "no_header"))
        return None, info
    h, roles = found
    present = set(roles.values())
    kind = "long" if present & {"indicator", "year", "component"} else "wide"
    first = last = h
    if kind == "wide":
        # group header rows above (several distinct texts, no numbers), sub-header rows below
        if h > 0:
            above = grid.rows[h - 1]
            cells = nonempty(above)
            if len(set(cells)) >= 2 and not any(is_numeric_cell(v) for v in above) and \
                    not meta_from_rows(grid, range(h - 1, h)):
                first = h - 1
        r = h + 1
        loc_col = next(c for c, ro in roles.items() if ro == "locality")
        while r < len(grid.rows) and r <= h + 3:
            row = grid.rows[r]
            if is_column_number_row(row):
                last = r
                r += 1
                continue
            cells = [v for c, v in enumerate(row) if cell_text(v) and c != loc_col]
            loc = cell_text(row[loc_col]) if loc_col < len(row) else ""
            header_loc = cell_text(grid.rows[h][loc_col])
            if cells and not any(is_numeric_cell(v) for v in cells) and (not loc or loc == header_loc) \
                    and any(classify_header(v) for v in cells):
                last = r
                r += 1
                continue
            break
    cols: list[Column] = []
    width = max(len(grid.rows[r]) for r in range(first, last + 1))
    for c in range(width):
        bottom, allt = combined_header(grid, first, last, c)
        role = classify_header(bottom) or classify_header(allt) if kind == "wide" else classify_header(bottom)
        cols.append(Column(c, role or "unknown", allt or bottom))
    data_start = last + 1
    while data_start < len(grid.rows) and is_column_number_row(grid.rows[data_start]):
        data_start += 1
    return Layout(kind, first, last, cols, data_start), info


def header_problems(ctx: CheckContext, grid: Grid, lay: Layout, params: dict[str, Any]) -> bool:
    """Check the columns; return False when the table cannot be read at all."""
    ok = True
    header_row = grid.row_numbers[lay.header_last]
    by_role: dict[str, list[Column]] = defaultdict(list)
    for col in lay.cols:
        by_role[col.role].append(col)
    for role, cols in by_role.items():
        if role in ("ignore", "grade", "unknown", "component_value") or len(cols) < 2:
            continue
        if lay.kind == "wide" and role == "value":
            continue
        names = ", ".join(f"{col_letter(c.idx)} ({short(c.name, 40)})" for c in cols)
        ctx.add(Issue.of("error", "duplicate_column", row=header_row, role=role, columns=names))
        ok = False
    if lay.kind == "long":
        missing = []
        if "locality" not in by_role:
            missing.append("locality (địa phương)")
        if "indicator" not in by_role and not params.get("indicator"):
            missing.append("indicator (chỉ số)")
        if "year" not in by_role and not params.get("year"):
            missing.append("year (năm)")
        if "value" not in by_role and "official_rank" not in by_role:
            missing.append("value (giá trị)")
        if missing:
            found = ", ".join(short(c.name, 30) for c in lay.cols if c.name)
            ctx.add(Issue.of("error", "missing_column", row=header_row, missing=", ".join(missing), found=found))
            ok = False
    for col in lay.cols:
        if col.role == "unknown" and col.name:
            if lay.kind == "long":
                ctx.add(Issue.of("error", "unknown_column", row=header_row, column=col_letter(col.idx),
                                 column_name=short(col.name, 60), name=repr(short(col.name, 60))))
                ok = False
        elif col.role == "grade":
            ctx.add(Issue.of("warning", "ignored_grade_column", code="ignored_column", row=header_row,
                             column=col_letter(col.idx), name=repr(short(col.name, 60))))
    # data under a column without header
    named = {c.idx for c in lay.cols if c.name}
    for gi in range(lay.data_start, min(len(grid.rows), lay.data_start + 200)):
        row = grid.rows[gi]
        for c, v in enumerate(row):
            if c not in named and cell_text(v) and lay.kind == "long":
                ctx.add(Issue.of("error", "unnamed_column", row=grid.row_numbers[gi], column=col_letter(c),
                                 value=short(v)))
                return False
    return ok


def main_value_col(cols: list[Column]) -> Column:
    """The index value among several score columns: one whose header names an index, else the last."""
    named = [c for c in cols if any(w in key(c.name or "") for w in INDEX_WORDS)]
    return (named or cols)[-1]


def is_note_row(row: list[Any]) -> bool:
    cells = nonempty(row)
    if not cells:
        return False
    first = key(cells[0])
    if first.startswith(NOTE_PREFIXES) or cells[0].lstrip().startswith(("*", "(*)", "Ghi chú", "Nguồn")):
        return True
    return len(set(cells)) == 1 and not is_numeric_cell(cells[0]) and len(cells[0]) > 25


def records_of(grid: Grid, lay: Layout, ctx: CheckContext, params: dict[str, Any], table_ind: Indicator | None,
             skipped: list[tuple[int, str]]) -> list[Record]:
    out: list[Record] = []
    cols_by_role: dict[str, Column] = {}
    for col in lay.cols:
        cols_by_role.setdefault(col.role, col)
    value_cols = [c for c in lay.cols if c.role == "value"]
    comp_cols = [c for c in lay.cols if c.role == "component_value"]
    loc_col = cols_by_role.get("locality")
    trailer = False
    seen_data = False
    for gi in range(lay.data_start, len(grid.rows)):
        row = grid.rows[gi]
        rn = grid.row_numbers[gi]
        if not nonempty(row):
            continue

        def cell(col: Column | None, row=row) -> FieldRef:
            if col is None:
                return FieldRef(None, None, None)
            v = row[col.idx] if col.idx < len(row) else None
            if isinstance(v, str) and not v.strip():
                v = None
            return FieldRef(v, col.idx, col.name)

        loc_text = cell_text(cell(loc_col).value) if loc_col else ""
        if lay.kind == "wide":
            figures = [cell(c).value for c in value_cols + comp_cols + [cols_by_role.get("official_rank")] if c]
            has_fig = any(v is not None and cell_text(v) for v in figures)
            if trailer:
                if loc_text and any(is_numeric_cell(v) for v in figures):
                    ctx.add(Issue.of("warning", "after_notes", row=rn))
                skipped.append((rn, "below the table"))
                continue
            if is_note_row(row):
                if seen_data:
                    trailer = True
                skipped.append((rn, "notes row"))
                continue
            if loc_text and key(loc_text).startswith(SUMMARY_PREFIXES):
                skipped.append((rn, f"summary row {loc_text!r}"))
                continue
            if not has_fig:
                skipped.append((rn, "section or empty row (no figures)"))
                continue
            if not loc_text and not any(is_numeric_cell(v) for v in figures):
                skipped.append((rn, "no locality and no figures"))
                continue
            seen_data = True
            base = {"locality": cell(loc_col), "indicator": fixed(table_ind.id if table_ind else None, "indicator"),
                    "year": fixed(params.get("year"), "year"),
                    "source_url": cell(cols_by_role.get("source_url")), "note": cell(cols_by_role.get("note"))}
            main_val = cell(main_value_col(value_cols)) if value_cols else FieldRef(None, None, None)
            rank = cell(cols_by_role.get("official_rank"))
            if main_val.value is not None or rank.value is not None or not comp_cols:
                out.append(Record(gi, rn, {**base, "value": main_val, "official_rank": rank}))
            for cc in comp_cols:
                fv = cell(cc)
                if fv.value is not None:
                    out.append(Record(gi, rn, {**base, "value": fv, "official_rank": FieldRef(None, None, None)},
                                       component_id=cc.component, role="component"))
        else:
            if is_note_row(row) and len(set(nonempty(row))) == 1:
                skipped.append((rn, "notes row"))
                continue
            fields = {role: cell(cols_by_role.get(role)) for role in
                      ("indicator", "locality", "year", "value", "official_rank", "component", "source_url", "note",
                       "code")}
            if all(fields[r].value is None for r in ("value", "official_rank", "component", "source_url", "note")):
                skipped.append((rn, BLANK_ROW))   # an import template's row left empty: it only names a locality
                continue
            if fields["indicator"].value is None and params.get("indicator"):
                fields["indicator"] = fixed(params["indicator"], "indicator")
            if fields["year"].value is None and params.get("year"):
                fields["year"] = fixed(params["year"], "year")
            out.append(Record(gi, rn, fields))
    return out


BLANK_ROW = "no figure (a template row left empty)"


def level_from_header(lay: Layout) -> str | None:
    for c in lay.cols:
        if c.role == "locality":
            k = key(c.name or "")
            for lv, words in LEVEL_WORDS:
                if any(w in k for w in words):
                    return lv
            if k.startswith(("huyen", "quanhuyen")):
                return "district"
            if k.startswith(("xa", "phuong")):
                return "commune"
            if k.startswith(("tinh",)):
                return "province"
            if k.startswith(("so", "coquan")):
                return "agency"
    return None

