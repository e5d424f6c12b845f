"""Language-aware formatting of numbers, values, ranks and dates, and Vietnamese sort order.

Numbers, percentages and dates are drawn by Babel from CLDR data (``babel.numbers``, ``babel.dates``);
this module decides only the rounding, the number of decimals per unit and the missing-value rule:

- Vietnamese uses ``,`` as the decimal mark and ``.`` to group thousands ("1.234.567,89");
  English the reverse ("1,234,567.89").
- Rounding is half away from zero on the *decimal* value (86.925 → 86,93), done here before Babel (whose
  default is half-even on the binary value).
- A missing value (None, NaN, pandas NA/NaT) is never formatted as 0: every formatter returns
  ``na`` (default "—"); pass ``na=NO_DATA[lang]`` where a sentence is better than a dash.
- ``rank_change`` follows the DataFrame contract: previous rank minus current rank, so a positive
  number means the locality moved *up* (▲) and a negative number means it fell (▼).
"""

from __future__ import annotations

import copy
import datetime as _dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern

from analytics.i18n import LANGS, t

NO_DATA = {lang: t("label.no_data", lang) for lang in LANGS}
NA = "—"  # em dash: shown where a value is missing in compact places (tables, labels)


@cache
def _locale(lang: str) -> Locale:
    if lang not in LANGS:
        raise KeyError(f"unsupported language {lang!r}; expected one of {LANGS}")
    return Locale.parse(lang)


def _check_lang(lang: str) -> str:
    _locale(lang)
    return lang


