"""The `chiso` CLI contract that scripts rely on, run against the real built database."""

import csv
import io
import json

import pytest

from analytics.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows(out: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out)))


def test_rank_pci_2018_lists_all_63_and_matches_published(capsys, built_db):
    code, out, _ = run(capsys, "--db", str(built_db), "rank", "pci", "2018", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "code,name,value,rank,of,official_rank"
    table = rows(out)
    assert len(table) == 63
    assert all(r["of"] == "63" for r in table)
    assert all(r["rank"] == r["official_rank"] for r in table), [r for r in table if r["rank"] != r["official_rank"]]
    values = [float(r["value"]) for r in table]
    assert values == sorted(values, reverse=True)


def test_rank_mic_it_app_2019_has_binh_duong(capsys, built_db):
    code, out, _ = run(capsys, "--db", str(built_db), "rank", "mic_it_app", "2019", "--format", "csv")
    assert code == 0
    bd = [r for r in rows(out) if r["code"] == "74"]
    assert len(bd) == 1
    assert float(bd[0]["value"]) == pytest.approx(0.836)
    assert bd[0]["official_rank"] == "4"


def test_rank_par_index_2020_has_binh_duong(capsys, built_db):
    code, out, _ = run(capsys, "--db", str(built_db), "rank", "par_index", "2020", "--format", "csv")
    assert code == 0
    bd = [r for r in rows(out) if r["code"] == "74"][0]
    assert float(bd["value"]) == pytest.approx(86.93)
    assert bd["official_rank"] == "4"
    # a partial table: rank/of count only the units that have a value
    table = rows(out)
    with_value = [r for r in table if r["value"]]
    assert all(r["of"] == str(len(with_value)) for r in with_value)


def test_rank_ties_are_standard_competition(capsys, built_db):
    code, out, _ = run(capsys, "--db", str(built_db), "rank", "dti", "2022", "--format", "json")
    assert code == 0
    table = json.loads(out)
    thanh_hoa = next(r for r in table if r["code"] == "38")
    yen_bai = next(r for r in table if r["code"] == "15")
    assert thanh_hoa["official_rank"] == yen_bai["official_rank"] == 15


def test_rank_within_a_province(capsys, built_db):
    code, out, _ = run(capsys, "--db", str(built_db), "rank", "bd_par_district", "2017", "--within", "Bình Dương",
                       "--format", "csv")
    assert code == 0
    table = rows(out)
    assert len(table) == 9
    assert table[0]["name"] == "Thành phố Thủ Dầu Một" and table[0]["rank"] == "1"
    assert all(r["of"] == "9" for r in table)


def test_trend_binh_duong_par_index(capsys, built_db):
    code, out, _ = run(capsys, "--db", str(built_db), "trend", "par_index", "Binh Duong", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "year,value,rank,of,rank_source,value_change,rank_change,comparable"
    by_year = {r["year"]: r for r in rows(out)}
    assert by_year["2020"]["rank"] == "4" and by_year["2020"]["of"] == "63"
    assert by_year["2020"]["rank_source"] == "published"
    assert by_year["2020"]["rank_change"] == "13"
    assert by_year["2020"]["comparable"] == "True"


def test_unknown_indicator_exits_2_without_traceback(capsys, built_db):
    code, _, err = run(capsys, "--db", str(built_db), "rank", "no_such_index", "2020")
    assert code == 2
    assert "unknown indicator" in err and "Traceback" not in err


def test_unknown_locality_exits_2_with_candidates(capsys, built_db):
    code, _, err = run(capsys, "--db", str(built_db), "trend", "pci", "Binh Duongg")
    assert code == 2
    assert "Bình Dương" in err


def test_missing_database_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "--db", str(tmp_path / "none.duckdb"), "rank", "pci", "2018")
    assert code == 2
    assert "chiso build" in err


def test_export_is_deterministic(capsys, built_db):
    _, first, _ = run(capsys, "--db", str(built_db), "export")
    _, second, _ = run(capsys, "--db", str(built_db), "export")
    assert first == second
    assert len(first.splitlines()) > 10000
