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
import io
import re
import unicodedata
from pathlib import Path
from typing import Any

from analytics.imports.grid import (
    ACCEPTED,
    CSV_EXTENSIONS,
    DEFAULT_LIMITS,
    XLSX_EXTENSIONS,
    FileRefused,
    Grid,
    Limits,
)
from analytics.imports.xlsx_reader import read_xlsx_grid

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
        raise FileRefused.of("empty_upload")
    head = data[:64]
    if head.startswith(OLE):
        raise FileRefused.of("legacy_excel")
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
        raise FileRefused.of("html_page")
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
                raise FileRefused.of("too_many_rows", max_rows=f"{limits.max_rows:,}")
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
            raise FileRefused.of("too_big", mb=f"{size / 1e6:,.1f}", max_mb=f"{limits.max_bytes / 1e6:,.0f}")
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
        raise FileRefused.of("too_big", mb=f"{len(data) / 1e6:,.1f}", max_mb=f"{limits.max_bytes / 1e6:,.0f}")
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

