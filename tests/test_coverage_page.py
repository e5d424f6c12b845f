"""AppTest of the page "Độ phủ số liệu / Data coverage": counts per year against analytics.coverage, the
units × years table (no zero for a gap), the missing localities of a year, and the template downloads
(the deferred bytes are generated and parsed)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from analytics import coverage as cv
from figures import template as tp
from tests.support.apptest import open_app

PAGE = "pages/coverage.py"

pytestmark = pytest.mark.usefixtures("app_env")  # tests/conftest.py: apptest_env


@pytest.fixture
def deferred(monkeypatch) -> dict[str, object]:
    """file name → the callable a download button defers (AppTest's media manager is gone after a run)."""
    seen: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def record(self, data, mimetype, coordinates, file_name=None, **kw):
        seen[file_name] = data
        return original(self, data, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


def open_page(**params) -> AppTest:
    return open_app(PAGE, **params)


def test_par_index_counts_matrix_and_missing_list(con, catalog, deferred):
    at = open_page()
    counts = cv.year_counts(cv.indicator_cells(con, catalog, "par_index"))
    per_year = at.dataframe[0].value
    assert list(per_year.iloc[:, 1]) == list(counts["label"])
    matrix = at.dataframe[1].value
    assert len(matrix) == 63
    marks = set(matrix.iloc[:, 2:].to_numpy().ravel())
    assert marks <= {"●", "◐", "—"} and "0" not in marks
    assert (matrix.iloc[:, 2:] == "—").sum().sum() == sum(63 - n for n in counts["n"])
    latest = int(counts["year"].max())
    row = counts.set_index("year").loc[latest]
    assert at.selectbox(key="cv_year").value == latest
    shown = " ".join(str(m.value) for m in at.markdown).replace("\\", "")
    assert f"{row['n_values']}/63 địa phương có điểm" in shown
    assert (f"{row['n_rank_only']} chỉ có thứ hạng công bố" in shown) == bool(row["n_rank_only"])
    assert len(at.dataframe[2].value) == 63 - row["n"]


def test_template_download_bytes_parse(con, catalog, deferred):
    at = open_page(lang="en")
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Download template (XLSX)", "Download template (CSV)"} <= set(buttons)
    cells = cv.indicator_cells(con, catalog, "par_index")
    latest = int(cells["year"].max())
    missing = cv.missing_units(cells, latest)
    xlsx_name = tp.template_name("par_index", [latest], "xlsx")
    csv_name = tp.template_name("par_index", [latest], "csv")
    assert {xlsx_name, csv_name} <= set(deferred)
    wb = openpyxl.load_workbook(io.BytesIO(deferred[xlsx_name]()))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == tp.COLUMNS
    assert [r[2] for r in rows[1:]] == list(missing["code"])
    assert wb.sheetnames[1] == "README"
    assert f"{latest} · {63 - len(missing)}/63" in wb.worksheets[1]["A1"].value   # the coverage label in the title
    df = pd.read_csv(io.BytesIO(deferred[csv_name]()))
    assert len(df) == len(missing) and df["value"].isna().all()


def test_all_years_template_and_a_within_province_index(con, catalog, deferred):
    at = open_page(cv_ind="CCHC cấp huyện (BD)", cv_year="2017")
    assert at.selectbox(key="cv_prov").value == "old-p-74"
    per_year = at.dataframe[0].value
    assert list(per_year.iloc[:, 1]) == list(cv.year_counts(cv.indicator_cells(con, catalog, "bd_par_district"))["label"])
    assert len(at.dataframe[1].value) == 9                  # Bình Dương's nine district-level units
    assert at.success and "2017" in at.success[0].value     # the full 2017 table: nobody is missing
    at.toggle(key="cv_all").set_value(True).run()
    assert not at.exception
    gaps = cv.indicator_cells(con, catalog, "bd_par_district")
    gaps = gaps[gaps["status"] == "none"]
    name = tp.template_name("bd_par_district", sorted(set(gaps["year"])), "csv", scope="74")
    df = pd.read_csv(io.BytesIO(deferred[name]()), dtype={"code": str})
    assert len(df) == len(gaps)
    assert set(df["code"]) == set(gaps["code"])
