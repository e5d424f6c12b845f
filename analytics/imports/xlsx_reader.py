"""Reading an untrusted XLSX workbook: the zip directory is checked before openpyxl opens it (members,
declared sizes, ratios, encryption), formulas are never evaluated (their saved value is read and reported),
merged cells take the value of their top-left cell, percentage-formatted cells are marked."""

from __future__ import annotations

import html
import io
import re
import time
import warnings
import zipfile
import zlib
from typing import Any

import openpyxl

from analytics.imports.grid import DEFAULT_LIMITS, Amount, FileRefused, Grid, Limits, col_index

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def check_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open the zip directory only and refuse bombs, encrypted or non-workbook archives."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise FileRefused.of("workbook_damaged", error=str(e)) from None
    infos = z.infolist()
    if len(infos) > limits.max_zip_members:
        raise FileRefused.of("too_many_parts", n=Amount(len(infos)), max=Amount(limits.max_zip_members))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileRefused.of("encrypted")
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise FileRefused.of("zip_bomb_ratio", part=repr(info.filename), size=Amount(info.file_size),
                                 ratio=Amount(info.file_size / max(info.compress_size, 1)))
        if info.filename.startswith("xl/worksheets/") and info.file_size > limits.max_sheet_xml:
            raise FileRefused.of("sheet_xml_too_big", mb=Amount(info.file_size / 1e6),
                                 max_mb=Amount(limits.max_sheet_xml / 1e6))
        if not info.filename.startswith("xl/worksheets/") and info.file_size > limits.max_member:
            raise FileRefused.of("part_too_big", part=repr(info.filename), mb=Amount(info.file_size / 1e6),
                                 max_mb=Amount(limits.max_member / 1e6))
    if total > limits.max_uncompressed:
        raise FileRefused.of("workbook_too_big", mb=Amount(total / 1e6), max_mb=Amount(limits.max_uncompressed / 1e6))
    _check_members_inflate_as_declared(z, infos)
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with z.open(info) as f:
                head = f.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise FileRefused.of("xml_entities", part=repr(info.filename))
    names = set(z.namelist())
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            what = "term_docx"
        elif "ppt/presentation.xml" in names:
            what = "term_pptx"
        elif "content.xml" in names:
            what = "term_odf"
        else:
            what = "term_zip"
        raise FileRefused.of("zip_not_workbook", what=what)
    return z


