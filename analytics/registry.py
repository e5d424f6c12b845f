"""The locality registry: every Vietnamese administrative unit before and after 1 July 2025.

Built from the `vietnamadminunits` package (MIT): legacy 63 provinces / 696 districts / 10,035 wards,
the 34 provinces / 3,321 communes of 1 July 2025, and its old→new tables. Project data files add what
the package does not hold: name history (`data/name_history.csv`), socio-economic regions
(`data/regions.csv`), spellings seen in real sources (`data/aliases.csv`) and provincial agencies
(`data/agencies.csv`, e.g. Bình Dương's departments that its own PAR index ranks).
"""

from __future__ import annotations

import csv
import difflib
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from analytics.paths import DATA_DIR
from analytics.text import key, split_parenthetical, strip_english_type, strip_type

LEGACY_END = date(2025, 6, 30)
REFORM_START = date(2025, 7, 1)
LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2, "agency": 3}
LEVEL_PREFIX = {"province": "p", "district": "d", "commune": "c"}

TYPE_EN = {
    ("province", "Tỉnh"): "Province",
    ("province", "Thành phố"): "Centrally-run city",
    ("district", "Thành phố"): "Provincial city",
    ("district", "Thị xã"): "Town",
    ("district", "Quận"): "Urban district",
    ("district", "Huyện"): "Rural district",
    ("commune", "Phường"): "Ward",
    ("commune", "Xã"): "Commune",
    ("commune", "Thị trấn"): "Township",
    ("commune", "Đặc khu"): "Special zone",
    ("agency", "Sở"): "Department",
}
# English names that differ from the unaccented Vietnamese short name (common usage in English sources).
NAME_EN = {"Hồ Chí Minh": "Ho Chi Minh City", "Hà Nội": "Hanoi"}
# "Hồ Chí Minh" alone names a person; Vietnamese writes the city "TP. Hồ Chí Minh" even in short lists.
SHORT_VI = {"Hồ Chí Minh": "TP. Hồ Chí Minh"}


class RegistryError(ValueError):
    """Base class of resolution errors; the message is meant for users."""


class UnknownLocality(RegistryError):
    def __init__(self, name: str, candidates: list[Unit], context: str = ""):
        self.name = name
        self.candidates = candidates
        hint = "; ".join(f"{u.display_name()} [{u.unit_id}]" for u in candidates[:5])
        msg = f"unknown locality {name!r}{context}"
        if hint:
            msg += f". Closest: {hint}"
        super().__init__(msg)


class AmbiguousLocality(RegistryError):
    def __init__(self, name: str, candidates: list[Unit], context: str = ""):
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{u.display_name()} [{u.unit_id}]" for u in candidates[:8])
        super().__init__(
            f"ambiguous locality {name!r}{context}: {len(candidates)} units match ({listed}). "
            "Add the parent in brackets, e.g. 'Phường Tân Bình (TP. Dĩ An)', or use the code."
        )


@dataclass(frozen=True)
class Unit:
    unit_id: str
    code: str
    vintage: str  # 'legacy' | '2025'
    level: str  # 'province' | 'district' | 'commune' | 'agency'
    type_vi: str
    type_en: str
    name: str
    short_name: str
    name_en: str
    parent_id: str | None
    province_id: str | None
    region_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    area_km2: float | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def display_name(self, year: int | None = None, names: dict | None = None) -> str:
        return self.short_name if self.level == "province" else self.name

    def valid_in_year(self, year: int) -> bool:
        if self.valid_from and year < self.valid_from.year:
            return False
        return not (self.valid_to and year > self.valid_to.year)


@dataclass(frozen=True)
class NameSpell:
    unit_id: str
    name: str
    short_name: str
    valid_from: date | None
    valid_to: date | None
    source: str


