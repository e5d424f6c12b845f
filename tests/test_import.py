"""`chiso import` / the import API: formats, layouts, commit, audit, revert, replay."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile

import pytest
from import_support import (
    BD_2017,
    EXAMPLES,
    LONG_HEADER,
    SOURCE_2017,
    copy_db,
    csv_bytes,
    export_bytes,
    long_rows,
    run_cli,
    to_cp1258,
    xlsx_bytes,
)

from analytics.imports import (
    ImportValidationError,
    commit_import,
    import_file,
    list_imports,
    parse_number,
    revert_import,
    validate_file,
)

RANK = ["rank", "bd_par_district", "2017", "--within", "Bình Dương", "--format", "csv"]


def digest(db) -> str:
    import hashlib

    return hashlib.sha256(db.read_bytes()).hexdigest()


def rank_rows(capsys, db) -> list[dict[str, str]]:
    code, out, err = run_cli(capsys, "--db", db, *RANK)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


# ---------------------------------------------------------------------------------------------- examples
@pytest.mark.parametrize("name, layout, n", [("bd_par_district_2017_wide.xlsx", "wide", 27),
                                             ("bd_par_district_2017_long.csv", "long", 27),
                                             ("bd_par_district_2017_long_vi.csv", "long", 9)])
def test_examples_validate_and_match_the_committed_data(name, layout, n, built_db):
    p = validate_file(EXAMPLES / name, db_path=built_db)
    assert p.ok, p.error_report()
    assert p.layout == layout
    assert p.counts["rows"] == n
    # the examples hold exactly the committed real figures: nothing new, nothing different
    assert p.counts["unchanged"] == n


def test_example_xlsx_import_changes_the_ranking(db_without_2017, tmp_path, capsys):
    code, _, err = run_cli(capsys, "--db", db_without_2017, *RANK)
    assert code == 2 and "no data" in err
    before = export_bytes(db_without_2017, tmp_path)
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import",
                           EXAMPLES / "bd_par_district_2017_wide.xlsx")
    assert code == 0, err
    assert "27 rows added" in err
    table = rank_rows(capsys, db_without_2017)
    assert [r["name"] for r in table][:3] == ["Thành phố Thủ Dầu Một", "Thị xã Tân Uyên", "Huyện Bàu Bàng"]  # names in 2017
    assert len(table) == 9 and all(r["rank"] == r["official_rank"] for r in table)
    assert {r["code"]: float(r["value"]) for r in table}["726"] == pytest.approx(71.46)
    # revert restores the previous state byte for byte
    (rec,) = list_imports(db_without_2017)
    code, _, err = run_cli(capsys, "--db", db_without_2017, "revert", rec.import_id)
    assert code == 0, err
    assert export_bytes(db_without_2017, tmp_path) == before
    assert list_imports(db_without_2017)[0].status == "reverted"


def test_example_csv_imports(db_without_2017, capsys):
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import",
                           EXAMPLES / "bd_par_district_2017_long_vi.csv")
    assert code == 0, err
    table = rank_rows(capsys, db_without_2017)
    assert [(r["code"], r["rank"]) for r in table] == [(c, str(i + 1)) for i, c in enumerate(
        ["718", "723", "719", "725", "724", "721", "720", "722", "726"])]


def test_new_figures_change_rank_and_revert_restores(db, tmp_path, capsys):
    """--replace with a changed figure (a test-only value) moves Bắc Tân Uyên to the top; revert undoes it."""
    before = export_bytes(db, tmp_path)
    assert rank_rows(capsys, db)[-1]["code"] == "726"
    rows = long_rows([(n, "85.00" if "Bắc Tân Uyên" in n else v, r) for n, v, r in BD_2017])
    rows = [r[:4] + ["", SOURCE_2017] for r in rows]   # no official rank for the changed table
    path = tmp_path / "changed.csv"
    path.write_bytes(csv_bytes(rows))
    code, _, err = run_cli(capsys, "--db", db, "import", path)
    assert code == 2 and "already in the database" in err and "--replace" in err
    code, _, err = run_cli(capsys, "--db", db, "import", path, "--replace")
    assert code == 0, err
    assert "9 rows added, 9 replaced" in err
    table = rank_rows(capsys, db)
    assert table[0]["code"] == "726" and table[0]["rank"] == "1" and float(table[0]["value"]) == 85.0
    assert table[1]["code"] == "718" and table[1]["rank"] == "2"
    import_id = re.search(r"imported as (\S+);", err).group(1)
    code, _, err = run_cli(capsys, "--db", db, "revert", import_id)
    assert code == 0, err
    assert "9 imported rows removed, 9 replaced rows restored" in err
    assert export_bytes(db, tmp_path) == before
    assert rank_rows(capsys, db)[-1]["code"] == "726"


def test_identical_rows_are_skipped_not_duplicated(db, tmp_path, capsys):
    before = digest(db)
    code, _, err = run_cli(capsys, "--db", db, "import", EXAMPLES / "bd_par_district_2017_long.csv")
    assert code == 0, err
    assert "nothing to import" in err and "27 unchanged" in err
    assert digest(db) == before
    assert list_imports(db) == []


def test_replace_with_the_same_figures_replaces_nothing(db, tmp_path, capsys):
    """--replace twice with the same file: the second time the database already holds exactly those figures
    (value, rank, source, note, name as written), so nothing is replaced, no snapshot, no import record."""
    rows = long_rows([(n, "85.00" if "Bắc Tân Uyên" in n else v, r) for n, v, r in BD_2017])
    path = tmp_path / "changed.csv"
    path.write_bytes(csv_bytes([r[:4] + ["", SOURCE_2017] for r in rows]))
    code, _, err = run_cli(capsys, "--db", db, "import", path, "--replace")
    assert code == 0 and "9 replaced" in err, err
    before, n_imports = digest(db), len(list_imports(db))
    code, _, err = run_cli(capsys, "--db", db, "import", path, "--replace")
    assert code == 0, err
    assert "nothing to import" in err and "0 replaced" in err and "9 unchanged" in err
    assert digest(db) == before and len(list_imports(db)) == n_imports


def test_dry_run_writes_nothing(db_without_2017, tmp_path, capsys):
    before = digest(db_without_2017)
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import",
                           EXAMPLES / "bd_par_district_2017_wide.xlsx", "--dry-run")
    assert code == 0, err
    assert "dry run" in err and "would add 27 rows" in err
    assert digest(db_without_2017) == before
    assert not (db_without_2017.parent / "imports").exists()


def test_bad_row_in_the_middle_leaves_nothing_behind(db_without_2017, tmp_path, capsys):
    before = digest(db_without_2017)
    rows = long_rows()
    rows.insert(5, ["bd_par_district", "Huyện Phú Giáo", "2017", "7603", "8", SOURCE_2017])
    path = tmp_path / "middle.csv"
    path.write_bytes(csv_bytes(rows))
    code, _, err = run_cli(capsys, "--db", db_without_2017, "import", path)
    assert code == 2
    assert "middle.csv: row 7, column D (value): value 7603 is outside the scale" in err
    assert digest(db_without_2017) == before
    assert not (db_without_2017.parent / "imports").exists()


# ---------------------------------------------------------------------------------------------- audit
def test_audit_entry_archive_and_manifest(db_without_2017, tmp_path):
    src = EXAMPLES / "bd_par_district_2017_wide.xlsx"
    report = import_file(src, db_path=db_without_2017, actor="editor@example.org")
    (rec,) = list_imports(db_without_2017)
    assert rec.import_id == report.import_id
    assert rec.actor == "editor@example.org" and rec.file_name == src.name
    assert rec.rows_added == 27 and rec.rows_replaced == 0 and rec.status == "committed"
    import hashlib

    assert rec.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    archive = db_without_2017.parent / "imports" / rec.import_id
    assert (archive / "original.xlsx").read_bytes() == src.read_bytes()
    manifest = json.loads((archive / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "committed" and manifest["sha256"] == rec.sha256
    with (archive / "rows.csv").open(encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 27


def test_revert_errors(db_without_2017, tmp_path, capsys):
    code, _, err = run_cli(capsys, "--db", db_without_2017, "revert", "../../etc/passwd")
    assert code == 2 and "not an import id" in err
    code, _, err = run_cli(capsys, "--db", db_without_2017, "revert", "20200101T000000000000Z-00000000")
    assert code == 2 and "no import" in err
    first = import_file(EXAMPLES / "bd_par_district_2017_wide.xlsx", db_path=db_without_2017)
    rows = long_rows([(n, "85.00" if "Bắc Tân Uyên" in n else v, r) for n, v, r in BD_2017])
    path = tmp_path / "later.csv"
    path.write_bytes(csv_bytes([r[:4] + ["", SOURCE_2017] for r in rows]))
    second = import_file(path, db_path=db_without_2017, replace=True)
    code, _, err = run_cli(capsys, "--db", db_without_2017, "revert", first.import_id)
    assert code == 2 and second.import_id in err and "Revert them first" in err
    assert str(revert_import(second.import_id, db_path=db_without_2017)).startswith("reverted")
    code, _, err = run_cli(capsys, "--db", db_without_2017, "revert", second.import_id)
    assert code == 2 and "is reverted" in err
    revert_import(first.import_id, db_path=db_without_2017)
    assert [r.status for r in list_imports(db_without_2017)] == ["reverted", "reverted"]


def test_replay_rebuild_loses_nothing(built_db, db, tmp_path, monkeypatch):
    """What `chiso build` does after loading data/: replay committed archives (not reverted ones) in order.
    Here on a fresh copy of the built database instead of a 10-second rebuild from data/."""
    from analytics.imports import replay_archived_imports
    from analytics.store import refresh_derived, writable_snapshot

    rows = long_rows([(n, "85.00" if "Bắc Tân Uyên" in n else v, r) for n, v, r in BD_2017])
    path = tmp_path / "changed.csv"
    path.write_bytes(csv_bytes([r[:4] + ["", SOURCE_2017] for r in rows]))
    pristine = export_bytes(db, tmp_path)
    kept = import_file(path, db_path=db, replace=True)
    dropped = import_file(EXAMPLES / "bd_par_district_2017_long_vi.csv", db_path=db, replace=True)
    revert_import(dropped.import_id, db_path=db)
    after_imports = export_bytes(db, tmp_path)
    assert after_imports != pristine
    rebuilt = copy_db(built_db, tmp_path / "rebuilt")
    monkeypatch.setenv("CHISO_IMPORTS_DIR", str(db.parent / "imports"))
    with writable_snapshot(rebuilt) as con:
        assert replay_archived_imports(con) == [kept.import_id]
        refresh_derived(con)
    assert export_bytes(rebuilt, tmp_path) == after_imports
    assert [(r.import_id, r.status) for r in list_imports(rebuilt)] == [(kept.import_id, "committed"),
                                                                        (dropped.import_id, "reverted")]
    # a replayed import can still be reverted exactly
    revert_import(kept.import_id, db_path=rebuilt)
    assert export_bytes(rebuilt, tmp_path) == pristine


def test_build_calls_replay(monkeypatch, tmp_path):
    import analytics.cli
    from analytics.cli import main
    from analytics.imports import replay_archived_imports

    seen = {}
    # the name the command calls (the CLI imports `build` from analytics.store)
    monkeypatch.setattr(analytics.cli, "build",
                        lambda db, after_load=None, reconcile=None: seen.setdefault("hook", after_load))
    assert main(["--db", str(tmp_path / "x.duckdb"), "build"]) == 0
    assert seen["hook"] is replay_archived_imports


# ---------------------------------------------------------------------------------------------- formats
def _rows_of(p):
    return [(r.indicator_id, r.unit_id, r.year, r.value, r.official_rank) for r in p.rows]


EXPECTED_9 = [("bd_par_district", uid, 2017, float(v), r) for uid, (_, v, r) in zip(
    ["old-d-718", "old-d-723", "old-d-719", "old-d-725", "old-d-724", "old-d-721", "old-d-720", "old-d-722",
     "old-d-726"], BD_2017, strict=True)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258"])
def test_csv_encodings(encoding, built_db):
    text = csv_bytes(long_rows(), delimiter="\t" if "16" in encoding else ",").decode("utf-8")
    data = to_cp1258(text) if encoding == "cp1258" else text.encode(encoding)
    p = validate_file(data, "bd.csv", db_path=built_db)
    assert p.ok, p.error_report()
    assert _rows_of(p) == EXPECTED_9
    assert p.encoding in {"utf-8": ["utf-8"], "utf-8-sig": ["utf-8-sig"], "utf-16": ["utf-16"],
                          "utf-16-le": ["utf-16-le"], "utf-16-be": ["utf-16-be"],
                          "cp1258": ["windows-1258"]}[encoding]


def test_vietnamese_headers_without_diacritics_semicolons_decimal_commas(built_db):
    header = ["STT", "Chi so", "Dia phuong", "Nam", "Gia tri", "Xep hang", "Nguon", "Ghi chu"]
    rows = [[str(i + 1), "Chỉ số CCHC cấp huyện (BD)", n, "2017", v.replace(".", ","), str(r), SOURCE_2017, ""]
            for i, (n, v, r) in enumerate(BD_2017)]
    p = validate_file(csv_bytes(rows, header, delimiter=";"), "vi.csv", db_path=built_db)
    assert p.ok, p.error_report()
    assert _rows_of(p) == EXPECTED_9


def test_reference_code_and_component_labels(built_db):
    rows = [["BD_PAR_DISTRICT", "Điểm thẩm định (max 65)", "Thành phố Thủ Dầu Một", "2017", "51,75"],
            ["bd_par_district", "survey", "Thành phố Thủ Dầu Một", "2017", "32.83"],
            ["Chỉ số CCHC cấp huyện tỉnh Bình Dương", "", "TP. Thủ Dầu Một", "2017", "84.58"]]
    p = validate_file(csv_bytes(rows, ["indicator", "component", "locality", "year", "value"]), "c.csv",
                      source_url=SOURCE_2017, db_path=built_db)
    assert p.ok, p.error_report()
    assert [r.indicator_id for r in p.rows] == ["bd_par_district.appraisal", "bd_par_district.survey",
                                                "bd_par_district"]


def test_xlsx_long_with_percent_cells_and_sheet_choice(built_db):
    rows = [LONG_HEADER] + [[r[0], r[1], int(r[2]), float(r[3]) / 100, int(r[4]), r[5]] for r in long_rows()]
    fmts = {f"D{i}": "0.00%" for i in range(2, 11)}
    data = xlsx_bytes(rows, number_formats=fmts, title="Số liệu")
    p = validate_file(data, "pct.xlsx", sheet="Số liệu", db_path=built_db)
    assert p.ok, p.error_report()
    assert [(a, b, c, round(d, 6), e) for a, b, c, d, e in _rows_of(p)] == EXPECTED_9
    assert validate_file(data, "pct.xlsx", sheet="1", db_path=built_db).ok


def test_percent_on_a_0_1_scale(built_db):
    rows = [["mic_it_app", "Bình Dương", "2019", "83,6%", "4", "https://example.org/mic"]]
    p = validate_file(csv_bytes(rows), "mic.csv", db_path=built_db)
    assert [i.code for i in p.errors] == ["clash"]    # same value, another source than the database's
    assert p.rows[0].value == pytest.approx(0.836)


def _with_cached_values(data: bytes, cached: dict[str, str]) -> bytes:
    """Add Excel's saved values to formula cells (openpyxl writes formulas without them)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode("utf-8")
                for ref, value in cached.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)(\s*<v\s*/>|\s*<v></v>)?', rf"\1<v>{value}</v>",
                                  text)
                body = text.encode("utf-8")
            z.writestr(item, body)
    return out.getvalue()


