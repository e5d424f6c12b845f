"""Which unit each feature of a user's boundary file is: by code (zero-padded, or a ``unit_id``) or by name
through the registry, with the share of features a code column must match to be taken on its own."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

import pandas as pd

from analytics.registry import AmbiguousLocality, Registry, UnknownLocality
from analytics.text import key
from geo import sources

if TYPE_CHECKING:
    import geopandas as gpd



class BoundaryError(ValueError):
    """A boundary file cannot be registered; the message names the file and what to fix."""


CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
MIN_AUTO_CODE_SHARE = 0.8  # without --key, a code column must match at least 80 % of the features


# ------------------------------------------------------------------------------------------ units
def expected_units(level: str, vintage: str) -> pd.DataFrame:
    """code, name, province_code of every unit of the level+vintage (from vietnamadminunits)."""
    if vintage == "legacy":
        rows = sources.legacy_rows()
        if level == "province":
            df = rows.drop_duplicates("provinceCode")[["provinceCode", "province", "provinceCode"]]
        elif level == "district":
            df = rows.drop_duplicates("districtCode")[["districtCode", "district", "provinceCode"]]
        else:
            w = rows[rows.wardCode.notna()]
            df = w[["wardCode", "ward", "provinceCode"]]
    else:
        rows = sources.new_rows()
        if level == "province":
            df = rows.drop_duplicates("provinceCode")[["provinceCode", "province", "provinceCode"]]
        elif level == "commune":
            df = rows[["wardCode", "ward", "provinceCode"]]
        else:
            raise BoundaryError("there are no districts from 1 July 2025; use --vintage legacy")
    df = pd.DataFrame(df.values, columns=["code", "name", "province_code"])
    return df.sort_values("code").reset_index(drop=True)


_UNIT_ID = re.compile(r"^(old|new)-([pdc])-(\d+)$")


def normalise_code(value, level: str) -> str | None:
    """Zero-padded code of the level (74, 74.0, '074' → '74' for provinces), or None; unit ids accepted."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    s = str(value).strip()
    m = _UNIT_ID.match(s)
    if m:
        s = m.group(3)
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    if not s.isdigit():
        return None
    width = CODE_WIDTH[level]
    s = s.lstrip("0") or "0"
    if len(s) > width:
        return None
    return s.zfill(width)


# ------------------------------------------------------------------------------------------ matching
def _code_matches(series: pd.Series, level: str, codes: set[str]) -> list[str | None]:
    return [c if c in codes else None for c in (normalise_code(v, level) for v in series)]


def _level_codes(level: str, vintage: str) -> frozenset[str]:
    try:
        return frozenset(expected_units(level, vintage).code)
    except BoundaryError:
        return frozenset()


def _resolver(level: str, vintage: str):
    """name -> (code | None, reason). Uses the registry when it can be built, else exact name keys."""
    try:
        reg = Registry.from_package()
    except Exception:  # pragma: no cover - the vietnamadminunits data is missing
        reg = None
    units = expected_units(level, vintage)
    valid = set(units.code)
    if reg is not None:

        def resolve(name):
            try:
                u = reg.resolve(str(name), level=level, vintage=vintage)
            except UnknownLocality as exc:
                cands = ", ".join(c.name for c in exc.candidates[:3])
                return None, "unknown" + (f" (closest: {cands})" if cands else "")
            except AmbiguousLocality as exc:
                return None, f"ambiguous ({len(exc.candidates)} units)"
            except Exception as exc:  # noqa: BLE001
                return None, str(exc)
            if u.level != level or u.vintage != vintage or u.code not in valid:
                return None, f"resolves to {u.level}/{u.vintage} {u.code}"
            return u.code, ""

        return resolve

    by_key = defaultdict(set)  # pragma: no cover
    for r in units.itertuples():  # pragma: no cover
        by_key[key(r.name)].add(r.code)

    def resolve_simple(name):  # pragma: no cover
        hit = by_key.get(key(str(name)), set())
        if len(hit) == 1:
            return next(iter(hit)), ""
        return None, "ambiguous" if hit else "unknown"

    return resolve_simple  # pragma: no cover


def _candidate_columns(gdf: gpd.GeoDataFrame) -> list[str]:
    return [c for c in gdf.columns if c != gdf.geometry.name]


