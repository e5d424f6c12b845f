"""Table files analysts can load as they are: CSV, CSV + metadata in a zip, XLSX.

- CSV: UTF-8 with BOM (Excel then shows Vietnamese), comma separated, ``.`` decimal mark, one header row in
  the file's language, then the rows: ``pd.read_csv(file)`` and Excel read it with their defaults. No
  ``#`` lines: what the table is (title, scope, filter, source, date) goes beside it —
- zip: the CSV, ``README.txt`` (the header block and the column list, human-readable) and
  ``<name>.csv-metadata.json`` (W3C CSVW: title, source, columns with their datatypes);
- XLSX: sheet 1 the table from cell A1 (bold header row, frozen, auto-filter, numbers stored as numbers),
  sheet 2 the header block.

Formula-like text is neutralised in every format (:func:`figures.tables.neutralise`); missing values are
empty, never 0.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import zipfile
from typing import Any

import pandas as pd

from analytics.i18n import t
from figures.tables import _cell, analyst_table, header_lines, is_formula_like, neutralise

BOM = "\ufeff"


def _table(df: pd.DataFrame, lang: str, localise_headers: bool) -> pd.DataFrame:
    return analyst_table(df, lang) if localise_headers else df


def _csv_value(v: Any, lang: str) -> Any:
    v = _cell(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return t("bool.yes" if v else "bool.no", lang)
    if isinstance(v, float):
        return repr(v) if not v.is_integer() else str(int(v)) if abs(v) < 1e15 else repr(v)
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return neutralise(v) if isinstance(v, str) else v


def to_csv_bytes(df: pd.DataFrame, meta: dict | None, lang: str, *, localise_headers: bool = True) -> bytes:
    """CSV bytes: BOM, one header row, the rows. ``meta`` is not written into the CSV (a ``#`` line
    breaks ``pd.read_csv`` and R's ``read.csv``); use :func:`to_csv_zip_bytes` to ship it beside."""
    del meta  # kept in the signature: every table download passes it, and the zip/XLSX use it
    table = _table(df, lang, localise_headers)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        w.writerow([_csv_value(v, lang) for v in row])
    return (BOM + buf.getvalue()).encode("utf-8")


def _datatype(series: pd.Series) -> str:
    vals = [_cell(v) for v in series]
    vals = [v for v in vals if v is not None]
    if vals and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        return "integer"
    if vals and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
        return "number"
    return "string"


def metadata(df: pd.DataFrame, meta: dict | None, lang: str, csv_name: str) -> dict:
    """CSVW metadata (https://www.w3.org/TR/tabular-metadata/) of the CSV written by :func:`to_csv_bytes`."""
    table = analyst_table(df, lang)
    lines = header_lines(meta, lang)
    meta = meta or {}
    out: dict[str, Any] = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": lang}],
        "url": csv_name,
        "dc:title": meta.get("title") or csv_name,
        "dc:description": "\n".join(f"{label}: {value}" for label, value in lines),
        "dialect": {"encoding": "utf-8", "delimiter": ",", "header": True},
        "tableSchema": {"columns": [{"name": f"c{i + 1}", "titles": str(c), "datatype": _datatype(table[c])}
                                    for i, c in enumerate(table.columns)]},
    }
    if meta.get("source"):
        out["dc:source"] = str(meta["source"])
    if meta.get("source_url"):
        out["dc:source"] = f"{out.get('dc:source', '')} {meta['source_url']}".strip()
    return out


def readme_text(df: pd.DataFrame, meta: dict | None, lang: str, csv_name: str) -> str:
    """Plain-text description: the header block, then the file's columns."""
    lines = [f"{label}: {value}" for label, value in header_lines(meta, lang)]
    lines += ["", f"{t('meta.file', lang)}: {csv_name}", f"{t('meta.columns', lang)}:"]
    lines += [f"- {c}" for c in analyst_table(df, lang).columns]
    return "\n".join(lines) + "\n"


def to_csv_zip_bytes(df: pd.DataFrame, meta: dict | None, lang: str, csv_name: str) -> bytes:
    """A zip with the CSV, README.txt and the CSVW metadata (``<csv_name>-metadata.json``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(csv_name, to_csv_bytes(df, meta, lang))
        z.writestr("README.txt", readme_text(df, meta, lang, csv_name).encode("utf-8"))
        z.writestr(f"{csv_name}-metadata.json",
                   json.dumps(metadata(df, meta, lang, csv_name), ensure_ascii=False, indent=1).encode("utf-8"))
    return buf.getvalue()


def to_xlsx_bytes(df: pd.DataFrame, meta: dict | None, lang: str, *, localise_headers: bool = True,
                  decimals: int | None = None) -> bytes:
    """XLSX bytes (openpyxl): sheet 1 the table from A1 (bold header row frozen, auto-filter, column widths,
    numbers stored as numbers, text as text never a formula, formula-like text quote-prefixed); sheet 2 the
    header block (title, indicator, scope, filter, source, date)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    table = _table(df, lang, localise_headers)
    wb = Workbook()
    ws = wb.active
    ws.title = t("meta.sheet_data", lang)[:31]

    def put(sheet, r, c, value, **style):
        cell = sheet.cell(row=r, column=c)
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

    fill = PatternFill("solid", fgColor="E8EEF4")
    for c, name in enumerate(table.columns, start=1):
        put(ws, 1, c, str(name), font=Font(bold=True), fill=fill, alignment=Alignment(wrap_text=True, vertical="top"))
    float_fmt = "0" if decimals == 0 else ("0." + "0" * decimals if decimals else "General")
    # a float column whose values are all whole numbers (ranks with gaps) is written as integers
    int_like = []
    for c in table.columns:
        vals = [_cell(v) for v in table[c]]
        nums = [v for v in vals if isinstance(v, float)]
        int_like.append(bool(nums) and all(v.is_integer() for v in nums)
                        and all(v is None or isinstance(v, (int, float)) for v in vals))
    r = 1
    for row in table.itertuples(index=False, name=None):
        r += 1
        for c, v in enumerate(row, start=1):
            v = _cell(v)
            if int_like[c - 1] and isinstance(v, float) and not isinstance(v, bool):
                v = int(v)
            cell = put(ws, r, c, v)
            if isinstance(cell.value, float):
                cell.number_format = float_fmt
            elif isinstance(cell.value, _dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, _dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    if len(table.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{r}"
    for c, name in enumerate(table.columns, start=1):
        values = [str(name)] + ["" if _cell(v) is None else str(_cell(v)) for v in table.iloc[:200, c - 1]]
        ws.column_dimensions[get_column_letter(c)].width = max(8, min(max(len(v) for v in values) + 2, 60))

    about = wb.create_sheet(t("meta.sheet_about", lang)[:31])
    title_label = t("meta.title", lang)
    for i, (label, value) in enumerate(header_lines(meta, lang), start=1):
        put(about, i, 1, label, font=Font(bold=True, color="595959"))
        put(about, i, 2, value, font=Font(bold=True, size=13) if label == title_label else Font())
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
