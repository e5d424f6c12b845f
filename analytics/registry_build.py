"""Builds the registry's contents from the `vietnamadminunits` package and the project's data files
(name history, regions, aliases, agencies). `analytics.registry.build_registry` wraps the result."""

from __future__ import annotations

import csv
import json
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from analytics.paths import DATA_DIR
from analytics.registry_model import (
    LEGACY_END,
    LEVEL_PREFIX,
    NAME_EN,
    REFORM_START,
    SHORT_VI,
    TYPE_EN,
    NameSpell,
    Unit,
)


# ---------------------------------------------------------------------- building from the package
def _package_data_dir() -> Path:
    # find_spec locates the package without importing it (its import compiles ~1 s of regexes)
    import importlib.util

    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.origin:
        raise ModuleNotFoundError("the vietnamadminunits package is not installed")
    return Path(spec.origin).resolve().parent / "data"


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _type_of(full: str, short: str) -> str:
    return full[: len(full) - len(short)].strip() if full.endswith(short) else full.split(" ")[0]


def _short(short: str) -> str:
    return SHORT_VI.get(short, short)


def _en(short: str) -> str:
    if short in NAME_EN:
        return NAME_EN[short]
    return " ".join(w.capitalize() if w.islower() else w for w in fold_keep_case(short).split())


