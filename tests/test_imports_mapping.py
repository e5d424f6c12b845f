"""A researcher's panel with unfamiliar headers: --map, codes without leading zeros, the mapping remembered
by header signature, a file-level source (web or repository), multi-source rows kept as conflicts."""

from __future__ import annotations

import duckdb
import pytest
from import_support import csv_bytes, run_cli

from analytics.imports import validate_file

HEADER = ["nam", "ma_tinh", "ten_tinh", "diem", "xep_hang"]
# 2015: a year in which the carried data has no figure for these provinces
PANEL = [["2015", "74", "Bình Dương", "80.5", "5"], ["2015", "2", "Hà Giang", "81.2", "3"]]
MAP = "year=nam,locality=ten_tinh,value=diem,rank=xep_hang"
SRC = "https://example.org/par-index-2015.pdf"


def rows_of(db, indicator: str, year: int) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT unit_id, value, official_rank, source_url, status FROM observations "
                           "WHERE indicator_id = ? AND year = ? ORDER BY unit_id, status DESC",
                           [indicator, year]).fetchall()


def test_cli_map_imports_a_panel_with_unfamiliar_headers(db, tmp_path, capsys):
    path = tmp_path / "panel.csv"
    path.write_bytes(csv_bytes(PANEL, HEADER))
    code, _, err = run_cli(capsys, "--db", db, "import", path, "--indicator", "par_index", "--map", MAP,
                           "--source", SRC)
    assert code == 0, err
    assert [r for r in rows_of(db, "par_index", 2015) if r[0] in ("old-p-02", "old-p-74")] == [
        ("old-p-02", 81.2, 3, SRC, "primary"),
                                              ("old-p-74", 80.5, 5, SRC, "primary")]


def test_locality_may_name_a_code_column_without_leading_zeros(db):
    p = validate_file(csv_bytes(PANEL, HEADER), "codes.csv", indicator="par_index", source_url=SRC, db_path=db,
                      mapping={"year": "nam", "locality": "ma_tinh", "value": "diem"})
    assert p.ok, p.error_report()
    assert [(r.locality_in_source, r.unit_id) for r in p.rows] == [("74", "old-p-74"), ("02", "old-p-02")]


def test_bad_map_is_refused_by_the_cli(db, tmp_path, capsys):
    path = tmp_path / "panel.csv"
    path.write_bytes(csv_bytes(PANEL, HEADER))
    with pytest.raises(SystemExit) as e:
        run_cli(capsys, "--db", db, "import", path, "--map", "colour=nam")
    assert e.value.code == 2 and "ROLE=HEADER" in capsys.readouterr().err


def test_the_mapping_is_remembered_by_header_signature(db, tmp_path, capsys):
    path = tmp_path / "panel.csv"
    path.write_bytes(csv_bytes(PANEL, HEADER))
    assert not validate_file(path, indicator="par_index", source_url=SRC, db_path=db).ok     # headers unknown
    assert run_cli(capsys, "--db", db, "import", path, "--indicator", "par_index", "--map", MAP,
                   "--source", SRC)[0] == 0
    another = csv_bytes([["2015", "92", "Cần Thơ", "82.4", "2"]], HEADER)
    p = validate_file(another, "panel-2.csv", indicator="par_index", source_url=SRC, db_path=db)
    assert p.ok, p.error_report()
    assert p.options["mapping"] == {"year": "nam", "locality": "ten_tinh", "value": "diem",
                                    "official_rank": "xep_hang"}


def test_a_file_without_any_source_is_refused(db, tmp_path, capsys):
    path = tmp_path / "panel.csv"
    path.write_bytes(csv_bytes(PANEL, HEADER))
    code, _, err = run_cli(capsys, "--db", db, "import", path, "--indicator", "par_index", "--map", MAP)
    assert code == 2 and "panel.csv: row 2: 2 row(s) have no source" in err and "--source" in err


def test_a_repository_reference_is_a_source(db, tmp_path, capsys):
    src = "github:vietnam-data/par-index@0123abcd data/par_2015.csv"
    path = tmp_path / "panel.csv"
    path.write_bytes(csv_bytes(PANEL, HEADER))
    code, _, err = run_cli(capsys, "--db", db, "import", path, "--indicator", "par_index", "--map", MAP,
                           "--source", src)
    assert code == 0, err
    assert {r[3] for r in rows_of(db, "par_index", 2015) if r[0] in ("old-p-02", "old-p-74")} == {src}


def test_a_multi_source_table_keeps_its_conflicts(db, tmp_path, capsys):
    other = "https://example.org/another-report.pdf"
    rows = [["par_index", "Bình Dương", "2015", "80.5", "5", SRC],
            ["par_index", "Bình Dương", "2015", "80.1", "6", other]]
    path = tmp_path / "two.csv"
    path.write_bytes(csv_bytes(rows))
    code, _, err = run_cli(capsys, "--db", db, "import", path)
    assert code == 0, err
    assert [r for r in rows_of(db, "par_index", 2015) if r[0] == "old-p-74"] == [
                                              ("old-p-74", 80.5, 5, SRC, "primary"),
                                              ("old-p-74", 80.1, 6, other, "alternative")]
    same_source = [rows[0], [*rows[1][:5], SRC]]
    p = validate_file(csv_bytes(same_source), "dup.csv", db_path=db)
    assert [i.code for i in p.errors] == ["duplicate_key"]