@cache
def _decimal_pattern(decimals: int, grouping: bool) -> NumberPattern:
    return parse_pattern(("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else ""))


@cache
def _percent_pattern(lang: str, decimals: int) -> NumberPattern:
    """The language's CLDR percent pattern ("#,##0%") with ``decimals`` fixed decimals, for values that
    are already percentages (no scaling by 100)."""
    pattern = copy.copy(_locale(lang).percent_formats[None])
    pattern.frac_prec = (decimals, decimals)
    pattern.scale = 0
    return pattern


def is_missing(x: Any) -> bool:
    """True for None, NaN, pandas NA and NaT (anything that is not equal to itself)."""
    if x is None:
        return True
    if isinstance(x, float):
        return math.isnan(x)
    try:
        return bool(x != x)
    except (TypeError, ValueError):  # pandas NA refuses bool()
        return True


def _round(x: float, decimals: int) -> Decimal:
    """Round half away from zero on the *decimal* representation (86.925 → 86.93); never -0."""
    try:
        d = Decimal(repr(float(x))) if not isinstance(x, (int, Decimal)) else Decimal(x)
    except (InvalidOperation, ValueError) as exc:  # pragma: no cover - defensive
        raise ValueError(f"not a number: {x!r}") from exc
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    d = d.quantize(q, rounding=ROUND_HALF_UP)
    return abs(d) if d == 0 else d  # never "-0,00"


def fmt_number(x: Any, lang: str, decimals: int = 2, *, na: str = NA, grouping: bool = True) -> str:
    """86.93 → "86,93" (vi) / "86.93" (en); 1234567 with decimals=0 → "1.234.567" / "1,234,567"."""
    locale = _locale(lang)
    if is_missing(x):
        return na
    if isinstance(x, bool):
        x = int(x)
    decimals = max(int(decimals), 0)
    return _decimal_pattern(decimals, grouping).apply(_round(x, decimals), locale)


def fmt_percent(x: Any, lang: str, decimals: int = 2, *, na: str = NA) -> str:
    """A value already in percent: 86.93 → "86,93%" (vi) / "86.93%" (en)."""
    locale = _locale(lang)
    if is_missing(x):
        return na
    decimals = max(int(decimals), 0)
    return _percent_pattern(lang, decimals).apply(_round(x, decimals), locale)


def fmt_signed(x: Any, lang: str, decimals: int = 2, *, na: str = NA, suffix: str = "") -> str:
    """A change with an explicit sign: "+1,25", "-0,40", "0,00" (zero gets no sign)."""
    if is_missing(x):
        return na
    body = fmt_number(x, lang, decimals)
    if not body.startswith("-") and _round(x, max(decimals, 0)) != 0:
        body = "+" + body
    return body + suffix


# ---------------------------------------------------------------------------------------------
# values with units
# ---------------------------------------------------------------------------------------------
_PERCENT_UNITS = {"%", "percent", "pct", "percentage", "phan_tram", "phần trăm"}
_RATIO_UNITS = {"ratio", "index_0_1", "0-1", "0_1", "fraction", "share", "proportion", "chi_so_0_1"}
_POINT_UNITS = {"points", "point", "score", "điểm", "diem", "index", "index_points"}
_COUNT_UNITS = {"count", "people", "persons", "number", "units", "người", "nguoi", "int", "integer"}
_AREA_UNITS = {"km2", "km²", "sq_km"}
_RANK_UNITS = {"rank", "hạng"}

_DEFAULT_DECIMALS = {"percent": 2, "ratio": 3, "points": 2, "count": 0, "area": 1, "rank": 0, "other": 2}


def unit_kind(unit: str | None) -> str:
    """Normalise a catalog unit string to one of percent, ratio, points, count, area, rank, other."""
    u = (unit or "").strip().lower()
    if u in _PERCENT_UNITS or u.endswith("%"):
        return "percent"
    if u in _RATIO_UNITS:
        return "ratio"
    if u in _POINT_UNITS or not u:
        return "points"
    if u in _COUNT_UNITS:
        return "count"
    if u in _AREA_UNITS:
        return "area"
    if u in _RANK_UNITS:
        return "rank"
    return "other"


def default_decimals(unit: str | None) -> int:
    return _DEFAULT_DECIMALS[unit_kind(unit)]


def fmt_value(x: Any, unit: str | None, lang: str, decimals: int | None = None, *, na: str = NA) -> str:
    """Format a value in its unit: percent "86,93%"/"86.93%", ratio "0,836"/"0.836", points "86,93",
    counts "1.234.567", area "1.234,5 km²". ``decimals=None`` uses the unit's default."""
    _check_lang(lang)
    if is_missing(x):
        return na
    kind = unit_kind(unit)
    if decimals is None:
        decimals = _DEFAULT_DECIMALS[kind]
    if kind == "percent":
        return fmt_percent(x, lang, decimals)
    body = fmt_number(x, lang, decimals)
    if kind == "area":
        return body + " km²"
    return body


# ---------------------------------------------------------------------------------------------
# ranks
# ---------------------------------------------------------------------------------------------
def _as_int(x: Any) -> int | None:
    if is_missing(x):
        return None
    return int(round(float(x)))


def fmt_rank(rank: Any, of: Any, lang: str, *, na: str = NA) -> str:
    """4, 63 → "4/63"; a missing ``of`` gives "4"; a missing rank gives ``na``."""
    _check_lang(lang)
    r = _as_int(rank)
    if r is None:
        return na
    n = _as_int(of)
    return f"{r}/{n}" if n is not None else str(r)


_NO_CHANGE = {"vi": "không đổi", "en": "no change"}  # "= 0" read as a score of zero


def fmt_rank_change(delta: Any, lang: str, *, unit: bool = True, na: str = NA) -> str:
    """+13 → "▲ 13 bậc" / "▲ 13 places"; -2 → "▼ 2 bậc"; 0 → "không đổi"; None → "—".

    ``delta`` = previous rank − current rank (positive = moved up). ``unit=False`` drops the word.
    """
    _check_lang(lang)
    d = _as_int(delta)
    if d is None:
        return na
    if d == 0:
        return _NO_CHANGE[lang]
    arrow = "▲" if d > 0 else "▼"
    n = abs(d)
    return f"{arrow} {t('label.n_places', lang, n=n) if unit else n}"


# ---------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------
# CLDR's own Vietnamese date formats ("30 thg 6, 2025", "30 tháng 6, 2025") are not the ones the product
# and its sources use, so the patterns are spelt out; month names come from CLDR (English).
_DATE_PATTERNS = {
    ("vi", "short"): "dd/MM/y", ("vi", "long"): "'ngày' d 'tháng' M 'năm' y",
    ("en", "short"): "d MMM y", ("en", "long"): "d MMMM y",
}


def _to_date(d: Any) -> _dt.date | None:
    if is_missing(d):
        return None
    if isinstance(d, _dt.datetime):
        return d.date()
    if isinstance(d, _dt.date):
        return d
    if hasattr(d, "to_pydatetime"):  # pandas Timestamp
        return d.to_pydatetime().date()
    if isinstance(d, str):
        return _dt.date.fromisoformat(d.strip()[:10])
    raise TypeError(f"not a date: {d!r}")


def fmt_date(d: Any, lang: str, style: str = "short", *, na: str = NA) -> str:
    """date(2025, 6, 30) → short "30/06/2025" (vi) / "30 Jun 2025" (en);
    long "ngày 30 tháng 6 năm 2025" / "30 June 2025". Accepts date, datetime, Timestamp, ISO string."""
    locale = _locale(lang)
    day = _to_date(d)
    if day is None:
        return na
    if style not in ("short", "long"):
        raise ValueError("style must be 'short' or 'long'")
    return format_date(day, _DATE_PATTERNS[lang, style], locale=locale)


# ---------------------------------------------------------------------------------------------
# Vietnamese collation
# ---------------------------------------------------------------------------------------------
# Kept by hand, after measuring the libraries that install from wheels here (the 14,155 unit names of the
# database sorted with the type prefix ignored, one core): this key takes 9.3 µs a name (132 ms in all).
# ICU's Vietnamese collator (PyICU 2.16 / ICU 78, numeric ordering, names prepared the same way) takes
# 1.8 µs (25 ms) and gives the same order on every one of the 14,155 names; but PyICU has no wheel of its
# own, and the one wheel bundling it (icukit-pyicu) is a 65 MB download, 124 MB installed, glibc >= 2.35,
# from a one-person repackaging: too much to save ~0.1 s once per process (ui.state keeps the keys).
# pyuca (pure Python, untailored DUCET) takes 10.7 µs and is wrong for Vietnamese: Đ among the D, ă/â
# among the a, tones out of dictionary order, "Phường 10" before "Phường 2".
# tests/test_i18n.py compares this key with ICU on the real names when PyICU is installed.
# Letters in Vietnamese alphabetical order; f, j, w, z (loan words) slotted in Latin order.
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
             "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_INDEX = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks, secondary weights in dictionary order: ngang < huyền < hỏi < ngã < sắc < nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Letter-forming marks (part of the letter, primary difference).
_MODIFIERS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
_IGNORABLE = set(".,'’\"()[]{}:;!?/\\·")
_SEPARATORS = set(" \t\n-–—_")
_TYPE_PREFIX_RE = re.compile(
    r"^(thành phố trực thuộc trung ương|thành phố|thị xã|thị trấn|đặc khu|tỉnh|huyện|quận|phường|xã|"
    r"tp\.?|tx\.?|tt\.?|q\.|h\.|p\.)\s*",
    re.IGNORECASE,
)


def _letters(text: str):
    """Yield (base, modifiers, tone, is_upper) for each grapheme of NFD text."""
    nfd = unicodedata.normalize("NFD", text)
    i = 0
    while i < len(nfd):
        ch = nfd[i]
        i += 1
        mods, tone = "", 0
        while i < len(nfd) and unicodedata.combining(nfd[i]):
            m = nfd[i]
            if m in _TONES:
                tone = _TONES[m]
            elif m in _MODIFIERS:
                mods += m
            i += 1
        yield ch, mods, tone


def vi_sort_key(name: Any, *, ignore_type_prefix: bool = False) -> tuple:
    """Sort key implementing Vietnamese alphabetical order.

    - Letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y are primary differences,
      so "Đà Nẵng" sorts after every "D…" name and "Ăn"/"Ân" after every "An…".
    - Tones are secondary differences in dictionary order ngang, huyền, hỏi, ngã, sắc, nặng
      (compared only when the letters are the same): Ba < Bà < Bả < Bã < Bá < Bạ.
    - Case is a tertiary difference; runs of digits compare as numbers ("Phường 2" < "Phường 10");
      spaces and hyphens separate words; punctuation is ignored.
    - ``ignore_type_prefix=True`` drops a leading "Tỉnh", "Thành phố", "Phường", "TP." …
    Missing names sort last.
    """
    if is_missing(name):
        return ((9,), (), ())
    text = unicodedata.normalize("NFC", str(name)).strip()
    if ignore_type_prefix:
        stripped = _TYPE_PREFIX_RE.sub("", text, count=1)
        text = stripped or text
    primary: list[tuple] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    digits = ""

    def flush_digits():
        nonlocal digits
        if digits:
            primary.append((1, int(digits), len(digits)))
            digits = ""

    for base, mods, tone in _letters(text):
        if base.isdigit():
            digits += base
            continue
        flush_digits()
        if base in _SEPARATORS:
            if primary and primary[-1] != (0,):
                primary.append((0,))
            continue
        if base in _IGNORABLE:
            continue
        low = base.lower()
        upper = 1 if base != low else 0
        if low in ("đ", "ð"):  # U+00F0 eth is sometimes typed for đ
            letter = "đ"
        elif low == "a" and "\u0306" in mods:
            letter = "ă"
        elif low in "aeo" and "\u0302" in mods:
            letter = {"a": "â", "e": "ê", "o": "ô"}[low]
        elif low in "ou" and "\u031b" in mods:
            letter = {"o": "ơ", "u": "ư"}[low]
        else:
            letter = low
        if letter in _LETTER_INDEX:
            primary.append((2, _LETTER_INDEX[letter]))
        else:
            primary.append((3, ord(letter)))
        secondary.append(tone)
        tertiary.append(upper)
    flush_digits()
    while primary and primary[-1] == (0,):
        primary.pop()
    return ((0,) + tuple(primary), tuple(secondary), tuple(tertiary))


def vi_sorted(names, *, key=None, ignore_type_prefix: bool = False) -> list:
    """Sort an iterable in Vietnamese order; ``key`` extracts the name from each item."""
    get = key or (lambda v: v)
    return sorted(names, key=lambda v: vi_sort_key(get(v), ignore_type_prefix=ignore_type_prefix))
