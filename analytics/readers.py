"""Reading user-supplied files safely: sniff what a file really is, decode CSV text, read XLSX cells.

Everything here treats the file as untrusted data:

- the size is checked before anything is read into memory (`Limits.max_bytes`);
- the first bytes decide what the file *is* (a renamed PDF, picture, executable, legacy ``.xls``,
  HTML page or ODS is refused by name, whatever its extension says);
- CSV: the encoding is detected (UTF-8 with or without BOM, UTF-16 LE/BE with or without BOM,
  Windows-1258 — the Vietnamese ANSI code page of Excel — as the fallback), the delimiter is sniffed
  among ``,`` ``;`` and TAB, and row / column / cell-size caps refuse a hostile file before it is parsed
  into memory;
- XLSX: the zip directory is inspected *before* openpyxl opens it (number of members, declared
  uncompressed sizes, compression ratios, encryption), so a zip bomb is refused in milliseconds;
  formula cells are never evaluated — their cached value (what Excel last displayed) is read and
  reported, a formula without a cached value is refused; merged cells are filled with the value of
  their top-left cell; cells formatted as a percentage are marked so that 0.8458 reads as 84.58 %.

The result is a :class:`Grid`: rows of raw cell values with their row numbers in the file.
No Streamlit, no database.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx"}
ACCEPTED = "CSV (.csv, .tsv, .txt) or Excel workbook (.xlsx)"


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why and what to do instead."""

    def __init__(self, message: str, fix: str = ""):
        self.message = message
        self.fix = fix
        super().__init__(message + (f" Fix: {fix}" if fix else ""))


@dataclass(frozen=True)
class Limits:
    """Caps on what one import may contain (a refusal names the cap that was hit)."""

    max_bytes: int = 10 * 1024 * 1024          # file size on disk / upload
    max_rows: int = 20_000                      # rows in the table (CSV lines or sheet rows)
    max_cols: int = 100                         # columns in any row
    max_cell_chars: int = 5_000                 # one cell (longer cells are refused while parsing)
    max_uncompressed: int = 60 * 1024 * 1024    # XLSX: sum of declared uncompressed member sizes
    max_sheet_xml: int = 30 * 1024 * 1024       # XLSX: one worksheet's XML
    max_cells: int = 250_000                    # XLSX: cells read from the sheet
    max_ratio: float = 150.0                    # XLSX: uncompressed/compressed for members over 1 MB
    max_zip_members: int = 1_000


DEFAULT_LIMITS = Limits()


@dataclass
class Grid:
    """A table of raw cells as read from the file (CSV text or XLSX typed values)."""

    rows: list[list[Any]]
    row_numbers: list[int]                       # 1-based row number in the file for rows[i]
    kind: str                                    # 'csv' | 'xlsx'
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)   # (row index, col) -> formula
    percent_cells: set[tuple[int, int]] = field(default_factory=set)    # XLSX cells formatted as %
    notes: list[str] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


# ------------------------------------------------------------------------------------------ sniffing
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable program"),
    (b"MZ", "a Windows executable"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"DUCK", "a DuckDB database"),
    (b"{\\rtf", "an RTF document"),
]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extension(file_name: str) -> str:
    return Path(file_name or "").suffix.lower()


def sniff(data: bytes, file_name: str) -> str:
    """'csv' or 'xlsx' — or FileRefused naming what the file really is."""
    ext = extension(file_name)
    if ext in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".json", ".xml", ".html", ".htm", ".pdf",
               ".doc", ".docx", ".zip", ".parquet"):
        hints = {
            ".xls": "open it in Excel and save as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'",
            ".xlsm": "save a copy as 'Excel Workbook (.xlsx)' (macros are never accepted)",
            ".xlsb": "save a copy as 'Excel Workbook (.xlsx)'",
            ".ods": "save as .xlsx or CSV from LibreOffice",
        }
        raise FileRefused(f"{ext} files are not accepted; accepted: {ACCEPTED}.",
                          hints.get(ext, "export the table as .xlsx or CSV UTF-8"))
    if not data:
        raise FileRefused("the file is empty (0 bytes).", "export the table again and upload the saved file")
    head = data[:64]
    if head.startswith(OLE):
        raise FileRefused("this is a legacy Excel 97–2003 (.xls) file or a password-protected workbook, "
                          "not an .xlsx/CSV file.",
                          "open it in Excel, remove any password and save as 'Excel Workbook (.xlsx)'")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise FileRefused(f"the file {file_name!r} is {what}, not a table.",
                              f"upload the table itself as {ACCEPTED}")
    is_zip = head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    if is_zip:
        if ext in CSV_EXTENSIONS:
            raise FileRefused(f"the file is named {ext} but is a zip/Excel workbook, not text.",
                              "rename it to .xlsx if it is an Excel workbook, or save it as CSV UTF-8")
        return "xlsx"
    if ext in XLSX_EXTENSIONS:
        lowered = data[:512].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
        if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta")):
            raise FileRefused("the file is named .xlsx but is an HTML/XML page (a web 'Excel export').",
                              "open it in Excel and save as 'Excel Workbook (.xlsx)'")
        raise FileRefused("the file is named .xlsx but is not an Excel workbook (no zip structure); "
                          "it may be renamed or truncated.",
                          "open it in Excel and save it again as .xlsx, or export CSV UTF-8")
    if ext and ext not in CSV_EXTENSIONS:
        raise FileRefused(f"{ext} files are not accepted; accepted: {ACCEPTED}.",
                          "export the table as .xlsx or CSV UTF-8")
    lowered = data[:512].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table")):
        raise FileRefused("the file is an HTML page, not CSV.", "open it in Excel and save as CSV UTF-8 or .xlsx")
    return "csv"


