"""Import templates for the gaps of one indicator: the missing cells (unit × year without any figure) as
rows in the long layout that ``chiso import`` accepts, pre-filled with the indicator, year, the unit's code
and name; value, rank, source and note left empty for the editor to fill.

    frame = template_frame(missing_cells, "par_index")    # cells of analytics.coverage with status 'none'
    template_csv(frame)                                   # UTF-8 with BOM, comma-separated, one header row
    template_xlsx(frame, lang="vi", title=...)            # sheet 1 = the table, sheet 2 = how to fill it

Headers are the importer's canonical ones (``indicator, year, code, locality, value, official_rank,
source_url, note``); the importer checks the code against the name, and skips a row left without a value,
rank or source, so a partly filled template imports only the filled rows.
"""

from __future__ import annotations

import io

import pandas as pd

from analytics.i18n import t

COLUMNS = ["indicator", "year", "code", "locality", "value", "official_rank", "source_url", "note"]
EMPTY = ["value", "official_rank", "source_url", "note"]
README_KEYS = ["template.readme_1", "template.readme_2", "template.readme_3", "template.readme_4",
               "template.readme_5", "template.readme_6"]


def template_frame(cells: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """One template row per cell (unit and year), ordered by year then code. The locality is the unit's full
    name in that year; a name used by two listed units gets the parent's name in brackets ("Xã An Bình
    (Huyện Phú Giáo)"), which the importer reads as "within"."""
    df = cells.sort_values(["year", "code", "unit_id"]).reset_index(drop=True)
    names = df["name"].astype(str)
    if "parent_name" in df.columns:
        twice = names.groupby(df["year"]).transform(lambda s: s.duplicated(keep=False))
        names = names.where(~twice | df["parent_name"].isna(), names + " (" + df["parent_name"].astype(str) + ")")
    out = pd.DataFrame({
        "indicator": indicator_id,
        "year": df["year"].astype(int),
        "code": df["code"].astype(str),
        "locality": names,
    })
    for c in EMPTY:
        out[c] = pd.Series([None] * len(out), dtype=object)
    return out[COLUMNS]


def template_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes: UTF-8 with BOM (Excel shows the diacritics), comma-separated, codes as text."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def template_xlsx(frame: pd.DataFrame, *, lang: str = "vi", title: str = "") -> bytes:
    """XLSX bytes: the table on the first sheet (the one the importer reads), header in row 1, codes stored
    as text; a second sheet with how to fill it in (every filled row needs a source)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = t("template.sheet_data", lang)[:31]
    fill = PatternFill("solid", fgColor="FFF4CC")
    for c, name in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font = Font(bold=True)
        if name in EMPTY:
            cell.fill = fill   # the columns to fill in
    for r, row in enumerate(frame[COLUMNS].itertuples(index=False, name=None), start=2):
        for c, v in enumerate(row, start=1):
            if v is None or (isinstance(v, float) and pd.isna(v)):
                continue
            cell = ws.cell(row=r, column=c, value=int(v) if COLUMNS[c - 1] == "year" else str(v))
            if COLUMNS[c - 1] == "code":
                cell.data_type = "s"
                cell.number_format = "@"   # "01" stays "01"
    widths = {"indicator": 18, "year": 7, "code": 9, "value": 10, "official_rank": 13, "source_url": 40, "note": 30}
    for c, name in enumerate(COLUMNS, start=1):
        width = widths.get(name) or min(60, max([12, *(len(str(v)) + 2 for v in frame[name].head(500))]))
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"

    info = wb.create_sheet(t("template.sheet_readme", lang)[:31])
    info.column_dimensions["A"].width = 110
    lines = [title or t("template.title", lang), "", *(t(k, lang) for k in README_KEYS)]
    for r, text in enumerate(lines, start=1):
        cell = info.cell(row=r, column=1, value=text)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if r == 1:
            cell.font = Font(bold=True, size=13)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_name(indicator_id: str, years: list[int], ext: str, *, scope: str | None = None) -> str:
    """``mau-nhap_par_index_2017-2023.xlsx``: indicator, (province code,) the years covered."""
    ys = sorted({int(y) for y in years})
    span = "" if not ys else (str(ys[0]) if len(ys) == 1 else f"{ys[0]}-{ys[-1]}")
    parts = ["mau-nhap", indicator_id.replace(".", "-"), *([scope] if scope else []), *([span] if span else [])]
    return "_".join(parts) + f".{ext}"