@dataclass
class Registry:
    units_by_id: dict[str, Unit]
    name_history: list[NameSpell] = field(default_factory=list)
    successors: list[tuple[str, str, bool, str]] = field(default_factory=list)  # (old, new, is_default, relation)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # (unit_id, alias, source)
    regions: dict[str, dict[str, str]] = field(default_factory=dict)  # region_id -> {vi, en, source}
    package_keys: dict[str, list[str]] = field(default_factory=dict)  # unit_id -> the package's own keywords
    _index: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _children: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _pool_cache: dict[tuple, list[Unit]] = field(default_factory=dict, repr=False)
    _pool_ids_cache: dict[int, set[str]] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_package(cls, data_dir: Path | None = None) -> Registry:
        return _cached_registry(str(data_dir or DATA_DIR))

    def __post_init__(self) -> None:
        self._build_index()

    def _build_index(self) -> None:
        index: dict[str, set[str]] = defaultdict(set)
        children: dict[str, list[str]] = defaultdict(list)
        for u in self.units_by_id.values():
            for name in {u.name, u.short_name, u.name_en}:
                if name:
                    index[key(name)].add(u.unit_id)
            if u.parent_id:
                children[u.parent_id].append(u.unit_id)
        for spell in self.name_history:
            index[key(spell.name)].add(spell.unit_id)
            index[key(spell.short_name)].add(spell.unit_id)
        for unit_id, alias, _ in self.aliases:
            if unit_id in self.units_by_id:
                index[key(alias)].add(unit_id)
        for unit_id, keys in self.package_keys.items():
            for k in keys:
                index[key(k)].add(unit_id)
        self._index = dict(index)
        self._children = dict(children)

    # ------------------------------------------------------------------ lookup
    def ids_for_key(self, name_key: str) -> frozenset[str]:
        """Ids of the units one folded name key (``analytics.text.key``) names: current and former names,
        aliases and the package's keywords. A cheap index lookup, without fuzzy search."""
        return frozenset(self._index.get(name_key, ()))

    def get(self, unit_id: str) -> Unit:
        try:
            return self.units_by_id[unit_id]
        except KeyError:
            raise UnknownLocality(unit_id, []) from None

    def units(self, *, level: str | None = None, vintage: str | None = None,
              parent_id: str | None = None, province_id: str | None = None) -> list[Unit]:
        out = [
            u for u in self.units_by_id.values()
            if (level is None or u.level == level)
            and (vintage is None or u.vintage == vintage)
            and (parent_id is None or u.parent_id == parent_id)
            and (province_id is None or u.province_id == province_id)
        ]
        return sorted(out, key=lambda u: (LEVEL_ORDER[u.level], u.code))

    def children(self, unit_id: str) -> list[Unit]:
        return [self.units_by_id[c] for c in self._children.get(unit_id, [])]

    def successors_of(self, unit_id: str) -> list[tuple[Unit, bool, str]]:
        return [(self.units_by_id[n], d, r) for o, n, d, r in self.successors if o == unit_id]

    def predecessors_of(self, unit_id: str) -> list[tuple[Unit, bool, str]]:
        return [(self.units_by_id[o], d, r) for o, n, d, r in self.successors if n == unit_id]

    def name_in_year(self, unit_id: str, year: int | None, *, short: bool = True) -> str:
        """The unit's name as it was in `year` (Thừa Thiên Huế until 2024, Huế from 2025; Thị xã Tân Uyên in
        2017). A year with a change in it takes the name in force at its end (the later spell)."""
        u = self.get(unit_id)
        if year is not None:
            spells = [s for s in self.name_history if s.unit_id == unit_id and _spell_covers(s, year)]
            if spells:
                s = max(spells, key=lambda s: s.valid_from or date.min)
                return s.short_name if short else s.name
        return u.short_name if short else u.name

    # ------------------------------------------------------------------ resolution
    def resolve(self, name: str, *, year: int | None = None, level: str | None = None,
                vintage: str | None = None, within: str | Unit | None = None) -> Unit:
        """Resolve any common spelling to one unit valid for `year` (and `level`/`vintage`/`within`).

        Raises UnknownLocality (with the closest candidates) or AmbiguousLocality.
        """
        if name is None or not str(name).strip():
            raise UnknownLocality(str(name), [], " (empty name)")
        raw = str(name).strip()
        if raw in self.units_by_id:
            return self.units_by_id[raw]
        if vintage is None and year is not None:
            vintage = "legacy" if year <= 2024 else None
        parent = self._resolve_within(within, year=year, vintage=vintage)
        whole = self._index.get(key(raw), set()) & pool_ids(
            self._pool(year=year, level=level, vintage=vintage, parent=parent))
        if whole:
            return self._pick(raw, [self.units_by_id[i] for i in whole], level_hint=level,
                              context=_ctx(year, level, vintage, parent))
        base, hint = split_parenthetical(raw)
        if parent is None and hint:
            try:
                parent = self.resolve(hint, year=year, vintage=vintage)
            except RegistryError:
                parent = None

        pool = self._pool(year=year, level=level, vintage=vintage, parent=parent)
        by_code = [u for u in pool if u.code == base]
        if by_code:
            return self._pick(raw, by_code, level_hint=level, context=_ctx(year, level, vintage, parent))

        k = key(base)
        found = self._index.get(k, set()) & pool_ids(pool)
        level_hint = level
        if not found:
            stripped, type_level = strip_type(k)
            level_hint = level or type_level
            found = {i for i in self._index.get(stripped, set()) & pool_ids(pool)
                     if type_level is None or self.units_by_id[i].level == type_level}
        if found:
            return self._pick(raw, [self.units_by_id[i] for i in found], level_hint=level_hint,
                              context=_ctx(year, level, vintage, parent))
        # "English name (Tên tiếng Việt)": the bracket may hold the name itself rather than a parent.
        if hint:
            hk = key(hint)
            found = self._index.get(hk, set()) & pool_ids(pool)
            if found:
                return self._pick(raw, [self.units_by_id[i] for i in found], level_hint=level,
                                  context=_ctx(year, level, vintage, parent))
        english = strip_english_type(k)
        if english != k:
            found = self._index.get(english, set()) & pool_ids(pool)
            if found:
                return self._pick(raw, [self.units_by_id[i] for i in found], level_hint=level,
                                  context=_ctx(year, level, vintage, parent))
        raise UnknownLocality(raw, self._closest(k, pool), _ctx(year, level, vintage, parent))

    def _resolve_within(self, within, *, year, vintage) -> Unit | None:
        if within is None or isinstance(within, Unit):
            return within
        return self.resolve(within, year=year, vintage=vintage)

    def _pool(self, *, year, level, vintage, parent) -> list[Unit]:
        bucket = None if year is None else (min(max(year, 2023), 2026))
        ck = (bucket, level, vintage, parent.unit_id if parent else None)
        cached = self._pool_cache.get(ck)
        if cached is None:
            cached = self._pool_cache[ck] = self._pool_uncached(year=year, level=level, vintage=vintage,
                                                                parent=parent)
        return cached

    def _pool_uncached(self, *, year, level, vintage, parent) -> list[Unit]:
        out = []
        for u in self.units_by_id.values():
            if level and u.level != level:
                continue
            if vintage and u.vintage != vintage:
                continue
            if year is not None and not _valid_for_data_year(u, year):
                continue
            if parent is not None and parent.unit_id not in (u.parent_id, u.province_id):
                continue
            out.append(u)
        return out

    def _pick(self, raw: str, found: list[Unit], *, level_hint: str | None, context: str) -> Unit:
        if len(found) == 1:
            return found[0]
        # Without a level, a bare name means the highest level ("Bình Dương" is the province, not a commune).
        top = min(LEVEL_ORDER[u.level] for u in found)
        found = [u for u in found if LEVEL_ORDER[u.level] == top]
        if len(found) > 1:
            # Across the 2025 reform, a name with no year means the unit that exists today.
            current = [u for u in found if u.vintage == "2025"]
            if current and len({u.level for u in current}) == 1 and len(current) == 1:
                return current[0]
        if len(found) == 1:
            return found[0]
        raise AmbiguousLocality(raw, sorted(found, key=lambda u: u.unit_id), context)

    def _closest(self, k: str, pool: list[Unit]) -> list[Unit]:
        keys: dict[str, str] = {}
        pool_set = pool_ids(pool)
        for name_key, ids in self._index.items():
            for i in ids & pool_set:
                keys.setdefault(name_key, i)
        stripped, _ = strip_type(k)
        scored = []
        for name_key, unit_id in keys.items():
            ratio = difflib.SequenceMatcher(None, stripped, name_key).ratio()
            if ratio >= 0.6:
                u = self.units_by_id[unit_id]
                scored.append((-round(ratio, 1), LEVEL_ORDER[u.level], -ratio, u.unit_id))
        seen: list[Unit] = []
        for *_, unit_id in sorted(scored):
            u = self.units_by_id[unit_id]
            if u not in seen:
                seen.append(u)
        return seen[:5]


