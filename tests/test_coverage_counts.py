"""Coverage per indicator-year: every reference row is carried, and the carried data hold the counts
the reference states (SOURCES.md §9). The pinned counts keep the test meaningful without ../shared."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from analytics.catalog import load_catalog
from analytics.paths import DATA_DIR, ROOT
from analytics.registry import build_registry

REF_DIR = ROOT.parent / "shared" / "reference-data"
REF_FILES = sorted(p for p in REF_DIR.glob("*.csv") if "alias" not in p.name) if REF_DIR.exists() else []
needs_ref = pytest.mark.skipif(not REF_FILES, reason="reference data (../shared/reference-data) not present")
OBS = DATA_DIR / "observations"

# Distinct units with a rank per overall indicator-year, on rows that are not `alternative`
# (a rank only the doubted side of a conflict gives is kept in the data but not shown).
PINNED_RANKED = {
    ("par_index", 2021): 18, ("par_index", 2022): 18, ("par_index", 2023): 30, ("par_index", 2024): 15,
    ("mic_it_app", 2017): 53, ("sipas", 2023): 16, ("dti", 2020): 23, ("dti", 2021): 19,
    ("pci", 2020): 63, ("pci", 2019): 63, ("ict_index", 2016): 13,
}
# ... and counting every carried row with a rank (the reference's own way of counting).
PINNED_RANKED_ANY_ROW = {("par_index", 2023): 31}
PINNED_ROWS = {"par_index_sweep.csv": 218, "sipas_sweep.csv": 73, "dti_sweep.csv": 201,
               "mic_it_application_sweep.csv": 66, "ict_index_sweep.csv": 126, "pci_sweep.csv": 233,
               "binh_duong_local_sweep.csv": 3, "pci_2019.csv": 697}


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def carried() -> dict[str, list[dict]]:
    return {p.name: _read(p) for p in sorted(OBS.glob("*.csv"))}


def _ranked(rows, any_row: bool = False) -> dict[tuple, set]:
    out: dict[tuple, set] = defaultdict(set)
    for r in rows:
        if r["official_rank"] and "." not in r["indicator_id"] and (any_row or r["status"] != "alternative"):
            out[(r["indicator_id"], int(r["year"]))].add(r["unit_id"])
    return out


def test_pinned_rank_counts(carried):
    rows = [r for rs in carried.values() for r in rs]
    ranked, ranked_any = _ranked(rows), _ranked(rows, any_row=True)
    for key, n in PINNED_RANKED.items():
        assert len(ranked[key]) == n, key
    for key, n in PINNED_RANKED_ANY_ROW.items():
        assert len(ranked_any[key]) == n, key


def test_pinned_row_counts_and_sources(carried):
    for name, n in PINNED_ROWS.items():
        assert len(carried[name]) == n, name
    for name, rows in carried.items():
        assert all(r["source_url"].strip() for r in rows), name


def test_non_web_sources_stay_sources(carried):
    github = [r for rs in carried.values() for r in rs if r["source_url"].startswith("github:")]
    assert github and all("@" in r["source_url"] for r in github)


@needs_ref
def test_every_reference_row_is_carried(carried):
    for path in REF_FILES:
        ref = _read(path)
        got = carried.get(path.name)
        assert got is not None, path.name
        assert len(got) == len(ref), path.name
        for a, b in zip(ref, got, strict=True):
            assert (a["year"], a["value"], a["rank"], a["source_url"], a["note"]) == (
                b["year"], b["value"], b["official_rank"], b["source_url"], b["note"]), path.name


@needs_ref
def test_rank_and_value_coverage_per_indicator_year_match_the_reference(carried):
    """Distinct units with a value / a rank, per overall indicator-year, resolved from the reference
    names with the registry, equal those of the carried data."""
    cat, reg = load_catalog(), build_registry(DATA_DIR)
    expect_value: dict[tuple, set] = defaultdict(set)
    expect_rank: dict[tuple, set] = defaultdict(set)
    for path in REF_FILES:
        for r in _read(path):
            ind = cat.by_reference_code(r["index_code"], r["component"])
            if ind.parent is not None:
                continue
            within = "old-p-74" if r["index_code"].startswith("BD_") else None
            unit = reg.resolve(r["province_name"], year=int(r["year"]), level=ind.levels[0],
                               vintage=ind.vintage, within=within)
            key = (ind.id, int(r["year"]))
            if r["value"]:
                expect_value[key].add(unit.unit_id)
            if r["rank"]:
                expect_rank[key].add(unit.unit_id)
    rows = [r for rs in carried.values() for r in rs if "." not in r["indicator_id"]]
    got_value: dict[tuple, set] = defaultdict(set)
    for r in rows:
        if r["value"]:
            got_value[(r["indicator_id"], int(r["year"]))].add(r["unit_id"])
    got_rank = _ranked(rows, any_row=True)
    assert {k: len(v) for k, v in expect_value.items()} == {k: len(v) for k, v in got_value.items()}
    assert {k: len(v) for k, v in expect_rank.items()} == {k: len(v) for k, v in got_rank.items()}
    for key, n in PINNED_RANKED_ANY_ROW.items():
        assert len(expect_rank[key]) == n
