"""Rules of the carry step (analytics.carry_rules): rank basis from wordings, conflicts by precision."""

from __future__ import annotations

import csv

import pytest

from analytics.carry_rules import RuleError, load_wordings, mark_status, rank_basis, values_agree
from analytics.paths import DATA_DIR

OBS = DATA_DIR / "observations"


@pytest.fixture(scope="module")
def wordings():
    return load_wordings(DATA_DIR / "rank_basis_wordings.csv")


def _obs(name: str) -> list[dict]:
    with open(OBS / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ------------------------------------------------------------------------------------------ rank basis
@pytest.mark.parametrize(("note", "rank", "expected"), [
    ('"Tây Ninh, Bình Dương"; rank from listing order', "5", "listing_order"),
    ('"…"; ranks from listing order (agrees with SGGP)', "3", "listing_order"),
    ('rank from order "Da Nang came after Quang Ninh, Hanoi, and Dong Thap"', "1", "listing_order"),
    ('listing order "Xếp sau Đà Nẵng ... là TP HCM và Hà Nội"', "2", "listing_order"),
    ('Dân Trí: listing order after Hà Nội; 34-unit computation', "3", "listing_order"),
    ('"followed by the Mekong Delta\'s Đồng Tháp Province (46.961)"', "2", "listing_order"),
    ('"Quang Ninh also ranked first in the PAR Index, followed by ... Hai Phong"', "1", "published"),
    ("最も高いのはクアンニン省(90.61%)で、次いでタイグエン省(90.29%)", "2", "listing_order"),
    ("最も高いのはクアンニン省(90.61%)で、次いでタイグエン省(90.29%)", "1", "published"),
    ('"It ranks second in IT human resources, behind ... Vinh Phuc"', "1", "listing_order"),
    ('Ranks 1-3 stated explicitly; 4-12 from listing order "Các tỉnh ... gồm: Lạng Sơn"', "3", "published"),
    ('Ranks 1-3 stated explicitly; 4-12 from listing order "Các tỉnh ... gồm: Lạng Sơn"', "4", "listing_order"),
    ("ranks 1-3 explicit; 4-8 from listing order of the top-10 list", "2", "published"),
    ("ranks 1-3 explicit; 4-8 from listing order of the top-10 list", "8", "listing_order"),
    ('"Thứ hạng về chính quyền số, kinh tế số, xã hội số ... lần lượt là 22, 9, 13"', "9", "published"),
    ('"leads" taken as rank 1 (ties possible)', "1", "published"),
    ('"Hải Phòng xếp thứ 2/63"', "2", "published"),
    ('"followed by Hai Phong"', "", ""),
])
def test_each_wording_decides_the_rank_basis(wordings, note, rank, expected):
    assert rank_basis(note, rank, wordings) == expected


def test_every_wording_in_the_file_is_exercised(wordings):
    texts = {w.text for w in wordings}
    assert {"rank from listing order", "rank from order", "followed by", "次いで", "listing order"} <= texts
    for w in wordings:
        note = f"x {w.text} y"
        assert rank_basis(note, str(max(w.from_rank, 2)), wordings) in ("published", "listing_order")
        if w.rank_basis == "listing_order" and w.from_rank > 1:
            assert rank_basis(note, str(w.from_rank - 1), wordings) == "published", w.text


def test_a_bad_wordings_file_names_row_and_column(tmp_path):
    bad = tmp_path / "w.csv"
    bad.write_text("wording,from_rank,rank_basis\nfollowed by,2,guessed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"w\.csv:2: column 'rank_basis'"):
        load_wordings(bad)
    bad.write_text("wording,from_rank,rank_basis\nfollowed by,second,listing_order\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"w\.csv:2: column 'from_rank'"):
        load_wordings(bad)


def test_carried_rows_use_the_wordings():
    sipas = [r for r in _obs("sipas_extra.csv") if r["year"] == "2023" and "次いで" in r["note"]]
    assert {(r["official_rank"], r["rank_basis"]) for r in sipas} >= {("2", "listing_order"), ("3", "listing_order")}
    papi = [r for r in _obs("papi_extra.csv") if r["year"] == "2020" and r["unit_id"] == "old-p-87"]
    assert [r["rank_basis"] for r in papi] == ["listing_order"]
    # Ben Tre PAR 2019 "occupied the lowest position": an explicit override, not the quoted 'followed by'
    ben_tre = [r for r in _obs("par_index.csv") if r["year"] == "2019" and r["official_rank"] == "63"]
    assert [r["rank_basis"] for r in ben_tre] == ["published"]


# ------------------------------------------------------------------------------------------ conflicts
@pytest.mark.parametrize(("a", "b", "agree"), [
    ("45.78", "45.7875", True), ("72.8", "72.814339", True), ("5938", "5938.64", True),
    ("89.6", "89.06", False), ("91.87", "91.81", False), ("86.89", "86.76", False), ("3", "3", True),
])
def test_values_agree_to_the_precision_of_the_less_precise(a, b, agree):
    assert values_agree(a, b) is agree
    assert values_agree(b, a) is agree


def _row(value, rank="", note="", url="https://example.org/a", basis=""):
    return {"indicator_id": "x", "unit_id": "u", "year": "2020", "value": value, "official_rank": rank,
            "rank_basis": basis or ("published" if rank else ""), "source_url": url, "note": note, "status": ""}


def _prio(_row):
    return 2


def test_agreeing_figures_are_not_a_conflict_and_the_more_precise_is_primary():
    rows = [_row("45.78", "2", url="https://a.example"), _row("45.7875", url="https://b.example")]
    mark_status(rows, _prio)
    assert [r["status"] for r in rows] == ["corroborating", "primary"]


def test_a_doubted_row_loses_whatever_the_file_order():
    for order in (1, -1):
        rows = [_row("89.6", "1", note="CONFLICT: 89.06 per two other sources; 89.6 probably drops a 0",
                     url="https://a.example"), _row("89.06", "1", url="https://b.example")][::order]
        mark_status(rows, _prio)
        assert {r["value"]: r["status"] for r in rows} == {"89.06": "primary", "89.6": "alternative"}


def test_file_order_never_decides_between_undoubted_disagreeing_rows():
    a, b = _row("10.5", url="https://a.example"), _row("10.7", url="https://b.example")
    first, second = [dict(a), dict(b)], [dict(b), dict(a)]
    mark_status(first, _prio)
    mark_status(second, _prio)
    assert {r["value"]: r["status"] for r in first} == {r["value"]: r["status"] for r in second}


def test_carried_examples():
    qn = {r["value"]: r["status"] for r in _obs("par_index.csv") + _obs("par_index_extra.csv")
          if r["indicator_id"] == "par_index" and r["unit_id"] == "old-p-22" and r["year"] == "2018" and r["value"]}
    assert qn["89.06"] == "primary" and qn["89.6"] == "alternative"
    pci = [r for r in _obs("pci.csv") if r["indicator_id"] == "pci" and r["unit_id"] == "old-p-87"
           and r["year"] == "2020" and r["value"]]
    assert {r["value"] for r in pci} >= {"72.8", "72.814339"}
    assert "alternative" not in {r["status"] for r in pci}
    assert [r["value"] for r in pci if r["status"] == "primary"] == ["72.814339"]
    area = {r["value"]: r["status"] for r in _obs("population_area.csv")
            if r["indicator_id"] == "area_km2_34" and r["unit_id"] == "new-p-82"}
    assert area == {"5938": "corroborating", "5938.64": "primary"}
    papi = {r["value"]: r["status"] for r in _obs("papi.csv") + _obs("papi_extra.csv")
            if r["indicator_id"] == "papi" and r["unit_id"] == "old-p-19" and r["year"] == "2023"}
    assert papi["45.7875"] == "primary" and papi["45.78"] == "corroborating"


def test_exactly_one_primary_per_indicator_unit_year():
    seen: dict[tuple, int] = {}
    for path in OBS.glob("*.csv"):
        for r in _obs(path.name):
            k = (r["indicator_id"], r["unit_id"], r["year"])
            seen[k] = seen.get(k, 0) + (r["status"] == "primary")
    assert seen and set(seen.values()) == {1}