# ------------------------------------------------------------------------------------------ CSV
def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; return (text, encoding name). Refuses binary content."""
    if data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        enc = "utf-32"
    else:
        sample = data[:4096]
        even_nul = sample[0::2].count(0)
        odd_nul = sample[1::2].count(0)
        half = max(1, len(sample) // 2)
        if odd_nul > 0.3 * half and even_nul < 0.05 * half:
            enc = "utf-16-le"
        elif even_nul > 0.3 * half and odd_nul < 0.05 * half:
            enc = "utf-16-be"
        elif b"\x00" in data:
            raise FileRefused("the file contains binary data (NUL bytes), it is not a CSV text file.",
                              f"upload the table as {ACCEPTED}")
        else:
            enc = "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        if enc == "utf-8":
            valid = len(_UTF8_SEQ.findall(data))
            invalid = data.decode("utf-8", "replace").count("\ufffd")
            if valid >= 3 and valid >= 5 * invalid:
                line = data[: e.start].count(b"\n") + 1
                raise FileRefused(f"the file is UTF-8 except for {invalid} invalid byte(s), the first on line {line} "
                                  "(a damaged file, or text pasted from another encoding).",
                                  "retype the damaged text on that line, or save the file again as CSV UTF-8") from None
        if enc != "utf-8":
            raise FileRefused(f"the file starts like {enc} text but cannot be decoded as {enc}.",
                              "save it again as 'CSV UTF-8 (Comma delimited)'") from None
        try:
            text = data.decode("cp1258")
            enc = "windows-1258"
        except UnicodeDecodeError:
            raise FileRefused("the text encoding is not UTF-8, UTF-16 or Windows-1258.",
                              "save it again as 'CSV UTF-8 (Comma delimited)'") from None
    if "\x00" in text:
        raise FileRefused("the file contains binary data (NUL characters), it is not a CSV text file.",
                          f"upload the table as {ACCEPTED}")
    # Windows-1258 and some Mac exports store Vietnamese tone marks as combining characters.
    return unicodedata.normalize("NFC", text), enc


_CANDIDATE_DELIMITERS = (",", ";", "\t")
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:60] if ln.strip()]
    if not lines:
        return ","
    best, best_score = ",", (-1, -1)
    for d in _CANDIDATE_DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        modal = max(set(multi), key=multi.count)
        score = (multi.count(modal), modal)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv_grid(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Grid:
    text, enc = decode_text(data)
    text = text.lstrip("\ufeff")
    # A cheap pre-check before the csv module builds a row of a million fields.
    first_lines = text[: 256 * 1024].split("\n", 50)[:50]
    for i, line in enumerate(first_lines, start=1):
        if max(line.count(d) for d in _CANDIDATE_DELIMITERS) >= limits.max_cols * 4:
            raise FileRefused(f"line {i} has more than {limits.max_cols * 4} separators; at most "
                              f"{limits.max_cols} columns are accepted.",
                              "check the file is a table (one record per line) and export it again")
    delim = sniff_delimiter(text)
    rows: list[list[Any]] = []
    numbers: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(limits.max_cell_chars * 4 + 16)
    try:
        prev_line = 0
        for rec in reader:
            line_no, prev_line = prev_line + 1, reader.line_num
            if len(rec) > limits.max_cols:
                raise FileRefused(f"row {line_no} has {len(rec):,} columns; at most {limits.max_cols} are accepted.",
                                  "remove empty or unrelated columns, or check the separator")
            if len(rows) >= limits.max_rows:
                raise FileRefused(f"the file has more than {limits.max_rows:,} rows; at most "
                                  f"{limits.max_rows:,} rows are accepted in one import.",
                                  "split the file into several imports")
            rows.append(rec)
            numbers.append(line_no)
    except csv.Error as e:
        raise FileRefused(f"the CSV cannot be parsed near line {reader.line_num} ({e}); a cell is longer than "
                          f"{limits.max_cell_chars * 4:,} characters or a quote (\") is never closed.",
                          "close the quote or shorten the cell, then export again") from None
    finally:
        csv.field_size_limit(old_limit)
    if rows and text.count('"') % 2 == 1 and any("\n" in c for c in rows[-1]):
        raise FileRefused(f'a quote (") opened on line {numbers[-1]} is never closed, so the rest of the file '
                          "reads as one cell.", "close the quote or remove it, then export again")
    notes = []
    if enc == "windows-1258":
        notes.append("the text was decoded as Windows-1258 (Vietnamese ANSI); save as CSV UTF-8 to be sure")
    elif enc.startswith("utf-16"):
        notes.append("the text was decoded as UTF-16 (Excel 'Unicode Text')")
    return Grid(rows=rows, row_numbers=numbers, kind="csv", encoding=enc, delimiter=delim, notes=notes)


# ------------------------------------------------------------------------------------------ XLSX
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def col_letter(idx: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    s = ""
    idx += 1
    while idx:
        idx, r = divmod(idx - 1, 26)
        s = chr(65 + r) + s
    return s


def _col_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


def check_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> zipfile.ZipFile:
    """Open the zip directory only and refuse bombs, encrypted or non-workbook archives."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise FileRefused(f"the workbook is damaged or truncated ({e}).",
                          "open it in Excel and save it again as .xlsx") from None
    infos = z.infolist()
    if len(infos) > limits.max_zip_members:
        raise FileRefused(f"the workbook archive has {len(infos):,} parts (at most {limits.max_zip_members:,}).",
                          "save the table alone in a new workbook")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileRefused("the workbook is encrypted (password-protected).",
                              "remove the password in Excel (File › Info › Protect Workbook) and save again")
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise FileRefused(f"the workbook part {info.filename!r} expands {info.file_size / max(info.compress_size, 1):,.0f}"
                              f" times ({info.file_size:,} bytes): refused as a possible zip bomb.",
                              "save the table alone in a new workbook")
        if info.filename.startswith("xl/worksheets/") and info.file_size > limits.max_sheet_xml:
            raise FileRefused(f"a worksheet is {info.file_size / 1e6:,.0f} MB uncompressed "
                              f"(at most {limits.max_sheet_xml / 1e6:,.0f} MB).",
                              "split the table or remove unrelated sheets")
    if total > limits.max_uncompressed:
        raise FileRefused(f"the workbook expands to {total / 1e6:,.0f} MB (at most {limits.max_uncompressed / 1e6:,.0f} MB);"
                          " refused as a possible zip bomb.", "save the table alone in a new workbook")
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            with z.open(info) as f:
                head = f.read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise FileRefused(f"the workbook part {info.filename!r} declares XML entities (a DTD), which Excel "
                                  "never writes: refused as a possible XML bomb.",
                                  "open the file in Excel and save it again as .xlsx")
    names = set(z.namelist())
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            what = "a Word document (.docx)"
        elif "ppt/presentation.xml" in names:
            what = "a PowerPoint file (.pptx)"
        elif "content.xml" in names:
            what = "an OpenDocument file (.ods/.odt)"
        else:
            what = "a zip archive"
        raise FileRefused(f"the file is {what}, not an Excel workbook.", f"upload the table as {ACCEPTED}")
    return z