def _check_members_inflate_as_declared(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every part in chunks: a part longer or shorter than its declared size, or with a wrong
    checksum, is refused before openpyxl reads it (zipfile stops at the declared size and checks the CRC,
    so the caps checked on the declared sizes hold for what is really read)."""
    for info in infos:
        try:
            with z.open(info) as f:
                while f.read(1 << 20):
                    pass
        except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, OSError) as e:
            raise FileRefused.of("zip_sizes_lie", part=repr(info.filename),
                                 error=f"{type(e).__name__}: {str(e)[:120]}") from None


def _sheet_dimension_check(z: zipfile.ZipFile, limits: Limits) -> None:
    for info in z.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with z.open(info) as f:
            head = f.read(4096)
        m = _DIMENSION.search(head)
        if m and m.group(3):
            rows = int(m.group(4)) - int(m.group(2)) + 1
            cols = col_index(m.group(3)) - col_index(m.group(1)) + 1
            if cols > limits.max_cols * 2 or rows > limits.max_rows * 2 or rows * cols > limits.max_cells * 2:
                raise FileRefused.of("sheet_declared_too_big", rows=Amount(rows), cols=Amount(cols),
                                     max_rows=Amount(limits.max_rows), max_cols=limits.max_cols,
                                     max_cells=Amount(limits.max_cells))


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)


_CALC = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*>")


def _asks_recalculation(z: zipfile.ZipFile) -> bool:
    """Calculation set to manual in Excel: the values saved with the formulas may be out of date.
    (``fullCalcOnLoad`` is not a sign: openpyxl and other generators always write it.)"""
    m = _CALC.search(z.read("xl/workbook.xml")[:200_000])
    return bool(m) and b'calcMode="manual"' in m.group(0)


def _xml_text(b: bytes) -> str:
    return html.unescape(b.decode("utf-8", "replace"))


def read_xlsx_grid(data: bytes, sheet: str | int | None = None, limits: Limits = DEFAULT_LIMITS) -> Grid:
    """Cells of one sheet (openpyxl streaming mode: cached values only, formulas never evaluated)."""
    z = check_zip(data, limits)
    _sheet_dimension_check(z, limits)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        except Exception as e:  # noqa: BLE001 - openpyxl raises many types on damaged files
            raise FileRefused.of("workbook_unreadable", error=f"{type(e).__name__}: {str(e)[:200]}") from None
    try:
        all_names = list(wb.sheetnames)
        if not all_names:
            raise FileRefused.of("no_sheets")
        # a hidden sheet is never read unless chosen by name: the editor did not see it in Excel
        hidden = [ws.title for ws in wb.worksheets if getattr(ws, "sheet_state", "visible") != "visible"]
        names = [n for n in all_names if n not in hidden]
        if sheet is None or sheet == "":
            if not names:
                raise FileRefused.of("all_sheets_hidden", sheets=", ".join(hidden))
            name = names[0]
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
            i = int(sheet)
            if not 1 <= i <= len(names):
                raise FileRefused.of("no_sheet_number", i=i, n=len(names), sheets=", ".join(names))
            name = names[i - 1]
        else:
            match = [n for n in all_names if n == sheet] or \
                [n for n in all_names if n.strip().lower() == str(sheet).strip().lower()]
            if not match:
                raise FileRefused.of("no_such_sheet", sheet=repr(sheet), sheets=", ".join(names))
            name = match[0]
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):
            raise FileRefused.of("chart_sheet", sheet=repr(name))
        xml_path = getattr(ws, "_worksheet_path", None)
        xml = z.read(xml_path) if xml_path and xml_path in z.namelist() else b""
        ws.reset_dimensions()   # do not trust the declared size: read what is there, within the caps
        rows: list[list[Any]] = []
        numbers: list[int] = []
        percent: set[tuple[int, int]] = set()
        n_cells = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            deadline = time.monotonic() + limits.max_seconds
            for r_idx, row in enumerate(ws.iter_rows()):
                if r_idx % 256 == 0 and time.monotonic() > deadline:
                    raise FileRefused.of("too_slow", sheet=repr(name), seconds=f"{limits.max_seconds:g}")
                if r_idx >= limits.max_rows:
                    raise FileRefused.of("sheet_too_many_rows", sheet=repr(name), max_rows=Amount(limits.max_rows))
                if len(row) > limits.max_cols:
                    raise FileRefused.of("sheet_too_many_columns", sheet=repr(name), line=r_idx + 1,
                                         n=Amount(len(row)), max_cols=limits.max_cols)
                n_cells += len(row)
                if n_cells > limits.max_cells:
                    raise FileRefused.of("sheet_too_many_cells", sheet=repr(name), max_cells=Amount(limits.max_cells))
                vals = []
                for c_idx, cell in enumerate(row):
                    v = getattr(cell, "value", None)
                    if isinstance(v, (int, float)) and not isinstance(v, bool) and \
                            "%" in (getattr(cell, "number_format", "") or ""):
                        percent.add((r_idx, c_idx))
                    vals.append(v)
                rows.append(vals)
                numbers.append(r_idx + 1)
        for m in _MERGE.finditer(xml):
            min_c, min_r = col_index(m.group(1)), int(m.group(2))
            max_c, max_r = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (min_c, min_r)
            if min_r - 1 >= len(rows):
                continue
            top_row = rows[min_r - 1]
            top = top_row[min_c - 1] if min_c - 1 < len(top_row) else None
            for r in range(min_r - 1, min(max_r, len(rows))):
                need = min(max_c, limits.max_cols)
                if len(rows[r]) < need:
                    rows[r].extend([None] * (need - len(rows[r])))
                for c in range(min_c - 1, need):
                    rows[r][c] = top
                    if (min_r - 1, min_c - 1) in percent:
                        percent.add((r, c))
        formulas: dict[tuple[int, int], str] = {}
        if b"<f" in xml or b":f" in xml:
            for m in _CELL.finditer(xml):
                inner = m.group(3)
                if not inner:
                    continue
                fm = _FORMULA.search(inner)
                if fm:
                    text = "=" + _xml_text(fm.group(1)) if fm.group(1) else "(shared formula)"
                    formulas[(int(m.group(2)) - 1, col_index(m.group(1)) - 1)] = text[:200]
        notes: list[tuple[str, dict[str, Any]]] = []
        if len(names) > 1:
            notes.append(("other_sheets", {"sheet": repr(name), "sheets": ", ".join(n for n in names if n != name)}))
        return Grid(rows=rows, row_numbers=numbers, kind="xlsx", sheet=name, sheets=names,
                    formulas=formulas, percent_cells=percent, notes=notes, hidden_sheets=hidden,
                    stale_formulas=bool(formulas) and _asks_recalculation(z))
    except (zipfile.BadZipFile, EOFError, zlib.error, KeyError) as e:
        raise FileRefused.of("workbook_damaged", error=f"{type(e).__name__}: {str(e)[:120]}") from None
    finally:
        wb.close()
        z.close()


