"""Table downloads (CSV, XLSX), formula-injection neutralising, file names and display tables.

``meta`` describes the table for its header block; every key is optional::

    {"title": "Xếp hạng PAR INDEX 2020", "indicator": "PAR INDEX", "level": "province",
     "scope": "national", "year": 2020, "unit": "%", "source": "Bộ Nội vụ", "source_url": "https://…",
     "notes": "…", "generated": date(2025, 11, 25)}

``level`` and ``scope`` may be vocabulary codes ("province", "national", "region", "parent") — they are
translated — or free text ("Bình Dương"). CSV: UTF-8 with BOM (Excel then shows Vietnamese), comma
separated, ``.`` decimal mark (machine-readable in both languages), lines of the header block start
with ``# ``. XLSX: header block above the table, bold header row, frozen panes, numbers stored as numbers.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import io
import math
import re
from typing import Any

import pandas as pd

from analytics.fmt import fmt_date, fmt_number, fmt_rank, fmt_rank_change, fmt_value, is_missing
from analytics.i18n import t, t_or
from analytics.text import fold

BOM = "\ufeff"
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMERIC_TEXT = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)([eE][+-]?\d+)?%?$")

LEVEL_SLUGS = {
    "vi": {"province": "tinh", "district": "huyen", "commune": "xa", "agency": "so"},
    "en": {"province": "province", "district": "district", "commune": "commune", "agency": "department"},
}
SCOPE_SLUGS = {
    "vi": {"national": "toan-quoc", "region": "vung", "parent": "trong-tinh"},
    "en": {"national": "national", "region": "region", "parent": "within-province"},
}


# --------------------------------------------------------------------------------- neutralising
def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet could run as a formula: starts (after spaces) with = + - @, or with
    a tab/CR/LF. Plain numeric text ("-12.5", "+84") is not formula-like."""
    if not isinstance(value, str) or not value:
        return False
    if value[0] in "\t\r\n":
        return True
    s = value.lstrip(" ")
    if not s or s[0] not in "=+-@":
        return False
    return not _NUMERIC_TEXT.match(s.strip())


def neutralise(value: Any) -> Any:
    """Prefix formula-like text with ``'`` so spreadsheets show it as text; anything else (numbers,
    including negative ones, dates, None) is returned unchanged."""
    if is_formula_like(value):
        return "'" + value
    return value


def _clean_text(value: Any) -> str:
    return " ".join(str(value).split())


# ------------------------------------------------------------------------------------- header
def _vocab(kind: str, value: Any, lang: str) -> str:
    if is_missing(value) or value == "":
        return ""
    return t_or(f"{kind}.{value}", lang, str(value))


def header_lines(meta: dict | None, lang: str) -> list[tuple[str, str]]:
    """[(label, value)] for the header block, in a fixed order, skipping empty entries."""
    meta = dict(meta or {})
    year = meta.get("year")
    if isinstance(year, (list, tuple)) and year:
        year = f"{year[0]}–{year[-1]}"
    generated = meta.get("generated") or _dt.date.today()
    rows = [
        ("meta.title", meta.get("title")),
        ("meta.indicator", meta.get("indicator")),
        ("meta.level", _vocab("level", meta.get("level"), lang)),
        ("meta.scope", _vocab("scope", meta.get("scope"), lang)),
        ("meta.year", year),
        ("meta.unit", meta.get("unit")),
        ("meta.source", meta.get("source")),
        ("meta.source_url", meta.get("source_url")),
        ("meta.notes", meta.get("notes")),
        ("meta.generated", fmt_date(generated, lang)),
        ("meta.product", t("app.name", lang)),
    ]
    return [(t(k, lang), _clean_text(v)) for k, v in rows if not is_missing(v) and str(v).strip() != ""]