def _sheet_dimension_check(z: zipfile.ZipFile, limits: Limits) -> None:
    for info in z.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        with z.open(info) as f:
            head = f.read(4096)
        m = _DIMENSION.search(head)
        if m and m.group(3):
            rows = int(m.group(4)) - int(m.group(2)) + 1
            cols = _col_index(m.group(3)) - _col_index(m.group(1)) + 1
            if cols > limits.max_cols * 2 or rows > limits.max_rows * 2 or rows * cols > limits.max_cells * 2:
                raise FileRefused(f"a worksheet declares {rows:,} rows × {cols:,} columns "
                                  f"(at most {limits.max_rows:,} rows, {limits.max_cols} columns, "
                                  f"{limits.max_cells:,} cells).", "save the table alone in a new workbook")


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)


def _xml_text(b: bytes) -> str:
    import html

    return html.unescape(b.decode("utf-8", "replace"))


def read_xlsx_grid(data: bytes, sheet: str | int | None = None, limits: Limits = DEFAULT_LIMITS) -> Grid:
    """Cells of one sheet (openpyxl streaming mode: cached values only, formulas never evaluated)."""
    z = check_zip(data, limits)
    _sheet_dimension_check(z, limits)
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        except Exception as e:  # noqa: BLE001 - openpyxl raises many types on damaged files
            raise FileRefused(f"the workbook cannot be read ({type(e).__name__}: {str(e)[:200]}).",
                              "open it in Excel and save it again as .xlsx") from None
    try:
        names = list(wb.sheetnames)
        if not names:
            raise FileRefused("the workbook has no sheets.", "save the table in a workbook with one sheet")
        if sheet is None or sheet == "":
            name = names[0]
        elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
            i = int(sheet)
            if not 1 <= i <= len(names):
                raise FileRefused(f"there is no sheet number {i}; the workbook has {len(names)}: {', '.join(names)}.",
                                  "choose one of these sheets")
            name = names[i - 1]
        else:
            match = [n for n in names if n == sheet] or \
                [n for n in names if n.strip().lower() == str(sheet).strip().lower()]
            if not match:
                raise FileRefused(f"there is no sheet {sheet!r}; sheets: {', '.join(names)}.",
                                  "choose one of these sheets")
            name = match[0]
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):
            raise FileRefused(f"sheet {name!r} is a chart sheet, not a table.", "choose the sheet with the table")
        xml_path = getattr(ws, "_worksheet_path", None)
        xml = z.read(xml_path) if xml_path and xml_path in z.namelist() else b""
        ws.reset_dimensions()   # do not trust the declared size: read what is there, within the caps
        rows: list[list[Any]] = []
        numbers: list[int] = []
        percent: set[tuple[int, int]] = set()
        n_cells = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for r_idx, row in enumerate(ws.iter_rows()):
                if r_idx >= limits.max_rows:
                    raise FileRefused(f"sheet {name!r} has more than {limits.max_rows:,} rows.",
                                      "split the table into several imports")
                if len(row) > limits.max_cols:
                    raise FileRefused(f"sheet {name!r} row {r_idx + 1} has {len(row):,} columns; at most "
                                      f"{limits.max_cols} are accepted.", "delete unrelated columns")
                n_cells += len(row)
                if n_cells > limits.max_cells:
                    raise FileRefused(f"sheet {name!r} has more than {limits.max_cells:,} cells.",
                                      "split the table into several imports")
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
            min_c, min_r = _col_index(m.group(1)), int(m.group(2))
            max_c, max_r = (_col_index(m.group(3)), int(m.group(4))) if m.group(3) else (min_c, min_r)
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
                    formulas[(int(m.group(2)) - 1, _col_index(m.group(1)) - 1)] = text[:200]
        notes = []
        if len(names) > 1:
            notes.append(f"sheet {name!r} was read; the workbook also has: "
                         + ", ".join(n for n in names if n != name))
        return Grid(rows=rows, row_numbers=numbers, kind="xlsx", sheet=name, sheets=names,
                    formulas=formulas, percent_cells=percent, notes=notes)
    finally:
        wb.close()
        z.close()


