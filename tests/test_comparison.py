"""The edition a figure is compared against (analytics.comparison.change_since), read by both the headline
cards and the findings."""

from __future__ import annotations

from analytics.comparison import change_since
from analytics.findings import findings
from analytics.registry import Registry
from analytics.trends import trend


def test_par_index_2019_compares_with_binh_duongs_own_2016_figure(con, catalog):
    since = change_since(trend(con, catalog, "par_index", "old-p-74"), 2019)
    # 2017 and 2018 have no figure for Bình Dương: the change is against 2016 (rank 5 → 17)
    assert (since.prev_year, since.comparable, since.rank_change) == (2016, True, -12)
    assert since.of == 63 and since.prev_of == 63 and not since.n_changed
    assert change_since(trend(con, catalog, "par_index", "old-p-74"), 2031) is None


def test_findings_say_the_same_edition(con, catalog):
    reg = Registry.from_package()
    since = change_since(trend(con, catalog, "sipas", "old-p-74"), 2024)
    assert since.prev_year == 2022 and since.rank_change == -3
    first = findings(con, catalog, reg, "old-p-74", "sipas", 2024, "vi")[0]
    assert "giảm 3 bậc so với năm 2022" in first, first
