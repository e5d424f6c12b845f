"""The bad-input suite: real-world faults in import files.

Each must be refused with exit status 2 and a clear message that names the file (and the row and column
where the fault is in a cell), and must leave the database untouched: the file is byte-identical and
`chiso export` prints exactly what it printed before.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import time
import zipfile

import pytest
from import_support import (
    BD_2017,
    LONG_HEADER,
    SOURCE_2017,
    csv_bytes,
    export_bytes,
    long_rows,
    run_cli,
    to_cp1258,
    xlsx_bytes,
)

GOOD = long_rows()


def with_row(bad: list[str], at: int = 4) -> list[list[str]]:
    """The real 2017 table with one faulty row inserted in the middle (file row at+2)."""
    rows = [list(r) for r in GOOD]
    rows.insert(at, bad)
    return rows


def bd(name="Huyện Phú Giáo", year="2017", value="76.03", rank="8", indicator="bd_par_district", source=SOURCE_2017):
    return [indicator, name, year, value, rank, source]


def replace_cell(col: int, value: str, row_index: int = 4) -> list[list[str]]:
    rows = [list(r) for r in GOOD]
    rows[row_index][col] = value
    return rows


def zip_bytes(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"0" * (1 << 20)
            for _ in range(40):      # 40 MB of zeros, ~40 KB compressed
                f.write(chunk)
    return buf.getvalue()


def xml_bomb() -> bytes:
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                      for i in range(1, 10))
           + b']><worksheet><sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                      "xl/worksheets/sheet1.xml": lol})


def formula_xlsx() -> bytes:
    # openpyxl writes formulas without a cached value, as a script-generated workbook would be
    rows = [LONG_HEADER] + [[r[0], r[1], int(r[2]), float(r[3]), int(r[4]), r[5]] for r in GOOD]
    rows[5][3] = "=40+36.03"
    return xlsx_bytes(rows)


def date_year_xlsx() -> bytes:
    rows = [LONG_HEADER] + [[r[0], r[1], int(r[2]), float(r[3]), int(r[4]), r[5]] for r in GOOD]
    rows[3][2] = dt.datetime(2017, 1, 1)
    return xlsx_bytes(rows)


def bool_value_xlsx() -> bytes:
    rows = [LONG_HEADER] + [[r[0], r[1], int(r[2]), float(r[3]), int(r[4]), r[5]] for r in GOOD]
    rows[2][3] = True
    return xlsx_bytes(rows)


def wide_header_only_xlsx() -> bytes:
    rows = [["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2017 CỦA UBND CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ"], [],
            ["STT", "Đơn vị", "Điểm đạt được", None, None, "Xếp hạng"],
            [None, None, "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm", None]]
    return xlsx_bytes(rows, merges=["A1:F1", "A3:A4", "B3:B4", "C3:E3", "F3:F4"])


def wide_no_indicator_xlsx() -> bytes:
    rows = [["BẢNG TỔNG HỢP KẾT QUẢ NĂM 2017"], [], ["STT", "Đơn vị", "Tổng điểm", "Xếp hạng"]]
    rows += [[i + 1, n, float(v), r] for i, (n, v, r) in enumerate(BD_2017)]
    return xlsx_bytes(rows, merges=["A1:D1"])


def wide_no_year_xlsx() -> bytes:
    rows = [["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA UBND CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ"], [],
            ["STT", "Đơn vị", "Tổng điểm", "Xếp hạng"]]
    rows += [[i + 1, n, float(v), r] for i, (n, v, r) in enumerate(BD_2017)]
    return xlsx_bytes(rows, merges=["A1:D1"])


def sheet_xlsx() -> bytes:
    rows = [LONG_HEADER] + [[r[0], r[1], int(r[2]), float(r[3]), int(r[4]), r[5]] for r in GOOD]
    return xlsx_bytes(rows, title="Dữ liệu")


def mojibake() -> bytes:
    text = csv_bytes(with_row(bd(name="Huyện Phú Giáo"))).decode("utf-8")
    # the classic: UTF-8 bytes read as Windows-1252 and saved again as UTF-8
    garbled = text.replace("Huyện Phú Giáo", "Huyện Phú Giáo".encode().decode("cp1252", "replace"))
    return garbled.encode("utf-8")


def tcvn3() -> bytes:
    text = csv_bytes(GOOD).decode("utf-8")
    # "Huyện Phú Giáo" typed with a TCVN3 (.VnTime) font, as old Vietnamese office files are
    return to_cp1258(text.replace("Huyện Phú Giáo", "HuyÖn Phó Gi¸o"))


def bad_bom() -> bytes:
    body = to_cp1258(csv_bytes(GOOD).decode("utf-8"))
    return codecs.BOM_UTF8 + body


def undecodable() -> bytes:
    return csv_bytes(GOOD) + b"\x81\x8d\x8f\x90 \xff\xfe garbage"


def no_header() -> bytes:
    return csv_bytes(GOOD, header=False)


def million_columns() -> bytes:
    return b"indicator,locality,year,value" + b"," * 1_000_000 + b"\n"


def many_rows() -> bytes:
    row = ",".join(GOOD[0]) + "\n"
    return (",".join(LONG_HEADER) + "\n" + row * 25_000).encode("utf-8")


def huge_file() -> bytes:
    return csv_bytes(GOOD) + b"#" * (11 * 1024 * 1024)


def huge_cell() -> bytes:
    return csv_bytes(with_row(bd(name="A" * 1_000_000)))


def unclosed_quote() -> bytes:
    return csv_bytes(GOOD[:3]) + ('bd_par_district,"Huyện Phú Giáo,2017,76.03,8,' + SOURCE_2017 + "\n").encode() \
        + csv_bytes(GOOD[3:], header=False)


# (id, file name, content, extra CLI args, substrings the message must contain, row, column)
CASES = [
    ("empty-file", "empty.csv", b"", [], ["empty"], None, None),
    ("only-blank-lines", "blank.csv", b"\n\n \r\n", [], ["no content"], None, None),
    ("only-header", "header.csv", csv_bytes([]), [], ["no data rows"], None, None),
    ("only-header-with-bom", "header_bom.csv", codecs.BOM_UTF8 + csv_bytes([]), [], ["no data rows"], None, None),
    ("png-renamed-csv", "data.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, [], ["PNG image"], None, None),
    ("pdf-renamed-xlsx", "bang.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", [], ["PDF document"], None, None),
    ("garbage-named-xlsx", "bang.xlsx", b"STT;Don vi;Diem\n1;A;2\n", [], ["not an Excel workbook"], None, None),
    ("html-named-xlsx", "export.xlsx", b"<html><table><tr><td>1</td></tr></table></html>", [], ["HTML"], None, None),
    ("zip-not-workbook", "bang.xlsx", zip_bytes({"a.txt": b"hello"}), [], ["zip archive", "not an Excel"], None, None),
    ("docx-renamed-xlsx", "bang.xlsx", zip_bytes({"word/document.xml": b"<w/>"}), [], ["Word document"], None, None),
    ("zip-bomb", "bomb.xlsx", zip_bomb(), [], ["zip bomb"], None, None),
    ("xml-entity-bomb", "lol.xlsx", xml_bomb(), [], ["XML bomb"], None, None),
    ("legacy-xls-bytes", "bang.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 512, [], [".xls"], None, None),
    ("xls-extension", "bang.xls", b"anything", [], [".xls files are not accepted"], None, None),
    ("xlsx-renamed-csv", "bang.csv", sheet_xlsx(), [], ["zip/Excel workbook"], None, None),
    ("nul-bytes-in-csv", "nul.csv", csv_bytes(GOOD)[:60] + b"\x00\x01\x02" + csv_bytes(GOOD)[60:], [],
     ["binary data"], None, None),
    ("utf8-bom-then-cp1258", "bom.csv", bad_bom(), [], ["cannot be decoded"], None, None),
    ("undecodable-bytes", "enc.csv", undecodable(), [], ["invalid byte", "line 11"], None, None),
    ("utf8-with-one-corrupt-byte", "corrupt.csv", csv_bytes(GOOD).replace("Phú Giáo".encode(), b"Ph\xfa Gi\xe1o"),
     [], ["UTF-8 except for 2 invalid byte(s)", "line 9"], None, None),
    ("mojibake-utf8-as-1252", "moji.csv", mojibake(), [], ["garbled", "UTF-8"], 6, "B"),
    ("tcvn3-legacy-font", "tcvn3.csv", tcvn3(), [], ["TCVN3"], 9, "B"),
    ("missing-year-column", "noyear.csv",
     csv_bytes([[r[0], r[1], r[3], r[4], r[5]] for r in GOOD], ["indicator", "locality", "value", "official_rank",
                                                                   "source_url"]),
     [], ["missing column", "year"], 1, None),
    ("missing-value-column", "novalue.csv",
     csv_bytes([[r[0], r[1], r[2], r[5]] for r in GOOD], ["indicator", "locality", "year", "source_url"]),
     [], ["missing column", "value"], 1, None),
    ("extra-unknown-column", "extra.csv", csv_bytes([r + ["x"] for r in GOOD], LONG_HEADER + ["population"]), [],
     ["unknown column", "population"], 1, "G"),
    ("duplicate-column", "dupcol.csv", csv_bytes([r + [r[2]] for r in GOOD], LONG_HEADER + ["năm"]), [],
     ["several columns"], 1, None),
    ("data-without-header", "trailing.csv", csv_bytes([r + ["", "oops"] for r in GOOD]), [],
     ["no header"], 2, "H"),
    ("no-header-row", "nohead.csv", no_header(), [], ["no header row"], None, None),
    ("duplicate-key", "dup.csv", csv_bytes(with_row(bd())), [], ["appears twice", "first in row 6"], 10, "B"),
    ("duplicate-key-other-spelling", "dup2.csv", csv_bytes(with_row(bd(name="Phu Giao"))), [],
     ["appears twice"], 10, "B"),
    ("non-numeric-value", "text.csv", csv_bytes(replace_cell(3, "bảy mươi sáu")), [], ["not a number"], 6, "D"),
    ("value-with-unit-text", "unit.csv", csv_bytes(replace_cell(3, "79.04 điểm")), [], ["not a number"], 6, "D"),
    ("two-decimal-commas", "commas.csv", csv_bytes(replace_cell(3, "79,0,4")), [], ["not a number"], 6, "D"),
    ("out-of-scale", "scale.csv", csv_bytes(replace_cell(3, "790.4")), [], ["outside the scale", "0–100"], 6, "D"),
    ("percent-over-100", "pct.csv", csv_bytes(replace_cell(3, "179,04%")), [], ["outside the scale"], 6, "D"),
    ("negative-value", "neg.csv", csv_bytes(replace_cell(3, "-79.04")), [], ["negative"], 6, "D"),
    ("nan-value", "nan.csv", csv_bytes(replace_cell(3, "NaN")), [], ["not a finite number"], 6, "D"),
    ("inf-value", "inf.csv", csv_bytes(replace_cell(3, "inf")), [], ["not a finite number"], 6, "D"),
    ("overflow-value", "big.csv", csv_bytes(replace_cell(3, "1e400")), [], ["not a finite number"], 6, "D"),
    ("excel-error-value", "div0.csv", csv_bytes(replace_cell(3, "#DIV/0!")), [], ["not a finite number"], 6, "D"),
    ("no-value-no-rank", "empty_fig.csv",
     csv_bytes([r if i != 4 else r[:3] + ["", ""] + r[5:] for i, r in enumerate(GOOD)]), [],
     ["neither a value nor a rank"], 6, "D"),
    ("unknown-locality", "unknown.csv", csv_bytes(with_row(bd(name="Huyện Không Tồn Tại"))), [],
     ["unknown locality", "Huyện Không Tồn Tại"], 6, "B"),
    ("fuzzy-locality-typo", "typo.csv", csv_bytes(replace_cell(1, "Huyện Phú Giáoo", 7)), [],
     ["not an exact name", "Huyện Phú Giáo"], 9, None),
    ("ambiguous-locality", "ambig.csv",
     csv_bytes([["bd_766_ward", "Tân Định", "2023", "88.1", "", SOURCE_2017]]), [],
     ["matches 2 units", "Tân Định"], 2, "B"),
    ("province-in-district-index", "level.csv", csv_bytes(with_row(bd(name="Tỉnh Bình Dương", rank="")))
     , [], ["province unit", "ranks district units"], 6, "B"),
    ("mixed-levels-commune-row", "mixed.csv", csv_bytes(with_row(bd(name="Phường Phú Cường", rank=""))), [],
     ["commune unit"], 6, "B"),
    ("district-of-other-province", "other.csv", csv_bytes(with_row(bd(name="Quận 1", rank=""))), [],
     ["covers Bình Dương only"], 6, "B"),
    ("new-2025-unit-in-2023", "newunit.csv",
     csv_bytes([["bd_766_ward", "Phường Chánh Hiệp", "2023", "88.1", "", SOURCE_2017]]), [],
     ["created on 1 Jul 2025"], 2, "B"),
    ("year-after-legacy-units", "y2026.csv", csv_bytes(with_row(bd(year="2026"))), [],
     ["2026"], 6, "C"),
    ("year-before-new-units", "y2020.csv",
     csv_bytes([["dti_34", "Thành phố Hồ Chí Minh", "2020", "0.5", "", SOURCE_2017]]), [],
     ["before them"], 2, "C"),
    ("year-in-future", "y2099.csv", csv_bytes(replace_cell(2, "2099")), [], ["in the future"], 6, "C"),
    ("year-1985", "y1985.csv", csv_bytes(replace_cell(2, "1985")), [], ["outside 1990"], 6, "C"),
    ("date-instead-of-year", "date.csv", csv_bytes(replace_cell(2, "06/08/2018")), [], ["is a date"], 6, "C"),
    ("iso-date-instead-of-year", "isodate.csv", csv_bytes(replace_cell(2, "2017-12-31")), [], ["is a date"], 6, "C"),
    ("fractional-year", "y.csv", csv_bytes(replace_cell(2, "2017.5")), [], ["not a year"], 6, "C"),
    ("xlsx-date-cell-as-year", "date.xlsx", date_year_xlsx(), [], ["is a date"], 4, "C"),
    ("rank-zero", "rank0.csv", csv_bytes(replace_cell(4, "0")), [], ["rank 0", "1–9"], 6, "E"),
    ("rank-64-of-63", "rank64.csv",
     csv_bytes([["par_index", "Bình Dương", "2019", "85.5", "64", SOURCE_2017]]), [], ["rank 64", "1–63"], 2, "E"),
    ("rank-negative", "rankneg.csv", csv_bytes(replace_cell(4, "-3")), [], ["rank -3"], 6, "E"),
    ("rank-not-integer", "rank45.csv", csv_bytes(replace_cell(4, "4.5")), [], ["not a whole number"], 6, "E"),
    ("unknown-indicator", "ind.csv", csv_bytes(replace_cell(0, "bd_par_distrct")), [],
     ["unknown indicator", "bd_par_district"], 6, "A"),
    ("unknown-component", "comp.csv",
     csv_bytes([r[:1] + ["no_such_part"] + r[1:] for r in GOOD], ["indicator", "component"] + LONG_HEADER[1:]),
     [], ["has no component", "appraisal"], 2, "B"),
    ("formula-text-in-csv", "formula.csv", csv_bytes(replace_cell(3, "=40+39.04")), [], ["formula"], 6, "D"),
    ("formula-in-locality", "dde.csv", csv_bytes(replace_cell(1, "=HYPERLINK(\"http://x\")")), [],
     ["formula"], 6, "B"),
    ("xlsx-formula-without-cached-value", "formula.xlsx", formula_xlsx(), [], ["formula", "saved value"], 6, "D"),
    ("xlsx-boolean-value", "bool.xlsx", bool_value_xlsx(), [], ["TRUE/FALSE"], 3, "D"),
    ("html-script-in-name", "xss.csv", csv_bytes(with_row(bd(name="<script>alert('x')</script>"))), [],
     ["unknown locality", "<script>alert('x')</script>"], 6, "B"),
    ("control-characters-in-name", "ctrl.csv", csv_bytes(replace_cell(1, "Huyện\x07Phú Giáo")), [],
     ["control characters"], 6, "B"),
    ("very-long-name", "long.csv", csv_bytes(with_row(bd(name="Huyện " + "Phú Giáo " * 1100))), [],
     ["characters long"], 6, "B"),
    ("megabyte-cell", "huge_cell.csv", huge_cell(), [], ["cannot be parsed"], None, None),
    ("million-columns", "wide.csv", million_columns(), [], ["columns"], None, None),
    ("too-many-rows", "rows.csv", many_rows(), [], ["rows"], None, None),
    ("file-too-large", "big.csv", huge_file(), [], ["MB"], None, None),
    ("unclosed-quote", "quote.csv", unclosed_quote(), [], ["never closed", "line 5"], None, None),
    ("clash-without-replace", "clash.csv", csv_bytes(replace_cell(3, "79.50")), [],
     ["already in the database", "78.06", "79.5", "--replace"], 6, None),
    ("wide-merged-header-without-data", "hdr.xlsx", wide_header_only_xlsx(), [], ["no data rows"], None, None),
    ("wide-without-indicator", "noind.xlsx", wide_no_indicator_xlsx(), [], ["which indicator"], None, None),
    ("wide-without-year", "noyear.xlsx", wide_no_year_xlsx(), [], ["year"], None, None),
    ("unknown-sheet", "sheet.xlsx", sheet_xlsx(), ["--sheet", "Sheet9"], ["no sheet", "Dữ liệu"], None, None),
]


@pytest.fixture(scope="module", autouse=True)
def warm_caches():
    """Load the registry and catalog once, so the per-case time limit measures the import alone."""
    from analytics.imports import default_catalog as _catalog
    from analytics.registry import Registry

    Registry.from_package()
    _catalog()


@pytest.fixture(scope="module")
def base_export(built_db, tmp_path_factory):
    return export_bytes(built_db, tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def base_digest(built_db):
    return hashlib.sha256(built_db.read_bytes()).hexdigest()


def test_suite_is_large_enough():
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


def check_refusal(case, db, tmp_path, capsys) -> None:
    ident, file_name, content, args, expected, row, column = case
    path = tmp_path / file_name
    path.write_bytes(content)
    started = time.monotonic()
    code, out, err = run_cli(capsys, "--db", db, "import", path, *args)
    elapsed = time.monotonic() - started
    assert code == 2, (code, err)
    assert "Traceback" not in err and err.startswith("error:"), err
    assert file_name in err, err
    for text in expected:
        assert text in err, f"{text!r} not in {err!r}"
    if row is not None:
        assert f"row {row}" in err, err
    if column is not None:
        assert f"column {column}" in err, err
    assert "Fix:" in err, err
    assert elapsed < 5, f"{ident} took {elapsed:.1f}s"


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(case, db, base_digest, tmp_path, capsys):
    """Per case, on its own copy of the database: refused, and the database file is byte-identical
    (so `chiso export`, a deterministic function of that file, is identical too — checked below)."""
    check_refusal(case, db, tmp_path, capsys)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == base_digest
    assert sorted(p.name for p in db.parent.iterdir()) in (["chiso.duckdb"], ["chiso.duckdb", "chiso.duckdb.lock"])


def test_export_identical_after_bad_inputs(db, base_export, tmp_path, capsys):
    """`chiso export` byte for byte after bad inputs of every stage (file refusal, header, cells, names,
    clash with the database), run in sequence on one copy. (Every case above also proves the database
    file itself is byte-identical, which implies an identical export.)"""
    stages = {"zip-bomb", "only-header", "missing-year-column", "non-numeric-value", "unknown-locality",
              "fuzzy-locality-typo", "rank-64-of-63", "xlsx-formula-without-cached-value", "clash-without-replace",
              "wide-merged-header-without-data", "html-script-in-name", "duplicate-key"}
    for case in CASES:
        if case[0] in stages:
            check_refusal(case, db, tmp_path, capsys)
    assert export_bytes(db, tmp_path) == base_export
    assert not (db.parent / "imports").exists() or not any((db.parent / "imports").iterdir())