# ------------------------------------------------------------------------------------------ entry point
def load_bytes(path_or_bytes: Any, file_name: str | None, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, str]:
    """Bytes and file name from a path, bytes, or a file-like object (e.g. an uploaded file)."""
    if isinstance(path_or_bytes, (str, Path)):
        p = Path(path_or_bytes)
        if not p.exists():
            raise FileNotFoundError(f"file {str(p)!r} does not exist")
        if not p.is_file():
            raise FileRefused(f"{str(p)!r} is not a regular file.", "give the path of a .csv or .xlsx file")
        size = p.stat().st_size
        if size > limits.max_bytes:
            raise FileRefused(f"the file is {size / 1e6:,.1f} MB; at most {limits.max_bytes / 1e6:,.0f} MB is accepted.",
                              "split the file into several imports")
        return p.read_bytes(), file_name or p.name
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
    elif hasattr(path_or_bytes, "getvalue"):
        data = bytes(path_or_bytes.getvalue())
    elif hasattr(path_or_bytes, "read"):
        data = path_or_bytes.read(limits.max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise TypeError(f"expected a path, bytes or a file object, got {type(path_or_bytes).__name__}")
    name = file_name or getattr(path_or_bytes, "name", None) or "upload"
    if len(data) > limits.max_bytes:
        raise FileRefused(f"the file is {len(data) / 1e6:,.1f} MB; at most {limits.max_bytes / 1e6:,.0f} MB is accepted.",
                          "split the file into several imports")
    return data, str(name)


def read_grid(data: bytes, file_name: str, *, sheet: str | int | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Grid:
    kind = sniff(data, file_name)
    if kind == "xlsx":
        return read_xlsx_grid(data, sheet, limits)
    grid = read_csv_grid(data, limits)
    if sheet not in (None, ""):
        grid.notes.append(f"sheet {sheet!r} ignored: a CSV file has no sheets")
    return grid


def is_date(v: Any) -> bool:
    return isinstance(v, (dt.date, dt.datetime, dt.time))
