"""What a table download says: formula-injection neutralising, the header block, analyst-ready columns,
file names, and display tables. The files themselves are written by :mod:`figures.downloads`.

``meta`` describes the table for its header block; every key is optional::

    {"title": "Xếp hạng PAR INDEX 2020", "indicator": "PAR INDEX", "level": "province",
     "scope": "national", "year": 2020, "unit": "%", "source": "Bộ Nội vụ", "source_url": "https://…",
     "notes": "…", "generated": date(2025, 11, 25)}

``level`` and ``scope`` may be vocabulary codes ("province", "national", "region", "parent") — they are
translated — or free text ("Bình Dương"). ``filter`` records a filter applied to the table
("Vùng: Đông Nam Bộ").
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import functools
import math
import re
from typing import Any

import pandas as pd

from analytics.fmt import fmt_date, fmt_number, fmt_rank, fmt_rank_change, fmt_value, is_missing
from analytics.i18n import t, t_or
from analytics.paths import DATA_DIR
from analytics.text import fold

BOM = "\ufeff"
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMERIC_TEXT = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)([eE][+-]?\d+)?%?$")

LEVEL_SLUGS = {
    "vi": {"province": "tinh", "district": "huyen", "commune": "xa", "agency": "so"},
    "en": {"province": "province", "district": "district", "commune": "commune", "agency": "department"},
}
SCOPE_SLUGS = {
    "vi": {"national": "toan-quoc", "region": "vung", "parent": "trong-tinh"},
    "en": {"national": "national", "region": "region", "parent": "within-province"},
}


# --------------------------------------------------------------------------------- neutralising
def is_formula_like(value: Any) -> bool:
    """True for text a spreadsheet could run as a formula: starts (after spaces) with = + - @, or with
    a tab/CR/LF. Plain numeric text ("-12.5", "+84") is not formula-like."""
    if not isinstance(value, str) or not value:
        return False
    if value[0] in "\t\r\n":
        return True
    s = value.lstrip(" ")
    if not s or s[0] not in "=+-@":
        return False
    return not _NUMERIC_TEXT.match(s.strip())


def neutralise(value: Any) -> Any:
    """Prefix formula-like text with ``'`` so spreadsheets show it as text; anything else (numbers,
    including negative ones, dates, None) is returned unchanged."""
    if is_formula_like(value):
        return "'" + value
    return value


def _clean_text(value: Any) -> str:
    return " ".join(str(value).split())


# ------------------------------------------------------------------------------------- header
def _vocab(kind: str, value: Any, lang: str) -> str:
    if is_missing(value) or value == "":
        return ""
    return t_or(f"{kind}.{value}", lang, str(value))


def year_span(first: Any, last: Any) -> str:
    """ "2016–2024", or "2018" when both ends are the same year (never "2018–2018")."""
    a, b = (str(int(y)) if isinstance(y, (int, float)) and not is_missing(y) else str(y) for y in (first, last))
    return a if a == b else f"{a}–{b}"


def header_lines(meta: dict | None, lang: str) -> list[tuple[str, str]]:
    """[(label, value)] for the header block, in a fixed order, skipping empty entries."""
    meta = dict(meta or {})
    year = meta.get("year")
    if isinstance(year, (list, tuple)) and year:
        year = year_span(year[0], year[-1])
    generated = meta.get("generated") or _dt.date.today()
    rows = [
        ("meta.title", meta.get("title")),
        ("meta.indicator", meta.get("indicator")),
        ("meta.level", _vocab("level", meta.get("level"), lang)),
        ("meta.scope", _vocab("scope", meta.get("scope"), lang)),
        ("meta.filter", meta.get("filter")),
        ("meta.year", year),
        ("meta.unit", meta.get("unit")),
        ("meta.source", meta.get("source")),
        ("meta.source_url", meta.get("source_url")),
        ("meta.notes", meta.get("notes")),
        ("meta.generated", fmt_date(generated, lang)),
        ("meta.product", t("app.name", lang)),
    ]
    return [(t(k, lang), _clean_text(v)) for k, v in rows if not is_missing(v) and str(v).strip() != ""]


def localise_columns(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rename known contract columns (value, rank, official_rank, …) to their label in ``lang``."""
    mapping = {c: t_or(f"col.{c}", lang, str(c)) for c in df.columns}
    # never produce duplicate headers (display_rank and rank both mean "Rank")
    seen: dict[str, int] = {}
    for c, lab in list(mapping.items()):
        if lab in seen:
            mapping[c] = f"{lab} ({c})"
        seen[mapping[c]] = 1
    return df.rename(columns=mapping)


