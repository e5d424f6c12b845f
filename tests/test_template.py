"""Import templates (figures.template) for the gaps of an indicator: the files list the missing cells with
names and codes, parse with ordinary readers, and round-trip through ``chiso import``: filled rows are
accepted, rows left empty are skipped, an untouched template is refused with a clear message.

The values typed into the templates below are test input for dry runs (nothing is written)."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pandas as pd
import pytest

from analytics import coverage as cv
from analytics.cli import main
from analytics.registry import Registry
from analytics.store import connect
from figures import template as tp

SOURCE = "https://example.org/cong-bo-chi-so"


@pytest.fixture(scope="module")
def gaps(con, catalog) -> pd.DataFrame:
    cells = cv.indicator_cells(con, catalog, "par_index")
    year = int(cv.year_counts(cells).sort_values("n").iloc[0]["year"])   # the emptiest year
    return cv.missing_units(cells, year)


@pytest.fixture(scope="module")
def frame(gaps) -> pd.DataFrame:
    return tp.template_frame(gaps, "par_index")


def dry_run(capsys, db, path) -> tuple[int, str]:
    code = main(["--db", str(db), "import", str(path), "--dry-run"])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_frame_lists_every_gap_with_name_and_code(frame, gaps):
    assert list(frame.columns) == tp.COLUMNS
    assert len(frame) == len(gaps) > 0
    assert list(frame["code"]) == list(gaps["code"])
    assert list(frame["locality"]) == list(gaps["name"])
    assert set(frame["indicator"]) == {"par_index"}
    assert frame[tp.EMPTY].isna().all().all()   # value, rank, source and note left to the editor


def test_the_names_resolve_to_the_listed_units(frame, gaps):
    reg = Registry.from_package()
    for name, year, unit_id in zip(frame["locality"], frame["year"], gaps["unit_id"], strict=True):
        assert reg.resolve(name, year=int(year), level="province", vintage="legacy").unit_id == unit_id


def test_a_name_used_twice_gets_its_parent(con, catalog):
    # two wards of Hà Nội are both "Phường Minh Khai": the template says which is which
    cells = con.execute("""
        SELECT u.unit_id, u.code, u.name, u.short_name, p.name AS parent_name, u.province_id, 2023 AS year
        FROM units u JOIN units p ON p.unit_id = u.parent_id
        WHERE u.unit_id IN ('old-c-00295', 'old-c-00613', 'old-c-00001')""").df()
    frame = tp.template_frame(cells, "bd_766_ward")
    names = dict(zip(frame["code"], frame["locality"], strict=True))
    assert names["00295"] != names["00613"] and "(" in names["00295"]
    assert "(" not in names["00001"]
    reg = Registry.from_package()
    for code, unit_id in (("00295", "old-c-00295"), ("00613", "old-c-00613")):
        assert reg.resolve(names[code], year=2023, level="commune", vintage="legacy").unit_id == unit_id


def test_csv_parses_with_pandas_defaults(frame):
    df = pd.read_csv(io.BytesIO(tp.template_csv(frame)))
    assert list(df.columns) == tp.COLUMNS
    assert len(df) == len(frame)
    assert df["value"].isna().all() and df["source_url"].isna().all()
    assert list(df["code"].astype(int)) == [int(c) for c in frame["code"]]


def test_xlsx_has_the_table_first_and_a_readme(frame):
    wb = openpyxl.load_workbook(io.BytesIO(tp.template_xlsx(frame, lang="en", title="PAR INDEX")))
    data, readme = wb.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == tp.COLUMNS
    assert len(rows) == len(frame) + 1
    assert [r[2] for r in rows[1:]] == list(frame["code"])        # codes as text ("01" keeps its zero)
    assert all(r[4] is None and r[6] is None for r in rows[1:])
    text = " ".join(str(c.value) for c in readme["A"] if c.value)
    assert "PAR INDEX" in text and "needs a source" in text and "never type 0" in text
    vi = openpyxl.load_workbook(io.BytesIO(tp.template_xlsx(frame, lang="vi"))).worksheets[1]
    assert "phải có nguồn" in " ".join(str(c.value) for c in vi["A"] if c.value)


def test_two_filled_csv_rows_import(capsys, built_db, frame, tmp_path):
    filled = frame.copy()
    filled.loc[:1, "value"] = ["71,25", "68.5"]
    filled.loc[:1, "source_url"] = SOURCE
    path = tmp_path / "filled.csv"
    path.write_bytes(tp.template_csv(filled))
    code, msg = dry_run(capsys, built_db, path)
    assert code == 0, msg
    assert "would add 2 rows" in msg
    if len(frame) > 2:
        assert f"{len(frame) - 2} row(s) without a value, rank or source were skipped" in msg


def test_two_filled_xlsx_rows_import(capsys, built_db, frame, tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(tp.template_xlsx(frame, lang="vi")))
    ws = wb.worksheets[0]
    for r, value in ((2, 70.1), (3, 66.0)):
        ws.cell(row=r, column=tp.COLUMNS.index("value") + 1, value=value)
        ws.cell(row=r, column=tp.COLUMNS.index("source_url") + 1, value=SOURCE)
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    code, msg = dry_run(capsys, built_db, path)
    assert code == 0, msg
    assert "would add 2 rows" in msg


def test_an_untouched_template_is_refused_clearly(capsys, built_db, frame, tmp_path):
    path = tmp_path / "untouched.csv"
    path.write_bytes(tp.template_csv(frame))
    code, msg = dry_run(capsys, built_db, path)
    assert code == 2
    assert f"no row has a value or a rank: the {len(frame)} rows below the header only name localities" in msg
    assert "Traceback" not in msg


def test_a_code_that_does_not_match_the_name_is_an_error(capsys, built_db, frame, tmp_path):
    filled = frame.head(2).copy()
    filled["value"] = ["70", "60"]
    filled["source_url"] = SOURCE
    filled.loc[1, "code"] = "99"
    path = tmp_path / "wrong_code.csv"
    path.write_bytes(tp.template_csv(filled))
    code, msg = dry_run(capsys, built_db, path)
    assert code == 2
    assert "row 3" in msg and "column C (code)" in msg and "is not the code of" in msg


def test_file_names_say_indicator_and_years():
    assert tp.template_name("par_index", [2023, 2017, 2020], "xlsx") == "mau-nhap_par_index_2017-2023.xlsx"
    assert tp.template_name("bd_par_district", [2023], "csv", scope="74") == "mau-nhap_bd_par_district_74_2023.csv"


def test_an_imported_template_closes_its_gaps(capsys, built_db, catalog, frame, gaps, tmp_path, monkeypatch):
    monkeypatch.delenv("CHISO_IMPORTS_DIR", raising=False)   # archive next to the copy
    db = tmp_path / "copy" / "chiso.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    filled = frame.copy()
    filled.loc[:1, "value"] = ["55.5", "60.25"]
    filled.loc[:1, "source_url"] = SOURCE
    path = tmp_path / "filled.csv"
    path.write_bytes(tp.template_csv(filled))
    assert main(["--db", str(db), "import", str(path)]) == 0, capsys.readouterr().err
    year = int(frame["year"].iloc[0])
    with connect(db) as c:
        cells = cv.indicator_cells(c, catalog, "par_index", years=[year])
    by_unit = cells.set_index("unit_id")
    assert list(by_unit.loc[list(gaps["unit_id"][:2]), "value"]) == [55.5, 60.25]
    assert set(by_unit.loc[list(gaps["unit_id"][:2]), "status"]) == {"value"}
    assert len(cv.missing_units(cells, year)) == len(gaps) - 2
