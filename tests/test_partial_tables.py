"""What a partial table supports: a rank computed over some of the units is never passed off as official."""

import csv
import io

import pandas as pd

from analytics.cli import main
from analytics.findings import findings
from analytics.registry import Registry
from figures.brief_content import rank_card
from tests.test_app_pages import metrics
from tests.test_app_pages import run as open_page


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rank_on_partial_table_keeps_columns_and_says_so_on_stderr(capsys, built_db):
    code, out, err = run(capsys, "--db", str(built_db), "rank", "par_index", "2024", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "code,name,value,rank,of,official_rank"
    table = list(csv.DictReader(io.StringIO(out)))
    n = sum(1 for r in table if r["value"] not in ("", "—"))
    assert 0 < n < 63
    assert f"partial table: {n} of 63 units have a value; ranks among them are not official" in err


def test_rank_on_complete_table_has_no_partial_note(capsys, built_db):
    code, _, err = run(capsys, "--db", str(built_db), "rank", "pci", "2018", "--format", "csv")
    assert code == 0
    assert "partial table" not in err


# ----------------------------------------------------------------------------------- headline (AppTest)
def test_headline_sipas_2019_binh_duong_not_published(app_env):
    at = open_page(indicator="SIPAS", year="2019")
    rank, secondary = metrics(at)["Thứ hạng"]
    assert rank == "Không công bố"
    assert secondary == "thứ 4 trong 6 địa phương có điểm công bố"
    assert "/63" not in rank


def test_par_2024_overview_has_no_computed_comparator_but_the_published_average():
    at = open_page(indicator="PAR INDEX", year="2024")
    body = "\n".join(df.value.to_string() for df in at.dataframe)
    assert "Cuối bảng" not in body and "Trung bình cả nước" not in body.replace("công bố", "")
    assert "88,37%" in body


def test_findings_component_rank_on_partial_table_is_among_those_with_data(con, catalog):
    sentences = findings(con, catalog, Registry.from_package(), "old-p-74", "par_index", 2020, lang="vi")
    strongest = [s for s in sentences if s.startswith("Mạnh nhất")]
    assert strongest == ["Mạnh nhất: Điều tra lãnh đạo (thứ 2 trong 10 địa phương có điểm công bố); "
                         "yếu nhất: Điểm thẩm định (thứ 9 trong 10 địa phương có điểm công bố)."]


def test_brief_rank_card_says_when_n_was_not_published():
    # PAPI 2022: Bình Dương "đứng thứ 2 cả nước", the edition's N not stated
    card = rank_card(pd.Series({"rank": 2, "of": None, "rank_source": "published", "rank_basis": "stated"}), "vi")
    assert card.value == "2 (không công bố tổng số)"
    card = rank_card(pd.Series({"rank": 4, "of": 63, "rank_source": "published", "rank_basis": "stated"}), "en")
    assert card.value == "4/63"
