"""Carry the compiled reference figures (../shared/reference-data) into the project's own data/ files.

Run once when the reference set changes: `python scripts/carry_reference.py [REFERENCE_DIR]`.
The product never reads ../shared at run time; it reads what this script wrote to data/.

What it does, row by row (nothing is computed, estimated or filled in):
- maps (index_code, component label) to a catalog indicator id through data/component_labels.csv;
- resolves the locality as written in the source to a registry unit (aliases → unit ids);
- keeps the source (URL or `github:owner/repo@commit path`) and note;
- decides `rank_basis` (published | listing_order) from the wordings in data/rank_basis_wordings.csv,
  with the row-level exceptions of data/rank_basis_overrides.csv (analytics.carry_rules);
- marks conflicting figures (analytics.carry_rules.mark_status): one `primary` per (indicator, unit,
  year); rows agreeing with it (to the precision of the less precise figure) are `corroborating`,
  disagreeing ones `alternative`. A row the reference marks as doubtful loses; file order never decides.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.carry_rules import load_wordings, mark_status, rank_basis  # noqa: E402
from analytics.catalog import load_catalog  # noqa: E402
from analytics.registry import build_registry  # noqa: E402
from analytics.text import key  # noqa: E402

DATA = ROOT / "data"
OUT = DATA / "observations"
FIELDS = ["indicator_id", "unit_id", "locality_in_source", "year", "value", "official_rank", "rank_basis",
          "source_url", "note", "status"]
ALIAS_SOURCE_63 = "spelling seen in a published source (reference-data/province_aliases.csv)"
ALIAS_SOURCE_34 = "spelling seen in a published source for a 2025 unit (reference-data/province_aliases_2025.csv)"
# Common spellings not in the reference alias lists (name normalisation only, no figures).
EXTRA_ALIASES = [
    ("old-p-77", "BR-VT"), ("old-p-79", "TP.HCM"), ("new-p-79", "TP.HCM"), ("old-p-79", "HCMC"),
    ("new-p-79", "HCMC"), ("old-p-79", "Sài Gòn"), ("old-p-66", "Đắc Lắk"), ("new-p-66", "Đắc Lắk"),
    ("old-p-66", "Daklak"), ("new-p-66", "Daklak"), ("old-p-67", "Đắc Nông"), ("old-p-46", "TT-Huế"),
    ("old-p-46", "Huế"), ("new-p-46", "Thừa Thiên Huế"), ("old-p-06", "Bắc Cạn"), ("old-p-01", "Hanoi"),
    ("new-p-01", "Hanoi"), ("old-p-48", "Danang"), ("new-p-48", "Danang"), ("old-p-31", "Haiphong"),
    ("new-p-31", "Haiphong"),
]

# Commune names written with their district (the unit id was checked against the registry by name and district).
SOURCE_SPELLINGS = [
    ("old-c-25756", "phường Chánh Nghĩa, TP.Thủ Dầu Một", "spelling in Báo Bình Dương, 14/8/2018"),
    ("old-c-25954", "Phường Bình Thắng, TX.Dĩ An", "spelling in Báo Bình Dương, 14/8/2018"),
]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, fields: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def carry_aliases(ref: Path) -> None:
    reg = build_registry(DATA)
    rows = []
    for r in read(ref / "province_aliases.csv"):
        u = reg.resolve(r["canonical_province_63"], vintage="legacy", level="province")
        rows.append({"unit_id": u.unit_id, "alias": r["name_in_source"], "source": ALIAS_SOURCE_63})
    for r in read(ref / "province_aliases_2025.csv"):
        canonical = r["canonical_province_34"]
        if not canonical:  # a spelling with no canonical unit in the file (e.g. a note row)
            continue
        u = reg.resolve(canonical, vintage="2025", level="province")
        rows.append({"unit_id": u.unit_id, "alias": r["name_in_source"], "source": ALIAS_SOURCE_34})
    for unit_id, alias in EXTRA_ALIASES:
        rows.append({"unit_id": unit_id, "alias": alias, "source": "common spelling (name normalisation only)"})
    for unit_id, alias, source in SOURCE_SPELLINGS:
        rows.append({"unit_id": unit_id, "alias": alias, "source": source})
    seen, out = set(), []
    for r in rows:
        k = (r["unit_id"], key(r["alias"]))
        if k not in seen:
            seen.add(k)
            out.append(r)
    write(DATA / "aliases.csv", ["unit_id", "alias", "source"], out)


def source_priority(row: dict) -> int:
    url = row["source_url"]
    if url.startswith("github:") or "pcivietnam.vn" in url or "dti.gov.vn" in url or "papi.org.vn" in url:
        return 0
    if ".gov.vn" in url or "baochinhphu" in url or "news.gov.vn" in url:
        return 1
    return 2


def load_overrides(path: Path) -> dict[tuple, str]:
    """(reference file, index_code, year, province_name, component, source_url) -> rank_basis."""
    return {(r["reference_file"], r["index_code"], r["year"], r["province_name"], r["component"],
             r["source_url"]): r["rank_basis"] for r in read(path)}


def carry_observations(ref: Path) -> None:
    reg = build_registry(DATA)  # fresh: aliases.csv was just rewritten
    cat = load_catalog()
    files = sorted(p for p in ref.glob("*.csv") if "alias" not in p.name)
    wordings = load_wordings(DATA / "rank_basis_wordings.csv")
    overrides = load_overrides(DATA / "rank_basis_overrides.csv")
    used_overrides = set()
    problems = []
    per_file: dict[str, list[dict]] = {}
    for path in files:
        out = per_file.setdefault(path.name, [])
        for i, r in enumerate(read(path), start=2):
            ind = cat.by_reference_code(r["index_code"], r["component"])
            if ind is None:
                problems.append(f"{path.name}:{i}: no catalog id for {r['index_code']!r} / {r['component']!r}")
                continue
            level = ind.levels[0]
            vintage = ind.vintage
            within = "old-p-74" if r["index_code"].startswith("BD_") else None
            try:
                unit = reg.resolve(r["province_name"], year=int(r["year"]), level=level, vintage=vintage,
                                   within=within)
            except Exception as e:  # noqa: BLE001 - reported below, the run fails
                problems.append(f"{path.name}:{i}: {e}")
                continue
            note = r["note"]
            okey = (path.name, r["index_code"], r["year"], r["province_name"], r["component"], r["source_url"])
            basis = rank_basis(note, r["rank"], wordings)
            if okey in overrides and r["rank"]:
                basis = overrides[okey]
                used_overrides.add(okey)
            out.append({
                "indicator_id": ind.id, "unit_id": unit.unit_id, "locality_in_source": r["province_name"],
                "year": r["year"], "value": r["value"], "official_rank": r["rank"], "rank_basis": basis,
                "source_url": r["source_url"], "note": note, "status": "",
            })
    # Conflicts are judged across files (an addition may disagree with an earlier file).
    mark_status([r for rows in per_file.values() for r in rows], source_priority)
    problems += [f"rank_basis_overrides.csv: no reference row {k}" for k in set(overrides) - used_overrides]
    for name, rows in per_file.items():
        write(OUT / name, FIELDS, rows)
        print(f"{name}: {len(rows)} rows")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(f"{len(problems)} rows could not be carried")


if __name__ == "__main__":
    ref_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference-data"
    carry_aliases(ref_dir)
    carry_observations(ref_dir)