def localise_columns(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rename known contract columns (value, rank, official_rank, …) to their label in ``lang``."""
    mapping = {c: t_or(f"col.{c}", lang, str(c)) for c in df.columns}
    # never produce duplicate headers (display_rank and rank both mean "Rank")
    seen: dict[str, int] = {}
    for c, lab in list(mapping.items()):
        if lab in seen:
            mapping[c] = f"{lab} ({c})"
        seen[mapping[c]] = 1
    return df.rename(columns=mapping)


def _cell(v: Any) -> Any:
    """Python value for a cell: None for missing, plain int/float/str/date."""
    if is_missing(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        with contextlib.suppress(AttributeError, ValueError):
            v = v.item()
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, float) and (math.isinf(v)):
        return str(v)
    return v


# ---------------------------------------------------------------------------------------- CSV
def _safe_header_value(value: str) -> str:
    """A header-block value on a raw ``# `` line: Excel may split the line at commas, so every
    comma-separated fragment is neutralised; double quotes become typographic ones."""
    value = value.replace('"', "”")
    frags = value.split(",")
    out = [frags[0]]
    for f in frags[1:]:
        stripped = f.lstrip(" ")
        out.append(f[: len(f) - len(stripped)] + neutralise(stripped))
    return ",".join(out)


def to_csv_bytes(df: pd.DataFrame, meta: dict | None, lang: str, *, localise_headers: bool = True) -> bytes:
    """CSV bytes: BOM, ``# label: value`` header block, a blank line, then the table. Formula-like
    text is prefixed with ``'``; numbers are written plainly; missing values are empty."""
    table = localise_columns(df, lang) if localise_headers else df
    buf = io.StringIO()
    for label, value in header_lines(meta, lang):
        buf.write(f"# {label}: {_safe_header_value(value)}\n")
    buf.write("\n")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        out = []
        for v in row:
            v = _cell(v)
            if v is None:
                out.append("")
            elif isinstance(v, bool):
                out.append(t("bool.yes" if v else "bool.no", lang))
            elif isinstance(v, float):
                out.append(repr(v) if not v.is_integer() else str(int(v)) if abs(v) < 1e15 else repr(v))
            elif isinstance(v, (_dt.date, _dt.datetime)):
                out.append(v.isoformat())
            else:
                out.append(neutralise(v) if isinstance(v, str) else v)
        w.writerow(out)
    return (BOM + buf.getvalue()).encode("utf-8")


# --------------------------------------------------------------------------------------- XLSX
def to_xlsx_bytes(df: pd.DataFrame, meta: dict | None, lang: str, *, localise_headers: bool = True,
                  decimals: int | None = None) -> bytes:
    """XLSX bytes (openpyxl): a header block (title in bold, then label/value rows, source included),
    a blank row, the table with a bold header row, frozen below the header, auto-filter, sensible
    column widths. Numbers stay numbers; text is stored as text (never as a formula) and formula-like
    text gets Excel's quote prefix as well."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    table = localise_columns(df, lang) if localise_headers else df
    wb = Workbook()
    ws = wb.active
    ws.title = t("meta.sheet_data", lang)[:31]

    def put(r, c, value, **style):
        cell = ws.cell(row=r, column=c)
        value = _cell(value)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # text, even when it starts with "="
            if is_formula_like(value):
                cell.quotePrefix = True
        elif isinstance(value, bool):
            cell.value = t("bool.yes" if value else "bool.no", lang)
            cell.data_type = "s"
        else:
            cell.value = value
        for k, v in style.items():
            setattr(cell, k, v)
        return cell

    r = 1
    lines = header_lines(meta, lang)
    title_label = t("meta.title", lang)
    for label, value in lines:
        if label == title_label:
            put(r, 1, value, font=Font(bold=True, size=14))
        else:
            put(r, 1, label, font=Font(bold=True, color="595959"))
            put(r, 2, value)
        r += 1
    r += 1
    header_row = r
    fill = PatternFill("solid", fgColor="E8EEF4")
    for c, name in enumerate(table.columns, start=1):
        put(r, c, str(name), font=Font(bold=True), fill=fill,
            alignment=Alignment(wrap_text=True, vertical="top"))
    float_fmt = "0" if decimals == 0 else ("0." + "0" * decimals if decimals else "General")
    # a float column whose values are all whole numbers (ranks with gaps) is written as integers
    int_like = []
    for c in table.columns:
        col = table[c]
        vals = [_cell(v) for v in col]
        nums = [v for v in vals if isinstance(v, float)]
        int_like.append(bool(nums) and all(v.is_integer() for v in nums)
                        and all(v is None or isinstance(v, (int, float)) for v in vals))
    for row in table.itertuples(index=False, name=None):
        r += 1
        for c, v in enumerate(row, start=1):
            v = _cell(v)
            if int_like[c - 1] and isinstance(v, float) and not isinstance(v, bool):
                v = int(v)
            cell = put(r, c, v)
            if isinstance(cell.value, float):
                cell.number_format = float_fmt
            elif isinstance(cell.value, _dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, _dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if len(table.columns):
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(table.columns))}{max(r, header_row)}"
    # column widths from the table (header block values may overflow into empty cells to the right)
    for c, name in enumerate(table.columns, start=1):
        values = [str(name)] + ["" if _cell(v) is None else str(_cell(v)) for v in table.iloc[:200, c - 1]]
        width = max(len(v) for v in values) + 2
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(width, 60))
    if lines and table.shape[1] >= 1:
        label_w = max(len(lab) for lab, _ in lines) + 2
        cur = ws.column_dimensions["A"].width or 8
        ws.column_dimensions["A"].width = max(cur, min(label_w, 30))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------- file names
def slugify(text: Any) -> str:
    """ASCII slug: no diacritics (đ → d), lower case, runs of other characters → "-"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(str(text))).strip("-")


