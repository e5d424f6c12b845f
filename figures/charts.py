"""Pure plotly figure builders (no Streamlit). Input: the DataFrame shapes of docs/ARCHITECTURE.md.

Every builder takes ``lang``, ``title``, ``subtitle``, ``source`` and returns a ``go.Figure`` that
carries its own frame (title, subtitle, source, "Chỉ số · <date>"; see :mod:`figures.style`) and an
accessible description in ``fig.layout.meta["alt"]``.

Honesty rules enforced here:
- a missing value is never drawn as 0: ranking/component bars show a labelled "no data" marker,
  trend lines leave a gap (``connectgaps=False``; missing years are re-inserted as gaps);
- a non-comparable point (``comparable == False``) starts a new line segment, and each series break
  is a dashed vertical line with its label;
- nothing relies on colour alone: bands are fill patterns with a legend, highlighted localities are
  also bold, series have distinct marker symbols and direct labels.

Comparators (national / region / parent averages, leader) are passed as a list of dicts::

    {"kind": "national", "value": 80.1}                       # a reference line
    {"kind": "region", "label": "Đông Nam Bộ", "values": {2019: 78.0, 2020: 81.2}}  # per year (trends)
"""

from __future__ import annotations

from .bars import component_bars, ranking_bar
from .chart_parts import add_comparators, normalise_comparators
from .strips import _swarm_offsets, beeswarm, benchmark_strip  # noqa: F401 - _swarm_offsets: tested here
from .trends import small_multiples, trend_lines

__all__ = [
    "ranking_bar",
    "trend_lines",
    "small_multiples",
    "component_bars",
    "benchmark_strip",
    "beeswarm",
    "add_comparators",
    "normalise_comparators",
]