def _cell(v: Any) -> Any:
    """Python value for a cell: None for missing, plain int/float/str/date."""
    if is_missing(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        with contextlib.suppress(AttributeError, ValueError):
            v = v.item()
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if isinstance(v, float) and (math.isinf(v)):
        return str(v)
    return v


# --------------------------------------------------------------------------- analyst-ready table
# Columns that hold a code: the download shows its label in the file's language instead.
CODED_COLUMNS = {"rank_source": "rank_source", "rank_basis": "rank_basis", "status": "status"}


@functools.lru_cache(maxsize=1)
def _region_names() -> dict[str, dict[str, str]]:
    """region_id -> {"vi": …, "en": …} from data/regions.csv (one row per province)."""
    with open(DATA_DIR / "regions.csv", encoding="utf-8", newline="") as fh:
        return {r["region_id"]: {"vi": r["region_vi"], "en": r["region_en"]} for r in csv.DictReader(fh)}


def _label_codes(values: pd.Series, kind: str, lang: str) -> list:
    return [None if is_missing(v) or v == "" else t_or(f"{kind}.{v}", lang, str(v)) for v in values]


def analyst_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as an analyst downloads it: codes replaced by their label in ``lang`` (rank source and
    basis, status, region), one unit-type column in ``lang`` (not ``type_vi``/``type_en``), categoricals
    as plain values, numeric columns numeric, headers in ``lang`` (:func:`localise_columns`)."""
    d = df.copy()
    for c in d.columns:
        if isinstance(d[c].dtype, pd.CategoricalDtype):
            d[c] = d[c].astype(object)
    for c, kind in CODED_COLUMNS.items():
        if c in d.columns:
            d[c] = _label_codes(d[c], kind, lang)
    if "region_id" in d.columns:
        names = _region_names()
        d["region_id"] = [None if is_missing(r) else names.get(r, {}).get(lang, r) for r in d["region_id"]]
        d = d.rename(columns={"region_id": "region"})
    own, other = ("type_vi", "type_en") if lang == "vi" else ("type_en", "type_vi")
    if own in d.columns or other in d.columns:
        keep = own if own in d.columns else other
        d = d.drop(columns=[c for c in (own, other) if c in d.columns and c != keep]).rename(columns={keep: "type"})
    if "type" in d.columns and "type_vi" in df.columns and "type_en" in df.columns:
        d = d.drop(columns=[c for c in ("type_vi", "type_en") if c in d.columns])
    for c in d.columns:
        if d[c].dtype == object:
            nums = pd.to_numeric(d[c], errors="coerce")
            present = d[c].map(lambda v: not is_missing(v) and v != "")
            if present.any() and nums[present].notna().all() and d[c][present].map(
                    lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all():
                d[c] = nums
    return localise_columns(d, lang)


# ---------------------------------------------------------------------------------- file names
def slugify(text: Any) -> str:
    """ASCII slug: no diacritics (đ → d), lower case, runs of other characters → "-"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(str(text))).strip("-")


