"""Table downloads: CSV with BOM and header block, XLSX with real numbers, neutralised formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest

from figures.downloads import to_csv_bytes, to_csv_zip_bytes, to_xlsx_bytes
from figures.tables import (
    display_table,
    download_name,
    is_formula_like,
    neutralise,
)

META = {
    "title": "Xếp hạng PAR INDEX 2020",
    "indicator": "Chỉ số Cải cách hành chính (PAR INDEX)",
    "level": "province",
    "scope": "national",
    "year": 2020,
    "unit": "%",
    "source": "Bộ Nội vụ, =HYPERLINK(\"http://evil\")",
    "source_url": "https://www.moha.gov.vn/",
    "generated": dt.date(2025, 11, 25),
}


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Bình Dương", "=HYPERLINK(\"http://evil\",\"x\")", "@SUM(A1:A9)", "+cmd|' /C calc'!A0",
                 "-2+3", "\tTab", "Đắk Lắk"],
        "value": [86.93, -1.5, None, 12.0, -0.25, 3.0, float("nan")],
        "rank": [4, 5, None, 7, 8, 9, 10],
        "note": ["Thủ Dầu Một", "-12.5", "ok", None, "\rCR", "Đồng Nai", "x"],
    })


def read_csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# ------------------------------------------------------------------------------------- neutralise
def test_neutralise_rules():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+84 912 345 678") == "'+84 912 345 678"
    assert neutralise("-A1") == "'-A1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("  =1") == "'  =1"
    assert neutralise("Bình Dương") == "Bình Dương"
    # numbers (and numeric text) are not formulas
    assert neutralise(-12.5) == -12.5
    assert neutralise(-3) == -3
    assert neutralise("-12.5") == "-12.5"
    assert neutralise("-12,5") == "-12,5"
    assert neutralise(None) is None
    assert not is_formula_like("") and is_formula_like("=A1")


# -------------------------------------------------------------------------------------------- CSV
def test_csv_loads_with_pandas_defaults_and_metadata_travels_in_the_zip(table):
    data = to_csv_bytes(table, META, "vi")
    df = pd.read_csv(io.BytesIO(data))  # defaults: no skiprows, no comment character
    assert list(df.columns) == ["Địa phương", "Giá trị", "Hạng", "Ghi chú"]
    assert df["Giá trị"].dtype.kind == "f" and df["Giá trị"].iloc[0] == 86.93 and pd.isna(df["Giá trị"].iloc[2])
    assert df["Địa phương"].iloc[0] == "Bình Dương" and len(df) == len(table)
    assert b"\n#" not in data and not data.lstrip(b"\xef\xbb\xbf").startswith(b"#")
    with zipfile.ZipFile(io.BytesIO(to_csv_zip_bytes(table, META, "vi", "par-index_2020_tinh_toan-quoc.csv"))) as z:
        names = sorted(z.namelist())
        assert names == ["README.txt", "par-index_2020_tinh_toan-quoc.csv",
                         "par-index_2020_tinh_toan-quoc.csv-metadata.json"]
        assert z.read("par-index_2020_tinh_toan-quoc.csv") == data
        readme = z.read("README.txt").decode("utf-8")
        meta = json.loads(z.read("par-index_2020_tinh_toan-quoc.csv-metadata.json"))
    assert "Tiêu đề: Xếp hạng PAR INDEX 2020" in readme and "Phạm vi: Toàn quốc" in readme
    assert "Ngày tạo: 25/11/2025" in readme and "- Giá trị" in readme
    assert meta["url"] == "par-index_2020_tinh_toan-quoc.csv" and meta["dc:title"] == META["title"]
    cols = {c["titles"]: c["datatype"] for c in meta["tableSchema"]["columns"]}
    assert cols == {"Địa phương": "string", "Giá trị": "number", "Hạng": "number", "Ghi chú": "string"}


def test_ranking_download_has_labels_not_codes_and_records_the_filter():
    raw = pd.DataFrame({
        "unit_id": ["old-p-74", "old-p-79"], "code": ["74", "79"], "name": ["Bình Dương", "TP. Hồ Chí Minh"],
        "type_vi": pd.Categorical(["Tỉnh", "Thành phố"]), "type_en": ["Province", "City"],
        "value": [86.93, 85.1], "display_rank": [4.0, 7.0], "rank_source": ["published", "computed"],
        "rank_basis": ["published", "listing_order"], "region_id": ["DNB", "DNB"], "comparable": [True, False],
    })
    meta = {**META, "scope": "Đông Nam Bộ", "filter": "Vùng: Đông Nam Bộ"}
    for lang, region, published, unit_type in (("vi", "Đông Nam Bộ", "Công bố", "Loại đơn vị"),
                                               ("en", "South East", "Published", "Unit type")):
        df = pd.read_csv(io.BytesIO(to_csv_bytes(raw, meta, lang)))
        header = " ".join(df.columns)
        for internal in ("type_vi", "type_en", "rank_source", "region_id", "display_rank", "unit_id"):
            assert internal not in header, (lang, internal)
        assert unit_type in df.columns
        assert set(df.iloc[:, list(df.columns).index(unit_type)]) == ({"Tỉnh", "Thành phố"} if lang == "vi"
                                                                        else {"Province", "City"})
        flat = set(df.astype(str).to_numpy().ravel())
        assert "DNB" not in flat and "published" not in flat and "listing_order" not in flat
        assert region in flat and published in flat
        assert df.select_dtypes("number").shape[1] >= 2  # value and rank stay numbers
    with zipfile.ZipFile(io.BytesIO(to_csv_zip_bytes(raw, meta, "vi", "x.csv"))) as z:
        readme = z.read("README.txt").decode("utf-8")
    assert "Phạm vi: Đông Nam Bộ" in readme and "Lọc: Vùng: Đông Nam Bộ" in readme and "Toàn quốc" not in readme


def test_csv_neutralises_formulas_keeps_negative_numbers(table):
    rows = read_csv_rows(to_csv_bytes(table, META, "en"))
    body = rows[1:]
    names = [r[0] for r in body]
    assert names[1].startswith("'=HYPERLINK")
    assert names[2] == "'@SUM(A1:A9)"
    assert names[3].startswith("'+cmd")
    assert names[4] == "'-2+3"
    assert names[5] == "'\tTab"
    for r in body:
        for cell in r:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell == ""
    values = [r[1] for r in body]
    assert values[1] == "-1.5" and float(values[1]) == -1.5  # a real negative number, unprefixed
    assert values[4] == "-0.25"
    assert values[2] == "" and values[6] == ""  # missing stays empty, never 0
    assert body[0][3] == "Thủ Dầu Một" and body[1][3] == "-12.5"  # numeric text is left alone
    assert body[4][3] == "'\rCR"


def test_csv_english_headers_and_no_localising(table):
    rows = read_csv_rows(to_csv_bytes(table, META, "en"))
    assert rows[0] == ["Locality", "Value", "Rank", "Note"]
    raw = read_csv_rows(to_csv_bytes(table, {}, "en", localise_headers=False))
    assert raw[0] == ["name", "value", "rank", "note"]


# ------------------------------------------------------------------------------------------- XLSX
def test_xlsx_header_block_numbers_and_no_formulas(table):
    data = to_xlsx_bytes(table, META, "vi", decimals=2)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "Dữ liệu"
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert not any(isinstance(c.value, str) and c.data_type == "f" for c in cells)
    # header block on its own sheet: label/value pairs, title in bold, the source included
    about = wb["Thông tin"]
    block = {about.cell(r, 1).value: about.cell(r, 2).value for r in range(1, 12)}
    assert block["Tiêu đề"] == "Xếp hạng PAR INDEX 2020" and about["B1"].font.bold
    assert block["Nguồn"] == META["source"]
    assert block["Cấp"] == "Tỉnh, thành phố" and block["Năm"] == "2020"
    # the table from A1 (pd.read_excel loads it with its defaults), bold header row, then data
    hdr = 1
    assert list(pd.read_excel(io.BytesIO(data)).columns) == ["Địa phương", "Giá trị", "Hạng", "Ghi chú"]
    assert [ws.cell(hdr, c).value for c in range(1, 5)] == ["Địa phương", "Giá trị", "Hạng", "Ghi chú"]
    assert all(ws.cell(hdr, c).font.bold for c in range(1, 5))
    assert ws.freeze_panes == f"A{hdr + 1}"
    first = hdr + 1
    assert ws.cell(first, 1).value == "Bình Dương"
    assert ws.cell(first, 2).value == 86.93 and ws.cell(first, 2).data_type == "n"
    assert ws.cell(first, 3).value == 4 and isinstance(ws.cell(first, 3).value, int)
    # negative numbers stay numbers
    assert ws.cell(first + 1, 2).value == -1.5 and ws.cell(first + 1, 2).data_type == "n"
    assert ws.cell(first + 4, 2).value == -0.25
    # formula-like text is text (and quote-prefixed), never a formula
    evil = ws.cell(first + 1, 1)
    assert evil.value.startswith("=HYPERLINK") and evil.data_type == "s" and evil.quotePrefix
    assert ws.cell(first + 2, 1).value == "@SUM(A1:A9)" and ws.cell(first + 2, 1).data_type == "s"
    assert ws.cell(first + 4, 1).value == "-2+3" and ws.cell(first + 4, 1).data_type == "s"
    # missing values are empty cells, not 0
    assert ws.cell(first + 2, 2).value is None and ws.cell(first + 6, 2).value is None
    assert ws.cell(first + 6, 1).value == "Đắk Lắk"
    assert ws.column_dimensions["A"].width >= len("Bình Dương")
    assert ws.cell(first, 2).number_format == "0.00"


def test_xlsx_raw_xml_has_no_formula_elements(table):
    import zipfile

    data = to_xlsx_bytes(table, META, "en")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet


# ------------------------------------------------------------------------------------- file names
def test_download_name():
    assert download_name("par-index", "province", "national", 2020, "csv") == "par-index_2020_tinh_toan-quoc.csv"
    assert download_name("par_index", "province", "national", 2020, ".xlsx") == "par-index_2020_tinh_toan-quoc.xlsx"
    assert download_name("par_index.area_tthc", "commune", "Bình Dương", (2018, 2024), "csv") == \
        "par-index-area-tthc_2018-2024_xa_binh-duong.csv"
    assert download_name("dti", "district", "region:Đông Nam Bộ", None, "png", lang="en") == \
        "dti_district_region-dong-nam-bo.png"
    assert download_name("bd_766_ward", "commune", "parent:Thủ Dầu Một", 2023, "xlsx") == \
        "bd-766-ward_2023_xa_trong-tinh-thu-dau-mot.xlsx"
    name = download_name("papi", "province", "Đắk Lắk – Tây Nguyên", 2022, "csv")
    assert name.isascii() and name == "papi_2022_tinh_dak-lak-tay-nguyen.csv"


# --------------------------------------------------------------------------------- display tables
def test_display_table_formats_and_localises():
    df = pd.DataFrame({"name": ["Bình Dương", "Lào Cai"], "value": [86.93, None], "display_rank": [4, None],
                       "display_of": [63, 63], "rank_change": [13, None], "rank_source": ["published", None]})
    vi = display_table(df, "vi", unit="%")
    assert list(vi.columns) == ["Địa phương", "Giá trị", "Hạng", "Thay đổi hạng", "Nguồn thứ hạng"]
    assert vi.iloc[0].tolist() == ["Bình Dương", "86,93%", "4/63", "▲ 13 bậc", "Công bố"]
    assert vi.iloc[1].tolist() == ["Lào Cai", "Không có số liệu", "—", "—", "—"]
    en = display_table(df, "en", unit="%")
    assert en.iloc[0].tolist() == ["Bình Dương", "86.93%", "4/63", "▲ 13 places", "Published"]


def test_year_span_and_english_file_names():
    from figures.tables import year_span

    assert year_span(2018, 2018) == "2018" and year_span(2016, 2024.0) == "2016–2024"
    assert header_value(META | {"year": [2018, 2018]}, "Năm") == "2018"
    assert download_name("par_index", "province", "national", 2024, "png", lang="en") == \
        "par-index_2024_province_national.png"
    assert download_name("par_index", "province", "region:Đông Nam Bộ", 2024, "csv", lang="vi") == \
        "par-index_2024_tinh_vung-dong-nam-bo.csv"


def header_value(meta: dict, label: str) -> str:
    from figures.tables import header_lines

    return dict(header_lines(meta, "vi"))[label]