def fold_keep_case(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@dataclass
class _PackageTable:
    """One of the package's two tables (units before 1 July 2025, units after) read into `units`, with
    the package's own keywords of each unit in `keywords`. Both tables name their columns alike
    (`provinceCode`, `wardShort`, ...), so one reader serves every level of both."""

    con: sqlite3.Connection
    table: str
    id_prefix: str
    vintage: str
    valid_from: date | None
    valid_to: date | None
    units: dict[str, Unit]
    keywords: dict[str, set[str]]

    def rows(self, columns: str, where: str = "") -> list[sqlite3.Row]:
        return self.con.execute(f"SELECT {columns} FROM {self.table} {where}").fetchall()

    def add(self, r: sqlite3.Row, column: str, level: str, type_vi: str, short_name: str,
            parent_id: str | None, region_id: str | None, area_km2: float | None = None) -> str:
        """Adds the unit a row names in `column` (`province`, `district` or `ward`); returns its id."""
        code = r[f"{column}Code"]
        uid = f"{self.id_prefix}-{LEVEL_PREFIX[level]}-{code}"
        self.keywords[uid].update(json.loads(r[f"{column}Keywords"] or "[]"))
        province_id = f"{self.id_prefix}-p-{r['provinceCode']}"
        self.units[uid] = Unit(uid, code, self.vintage, level, type_vi, TYPE_EN[(level, type_vi)], r[column],
                               short_name, _en(r[f"{column}Short"]), parent_id, province_id, region_id,
                               r[f"{column}Lat"], r[f"{column}Lon"], area_km2, self.valid_from, self.valid_to)
        return uid

    def add_provinces(self, province_region: dict[str, str]) -> dict[str, str]:
        """Adds the provinces; returns the package's province key -> unit id."""
        by_key: dict[str, str] = {}
        for r in self.rows("DISTINCT provinceCode, province, provinceShort, provinceLat, provinceLon, "
                           "provinceKey, provinceKeywords"):
            type_vi = _type_of(r["province"], r["provinceShort"])
            by_key[r["provinceKey"]] = self.add(r, "province", "province", type_vi, _short(r["provinceShort"]),
                                                None, province_region.get(r["provinceCode"]))
        return by_key


def read_registry_parts(data_dir: Path = DATA_DIR) -> tuple:
    """The arguments of `Registry(...)`: units, name history, successors, aliases, regions, package keys."""
    pkg = _package_data_dir()
    con = sqlite3.connect(pkg / "dataset.db")
    con.row_factory = sqlite3.Row
    regions, province_region = _read_regions(data_dir / "regions.csv")
    units: dict[str, Unit] = {}
    pkg_keys: dict[str, set[str]] = defaultdict(set)

    old = _PackageTable(con, "admin_units_legacy", "old", "legacy", None, LEGACY_END, units, pkg_keys)
    prov_key_old = old.add_provinces(province_region)
    for r in old.rows("DISTINCT provinceCode, districtCode, district, districtShort, districtType, districtLat, "
                      "districtLon, districtKeywords"):
        pid = f"old-p-{r['provinceCode']}"
        old.add(r, "district", "district", r["districtType"], r["districtShort"], pid, units[pid].region_id)
    legacy_keys: dict[tuple[str, str, str], str] = {}
    for r in old.rows("provinceCode, districtCode, ward, wardShort, wardType, wardCode, wardLat, wardLon, "
                      "provinceKey, districtKey, wardKey, wardKeywords", "WHERE wardCode IS NOT NULL"):
        region = units[f"old-p-{r['provinceCode']}"].region_id
        uid = old.add(r, "ward", "commune", r["wardType"], r["wardShort"], f"old-d-{r['districtCode']}", region)
        legacy_keys[(r["provinceKey"], r["districtKey"], r["wardKey"])] = uid

    new = _PackageTable(con, "admin_units", "new", "2025", REFORM_START, None, units, pkg_keys)
    prov_key_new = new.add_provinces({})  # regions of the new provinces come from their parts, below
    new_keys: dict[tuple[str, str], str] = {}
    for r in new.rows("provinceCode, ward, wardShort, wardType, wardCode, wardLat, wardLon, wardAreaKm2, "
                      "provinceKey, wardKey, wardKeywords"):
        uid = new.add(r, "ward", "commune", r["wardType"], r["wardShort"], f"new-p-{r['provinceCode']}", None,
                      r["wardAreaKm2"])
        new_keys[(r["provinceKey"], r["wardKey"])] = uid
    con.close()

    successors = _successors(pkg, units, prov_key_old, prov_key_new, legacy_keys, new_keys)
    units = _regions_for_new_provinces(units, successors)
    units.update(_read_agencies(data_dir / "agencies.csv", units))
    history = _read_name_history(data_dir / "name_history.csv")
    aliases = _read_aliases(data_dir / "aliases.csv")
    return (units, history, successors, aliases, regions,
            {uid: sorted(ks) for uid, ks in pkg_keys.items()})


def _successors(pkg, units, prov_key_old, prov_key_new, legacy_keys, new_keys):
    conv = json.loads((pkg / "converter_2025.json").read_text(encoding="utf-8"))
    out: list[tuple[str, str, bool, str]] = []
    for new_key, old_list in conv["DICT_PROVINCE"].items():
        new_id = prov_key_new[new_key]
        relation = "renamed_or_kept" if len(old_list) == 1 else "merged"
        for old_key in old_list:
            out.append((prov_key_old[old_key], new_id, True, relation))

    def old_ward(full_key: str) -> str | None:
        parts = full_key.split("_")
        return legacy_keys.get(tuple(parts)) if len(parts) == 3 else None

    for new_prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_list in wards.items():
            new_id = new_keys.get((new_prov, new_ward))
            for full in old_list:
                old_id = old_ward(full)
                if new_id and old_id:
                    out.append((old_id, new_id, True, "merged"))
    for new_prov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for full, targets in olds.items():
            old_id = old_ward(full)
            for t in targets:
                new_id = new_keys.get((new_prov, t["newWardKey"]))
                if new_id and old_id:
                    out.append((old_id, new_id, bool(t["isDefaultNewWard"]), "split"))
    # Districts were abolished: their successor is the new province that took their wards.
    dist_to_new: dict[str, set[str]] = defaultdict(set)
    for old_id, new_id, _, _ in out:
        if old_id.startswith("old-c-"):
            dist_to_new[units[old_id].parent_id].add(units[new_id].province_id)
    for dist_id, new_provs in dist_to_new.items():
        for p in sorted(new_provs):
            out.append((dist_id, p, len(new_provs) == 1, "level_abolished"))
    return sorted(set(out))


def _regions_for_new_provinces(units: dict[str, Unit], successors) -> dict[str, Unit]:
    parts: dict[str, set[str | None]] = defaultdict(set)
    for old_id, new_id, _, _ in successors:
        if old_id.startswith("old-p-"):
            parts[new_id].add(units[old_id].region_id)
    out = dict(units)
    for new_id, regs in parts.items():
        if len(regs) == 1:
            region = next(iter(regs))
            out[new_id] = replace(units[new_id], region_id=region)
    for uid, u in list(out.items()):
        if u.vintage == "2025" and u.level == "commune":
            out[uid] = replace(u, region_id=out[u.parent_id].region_id)
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _read_regions(path: Path):
    regions: dict[str, dict[str, str]] = {}
    province_region: dict[str, str] = {}
    for r in _read_csv(path):
        regions[r["region_id"]] = {"vi": r["region_vi"], "en": r["region_en"], "source": r.get("source", "")}
        province_region[r["province_code"].zfill(2)] = r["region_id"]
    return regions, province_region


def _read_name_history(path: Path) -> list[NameSpell]:
    return [NameSpell(r["unit_id"], r["name"], r["short_name"], _d(r["valid_from"]), _d(r["valid_to"]),
                      r["source"]) for r in _read_csv(path)]


def _read_aliases(path: Path) -> list[tuple[str, str, str]]:
    return [(r["unit_id"], r["alias"], r.get("source", "")) for r in _read_csv(path)]


def _read_agencies(path: Path, units: dict[str, Unit]) -> dict[str, Unit]:
    out = {}
    for r in _read_csv(path):
        parent = units[r["parent_id"]]
        out[r["unit_id"]] = Unit(r["unit_id"], r["code"], parent.vintage, "agency", "Sở", "Department",
                                 r["name"], r["short_name"], r["name_en"], parent.unit_id, parent.unit_id,
                                 parent.region_id, None, None, None, None, parent.valid_to)
    return out