def download_name(indicator_id: str, level: str | None, scope: str | None, year: Any, ext: str,
                  *, lang: str = "vi") -> str:
    """``par_index``, "province", "national", 2020, "csv" → ``par-index_2020_tinh_toan-quoc.csv``.

    ``level``/``scope`` codes are turned into words of ``lang`` (vi by default); free text (a province
    name, "region:dong-nam-bo") is slugged. ``year`` may be a year, a (first, last) pair or None."""
    parts = [slugify(indicator_id)]
    if isinstance(year, (list, tuple)):
        years = [str(int(y)) for y in year if not is_missing(y)]
        if years:
            parts.append(years[0] if len(set(years)) == 1 else f"{years[0]}-{years[-1]}")
    elif not is_missing(year) and str(year) != "":
        parts.append(str(int(year)) if isinstance(year, (int, float)) else slugify(year))
    if level:
        parts.append(LEVEL_SLUGS[lang].get(level, slugify(level)))
    if scope:
        code, _, rest = str(scope).partition(":")
        base = SCOPE_SLUGS[lang].get(code)
        parts.append(base + (f"-{slugify(rest)}" if rest else "") if base else slugify(scope))
    stem = "_".join(p for p in parts if p)
    return f"{stem}.{ext.lstrip('.').lower()}"


# ------------------------------------------------------------------------------- display tables
def _rank_cell(rank, of, lang: str) -> str:
    """x/N; a rank published without its N says so rather than read as a bare number."""
    if not is_missing(rank) and is_missing(of):
        return t("label.rank_n_unknown", lang, rank=int(rank))
    return fmt_rank(rank, of, lang)


def display_table(df: pd.DataFrame, lang: str, *, unit: str | None = None, decimals: int | None = None,
                  columns: list[str] | None = None) -> pd.DataFrame:
    """A formatted copy for on-screen tables (the table alternative of a chart): values in the
    language's number format, "4/63" ranks, "▲ 13 bậc" changes, "Không có số liệu" for missing
    values, localised headers. ``columns`` picks and orders the source columns."""
    d = df.copy()
    cols = columns or [c for c in ["name", "year", "value", "display_rank", "rank_change", "value_change", "band",
                                   "rank_source", "component_id", "national_mean", "leader_value", "gap_to_leader"]
                       if c in d.columns]
    no_data = t("label.no_data", lang)
    out = pd.DataFrame(index=d.index)
    for c in cols:
        if c in ("value", "national_mean", "leader_value"):
            out[c] = [fmt_value(v, unit, lang, decimals, na=no_data if c == "value" else "—") for v in d[c]]
        elif c == "gap_to_leader" or c == "value_change":
            out[c] = ["—" if is_missing(v) else (("+" if v > 0 else "") + fmt_number(v, lang, 2)) for v in d[c]]
        elif c == "display_rank":
            ofs = d["display_of"] if "display_of" in d.columns else [None] * len(d)
            out[c] = [_rank_cell(r, o, lang) for r, o in zip(d[c], ofs, strict=True)]
        elif c == "rank" and "of" in d.columns:
            out[c] = [_rank_cell(r, o, lang) for r, o in zip(d[c], d["of"], strict=True)]
        elif c == "rank_change":
            out[c] = [fmt_rank_change(v, lang) for v in d[c]]
        elif c == "rank_source":
            out[c] = [t_or(f"rank_source.{v}", lang, "—" if is_missing(v) else str(v)) for v in d[c]]
            if "rank_basis" in d.columns:   # a rank read from a listing's order says so
                out[c] = [f"{s} ({t('label.rank_kind_listing', lang)})" if b == "listing_order" and v == "published"
                          else s for s, v, b in zip(out[c], d[c], d["rank_basis"], strict=True)]
        elif c == "comparable":
            out[c] = ["—" if is_missing(v) else t("bool.yes" if v else "bool.no", lang) for v in d[c]]
        elif c == "year":
            out[c] = ["—" if is_missing(v) else str(int(v)) for v in d[c]]
        else:
            out[c] = ["—" if is_missing(v) else v for v in d[c]]
    return localise_columns(out.reset_index(drop=True), lang)
