"""Coverage of an indicator (analytics.coverage): per year, which units of the indicator's level and
vintage have a value, a published rank only, or nothing, and the "n/N" counts — checked against the
committed observation files, which the database is built from."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import coverage as cv
from analytics.paths import DATA_DIR


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    frames = [pd.read_csv(p, dtype={"unit_id": str, "indicator_id": str}, keep_default_na=False)
              for p in sorted((DATA_DIR / "observations").glob("*.csv"))]
    return pd.concat(frames, ignore_index=True)


def _units_with(obs: pd.DataFrame, indicator_id: str, year: int, column: str) -> set[str]:
    rows = obs[(obs["indicator_id"] == indicator_id) & (obs["year"].astype(int) == year)
               & (obs[column].astype(str).str.strip() != "")]
    return set(rows["unit_id"])


def test_pci_2018_is_complete(con, catalog):
    counts = cv.year_counts(cv.indicator_cells(con, catalog, "pci")).set_index("year")
    row = counts.loc[2018]
    assert (row["n"], row["n_values"], row["n_of"], row["label"]) == (63, 63, 63, "63/63")
    assert row["of_basis"] == "edition"
    assert cv.year_labels(counts.reset_index())[2018] == "2018 · 63/63"


def test_par_index_2020_counts_the_provinces_with_a_figure(con, catalog, observations):
    cells = cv.indicator_cells(con, catalog, "par_index")
    counts = cv.year_counts(cells).set_index("year")
    with_value = _units_with(observations, "par_index", 2020, "value")
    with_rank = _units_with(observations, "par_index", 2020, "official_rank")
    assert with_value, "the data has PAR INDEX 2020 values"
    assert counts.loc[2020, "n_values"] == len(with_value)
    assert counts.loc[2020, "n"] == len(with_value | with_rank)
    assert counts.loc[2020, "n_of"] == 63
    year = cells[cells["year"] == 2020].set_index("unit_id")["status"]
    assert set(year[year == "value"].index) == with_value
    assert set(year[year == "rank_only"].index) == with_rank - with_value
    # every other province is a gap, never a zero
    missing = cv.missing_units(cells, 2020)
    assert len(missing) == 63 - len(with_value | with_rank)
    assert missing["value"].isna().all() and missing["official_rank"].isna().all()
    assert set(missing["unit_id"]).isdisjoint(with_value | with_rank)


def test_an_edition_without_any_figure_is_listed_as_empty(con, catalog, observations):
    # PAPI 2018 is an edition of the catalog; the data files hold only its dimension scores, no total
    assert not _units_with(observations, "papi", 2018, "value")
    assert not _units_with(observations, "papi", 2018, "official_rank")
    counts = cv.year_counts(cv.indicator_cells(con, catalog, "papi")).set_index("year")
    assert counts.loc[2018, "label"] == "0/63"
    assert 2018 in cv.indicator_years(con, catalog, "papi")


def test_a_within_province_index_is_counted_within_its_province(con, catalog, observations):
    assert cv.provinces_of(con, catalog, "bd_par_district") == ["old-p-74"]
    cells = cv.indicator_cells(con, catalog, "bd_par_district")
    bd_districts = con.execute("SELECT count(*) FROM units WHERE level = 'district' AND vintage = 'legacy' "
                               "AND province_id = 'old-p-74'").fetchone()[0]
    assert bd_districts == 9
    assert set(cells["province_id"]) == {"old-p-74"}
    counts = cv.year_counts(cells).set_index("year")
    for year in (2017, 2023):
        assert counts.loc[year, "n_units"] == bd_districts
        expected = _units_with(observations, "bd_par_district", year, "value") | \
            _units_with(observations, "bd_par_district", year, "official_rank")
        assert counts.loc[year, "n"] == len(expected)
        assert counts.loc[year, "label"] == f"{len(expected)}/9"
    assert counts.loc[2017, "label"] == "9/9"
    assert set(cv.missing_units(cells, 2023)["code"]) <= set(cells["code"])


def test_units_counted_without_an_edition_n(con, catalog):
    # the 766 ward index states no N: N is the number of Bình Dương's wards and communes
    cells = cv.indicator_cells(con, catalog, "bd_766_ward")
    counts = cv.year_counts(cells).set_index("year")
    n_wards = con.execute("SELECT count(*) FROM units WHERE level = 'commune' AND vintage = 'legacy' "
                          "AND province_id = 'old-p-74'").fetchone()[0]
    assert counts.loc[2023, "of_basis"] == "units"
    assert counts.loc[2023, "n_of"] == n_wards == counts.loc[2023, "n_units"]


def test_a_2025_indicator_counts_the_34_new_provinces(con, catalog):
    cells = cv.indicator_cells(con, catalog, "dti_34")
    counts = cv.year_counts(cells).set_index("year")
    assert counts.loc[2024, "n_units"] == 34 and counts.loc[2024, "n_of"] == 34
    assert cells["unit_id"].str.startswith("new-p-").all()


def test_status_matrix_has_one_row_per_unit_and_one_column_per_year(con, catalog):
    cells = cv.indicator_cells(con, catalog, "bd_par_district")
    m = cv.status_matrix(cells)
    assert len(m) == 9
    assert [c for c in m.columns if isinstance(c, int)] == cv.indicator_years(con, catalog, "bd_par_district")
    assert set(m[2017]) == {"value"}
    assert set(m[2023]) <= set(cv.STATUSES)


def test_an_unknown_indicator_is_an_error(con, catalog):
    with pytest.raises(KeyError):
        cv.indicator_cells(con, catalog, "no_such_index")


def test_labels_group_thousands_the_way_of_each_language():
    assert cv.coverage_label(2023, 30, 63) == "2023 · 30/63"
    assert cv.coverage_label(2023, 2, 3321, "vi") == "2023 · 2/3.321"
    assert cv.coverage_label(2023, 1200, 3321, "en") == "2023 · 1,200/3,321"
