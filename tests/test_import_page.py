"""The editors' import page through the whole app (AppTest, file_uploader): upload → preview and
validation report → confirmation of fuzzy names → commit with an audit entry → history → revert, which
restores `chiso export` byte for byte. Bad files give a clear report, never a traceback.

Each test works on its own copy of the session database (``CHISO_DB``); the editor signs in with OIDC
(``at.user``, an ``[auth]`` section and an editors' list in ``at.secrets``).
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from import_support import (
    BD_2017,
    EXAMPLES,
    SOURCE_2017,
    csv_bytes,
    export_bytes,
    long_rows,
)
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from analytics import imports as importer
from ui import auth

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGE = "app_pages/import_data.py"
WIDE = EXAMPLES / "bd_par_district_2017_wide.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EDITOR = "lan@sonoivu.binhduong.gov.vn"
SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 32, "client_id": "cid",
             "client_secret": "s", "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"},
    "editors": {"emails": [EDITOR]},
}


pytestmark = pytest.mark.usefixtures("app_env_own_db")  # tests/conftest.py: apptest_env


@pytest.fixture
def app_db(db_without_2017):
    """The app's database: a copy without the 2017 Bình Dương district table (the example files add it)."""
    os.environ["CHISO_DB"] = str(db_without_2017)
    return db_without_2017


@pytest.fixture
def full_db(db):
    """The app's database: a copy that already holds the 2017 table (for replace/unchanged cases)."""
    os.environ["CHISO_DB"] = str(db)
    return db


def editor_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in SECRETS.items():
        at.secrets[k] = v
    at.user = {"is_logged_in": True, "email": EDITOR, "email_verified": True, "name": "Lan"}
    at._page_hash = calc_hash("nhap-du-lieu")    # open the page's URL directly (as a bookmark would)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Nhập dữ liệu"
    return at


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader[0].set_value((name, data, mime))
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


FRAMES = {   # AppTest does not expose the key of a display-only dataframe: find each table by its columns
    "imp_rows": ("action", None), "imp_facts": ("Mục", None), "imp_names": ("Cách khớp", None),
    "imp_errors": ("Mức", "Lỗi"), "imp_warnings": ("Mức", "Lưu ý"),
    "imp_audit": ("Người nhập", None), "imp_history": ("Trạng thái", None),
}


def frame(at: AppTest, key: str):
    col, value = FRAMES[key]
    for df in at.dataframe:
        v = df.value
        if col in v.columns and (value is None or (len(v) and (v[col] == value).all())):
            if key == "imp_audit" and "Trạng thái" in v.columns:
                continue
            return v
    raise AssertionError(f"no table {key} on the page")


def alerts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("error", "warning", "info", "success") for e in getattr(at, kind))


# ------------------------------------------------------------------------------------ the full round trip
def test_upload_preview_commit_audit_history_and_revert_byte_for_byte(app_db, tmp_path):
    before = export_bytes(app_db, tmp_path)
    data = WIDE.read_bytes()
    at = editor_page()
    assert "10 MB" in " ".join(c.value for c in at.caption)            # the size cap is shown
    upload(at, WIDE.name, data, XLSX_MIME)
    m = metrics(at)
    assert m["Dòng số liệu"] == "27" and m["Mới"] == "27" and m["Thay thế"] == "0"
    assert "Tệp hợp lệ." in alerts(at)
    rows = frame(at, "imp_rows")
    assert len(rows) == 27 and set(rows["action"]) == {"new"}
    first = rows[rows["official_rank"] == 1].iloc[0]
    assert first["unit_id"] == "old-d-718" and first["value"] == pytest.approx(84.58)
    facts = frame(at, "imp_facts")
    assert hashlib.sha256(data).hexdigest() in set(facts.iloc[:, 1])
    assert export_bytes(app_db, tmp_path) == before                       # nothing written by the preview
    commit = at.button(key="imp_commit")
    assert not commit.disabled and "27" in commit.label

    commit.click().run()
    assert not at.exception, at.exception
    assert "Đã nhập: 27 dòng mới, 0 dòng được thay thế" in alerts(at)
    audit = frame(at, "imp_audit").iloc[0]
    assert audit["Người nhập"] == f"oidc:{EDITOR}"
    assert audit["Tệp"] == WIDE.name and audit["SHA-256"] == hashlib.sha256(data).hexdigest()
    assert audit["Dòng thêm"] == 27 and audit["Dòng thay thế"] == 0 and audit["Thời điểm"].endswith("UTC")
    recs = importer.list_imports(app_db)
    assert len(recs) == 1 and recs[0].status == "committed" and recs[0].actor == f"oidc:{EDITOR}"
    assert (Path(recs[0].archived_path) / "original.xlsx").read_bytes() == data
    after = export_bytes(app_db, tmp_path)
    assert after != before
    assert at.file_uploader(key="imp_file_1") is not None and not at.metric    # the uploader was reset
    history = frame(at, "imp_history")
    assert list(history["Mã nhập"]) == [recs[0].import_id]

    at.button(key=f"imp_revert_{recs[0].import_id}").click().run()
    assert not at.exception
    assert "Hoàn tác lần nhập" in alerts(at)
    assert export_bytes(app_db, tmp_path) == after                        # asking is not reverting
    at.button(key="imp_revert_yes").click().run()
    assert not at.exception, at.exception
    assert f"Đã hoàn tác {recs[0].import_id}: xóa 27 dòng, khôi phục 0 dòng." in alerts(at)
    assert export_bytes(app_db, tmp_path) == before                       # exactly the previous state
    rec = importer.list_imports(app_db)[0]
    assert rec.status == "reverted" and rec.reverted_by == f"oidc:{EDITOR}"
    assert not [b for b in at.button if str(b.key).startswith("imp_revert_2")]   # no revert of a reverted import