_POOL_IDS: dict[int, tuple[list[Unit], set[str]]] = {}


def pool_ids(pool: list[Unit]) -> set[str]:
    hit = _POOL_IDS.get(id(pool))
    if hit is not None and hit[0] is pool:
        return hit[1]
    ids = {u.unit_id for u in pool}
    if len(_POOL_IDS) > 256:
        _POOL_IDS.clear()
    _POOL_IDS[id(pool)] = (pool, ids)
    return ids


def _ctx(year, level, vintage, parent) -> str:
    parts = []
    if level:
        parts.append(f"level {level}")
    if year is not None:
        parts.append(f"year {year}")
    if vintage:
        parts.append("units before 1 Jul 2025" if vintage == "legacy" else "units from 1 Jul 2025")
    if parent is not None:
        parts.append(f"within {parent.display_name()}")
    return f" ({', '.join(parts)})" if parts else ""


def _valid_for_data_year(u: Unit, year: int) -> bool:
    # A data year is an assessment year: legacy units carry data up to 2025 (they lived until 30 Jun 2025);
    # units of 1 Jul 2025 carry 2024 figures only where a publisher recomputed them (DTI 2024 on 34 units).
    if u.vintage == "legacy":
        return year <= LEGACY_END.year
    if u.vintage == "2025":
        return year >= REFORM_START.year - 1
    return True


def _spell_covers(s: NameSpell, year: int) -> bool:
    return (s.valid_from is None or s.valid_from.year <= year) and (s.valid_to is None or year <= s.valid_to.year)


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


@lru_cache(maxsize=4)
def _cached_registry(data_dir: str) -> Registry:
    return build_registry(Path(data_dir))


def build_registry(data_dir: Path = DATA_DIR) -> Registry:
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
    return Registry(units, history, successors, aliases, regions,
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
