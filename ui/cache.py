"""What pages call for data and figures: ``ui.cache.X``, cached by the database version.

This module only re-exports; the caching itself lives in three modules:
- ``ui/db_cache.py``: the ONLY module that applies Streamlit's caches — the one decorator ``by_db_version``,
  the read-only connection, the catalog, the registry, the figure cache, ``clear``;
- ``ui/cache_reads.py``: cached reads (rankings, trends, facts, observations, coverage);
- ``ui/cache_analyses.py``: cached analyses (benchmarks, components, findings, crosswalk, why it moved, …)
  and the one-page brief;
with the database version, the process memo and the disk pickles in ``ui/versioned.py`` (no Streamlit).
"""

from __future__ import annotations

from ui.cache_analyses import (
    benchmark_series,
    benchmarks,
    brief,
    component_years,
    components,
    components_many,
    crosswalk,
    derived_series,
    findings,
    former_units,
    glance,
    peer_group,
    similar,
    what_it_takes,
    why_moved,
)
from ui.cache_reads import (
    all_observations,
    coverage_cells,
    coverage_counts,
    coverage_table,
    imports,
    indicators_with_data,
    latest,
    observation_counts,
    observations,
    rank_check_tables,
    ranking,
    regions,
    trend,
    trends,
    unit_facts,
    units_with_data,
    years_with_data,
)
from ui.db_cache import (
    _connection,
    by_db_version,
    catalog,
    clear,
    cursor,
    figure,
    registry,
    source_mirrors,
    succession,
)
from ui.versioned import db_available, db_path, db_version, per_version, per_version_on_disk

__all__ = [
    "_connection", "all_observations", "benchmark_series", "benchmarks", "brief", "by_db_version", "catalog",
    "clear", "component_years", "components", "components_many", "coverage_cells", "coverage_counts", "coverage_table",
    "crosswalk", "cursor", "db_available", "db_path", "db_version", "derived_series", "figure", "findings",
    "former_units", "glance", "imports", "indicators_with_data", "latest", "observation_counts",
    "observations", "peer_group", "per_version", "per_version_on_disk", "rank_check_tables", "ranking",
    "regions", "registry", "similar", "source_mirrors", "succession", "trend", "trends", "unit_facts",
    "units_with_data", "what_it_takes", "why_moved", "years_with_data",
]
