"""Parsing one cell: numbers written the Vietnamese or English way, years, ranks, and free text.

A bad cell raises :class:`CellError` with a message and the fix; the caller adds the row and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from analytics.imports.grid import is_date
from analytics.imports.vocabulary import MISSING

MAX_TEXT = {"locality": 200, "indicator": 120, "component": 200, "source": 1000, "note": 2000}


# ============================================================================================ cell parsing
def cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return str(v).strip()


def short(v: Any, n: int = 80) -> str:
    s = cell_text(v).replace("\r", " ").replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


_NUM = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_DATEISH = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


class CellError(ValueError):
    def __init__(self, message: str, fix: str = "", code: str = "bad_cell"):
        self.message, self.fix, self.code = message, fix, code
        super().__init__(message)


def parse_number(v: Any, *, percent_cell: bool = False) -> tuple[float | None, bool]:
    """(number, given_as_percent). None = no value. Raises CellError with the fix."""
    if v is None:
        return None, False
    if isinstance(v, bool):
        raise CellError(f"{v} is a TRUE/FALSE cell, not a number.", "type the number", "not_numeric")
    if is_date(v):
        raise CellError(f"{short(v)} is a date, not a number.",
                        "format the cell as Number (Excel turned it into a date)", "date_value")
    if isinstance(v, (int, float)):
        f = float(v)
        if not math.isfinite(f):
            raise CellError(f"{v} is not a finite number.", "type the published figure", "not_finite")
        return (f * 100.0, True) if percent_cell else (f, False)
    s = str(v).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    if s.lower() in MISSING:
        return None, False
    if s.startswith(("=", "@")):
        raise CellError(f"{short(v)!r} is a formula; formulas are never evaluated.",
                        "type the number itself (in Excel: copy, then Paste Special › Values)", "formula_text")
    pct = False
    if s.endswith("%"):
        pct, s = True, s[:-1]
    if _DATEISH.match(s) and not _NUM.match(s):
        raise CellError(f"{short(v)!r} looks like a date, not a number.", "type the number", "date_value")
    if "," in s and "." in s:   # the last separator is the decimal one
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1:
        if not _THOUSANDS_COMMA.match(s):
            raise CellError(f"{short(v)!r} is not a number.", "use one decimal separator, e.g. 84,58 or 84.58",
                            "not_numeric")
        s = s.replace(",", "")
    elif s.count(".") > 1:
        if not _THOUSANDS_DOT.match(s):
            raise CellError(f"{short(v)!r} is not a number.", "use one decimal separator, e.g. 84,58 or 84.58",
                            "not_numeric")
        s = s.replace(".", "")
    if not _NUM.match(s):
        low = s.lower()
        if low in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity", "#div/0!", "#n/a", "#value!", "#ref!",
                   "#num!", "#name?", "#null!"):
            raise CellError(f"{short(v)!r} is not a finite number.", "type the published figure or leave the cell "
                            "empty when none was published", "not_finite")
        raise CellError(f"{short(v)!r} is not a number.",
                        "type a number such as 84,58 or 84.58 (no units or words)", "not_numeric")
    f = float(s)
    if not math.isfinite(f):
        raise CellError(f"{short(v)!r} is not a finite number.", "type the published figure", "not_finite")
    return f, pct


def parse_year(v: Any) -> int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise CellError(f"{v} is not a year.", "type the year, e.g. 2017", "bad_year")
    if is_date(v):
        raise CellError(f"{short(v)} is a date, not a year.",
                        "type the assessment year as a number, e.g. 2017 (format the column as Number)",
                        "date_as_year")
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise CellError(f"{short(v)} is not a year.", "type the year, e.g. 2017", "bad_year")
        return int(v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if re.fullmatch(r"\d{4}", s):
        return int(s)
    if re.fullmatch(r"\d{4}\.0+", s):
        return int(s.split(".")[0])
    if _DATEISH.match(s) or re.search(r"\d{1,2}[/-]\d{4}", s):
        raise CellError(f"{short(v)!r} is a date, not a year.", "type the assessment year only, e.g. 2017",
                        "date_as_year")
    if s.startswith("="):
        raise CellError(f"{short(v)!r} is a formula; formulas are never evaluated.", "type the year, e.g. 2017",
                        "formula_text")
    raise CellError(f"{short(v)!r} is not a year.", "type the four-digit year, e.g. 2017", "bad_year")


def parse_rank(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or is_date(v):
        raise CellError(f"{short(v)!r} is not a rank.", "type the published rank as a whole number", "bad_rank")
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise CellError(f"{short(v)} is not a whole number.", "type the published rank as a whole number",
                            "bad_rank")
        return int(v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if s.lower() in MISSING:
        return None
    if s.startswith(("=", "@")):
        raise CellError(f"{short(v)!r} is a formula; formulas are never evaluated.",
                        "type the rank itself", "formula_text")
    if re.fullmatch(r"[+-]?\d{1,6}", s):
        return int(s)
    if re.fullmatch(r"\d{1,6}[.,]0+", s):
        return int(re.split(r"[.,]", s)[0])
    raise CellError(f"{short(v)!r} is not a whole number.", "type the published rank as a whole number, e.g. 4",
                    "bad_rank")


ORDINAL = re.compile(r"^\s*(?:\d{1,3}|[IVXivx]{1,4}|[a-zđ])[.)]\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(v: Any, what: str, *, multiline: bool = False) -> str:
    s = cell_text(v)
    limit = MAX_TEXT[what]
    if len(s) > limit:
        raise CellError(f"the {what} is {len(s):,} characters long (at most {limit:,}).",
                        f"shorten the {what}", "too_long")
    if _CONTROL.search(s) or (not multiline and ("\n" in s or "\r" in s)):
        raise CellError(f"the {what} contains control characters or line breaks.",
                        "retype the cell as plain text", "control_chars")
    if s.startswith(("=", "@")) and what != "note":
        raise CellError(f"{short(s)!r} starts like a spreadsheet formula; formulas are never evaluated.",
                        f"type the {what} as plain text", "formula_text")
    if s.startswith("=") and what == "note":
        raise CellError(f"{short(s)!r} starts like a spreadsheet formula; formulas are never evaluated.",
                        "remove the leading '='", "formula_text")
    return s


