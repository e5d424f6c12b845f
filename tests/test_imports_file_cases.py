"""Files that are readable but would write wrong data without a word (issue: safe writes): 1,000x
separator misreads, hidden sheets, implausible figures, formula-like text, XLSX resource limits."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from import_support import (
    SOURCE_2017,
    csv_bytes,
    export_bytes,
    long_rows,
    run_cli,
    xlsx_bytes,
)

from analytics.imports import Limits, validate_file

SRC = "https://www.gso.gov.vn/du-lieu-va-so-lieu-thong-ke/"
POP_HEADER = ["indicator", "locality", "year", "value", "official_rank", "source_url"]


def population(locality: str, year: int, value: str) -> bytes:
    return csv_bytes([["population", locality, str(year), value, "", SRC]], POP_HEADER)


# ------------------------------------------------------------------------------------ 1,000x misreads
def test_lone_separator_inside_the_scale_reads_as_a_decimal(built_db):
    rows = long_rows()
    rows[2][3] = "80,270"                   # 80270 is outside 0–100: 80.27
    p = validate_file(csv_bytes(rows), "d.csv", db_path=built_db)
    assert p.ok, p.error_report()
    assert [r.value for r in p.rows if r.row == 4] == [pytest.approx(80.27)]


@pytest.mark.parametrize("cell", ["7.420", "7,420"])
def test_lone_separator_decided_by_the_previous_edition(built_db, cell):
    """Population in thousands: Hà Nội had 7,328.4 thousand in 2016, so 2017's "7.420" is 7420."""
    p = validate_file(population("Thành phố Hà Nội", 2017, cell), "pop.csv", db_path=built_db)
    assert p.ok, p.error_report()
    assert p.rows[0].value == 7420


def test_still_ambiguous_separator_is_refused_on_the_cli_naming_row_and_column(db_without_2017, tmp_path,
                                                                               capsys):
    path = tmp_path / "pop2011.csv"
    path.write_bytes(population("Thành phố Hà Nội", 2011, "6.761"))      # no earlier edition to compare
    before = export_bytes(db_without_2017, tmp_path)
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import", path)
    assert code == 2
    assert "pop2011.csv: row 2, column D (value)" in err and "6.761 or 6761" in err
    assert "--ambiguous-numbers thousands or --ambiguous-numbers decimal" in err      # the fix is an option
    assert export_bytes(db_without_2017, tmp_path) == before


@pytest.mark.parametrize("reading, stored", [("thousands", 1997.0), ("decimal", 1.997)])
def test_the_cli_reads_a_still_ambiguous_separator_as_told(db_without_2017, tmp_path, capsys, reading,
                                                           stored):
    path = tmp_path / "pop2010.csv"
    path.write_bytes(population("Tỉnh Bình Dương", 2010, "1.997"))       # no earlier edition to compare
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import", path, "--ambiguous-numbers", reading)
    assert code == 0, err
    p = validate_file(path, db_path=db_without_2017, ambiguous={"D": reading})
    assert [r.action for r in p.rows] == ["unchanged"] and p.rows[0].value == pytest.approx(stored)
    assert [(c.row, c.column, c.cell, c.reading) for c in p.ambiguous_cells] == [(2, "D", "1.997", reading)]
    with pytest.raises(ValueError, match="thousands"):
        validate_file(path, db_path=db_without_2017, ambiguous="hundreds")


# ------------------------------------------------------------------------------------ hidden sheets
def workbook_with_hidden_first_sheet() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    hidden = wb.active
    hidden.title = "Cũ"
    hidden.append(["indicator", "locality", "year", "value", "official_rank", "source_url"])
    hidden.append(["bd_par_district", "Huyện Bàu Bàng", 2017, 10.0, 9, SOURCE_2017])
    hidden.sheet_state = "hidden"
    visible = wb.create_sheet("Số liệu")
    visible.append(["indicator", "locality", "year", "value", "official_rank", "source_url"])
    for row in long_rows():
        visible.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_first_visible_sheet_is_read_and_the_hidden_one_named(db_without_2017):
    p = validate_file(workbook_with_hidden_first_sheet(), "an.xlsx", db_path=db_without_2017)
    assert p.ok, p.error_report()
    assert p.sheet == "Số liệu" and p.sheets == ["Số liệu"] and len(p.rows) == 9
    assert [i.message for i in p.warnings if i.code == "hidden_sheets"] == [
        "the workbook has hidden sheets, not read: 'Cũ'."]


def test_a_hidden_sheet_chosen_by_name_needs_confirmation(db_without_2017):
    p = validate_file(workbook_with_hidden_first_sheet(), "an.xlsx", sheet="Cũ", db_path=db_without_2017)
    assert not p.ok and [i.code for i in p.checks] == ["hidden_sheet_read"]
    assert validate_file(workbook_with_hidden_first_sheet(), "an.xlsx", sheet="Cũ", accept_warnings=True,
                         db_path=db_without_2017).ok


# ------------------------------------------------------------------------------------ plausibility
def test_rank_contradicting_values_stops_the_cli_unless_accepted(db_without_2017, tmp_path, capsys):
    rows = long_rows()
    rows[0][4], rows[1][4] = "2", "1"        # rank 1 given to the lower score
    path = tmp_path / "swapped.csv"
    path.write_bytes(csv_bytes(rows))
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import", path)
    assert code == 2 and "swapped.csv: row 2: rank 2 (value 84.58) contradicts rank 1 in row 3" in err
    assert "--accept-warnings" in err
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import", path, "--accept-warnings")
    assert code == 0, err


