"""Builds the registry's contents from the `vietnamadminunits` package and the project's data files
(name history, regions, aliases, agencies). `analytics.registry.build_registry` wraps the result."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections import defaultdict
from datetime import date
from pathlib import Path

from analytics.paths import DATA_DIR
from analytics.registry_model import (  # noqa: F401
    LEGACY_END,
    LEVEL_ORDER,
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
    import unicodedata

    text = unicodedata.normalize("NFC", text).replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def read_registry_parts(data_dir: Path = DATA_DIR) -> tuple:
    """The arguments of `Registry(...)`: units, name history, successors, aliases, regions, package keys."""
    pkg = _package_data_dir()
    con = sqlite3.connect(pkg / "dataset.db")
    con.row_factory = sqlite3.Row
    regions, province_region = _read_regions(data_dir / "regions.csv")
    units: dict[str, Unit] = {}
    pkg_keys: dict[str, set[str]] = defaultdict(set)
    legacy_keys: dict[tuple[str, str, str], str] = {}
    prov_key_old: dict[str, str] = {}

    for r in con.execute(
        "SELECT DISTINCT provinceCode, province, provinceShort, provinceLat, provinceLon, provinceKey, "
        "provinceKeywords FROM admin_units_legacy"
    ):
        pkg_keys[f"old-p-{r['provinceCode']}"].update(json.loads(r["provinceKeywords"] or "[]"))
        uid = f"old-p-{r['provinceCode']}"
        t = _type_of(r["province"], r["provinceShort"])
        units[uid] = Unit(uid, r["provinceCode"], "legacy", "province", t, TYPE_EN[("province", t)],
                          r["province"], _short(r["provinceShort"]), _en(r["provinceShort"]), None, uid,
                          province_region.get(r["provinceCode"]), r["provinceLat"], r["provinceLon"],
                          None, None, LEGACY_END)
        prov_key_old[r["provinceKey"]] = uid
    for r in con.execute(
        "SELECT DISTINCT provinceCode, districtCode, district, districtShort, districtType, districtLat, "
        "districtLon, districtKeywords FROM admin_units_legacy"
    ):
        pkg_keys[f"old-d-{r['districtCode']}"].update(json.loads(r["districtKeywords"] or "[]"))
        uid = f"old-d-{r['districtCode']}"
        pid = f"old-p-{r['provinceCode']}"
        units[uid] = Unit(uid, r["districtCode"], "legacy", "district", r["districtType"],
                          TYPE_EN[("district", r["districtType"])], r["district"], r["districtShort"],
                          _en(r["districtShort"]), pid, pid, units[pid].region_id, r["districtLat"],
                          r["districtLon"], None, None, LEGACY_END)
    for r in con.execute(
        "SELECT provinceCode, districtCode, ward, wardShort, wardType, wardCode, wardLat, wardLon, "
        "provinceKey, districtKey, wardKey, wardKeywords FROM admin_units_legacy WHERE wardCode IS NOT NULL"
    ):
        pkg_keys[f"old-c-{r['wardCode']}"].update(json.loads(r["wardKeywords"] or "[]"))
        uid = f"old-c-{r['wardCode']}"
        pid = f"old-p-{r['provinceCode']}"
        units[uid] = Unit(uid, r["wardCode"], "legacy", "commune", r["wardType"],
                          TYPE_EN[("commune", r["wardType"])], r["ward"], r["wardShort"], _en(r["wardShort"]),
                          f"old-d-{r['districtCode']}", pid, units[pid].region_id, r["wardLat"], r["wardLon"],
                          None, None, LEGACY_END)
        legacy_keys[(r["provinceKey"], r["districtKey"], r["wardKey"])] = uid

    new_keys: dict[tuple[str, str], str] = {}
    prov_key_new: dict[str, str] = {}
    for r in con.execute(
        "SELECT DISTINCT provinceCode, province, provinceShort, provinceLat, provinceLon, provinceKey, "
        "provinceKeywords FROM admin_units"
    ):
        pkg_keys[f"new-p-{r['provinceCode']}"].update(json.loads(r["provinceKeywords"] or "[]"))
        uid = f"new-p-{r['provinceCode']}"
        t = _type_of(r["province"], r["provinceShort"])
        units[uid] = Unit(uid, r["provinceCode"], "2025", "province", t, TYPE_EN[("province", t)],
                          r["province"], _short(r["provinceShort"]), _en(r["provinceShort"]), None, uid, None,
                          r["provinceLat"], r["provinceLon"], None, REFORM_START, None)
        prov_key_new[r["provinceKey"]] = uid
    for r in con.execute(
        "SELECT provinceCode, ward, wardShort, wardType, wardCode, wardLat, wardLon, wardAreaKm2, provinceKey, "
        "wardKey, wardKeywords FROM admin_units"
    ):
        pkg_keys[f"new-c-{r['wardCode']}"].update(json.loads(r["wardKeywords"] or "[]"))
        uid = f"new-c-{r['wardCode']}"
        pid = f"new-p-{r['provinceCode']}"
        units[uid] = Unit(uid, r["wardCode"], "2025", "commune", r["wardType"],
                          TYPE_EN[("commune", r["wardType"])], r["ward"], r["wardShort"], _en(r["wardShort"]),
                          pid, pid, None, r["wardLat"], r["wardLon"], r["wardAreaKm2"], REFORM_START, None)
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
    from dataclasses import replace

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
