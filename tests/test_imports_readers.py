"""analytics.imports.readers / xlsx_reader: untrusted uploads become a grid of cells, or a refusal that says
what the file really is. No database, no catalog."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import pytest
from import_support import csv_bytes, to_cp1258, xlsx_bytes

from analytics.imports.grid import FileRefused, Limits, col_letter
from analytics.imports.readers import decode_text, load_bytes, read_grid, sniff, sniff_delimiter

ROWS = [["Huyện Bàu Bàng", "80,27", "3"], ["Thị xã Dĩ An", "78,06", "5"]]
HEADER = ["Đơn vị", "Tổng điểm", "Xếp hạng"]


@pytest.fixture
def csv_upload() -> bytes:
    return csv_bytes(ROWS, HEADER, delimiter=";")


@pytest.mark.parametrize("encoding, name", [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")])
def test_csv_encodings_are_detected(encoding, name):
    text = "Đơn vị;Tổng điểm\nHuyện Bàu Bàng;80,27\n"
    decoded, enc = decode_text(text.encode(encoding))
    assert decoded.lstrip("\ufeff") == text and enc == name


def test_windows_1258_is_the_fallback():
    text = "Đơn vị;Tổng điểm\nHuyện Bàu Bàng;80,27\n"
    decoded, enc = decode_text(to_cp1258(text))
    assert enc == "windows-1258" and unicodedata.normalize("NFC", decoded) == text


def test_delimiter_is_sniffed(csv_upload):
    grid = read_grid(csv_upload, "t.csv")
    assert grid.kind == "csv" and grid.delimiter == ";" and grid.rows[1] == ROWS[0]
    assert sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"


@pytest.mark.parametrize("data, name, what", [
    (b"%PDF-1.7 ...", "bang.csv", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n....", "bang.xlsx", "a PNG image"),
    (b"MZ\x90\x00", "bang.csv", "a Windows executable"),
])
def test_a_renamed_file_is_refused_by_what_it_is(data, name, what):
    with pytest.raises(FileRefused) as e:
        sniff(data, name)
    assert what in e.value.message


def test_binary_bytes_in_a_csv_are_refused():
    with pytest.raises(FileRefused, match="NUL bytes"):
        read_grid(b"a,b\n1,\x00\x01\x02\n" * 3, "t.csv")


def test_size_cap_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 100)
    with pytest.raises(FileRefused, match="at most"):
        load_bytes(path, None, Limits(max_bytes=100))


def test_row_cap_on_csv():
    with pytest.raises(FileRefused, match="rows"):
        read_grid(csv_bytes([["1", "2"]] * 50, ["a", "b"]), "t.csv", limits=Limits(max_rows=10))


def test_xlsx_cells_are_typed_values():
    grid = read_grid(xlsx_bytes([HEADER, ["Huyện Bàu Bàng", 80.27, 3]]), "t.xlsx")
    assert grid.kind == "xlsx" and grid.rows[1] == ["Huyện Bàu Bàng", 80.27, 3] and grid.row_numbers[:2] == [1, 2]


def test_a_docx_renamed_xlsx_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(FileRefused, match="Word document"):
        read_grid(buf.getvalue(), "t.xlsx")


def test_xml_entities_are_refused():
    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
            z.writestr(item, body)
    with pytest.raises(FileRefused, match="XML entities"):
        read_grid(buf.getvalue(), "t.xlsx")


def test_column_letters():
    assert [col_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]