def download_name(indicator_id: str, level: str | None, scope: str | None, year: Any, ext: str,
                  *, lang: str = "vi") -> str:
    """``par_index``, "province", "national", 2020, "csv" → ``par-index_2020_tinh_toan-quoc.csv``.

    ``level``/``scope`` codes are turned into words of ``lang`` (vi by default); free text (a province
    name, "region:dong-nam-bo") is slugged. ``year`` may be a year, a (first, last) pair or None."""
    parts = [slugify(indicator_id)]
    if isinstance(year, (list, tuple)):
        years = [str(int(y)) for y in year if not is_missing(y)]
        if years:
            parts.append(years[0] if len(set(years)) == 1 else f"{years[0]}-{years[-1]}")
    elif not is_missing(year) and str(year) != "":
        parts.append(str(int(year)) if isinstance(year, (int, float)) else slugify(year))
    if level:
        parts.append(LEVEL_SLUGS[lang].get(level, slugify(level)))
    if scope:
        code, _, rest = str(scope).partition(":")
        base = SCOPE_SLUGS[lang].get(code)
        parts.append(base + (f"-{slugify(rest)}" if rest else "") if base else slugify(scope))
    stem = "_".join(p for p in parts if p)
    return f"{stem}.{ext.lstrip('.').lower()}"


# ------------------------------------------------------------------------------- display tables
def display_table(df: pd.DataFrame, lang: str, *, unit: str | None = None, decimals: int | None = None,
                  columns: list[str] | None = None) -> pd.DataFrame:
    """A formatted copy for on-screen tables (the table alternative of a chart): values in the
    language's number format, "4/63" ranks, "▲ 13 bậc" changes, "Không có số liệu" for missing
    values, localised headers. ``columns`` picks and orders the source columns."""
    d = df.copy()
    cols = columns or [c for c in ["name", "year", "value", "display_rank", "rank_change", "value_change", "band",
                                   "rank_source", "component_id", "national_mean", "leader_value", "gap_to_leader"]
                       if c in d.columns]
    no_data = t("label.no_data", lang)
    out = pd.DataFrame(index=d.index)
    for c in cols:
        if c in ("value", "national_mean", "leader_value"):
            out[c] = [fmt_value(v, unit, lang, decimals, na=no_data if c == "value" else "—") for v in d[c]]
        elif c == "gap_to_leader" or c == "value_change":
            out[c] = ["—" if is_missing(v) else (("+" if v > 0 else "") + fmt_number(v, lang, 2)) for v in d[c]]
        elif c == "display_rank":
            ofs = d["display_of"] if "display_of" in d.columns else [None] * len(d)
            out[c] = [fmt_rank(r, o, lang) for r, o in zip(d[c], ofs, strict=True)]
        elif c == "rank" and "of" in d.columns:
            out[c] = [fmt_rank(r, o, lang) for r, o in zip(d[c], d["of"], strict=True)]
        elif c == "rank_change":
            out[c] = [fmt_rank_change(v, lang) for v in d[c]]
        elif c == "rank_source":
            out[c] = [t_or(f"rank_source.{v}", lang, "—" if is_missing(v) else str(v)) for v in d[c]]
        elif c == "comparable":
            out[c] = ["—" if is_missing(v) else t("bool.yes" if v else "bool.no", lang) for v in d[c]]
        elif c == "year":
            out[c] = ["—" if is_missing(v) else str(int(v)) for v in d[c]]
        else:
            out[c] = ["—" if is_missing(v) else v for v in d[c]]
    return localise_columns(out.reset_index(drop=True), lang)
