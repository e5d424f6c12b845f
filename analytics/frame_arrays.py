"""numpy/Arrow columns → pandas arrays and frames without copies or re-inference (the ranking frame's path).

Columns arrive from DuckDB's `fetchnumpy()`: plain arrays, or masked arrays where there are NULLs. Each
becomes the dtype DuckDB's .df() would give: Int64/Float64/boolean for nullable numbers, float64 for values,
the `str` dtype for strings (object None when a string column is entirely missing), bool for flags.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

# Columns arrive from `fetchnumpy()`: plain arrays, or masked arrays where there are NULLs. Each becomes the
# dtype DuckDB's .df() would give: Int64/Float64/boolean for nullable numbers, float64 for values, the `str`
# dtype for strings (object None when a string column is entirely missing), bool for has_conflict.
STR = pd.Series(["x"]).dtype  # pandas' default string dtype: `str` (Arrow-backed) from pandas 3, else object


def masked(cols: dict[str, np.ndarray], name: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(data, mask) of a fetched column; all-missing when it was not read."""
    a = cols.get(name)
    if a is None:
        return np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
    if isinstance(a, np.ma.MaskedArray):
        return a.data, np.ma.getmaskarray(a)
    return a, np.zeros(n, dtype=bool)


def int_array(values: np.ndarray, mask: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), mask)


def float_array(values: np.ndarray, mask: np.ndarray) -> pd.arrays.FloatingArray:
    return pd.arrays.FloatingArray(np.asarray(values, dtype=np.float64), mask)


def bool_array(values: np.ndarray, mask: np.ndarray) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.asarray(values, dtype=bool), mask)


def nones(n: int) -> np.ndarray:
    return np.empty(n, dtype=object)  # object arrays start as None


def strings(arr: pa.Array):
    """Arrow strings → the `str` dtype, or object None when every value is missing."""
    if arr.null_count == len(arr):
        return nones(len(arr))
    if isinstance(STR, pd.StringDtype):
        return STR.__from_arrow__(arr)
    return np.asarray(arr.to_pylist(), dtype=object)


_REPEATS: dict[str, pa.Array] = {}


def repeated(text: str, n: int) -> pa.Array:
    """`text` n times: a zero-copy slice of one long array per text (grown when needed)."""
    arr = _REPEATS.get(text)
    if arr is None or len(arr) < n:
        arr = _REPEATS[text] = pa.repeat(pa.scalar(text, pa.large_string()), max(n, 16384))
    return arr.slice(0, n)


def object_strings(values: np.ndarray, mask: np.ndarray):
    """Fetched (object) strings → the `str` dtype, or object None when every value is missing."""
    if mask.all():
        return nones(len(values))
    return strings(pa.array(values, type=pa.large_string(), mask=mask))


def frame(columns: dict[str, object], n: int) -> pd.DataFrame:
    """A DataFrame over the arrays as they are (they already have their dtypes): no re-inference, no copy
    into consolidated blocks. Falls back to the public constructor where pandas' internals differ."""
    try:
        from pandas.core.internals.construction import arrays_to_mgr

        mgr = arrays_to_mgr(list(columns.values()), pd.Index(list(columns)), pd.RangeIndex(n),
                            verify_integrity=False, consolidate=False)
        return pd.DataFrame._from_mgr(mgr, axes=mgr.axes)
    except (ImportError, AttributeError, TypeError, ValueError):  # pragma: no cover - other pandas versions
        return pd.DataFrame(columns, copy=False)


def append_missing(cols: dict[str, np.ndarray], missing: np.ndarray) -> dict[str, np.ndarray]:
    """Add rows for `missing` unit_ix with every other column missing."""
    n, k = len(cols["unit_ix"]), len(missing)
    out = {"unit_ix": np.concatenate([np.asarray(cols["unit_ix"], dtype=np.int64), missing.astype(np.int64)]),
           "_missing": np.concatenate([np.zeros(n, dtype=bool), np.ones(k, dtype=bool)])}
    for name in cols:
        if name in out:
            continue
        data, mask = masked(cols, name, n)
        pad = np.full(k, None, dtype=object) if data.dtype == object else np.zeros(k, dtype=data.dtype)
        out[name] = np.ma.MaskedArray(np.concatenate([data, pad]), np.concatenate([mask, np.ones(k, bool)]))
    return out