def _name_codes(series: pd.Series, level: str, vintage: str) -> tuple[list, dict]:
    resolve = _resolver(level, vintage)
    cache: dict[str, tuple] = {}
    codes, reasons = [], {}
    for v in series:
        if v is None or (isinstance(v, float) and pd.isna(v)) or not str(v).strip():
            codes.append(None)
            continue
        if v not in cache:
            cache[v] = resolve(v)
        code, why = cache[v]
        codes.append(code)
        if code is None:
            reasons[str(v)] = why
    return codes, reasons


def _is_text(series: pd.Series) -> bool:
    if not (series.dtype == object or str(series.dtype).startswith("str")):
        return False
    sample = series.dropna().astype(str)
    return not sample.empty and not sample.str.fullmatch(r"\s*\d+(\.0+)?\s*").all()


def _written_with_width(series: pd.Series, width: int) -> bool:
    """True when most values are written with exactly ``width`` digits (e.g. "25741", "074")."""
    vals = [re.sub(r"\.0+$", "", str(v).strip()) for v in series if v is not None and not pd.isna(v)]
    return bool(vals) and sum(len(v) == width and v.isdigit() for v in vals) >= 0.8 * len(vals)


def _hits(codes: list) -> int:
    return sum(x is not None for x in codes)


def match(gdf: gpd.GeoDataFrame, level: str, vintage: str, key: str | None, name: str) -> tuple[list, dict]:
    """Return (codes per feature (None = unmatched), info {key, key_kind, reasons}).

    Every attribute (or only ``key``) is tried as codes of the level and, for text, as names resolved
    through the registry; the column that identifies the most distinct units wins (codes on ties).
    A file that fits another level far better (most features matched there, or many features collapsing
    onto few units here while another column names distinct units of another level) is reported as a
    wrong ``--level``.
    """
    n = len(gdf)
    cols = _candidate_columns(gdf)
    if key is not None and key not in gdf.columns:
        raise BoundaryError(f"{name}: no field {key!r}; fields are: {', '.join(map(str, cols)) or '(none)'}")
    cols_to_try = [key] if key is not None else cols
    if not cols_to_try:
        raise BoundaryError(f"{name}: features have no attributes to match (need a code or name field)")
    others = [lv for lv in ("province", "district", "commune") if lv != level and _level_codes(lv, vintage)]

    def score(lv: str, columns: list, names_too: bool) -> list[tuple]:
        out = []
        valid = _level_codes(lv, vintage)
        for c in columns:
            codes = _code_matches(gdf[c], lv, valid)
            out.append((len({x for x in codes if x}), _hits(codes), 1, c, codes, {}))
        best_code_hits = max((o[1] for o in out), default=0)
        if names_too and best_code_hits < n:
            for c in columns:
                if _is_text(gdf[c]):
                    codes, reasons = _name_codes(gdf[c], lv, vintage)
                    out.append((len({x for x in codes if x}), _hits(codes), 0, c, codes, reasons))
        return sorted(out, key=lambda o: (-o[0], -o[1], -o[2], str(o[3])))

    ranked = score(level, cols_to_try, names_too=True)
    if key is None:  # an unnamed numeric column (area, population…) may hit a few codes by chance
        ranked = [r for r in ranked if not r[2] or r[1] >= MIN_AUTO_CODE_SHARE * n]
    best = ranked[0] if ranked and ranked[0][1] > 0 else None
    unique, hits = (best[0], best[1]) if best else (0, 0)
    if hits < 0.9 * n or unique < 0.5 * hits:
        # does the file fit another level much better?
        for other in others:
            alt = [r for r in score(other, cols, names_too=hits == 0 or n <= 2000)
                   if not r[2] or _written_with_width(gdf[r[3]], CODE_WIDTH[other])]
            if alt and alt[0][1] >= 0.9 * n and alt[0][0] >= 0.9 * alt[0][1] and alt[0][0] > 2 * unique:
                kind = "codes" if alt[0][2] else "names"
                raise BoundaryError(
                    f"{name}: field {alt[0][3]!r} holds {other} {kind} ({alt[0][0]} distinct units), "
                    f"while only {unique} {level} unit(s) match; use --level {other}"
                )
    if best is None:
        tried = ", ".join(map(str, cols_to_try))
        raise BoundaryError(
            f"{name}: no feature matched a {level} ({vintage}) unit by code or name (fields tried: {tried}); "
            f"give the field with the official code ({CODE_WIDTH[level]} digits) or the name with --key FIELD"
        )
    return best[4], {"key": best[3], "key_kind": "code" if best[2] else "name", "reasons": best[5]}
