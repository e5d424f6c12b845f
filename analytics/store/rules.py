"""The ranking rule, defined once, as DuckDB macros stored in the database.

Both the materialised national ranks (`ranked_facts`, analytics.store.derive) and the ranks computed on the
fly within a region or a province (analytics.ranking) call these macros, so the two cannot disagree:

- `competition_rank(value, sort_key, part)`: the standard competition rank (1, 2, 2, 4) within `part` among
  the rows with a value; `sort_key` ascending is best first (the derivation negates values where higher is
  better); rows without a value get none.
- `ranked_count(value, part)`: N of "x/N", the rows of `part` with a value.
- `rank_percentile(rank, n, trusted)`: 100 = best, 0 = last, 100 for a table of one, rounded half-even to one
  decimal; NULL unless the rank is trusted (published, or computed over the complete table).
- `rank_quartile(rank, n, trusted)`: 1 = top quarter (the only unit of a table is the top); NULL as above.
"""

from __future__ import annotations

MACROS = """
CREATE OR REPLACE MACRO competition_rank(value, sort_key, part) AS
    CASE WHEN value IS NOT NULL THEN rank() OVER (PARTITION BY part ORDER BY sort_key NULLS LAST) END;
CREATE OR REPLACE MACRO ranked_count(value, part) AS count(value) OVER (PARTITION BY part);
CREATE OR REPLACE MACRO rank_percentile(rank, n, trusted) AS
    CASE WHEN trusted AND rank IS NOT NULL AND n IS NOT NULL
         THEN CASE WHEN n > 1 THEN round_even(100.0::DOUBLE * (n - rank) / (n - 1) * 10.0, 0) / 10.0
                   ELSE 100.0::DOUBLE END END;
CREATE OR REPLACE MACRO rank_quartile(rank, n, trusted) AS
    CASE WHEN trusted AND rank IS NOT NULL AND n IS NOT NULL
         THEN CAST(CASE WHEN n > 1 THEN least(greatest(ceil(4.0::DOUBLE * rank / n), 1), 4) ELSE 1 END
                   AS TINYINT) END;
"""