def test_formula_cells_read_as_saved_values(built_db):
    rows = [["STT", "Đơn vị", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm", "Xếp hạng"]]
    rows += [[1, "Thành phố Thủ Dầu Một", 51.75, 32.83, "=C2+D2", 1]]
    data = _with_cached_values(xlsx_bytes(rows), {"E2": "84.58"})
    p = validate_file(data, "f.xlsx", indicator="bd_par_district", year=2017, source_url=SOURCE_2017,
                      db_path=built_db)
    assert p.ok, p.error_report()
    assert {r.indicator_id: r.value for r in p.rows}["bd_par_district"] == pytest.approx(84.58)
    assert any(i.code == "formula_values" and "=C2+D2" in i.message for i in p.warnings)


def test_wide_csv_with_metadata_cells_and_params(built_db):
    lines = [["Chỉ số:", "bd_par_district", "", ""], ["Năm:", "2017", "", ""], ["Nguồn:", SOURCE_2017, "", ""],
             ["", "", "", ""], ["TT", "Tên đơn vị", "Tổng điểm", "Thứ hạng"]]
    lines += [[str(i + 1), n, v.replace(".", ","), str(r)] for i, (n, v, r) in enumerate(BD_2017)]
    lines += [["Ghi chú: số liệu chính thức của UBND tỉnh.", "", "", ""]]
    p = validate_file(csv_bytes(lines, False), "wide.csv", db_path=built_db)
    assert p.ok, p.error_report()
    assert p.layout == "wide" and p.indicator == "bd_par_district" and p.year == 2017
    assert _rows_of(p) == EXPECTED_9
    assert all(r.source_url == SOURCE_2017 for r in p.rows)
    # parameters override the title
    title_less = csv_bytes(lines[4:], False)
    p2 = validate_file(title_less, "wide.csv", indicator="bd_par_district", year="2017", db_path=built_db)
    assert [i.code for i in p2.errors] == ["no_source"]          # no source in the file: given by the editor
    p2 = validate_file(title_less, "wide.csv", indicator="bd_par_district", year="2017", source_url=SOURCE_2017,
                       db_path=built_db)
    assert p2.ok, p2.error_report()
    assert _rows_of(p2) == EXPECTED_9


def test_example_xlsx_layout_details(built_db):
    p = validate_file(EXAMPLES / "bd_par_district_2017_wide.xlsx", db_path=built_db)
    assert p.indicator == "bd_par_district" and p.year == 2017 and p.sheet == "Cấp huyện 2017"
    assert {r.indicator_id for r in p.rows} == {"bd_par_district", "bd_par_district.appraisal",
                                                "bd_par_district.survey"}
    assert p.rows[0].source_url == SOURCE_2017
    reasons = dict(p.skipped)
    assert "summary row" in reasons[19] and reasons[21] == "notes row"


def test_fuzzy_name_needs_confirmation_then_commits(db_without_2017):
    rows = long_rows()
    rows[7][1] = "Huyện Phú Giáoo"
    data = csv_bytes(rows)
    p = validate_file(data, "typo.csv", db_path=db_without_2017)
    assert not p.ok and not p.errors
    (res,) = p.pending_confirmations
    assert res.name == "Huyện Phú Giáoo" and res.unit_id == "old-d-722" and res.rows == [9]
    with pytest.raises(ImportValidationError):
        commit_import(p, db_path=db_without_2017)
    p2 = p.confirm({"Huyện Phú Giáoo": "old-d-722"})
    assert p2.ok, p2.error_report()
    report = commit_import(p2, db_path=db_without_2017, actor="tester")
    assert report.rows_added == 9
    assert any(r.method == "confirmed" for r in p2.resolutions)


def test_spelling_resolutions_are_reported(built_db):
    rows = [["bd_par_district", "TP.Thủ Dầu Một", "2017", "84.58", "1", SOURCE_2017],
            ["bd_par_district", "Bac Tan Uyen", "2017", "71.46", "9", SOURCE_2017],
            ["bd_par_district", "old-d-722", "2017", "76.03", "8", SOURCE_2017]]
    p = validate_file(csv_bytes(rows), "s.csv", db_path=built_db)
    assert p.ok, p.error_report()
    assert [(r.name, r.unit_id, r.method) for r in p.resolutions] == [
        ("TP.Thủ Dầu Một", "old-d-718", "spelling"), ("Bac Tan Uyen", "old-d-726", "spelling"),
        ("old-d-722", "old-d-722", "id")]


def test_sql_and_html_are_plain_data(db, tmp_path, capsys):
    before = export_bytes(db, tmp_path)
    rows = long_rows()
    rows[2][1] = "x'); DROP TABLE observations; --"
    rows[3][1] = '<img src=x onerror="alert(1)">'
    path = tmp_path / "inj.csv"
    path.write_bytes(csv_bytes(rows))
    code, _, err = run_cli(capsys, "--db", db, "import", path)
    assert code == 2
    assert "unknown locality \"x'); DROP TABLE observations; --\"" in err
    assert '<img src=x onerror="alert(1)">' in err
    assert export_bytes(db, tmp_path) == before


@pytest.mark.parametrize("text, expected", [
    ("84,58", (84.58, False)), ("84.58", (84.58, False)), ("84,58%", (84.58, True)), (" 1.234.567 ", (1234567, False)),
    ("1,234,567", (1234567, False)), ("1.234,5", (1234.5, False)), ("1,234.5", (1234.5, False)),
    ("−3", (-3.0, False)), ("", (None, False)), ("-", (None, False)), ("n/a", (None, False)), (77, (77.0, False)),
    ("8.46E+01", (84.6, False)), ("84\u00a058", (8458.0, False)),
])
def test_parse_number(text, expected):
    value, pct = parse_number(text)
    assert (value if value is None else pytest.approx(value), pct) == (
        expected[0] if expected[0] is None else pytest.approx(expected[0]), expected[1])


def test_utf16_without_bom_from_excel_unicode_text(built_db):
    text = csv_bytes(long_rows(), delimiter="\t").decode("utf-8")
    p = validate_file(text.encode("utf-16-le"), "unicode.txt", db_path=built_db)
    assert p.ok, p.error_report()
    assert p.encoding == "utf-16-le"
    assert not codecs.BOM_UTF16_LE.startswith(text.encode("utf-16-le")[:2])


def test_wide_department_table_with_sections_and_ordinals(built_db):
    """Bình Dương's department PAR index 2023 (real: the leader's score, ranks 1–6 from listing order)."""
    rows = [["UBND TỈNH BÌNH DƯƠNG"], ["KẾT QUẢ CHỈ SỐ CCHC NĂM 2023 CỦA CÁC SỞ, BAN, NGÀNH"], [],
            ["STT", "Sở, ban, ngành", "Chỉ số CCHC (%)", "Xếp hạng", "Xếp loại"],
            ["I", "KHỐI SỞ, BAN, NGÀNH", None, None, None],
            [1, "1. Sở Thông tin và Truyền thông", "93,75", 1, "Xuất sắc"],
            [2, "2. Sở Văn hóa, Thể thao và Du lịch (*)", None, 2, None],
            [3, "3. Sở Nội vụ", "-", 3, None],
            [4, "4. Sở Xây dựng", None, 4, None],
            [5, "5. Sở Y tế", None, 5, None],
            [6, "6. Sở Nông nghiệp và Phát triển nông thôn", None, 6, None],
            [None, "Ghi chú: (*) xếp hạng theo thứ tự công bố.", None, None, None],
            [None, "Người lập biểu", None, "KT. CHỦ TỊCH", None]]
    p = validate_file(xlsx_bytes(rows, merges=["A1:E1", "A2:E2", "B12:E12"]), "so.xlsx", db_path=built_db,
                      source_url="https://eng.binhduong.gov.vn/Lists/TinTucSuKien/ChiTiet.aspx?ID=5674&PageIndex=8")
    assert p.ok, p.error_report()
    assert (p.indicator, p.year, p.layout) == ("bd_par_department", 2023, "wide")
    assert [(r.unit_id, r.value, r.official_rank) for r in p.rows] == [
        ("agency-74-so-tttt", 93.75, 1), ("agency-74-so-vhttdl", None, 2), ("agency-74-so-noi-vu", None, 3),
        ("agency-74-so-xay-dung", None, 4), ("agency-74-so-y-te", None, 5), ("agency-74-so-nnptnt", None, 6)]
    assert p.counts["unchanged"] == 6
    assert any(i.code == "ignored_column" and "Xếp loại" in i.message for i in p.warnings)
