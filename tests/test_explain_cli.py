"""`chiso why` and `chiso gap`: the CSV contracts scripts rely on, on the real built database."""

import csv
import io

from analytics.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_why_pci_2018_binh_duong_csv(capsys, built_db):
    code, out, err = run(capsys, "--db", str(built_db), "why", "pci", "Binh Duong", "2018", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "component,prev_year,prev_value,value,change"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 11 and rows[-1]["component"] == "overall"
    assert rows[-1] == {"component": "overall", "prev_year": "2017", "prev_value": "64.474556",
                        "value": "66.093819", "change": "1.619263"}
    assert "14 → 6" in err


def test_gap_pci_2018_binh_duong_csv(capsys, built_db):
    code, out, err = run(capsys, "--db", str(built_db), "gap", "pci", "Bình Dương", "2018", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == "target,target_rank,target_value,points_needed"
    rows = {r["target"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["next_rank"]["target_rank"] == "5" and rows["next_rank"]["points_needed"] == "1.558921"
    assert rows["rank_1"]["points_needed"] == "4.265098"
    assert {"next_rank", "top_10", "rank_1"} <= set(rows)


def test_gap_on_partial_table_says_so(capsys, built_db):
    code, out, err = run(capsys, "--db", str(built_db), "gap", "par_index", "Binh Duong", "2020", "--format", "csv")
    assert code == 0
    assert "partial table" in err and "not official" in err
    assert "band_A" in out


def test_why_across_a_series_break_is_refused(capsys, built_db):
    code, out, err = run(capsys, "--db", str(built_db), "why", "dti", "Binh Duong", "2022")
    assert code == 2 and out == ""
    assert "series break" in err