def test_replace_needs_the_checkbox_and_revert_restores_the_replaced_rows(full_db, tmp_path):
    before = export_bytes(full_db, tmp_path)
    rows = long_rows()
    rows[0][3] = "85.00"                     # differs from the published 84.58
    at = editor_page()
    upload(at, "sua.csv", csv_bytes(rows))
    errors = frame(at, "imp_errors")
    assert len(errors) == 1 and errors.iloc[0]["Dòng"] == 2 and "84.58" in errors.iloc[0]["Vấn đề"]
    assert "Thay thế số liệu đã có" in errors.iloc[0]["Cách sửa"]          # the message in the page language
    assert at.button(key="imp_commit").disabled
    at.checkbox(key="imp_replace").check().run()
    assert "Tệp hợp lệ." in alerts(at)
    assert metrics(at)["Thay thế"] == "9"          # replace mode: every key of the file is replaced
    at.button(key="imp_commit").click().run()
    assert "9 dòng mới, 9 dòng được thay thế" in alerts(at)
    rec = importer.list_imports(full_db)[-1]
    at.button(key=f"imp_revert_{rec.import_id}").click().run()
    at.button(key="imp_revert_yes").click().run()
    assert not at.exception
    assert export_bytes(full_db, tmp_path) == before


# ------------------------------------------------------------------------------------ confirmations
def test_fuzzy_names_are_listed_and_block_until_confirmed(app_db, tmp_path):
    rows = long_rows()
    rows[0][1] = "Thủ Dầu Mộtt"
    before = export_bytes(app_db, tmp_path)
    at = editor_page()
    upload(at, "mo.csv", csv_bytes(rows))
    boxes = [c for c in at.checkbox if str(c.key).startswith("imp_ok_")]
    assert len(boxes) == 1 and "Thủ Dầu Mộtt" in boxes[0].label and "old\\-d\\-718" in boxes[0].label
    assert at.button(key="imp_commit").disabled
    assert "cần xác nhận" in alerts(at)
    assert export_bytes(app_db, tmp_path) == before
    boxes[0].check().run()
    assert not at.exception
    names = frame(at, "imp_names")
    assert "confirmed" in set(names["Cách khớp"])
    assert not at.button(key="imp_commit").disabled
    at.button(key="imp_commit").click().run()
    assert "9 dòng mới" in alerts(at)
    assert importer.list_imports(app_db)[-1].rows_added == 9


# ------------------------------------------------------------------------------------ bad input
def test_bad_files_give_a_clear_report_never_a_traceback(app_db, tmp_path):
    before = export_bytes(app_db, tmp_path)
    at = editor_page()
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 200
    upload(at, "bang.csv", png)
    err = frame(at, "imp_errors")
    assert "PNG" in " ".join(err["Vấn đề"]) and err["Cách sửa"].notna().all()
    assert at.button(key="imp_commit").disabled

    hostile = [list(r) for r in long_rows()]
    hostile[2][1] = "<script>alert(1)</script>"
    hostile[3][1] = "<img src=x onerror=alert(1)>"
    upload(at, "<b>x</b>.csv", csv_bytes(hostile))
    err = frame(at, "imp_errors")
    assert set(err["Dòng"]) == {4, 5} and set(err["Cột"].str[0]) == {"B"}
    for el in [*at.markdown, *at.error, *at.warning, *at.info, *at.success, *at.caption]:
        assert "<script" not in str(el.value) and "<img" not in str(el.value) and "<b>" not in str(el.value)
        assert not getattr(el.proto, "allow_html", False)

    at.file_uploader[0].set_value(("big.csv", b"a" * (10 * 1024 * 1024 + 1), "text/csv"))
    at.run()
    assert not at.exception
    assert "10 MB" in alerts(at)
    assert export_bytes(app_db, tmp_path) == before


