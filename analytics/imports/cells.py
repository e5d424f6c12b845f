"""Parsing one cell: numbers written the Vietnamese or English way, years, ranks, and free text.

A bad cell raises :class:`CellError` with a message and the fix; the caller adds the row and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from analytics.i18n import t, t_or
from analytics.imports.grid import Amount, is_date, localized
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
    """A cell that cannot be read. ``key``/``params`` name the message ``import.<key>`` in analytics.i18n."""

    def __init__(self, key: str, code: str | None = None, **params: Any):
        self.key, self.params, self.code = key, params, code or key
        en = localized(params, "en")
        self.message = t(f"import.{key}", "en", **en)
        self.fix = t_or(f"import.{key}.fix", "en", "", **en)
        super().__init__(self.message)


_BAD_NUMBERS = {"nan", "inf", "-inf", "+inf", "infinity", "-infinity", "#div/0!", "#n/a", "#value!", "#ref!",
                "#num!", "#name?", "#null!"}
# One separator followed by exactly three digits: "1.997" is 1.997 or 1997, "1,064" is 1.064 or 1064.
AMBIGUOUS_SEPARATOR = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")


def ambiguous_readings(v: Any) -> tuple[float, float] | None:
    """(as a decimal, as thousands) for a text cell like "1.997" or "1,064"; None when not ambiguous."""
    if not isinstance(v, str):
        return None
    s = v.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    if not AMBIGUOUS_SEPARATOR.match(s):
        return None
    return float(s.replace(",", ".")), float(s.replace(",", "").replace(".", ""))


def parse_number(v: Any, *, percent_cell: bool = False) -> tuple[float | None, bool]:
    """(number, given_as_percent). None = no value. Raises CellError with the fix.

    A lone separator followed by three digits reads as a decimal here; the value rule checks
    :func:`ambiguous_readings` against the indicator's scale and the previous edition."""
    if v is None:
        return None, False
    if isinstance(v, bool):
        raise CellError("bool_not_number", code="not_numeric", cell=str(v))
    if is_date(v):
        raise CellError("date_not_number", code="date_value", cell=short(v))
    if isinstance(v, (int, float)):
        f = float(v)
        if not math.isfinite(f):
            raise CellError("not_finite", cell=repr(v))
        return (f * 100.0, True) if percent_cell else (f, False)
    s = str(v).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    if s.lower() in MISSING:
        return None, False
    if s.startswith(("=", "@")):
        raise CellError("formula_number", code="formula_text", cell=repr(short(v)))
    pct = False
    if s.endswith("%"):
        pct, s = True, s[:-1]
    if _DATEISH.match(s) and not _NUM.match(s):
        raise CellError("looks_like_date", code="date_value", cell=repr(short(v)))
    if "," in s and "." in s:   # the last separator is the decimal one
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1:
        if not _THOUSANDS_COMMA.match(s):
            raise CellError("two_separators", code="not_numeric", cell=repr(short(v)))
        s = s.replace(",", "")
    elif s.count(".") > 1:
        if not _THOUSANDS_DOT.match(s):
            raise CellError("two_separators", code="not_numeric", cell=repr(short(v)))
        s = s.replace(".", "")
    if not _NUM.match(s):
        if s.lower() in _BAD_NUMBERS:
            raise CellError("not_finite_text", code="not_finite", cell=repr(short(v)))
        raise CellError("not_numeric", cell=repr(short(v)))
    f = float(s)
    if not math.isfinite(f):
        raise CellError("not_finite", cell=repr(short(v)))
    return f, pct


def parse_year(v: Any) -> int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise CellError("bad_year", cell=str(v))
    if is_date(v):
        raise CellError("date_as_year", cell=short(v))
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise CellError("bad_year", cell=short(v))
        return int(v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if re.fullmatch(r"\d{4}", s):
        return int(s)
    if re.fullmatch(r"\d{4}\.0+", s):
        return int(s.split(".")[0])
    if _DATEISH.match(s) or re.search(r"\d{1,2}[/-]\d{4}", s):
        raise CellError("date_as_year", cell=repr(short(v)))
    if s.startswith("="):
        raise CellError("formula_year", code="formula_text", cell=repr(short(v)))
    raise CellError("bad_year", cell=repr(short(v)))


def parse_rank(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or is_date(v):
        raise CellError("bad_rank", cell=repr(short(v)))
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise CellError("bad_rank", cell=short(v))
        return int(v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if s.lower() in MISSING:
        return None
    if s.startswith(("=", "@")):
        raise CellError("formula_rank", code="formula_text", cell=repr(short(v)))
    if re.fullmatch(r"[+-]?\d{1,6}", s):
        return int(s)
    if re.fullmatch(r"\d{1,6}[.,]0+", s):
        return int(re.split(r"[.,]", s)[0])
    raise CellError("bad_rank", cell=repr(short(v)))


ORDINAL = re.compile(r"^\s*(?:\d{1,3}|[IVXivx]{1,4}|[a-zđ])[.)]\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that change how a name looks or sorts without being visible: no-break and narrow spaces
# (become a space), zero-width characters, soft hyphen and bidirectional controls (removed).
_AS_SPACE = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u3000"), " ")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
# Text a spreadsheet would run as a formula when the exported file is opened: "=…", "+HYPERLINK(…)",
# "@SUM(…)", "-cmd…": "=", "+" or "@" before a letter or "(", "-" right before one ("- note" is a bullet,
# "-5" and "+84" are numbers).
FORMULA_LIKE = re.compile(r"^\s*(?:=|[+@]\s*[^\W\d_]|[+@\-]\(|-[^\W\d_])")


def neutralise_formulas(df):
    """A copy of a DataFrame whose text cells that start like a formula get a leading apostrophe (the
    spreadsheet convention for "this is text"); other cells are unchanged."""
    out = df.copy()
    for col in out.columns:
        risky = out[col].map(lambda v: isinstance(v, str) and FORMULA_LIKE.match(v) is not None).astype(bool)
        if risky.any():   # only these cells change: the rest of the export stays byte-identical
            out[col] = out[col].astype(object)
            out.loc[risky, col] = "'" + out.loc[risky, col].astype(str)
    return out


def clean_name(s: str) -> str:
    """A name without invisible characters (zero-width, bidi overrides) and with ordinary spaces."""
    return re.sub(r" {2,}", " ", _INVISIBLE.sub("", s.translate(_AS_SPACE))).strip()


# How a message names the text field it is about (``import.term_*``: "tên địa phương" / "locality").
FIELD_TERMS = {"locality": "term_locality", "indicator": "term_indicator", "component": "term_component",
               "source": "term_source", "note": "term_note"}


def check_text(v: Any, what: str, *, multiline: bool = False) -> str:
    s = cell_text(v)
    if what in ("locality", "component", "indicator"):
        s = clean_name(s)
    limit = MAX_TEXT[what]
    term = FIELD_TERMS[what]
    if len(s) > limit:
        raise CellError("too_long", what=term, length=Amount(len(s)), limit=Amount(limit))
    if _CONTROL.search(s) or (not multiline and ("\n" in s or "\r" in s)):
        raise CellError("control_chars", what=term)
    # a note may start with "+"/"@"/"-" (it is flagged, and neutralised on export); never with "="
    if FORMULA_LIKE.match(s) and (what != "note" or s.lstrip().startswith("=")):
        raise CellError("formula_like_text", code="formula_text", cell=repr(short(s)), what=term)
    return s
