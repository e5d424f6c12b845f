"""Column mappings for files with unfamiliar headers ("nam, ma_tinh, ten_tinh, diem, xep_hang"): which
column holds what, given by the editor (page) or ``--map`` (CLI), remembered by the header's signature."""

from __future__ import annotations

import argparse
import hashlib
from typing import Any

from analytics.imports.cells import cell_text
from analytics.text import key

# --map names → the importer's column roles
ROLES = {"year": "year", "locality": "locality", "value": "value", "rank": "official_rank",
         "official_rank": "official_rank", "indicator": "indicator", "component": "component",
         "source": "source_url", "source_url": "source_url", "note": "note"}


def parse_map(text: str) -> dict[str, str]:
    """"year=nam,locality=ten_tinh,value=diem" → {"year": "nam", ...} (roles normalised)."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        role, sep, header = part.partition("=")
        role = role.strip().lower()
        if not sep or not header.strip() or role not in ROLES:
            raise argparse.ArgumentTypeError(
                f"{part!r} is not ROLE=HEADER with ROLE one of {', '.join(sorted(set(ROLES)))}")
        if ROLES[role] in out:
            raise argparse.ArgumentTypeError(f"{role} is mapped twice")
        out[ROLES[role]] = header.strip()
    if "locality" not in out:
        raise argparse.ArgumentTypeError("the mapping must name the locality column, e.g. locality=ten_tinh")
    return out


def header_keys(row: list[Any]) -> list[str]:
    return [key(cell_text(v)) for v in row]


def signature(row: list[Any]) -> str:
    """A stable id of a header row: its folded cell texts, in order."""
    return hashlib.sha256("|".join(k for k in header_keys(row) if k).encode()).hexdigest()[:20]


def find_mapped_header(rows: list[list[Any]], mapping: dict[str, str]) -> tuple[int, dict[int, str]] | None:
    """(row index, {column: role}) of the first row holding every mapped header."""
    wanted = {key(h): role for role, h in mapping.items()}
    for i, row in enumerate(rows[:60]):
        keys = header_keys(row)
        if all(k in keys for k in wanted):
            return i, {keys.index(k): role for k, role in wanted.items()}
    return None
