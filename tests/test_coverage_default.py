"""Where a page opens (analytics.coverage.default_year): the latest year whose coverage reaches the declared
threshold, else the best covered, preferring a year in which the page's locality has a figure."""

from __future__ import annotations

import pandas as pd

from analytics import coverage as cv


def counts(rows):
    return pd.DataFrame(rows, columns=["year", "n", "n_of"])


def test_latest_adequate_year_wins_over_a_later_sparse_one():
    c = counts([(2019, 63, 63), (2020, 58, 63), (2021, 30, 63), (2022, 3, 63)])
    assert cv.default_year(c) == 2020          # 58/63 ≥ 90 %; 2021 and 2022 are partial


def test_without_an_adequate_year_the_best_covered_latest_of_equals():
    c = counts([(2021, 18, 63), (2022, 18, 63), (2023, 31, 63), (2024, 15, 63)])
    assert cv.default_year(c) == 2023
    assert cv.default_year(counts([(2020, 5, 63), (2021, 5, 63)])) == 2021
    assert cv.default_year(counts([(2020, 0, 63)])) is None


def test_a_year_with_the_units_figure_is_preferred_and_years_limit_the_choice():
    c = counts([(2023, 31, 63), (2024, 15, 63)])
    cells = pd.DataFrame({"unit_id": ["a", "a"], "year": [2023, 2024], "status": ["none", "value"]})
    assert cv.default_year(c, cells, "a") == 2024
    assert cv.default_year(c, cells, "b") == 2023   # no figure of its own anywhere: the plain rule
    assert cv.default_year(c, years=[2024]) == 2024


def test_real_par_index_opens_on_its_best_covered_year(con, catalog):
    cells = cv.indicator_cells(con, catalog, "par_index")
    c = cv.year_counts(cells)
    y = cv.default_year(c)
    assert int(c.loc[c["year"] == y, "n"].iloc[0]) == int(c["n"].max())
    assert cv.year_labels(c)[y] == f"{y} · {int(c['n'].max())}/63"
