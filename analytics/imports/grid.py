"""What the readers of untrusted files produce: a :class:`Grid` of raw cells, the :class:`Limits` they
enforce and the :class:`FileRefused` error naming why a whole file cannot be read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from analytics.fmt import fmt_number
from analytics.i18n import t, t_or

CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx"}

def localized(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """Message parameters in `lang`: a value that names a term ("term_pdf") becomes the string
    ``import.term_pdf`` of that language (what a file is, how to fix it); an :class:`Amount` is written the way the
    language writes numbers (1.234 / 1,234; 10,5 / 10.5); other values are unchanged."""
    return {k: _localized(v, lang) for k, v in params.items()}


def _localized(v: Any, lang: str) -> Any:
    if isinstance(v, str) and v.startswith("term_"):
        return t(f"import.{v}", lang)
    if isinstance(v, Amount):
        return fmt_number(v.value, lang, v.decimals)
    return v


@dataclass(frozen=True)
class Amount:
    """A size or count in a message (megabytes, rows, cells), written the way the message's language
    writes numbers; years, row numbers and codes stay plain values."""

    value: float
    decimals: int = 0


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why and what to do instead. ``key`` and
    ``params`` name the message ``import.<key>`` in analytics.i18n: raise it with :meth:`of`."""

    def __init__(self, message: str, fix: str = "", *, key: str | None = None, params: dict[str, Any] | None = None):
        self.message = message
        self.fix = fix
        self.key = key
        self.params = params or {}
        super().__init__(message + (f" Fix: {fix}" if fix else ""))

    @classmethod
    def of(cls, key: str, **params: Any) -> FileRefused:
        en = localized(params, "en")
        return cls(t(f"import.{key}", "en", **en), t_or(f"import.{key}.fix", "en", "", **en), key=key, params=params)


@dataclass(frozen=True)
class Limits:
    """Caps on what one import may contain (a refusal names the cap that was hit)."""

    max_bytes: int = 10 * 1024 * 1024          # file size on disk / upload
    max_rows: int = 20_000                      # rows in the table (CSV lines or sheet rows)
    max_cols: int = 100                         # columns in any row
    max_cell_chars: int = 5_000                 # one cell (longer cells are refused while parsing)
    max_uncompressed: int = 60 * 1024 * 1024    # XLSX: sum of declared uncompressed member sizes
    max_sheet_xml: int = 30 * 1024 * 1024       # XLSX: one worksheet's XML
    max_cells: int = 250_000                    # XLSX: cells read from the sheet
    max_ratio: float = 150.0                    # XLSX: uncompressed/compressed for members over 1 MB
    max_zip_members: int = 1_000
    max_member: int = 16 * 1024 * 1024         # XLSX: any other part (shared strings, styles…) uncompressed
    max_seconds: float = 20.0                   # reading one file, wall clock


DEFAULT_LIMITS = Limits()


@dataclass
class Grid:
    """A table of raw cells as read from the file (CSV text or XLSX typed values)."""

    rows: list[list[Any]]
    row_numbers: list[int]                       # 1-based row number in the file for rows[i]
    kind: str                                    # 'csv' | 'xlsx'
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)   # (row index, col) -> formula
    percent_cells: set[tuple[int, int]] = field(default_factory=set)    # XLSX cells formatted as %
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)   # (message key, params): warnings
    hidden_sheets: list[str] = field(default_factory=list)                # XLSX sheets hidden in Excel
    stale_formulas: bool = False     # XLSX: the workbook asks for a recalculation, saved values may be old

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def col_letter(idx: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    s = ""
    idx += 1
    while idx:
        idx, r = divmod(idx - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


def is_date(v: Any) -> bool:
    return isinstance(v, (dt.date, dt.datetime, dt.time))