# ------------------------------------------------------------------------------------ options
def _wide_without_title(second_sheet_first: bool = False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if second_sheet_first:
        ws.title = "Ghi chú"
        ws["A1"] = "Bảng số liệu ở trang sau"
        ws = wb.create_sheet("Số liệu")
    ws.append(["STT", "Đơn vị", "Tổng điểm", "Xếp hạng"])
    for i, (name, value, rank) in enumerate(BD_2017, start=1):
        ws.append([i, name, float(value), rank])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_sheet_choice_and_indicator_year_parameters_for_a_bare_wide_table(app_db):
    at = editor_page()
    upload(at, "hai_trang.xlsx", _wide_without_title(second_sheet_first=True), XLSX_MIME)
    sheet = at.selectbox(key="imp_sheet")
    assert sheet.options == ["Ghi chú", "Số liệu"] and sheet.value == "Ghi chú"
    assert at.button(key="imp_commit").disabled
    sheet.select("Số liệu").run()
    assert not at.exception
    problems = " ".join(frame(at, "imp_errors")["Vấn đề"])
    assert "chỉ số nào" in problems and "năm" in problems           # a bare table: which index, which year?
    at.selectbox(key="imp_indicator").set_value("bd_par_district")
    at.number_input(key="imp_year").set_value(2017)
    at.selectbox(key="imp_within").set_value("old-p-74")
    at.run()
    assert not at.exception, at.exception
    assert "không có nguồn" in " ".join(frame(at, "imp_errors")["Vấn đề"])   # no figure without a source
    assert at.button(key="imp_commit").disabled
    at.text_input(key="imp_source").set_value(SOURCE_2017).run()
    assert not at.exception, at.exception
    assert metrics(at)["Mới"] == "9"
    assert not at.button(key="imp_commit").disabled
    at.button(key="imp_commit").click().run()
    rec = importer.list_imports(app_db)[-1]
    assert rec.rows_added == 9 and rec.file_name == "hai_trang.xlsx"


def test_commit_refuses_a_session_that_is_no_longer_an_editor(app_db, monkeypatch, tmp_path):
    before = export_bytes(app_db, tmp_path)
    at = editor_page()
    upload(at, WIDE.name, WIDE.read_bytes(), XLSX_MIME)
    monkeypatch.setattr(auth, "actor", lambda: None)       # e.g. the session expired between preview and click
    at.button(key="imp_commit").click().run()
    assert not at.exception
    assert "chỉ dành cho biên tập viên" in alerts(at)
    assert export_bytes(app_db, tmp_path) == before and importer.list_imports(app_db) == []


def test_readers_opened_before_an_import_keep_their_snapshot_and_new_readers_see_the_import(app_db):
    """The app keeps a read-only connection open per database version (ui.cache): a connection opened
    after the import must see the new file, not DuckDB's instance of the old one."""
    from analytics.store import connect

    def n(con):
        return con.execute("SELECT count(*) FROM observations WHERE indicator_id LIKE 'bd_par_district%' "
                           "AND year = 2017").fetchall()[0][0]

    old = connect(app_db)
    try:
        assert n(old) == 0
        importer.import_file(WIDE, db_path=app_db, actor="test")
        new = connect(app_db)
        try:
            assert n(new) == 27 and n(new.cursor()) == 27
            assert n(old) == 0                      # a reader in the middle of its work is not disturbed
        finally:
            new.close()
    finally:
        old.close()


# ------------------------------------------------------------------------------------ unfamiliar headers
PANEL_HEADER = ["nam", "ma_tinh", "ten_tinh", "diem", "xep_hang"]
# 2015: a year in which the carried data has no PAR INDEX figure for these provinces
PANEL_SOURCE = "https://example.org/par-index-2015.pdf"


def test_unfamiliar_headers_are_mapped_by_the_editor_and_remembered(full_db):
    at = editor_page()
    at.selectbox(key="imp_indicator").set_value("par_index")
    at.text_input(key="imp_source").set_value(PANEL_SOURCE)
    upload(at, "panel.csv", csv_bytes([["2015", "74", "Bình Dương", "80.5", "5"]], PANEL_HEADER))
    assert at.button(key="imp_commit").disabled
    assert at.selectbox(key="imp_map_locality").options[1:] == PANEL_HEADER      # which column holds what?
    for role, header in (("year", "nam"), ("locality", "ten_tinh"), ("value", "diem"), ("official_rank", "xep_hang")):
        at.selectbox(key=f"imp_map_{role}").set_value(header)
    at.run()
    assert not at.exception, at.exception
    assert metrics(at)["Mới"] == "1"
    at.button(key="imp_commit").click().run()
    assert not at.exception, at.exception
    assert importer.list_imports(full_db)[-1].rows_added == 1

    at = editor_page()                 # the next file with the same headers: no question asked
    at.selectbox(key="imp_indicator").set_value("par_index")
    at.text_input(key="imp_source").set_value(PANEL_SOURCE)
    upload(at, "panel-2.csv", csv_bytes([["2015", "92", "Cần Thơ", "82.4", "2"]], PANEL_HEADER))
    assert all(s.key != "imp_map_locality" for s in at.selectbox)
    assert metrics(at)["Mới"] == "1" and not at.button(key="imp_commit").disabled


# ------------------------------------------------------------------------------------ ambiguous numbers
POP_SOURCE = "https://www.gso.gov.vn/du-lieu-va-so-lieu-thong-ke/"
# Population (thousand persons, no upper bound) of 2010: the database has no earlier edition to compare.
AMBIGUOUS_POP = csv_bytes([["population", "Bình Dương", "2010", "1.997", "", POP_SOURCE]])


def _population_2010(app_db: Path) -> list[float]:
    from analytics.store import connect

    con = connect(app_db)
    try:
        return [r[0] for r in con.execute("SELECT value FROM observations WHERE indicator_id = 'population' "
                                          "AND unit_id = 'old-p-74' AND year = 2010").fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize("reading, stored", [("thousands", 1997.0), ("decimal", 1.997)])
def test_an_ambiguous_number_is_asked_and_imported_as_the_editor_reads_it(full_db, tmp_path, reading, stored):
    before = export_bytes(full_db, tmp_path)
    at = editor_page()
    upload(at, "dan_so.csv", AMBIGUOUS_POP)
    radio = at.radio(key="imp_amb_D")                              # one question for column D (value)
    assert radio.value is None
    assert radio.options == ["1.997 = 1997 (dấu phân cách hàng nghìn)", "1.997 = 1,997 (dấu thập phân)"]
    assert "Số có dấu phân cách chưa rõ" in [s.value for s in at.subheader]
    affected = next(df.value for df in at.dataframe if "Đọc là hàng nghìn" in df.value.columns)
    assert affected.to_dict("records") == [{"Dòng": 2, "Tên trong tệp": "Bình Dương", "Giá trị": "1.997",
                                            "Đọc là hàng nghìn": 1997.0, "Đọc là thập phân": 1.997}]
    assert "1.997 có thể là 1.997 hoặc 1997" in " ".join(frame(at, "imp_errors")["Vấn đề"])
    assert at.button(key="imp_commit").disabled                    # nothing can be written before the choice
    assert export_bytes(full_db, tmp_path) == before

    radio.set_value(reading).run()
    assert not at.exception, at.exception
    assert at.radio(key="imp_amb_D").value == reading              # the question stays, with the answer
    assert "Tệp hợp lệ." in alerts(at)
    assert frame(at, "imp_rows")["value"].tolist() == [pytest.approx(stored)]
    assert export_bytes(full_db, tmp_path) == before                # choosing is not importing
    at.button(key="imp_commit").click().run()
    assert not at.exception, at.exception
    assert _population_2010(full_db) == [pytest.approx(stored)]


# ------------------------------------------------------------------------------------ refusals in Vietnamese
def test_a_refused_file_is_explained_in_vietnamese_on_the_page(app_db, tmp_path):
    before = export_bytes(app_db, tmp_path)
    at = editor_page()
    upload(at, "bang.xlsx", b'PK\x05\x06' + b"\0" * 18, XLSX_MIME)          # an empty zip, not a workbook
    err = frame(at, "imp_errors").iloc[0]
    assert err["Vấn đề"] == "tệp là tệp nén zip, không phải bảng tính Excel."
    assert err["Cách sửa"] == "tải bảng lên dạng CSV (.csv, .tsv, .txt) hoặc bảng tính Excel (.xlsx)"
    upload(at, "bang.csv", b"a;b\n1;2\n" + b"x" * 10 + b"\0")               # binary data in a CSV
    assert frame(at, "imp_errors").iloc[0]["Vấn đề"] == ("tệp chứa dữ liệu nhị phân (byte NUL), "
                                                         "không phải tệp văn bản CSV.")
    assert at.button(key="imp_commit").disabled
    assert export_bytes(app_db, tmp_path) == before
