"""Year pickers that say each year's coverage ("2023 · 30/63", ``analytics.coverage``) and open where the
data is; the URL keeps the plain year (ui/state.py ``year_picker``)."""

from __future__ import annotations

from collections.abc import Sequence

from analytics import coverage
from analytics.i18n import t
from ui import cache, state


def coverage_year_picker(key: str, lg: str, indicator_id: str, years: Sequence[int], *,
                         province_id: str | None = None, unit_id: str | None = None,
                         container=None) -> int | None:
    """The year picker of a page about one indicator: opens on the latest year whose coverage is adequate
    (else the best covered; with ``unit_id``, one in which that unit has a figure), every year labelled
    with its coverage."""
    counts = cache.coverage_counts(indicator_id, province_id)
    if counts.empty:
        return state.year_picker(key, lg, years, container=container)
    # the units × years cells (a copy per call: large at commune level) only when a unit's own years matter
    cells = cache.coverage_cells(indicator_id, province_id) if unit_id is not None else None
    default = coverage.default_year(counts, cells, unit_id, years=list(years))
    return state.year_picker(key, lg, years, default=default, container=container,
                             labels=coverage.year_labels(counts, lg))


def component_year_labels(indicator_id: str, lg: str) -> dict[int, str]:
    """year → "2020 · 10/63": the units with a figure on the index's best covered component that year."""
    best: dict[int, tuple[int, int]] = {}
    for comp in cache.catalog().children(indicator_id):
        counts = cache.coverage_counts(comp.id)
        for y, n, of in zip(counts["year"], counts["n"], counts["n_of"], strict=True):
            if int(n) > best.get(int(y), (-1, 0))[0]:
                best[int(y)] = (int(n), int(of))
    return {y: coverage.coverage_label(y, n, of, lg) for y, (n, of) in best.items()}


def no_values_notice(indicator_id: str, year: int, lg: str, province_id: str | None = None) -> str:
    """What a chart of a ranks-only year would lack, and the years that have scores."""
    counts = cache.coverage_counts(indicator_id, province_id)
    years = [str(int(y)) for y, n in zip(counts["year"], counts["n_values"], strict=True) if n > 0]
    return t("notice.no_values", lg, indicator=state.indicator_label(indicator_id, lg), year=year,
             years=", ".join(years) or "—")
