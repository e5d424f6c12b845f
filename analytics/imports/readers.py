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
    CSV_EXTENSIONS,
    DEFAULT_LIMITS,
    XLSX_EXTENSIONS,
    Amount,
    FileRefused,
    Grid,
    Limits,
)
from analytics.imports.xlsx_reader import read_xlsx_grid

# ------------------------------------------------------------------------------------------ sniffing
# What a file really is, by its first bytes: the term (``import.term_*``) that names it in a refusal.
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF", "term_pdf"),
    (b"\x89PNG", "term_png"),
    (b"\xff\xd8\xff", "term_jpeg"),
    (b"GIF8", "term_gif"),
    (b"\x1f\x8b", "term_gzip"),
    (b"\x7fELF", "term_elf"),
    (b"MZ", "term_exe"),
    (b"Rar!", "term_rar"),
    (b"7z\xbc\xaf", "term_7z"),
    (b"BZh", "term_bzip2"),
    (b"\xfd7zXZ", "term_xz"),
    (b"SQLite format 3", "term_sqlite"),
    (b"DUCK", "term_duckdb"),
    (b"{\\rtf", "term_rtf"),
]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def extension(file_name: str) -> str:
    return Path(file_name or "").suffix.lower()


def sniff(data: bytes, file_name: str) -> str:
    """'csv' or 'xlsx' — or FileRefused naming what the file really is."""
    ext = extension(file_name)
    if ext in (".xls", ".xlsm", ".xlsb", ".ods", ".numbers", ".json", ".xml", ".html", ".htm", ".pdf",
               ".doc", ".docx", ".zip", ".parquet"):
        hints = {".xls": "term_how_xls", ".xlsm": "term_how_xlsm", ".xlsb": "term_how_xlsb", ".ods": "term_how_ods"}
        raise FileRefused.of("not_accepted", ext=ext, how=hints.get(ext, "term_how_export"))
    if not data:
        raise FileRefused.of("empty_upload")
    head = data[:64]
    if head.startswith(OLE):
        raise FileRefused.of("legacy_excel")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise FileRefused.of("file_is_not_table", name=repr(file_name), what=what)
    is_zip = head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    if is_zip:
        if ext in CSV_EXTENSIONS:
            raise FileRefused.of("zip_named_as_text", ext=ext)
        return "xlsx"
    if ext in XLSX_EXTENSIONS:
        lowered = data[:512].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
        if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta")):
            raise FileRefused.of("xlsx_is_html")
        raise FileRefused.of("xlsx_not_zip")
    if ext and ext not in CSV_EXTENSIONS:
        raise FileRefused.of("not_accepted", ext=ext, how="term_how_export")
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
            raise FileRefused.of("binary_data")
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
                raise FileRefused.of("utf8_damaged", invalid=invalid, line=line) from None
        if enc != "utf-8":
            raise FileRefused.of("cannot_decode", enc=enc) from None
        try:
            text = data.decode("cp1258")
            enc = "windows-1258"
        except UnicodeDecodeError:
            raise FileRefused.of("unknown_encoding") from None
    if "\x00" in text:
        raise FileRefused.of("binary_data")
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
            raise FileRefused.of("too_many_separators", line=i, n=limits.max_cols * 4, max_cols=limits.max_cols)
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
                raise FileRefused.of("too_many_columns", line=line_no, n=Amount(len(rec)), max_cols=limits.max_cols)
            if len(rows) >= limits.max_rows:
                raise FileRefused.of("too_many_rows", max_rows=Amount(limits.max_rows))
            rows.append(rec)
            numbers.append(line_no)
    except csv.Error as e:
        raise FileRefused.of("csv_unparsable", line=reader.line_num, error=str(e),
                             n=Amount(limits.max_cell_chars * 4)) from None
    finally:
        csv.field_size_limit(old_limit)
    if rows and text.count('"') % 2 == 1 and any("\n" in c for c in rows[-1]):
        raise FileRefused.of("unclosed_quote", line=numbers[-1])
    notes: list[tuple[str, dict[str, Any]]] = []
    if enc == "windows-1258":
        notes.append(("decoded_windows_1258", {}))
    elif enc.startswith("utf-16"):
        notes.append(("decoded_utf16", {}))
    return Grid(rows=rows, row_numbers=numbers, kind="csv", encoding=enc, delimiter=delim, notes=notes)


# ------------------------------------------------------------------------------------------ entry point
def load_bytes(path_or_bytes: Any, file_name: str | None, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, str]:
    """Bytes and file name from a path, bytes, or a file-like object (e.g. an uploaded file)."""
    if isinstance(path_or_bytes, (str, Path)):
        p = Path(path_or_bytes)
        if not p.exists():
            raise FileNotFoundError(f"file {str(p)!r} does not exist")
        if not p.is_file():
            raise FileRefused.of("not_a_regular_file", path=repr(str(p)))
        size = p.stat().st_size
        if size > limits.max_bytes:
            raise FileRefused.of("too_big", mb=Amount(size / 1e6, 1), max_mb=Amount(limits.max_bytes / 1e6))
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
        raise FileRefused.of("too_big", mb=Amount(len(data) / 1e6, 1), max_mb=Amount(limits.max_bytes / 1e6))
    return data, str(name)


def read_grid(data: bytes, file_name: str, *, sheet: str | int | None = None,
              limits: Limits = DEFAULT_LIMITS) -> Grid:
    kind = sniff(data, file_name)
    if kind == "xlsx":
        return read_xlsx_grid(data, sheet, limits)
    grid = read_csv_grid(data, limits)
    if sheet not in (None, ""):
        grid.notes.append(("csv_has_no_sheets", {"sheet": repr(sheet)}))
    return grid