def test_value_far_from_the_previous_edition_is_a_warning(built_db):
    p = validate_file(population("Thành phố Hà Nội", 2017, "7,4"), "pop.csv", db_path=built_db)
    (check,) = p.checks
    assert check.code == "far_from_previous" and (check.row, check.column) == (2, "D")
    assert "7328.4 in 2016" in check.message


def test_ranks_only_file_for_an_indicator_that_publishes_scores(built_db):
    data = csv_bytes([["par_index", "Tỉnh Bình Dương", "2017", "", "5", SRC]], POP_HEADER)
    p = validate_file(data, "ranks.csv", db_path=built_db)
    assert [i.code for i in p.checks] == ["ranks_only"]


def test_year_option_contradicting_the_year_column(db_without_2017):
    p = validate_file(csv_bytes(long_rows()), "y.csv", year=2018, db_path=db_without_2017)
    (check,) = p.checks
    assert check.code == "option_contradicts" and (check.row, check.column) == (2, "C")
    assert "--year 2018" in check.message and "(2017)" in check.message


def with_manual_calculation(data: bytes, cached: dict[str, str]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename).decode("utf-8") if item.filename.endswith(".xml") else None
            if item.filename == "xl/workbook.xml":
                body = re.sub(r"<calcPr[^>]*/>", '<calcPr calcId="191029" calcMode="manual"/>', body)
            if item.filename == "xl/worksheets/sheet1.xml":
                for ref, value in cached.items():
                    body = re.sub(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)(\s*<v\s*/>|\s*<v></v>)?',
                                  rf"\1<v>{value}</v>", body)
            z.writestr(item, body.encode("utf-8") if body is not None else src.read(item.filename))
    return out.getvalue()


def test_saved_formula_values_of_a_manually_calculated_workbook_are_checked(db_without_2017):
    rows = [["Đơn vị", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm", "Xếp hạng"],
            ["Thành phố Thủ Dầu Một", 51.75, 32.83, "=B2+C2", 1]]
    data = with_manual_calculation(xlsx_bytes(rows), {"D2": "84.58"})
    p = validate_file(data, "m.xlsx", indicator="bd_par_district", year=2017, source_url=SOURCE_2017,
                      db_path=db_without_2017)
    assert [i.code for i in p.checks] == ["stale_formulas"] and "D2 =B2+C2" in p.checks[0].message


# ------------------------------------------------------------------------------------ formula-like text
@pytest.mark.parametrize("name", ['+HYPERLINK("http://x","y")', "@SUM(A1)", "=1+1", "-cmd|' /C calc'!A0"])
def test_formula_like_names_are_refused(db_without_2017, name):
    rows = long_rows()
    rows[0][1] = name
    p = validate_file(csv_bytes(rows), "f.csv", db_path=db_without_2017)
    assert [(i.code, i.row, i.column) for i in p.errors] == [("formula_text", 2, "B")]


def test_formula_like_note_is_flagged_and_neutralised_on_export(db_without_2017, tmp_path, capsys):
    rows = [r + ["@SUM(1+1)" if i == 0 else ""] for i, r in enumerate(long_rows())]
    path = tmp_path / "n.csv"
    path.write_bytes(csv_bytes(rows, [*POP_HEADER, "note"]))
    p = validate_file(path, db_path=db_without_2017)
    assert p.ok and [i.code for i in p.warnings if i.code == "formula_like_note"] == ["formula_like_note"]
    assert run_cli(capsys, "--db", db_without_2017, "import", path)[0] == 0
    code, out, _ = run_cli(capsys, "--db", db_without_2017, "export")
    assert code == 0 and ",'@SUM(1+1)," in out and ",@SUM(1+1)," not in out
    code, out, _ = run_cli(capsys, "--db", db_without_2017, "export", "--raw")
    assert ",@SUM(1+1)," in out


def test_invisible_characters_are_stripped_from_names(db_without_2017):
    rows = long_rows()
    rows[0][1] = "Thành\u00a0phố Thủ\u200b Dầu\u202e Một"
    p = validate_file(csv_bytes(rows), "z.csv", db_path=db_without_2017)
    assert p.ok, p.error_report()
    assert p.rows[0].unit_id == "old-d-718" and p.rows[0].locality_in_source == "Thành phố Thủ Dầu Một"


# ------------------------------------------------------------------------------------ XLSX limits
def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The central directory declares `size` bytes for `member` (the data is unchanged)."""
    buf = bytearray(data)
    name = member.encode()
    i = buf.find(b"PK\x01\x02")
    while i != -1:
        n = int.from_bytes(buf[i + 28:i + 30], "little")
        if bytes(buf[i + 46:i + 46 + n]) == name:
            buf[i + 24:i + 28] = size.to_bytes(4, "little")
        i = buf.find(b"PK\x01\x02", i + 4)
    return bytes(buf)


@pytest.mark.parametrize("size", [10, 50_000_000 // 8])
def test_a_zip_that_lies_about_its_sizes_is_refused_with_exit_2(db_without_2017, tmp_path, capsys, size):
    data = lie_about_size(xlsx_bytes([["indicator", "locality", "year", "value"], *long_rows()]),
                          "xl/worksheets/sheet1.xml", size)
    path = tmp_path / "lies.xlsx"
    path.write_bytes(data)
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import", path)
    assert code == 2 and "Traceback" not in err and "xl/worksheets/sheet1.xml" in err
    assert "sizes the archive declares" in err or "zip bomb" in err    # too small a size, or too large


def test_workbook_parts_are_capped(db_without_2017):
    p = validate_file(xlsx_bytes([["indicator", "locality", "year", "value"], *long_rows()]), "c.xlsx",
                      limits=Limits(max_member=500), db_path=db_without_2017)
    assert [i.code for i in p.errors] == ["refused"] and "uncompressed" in p.errors[0].message
