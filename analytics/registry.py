"""The locality registry: every Vietnamese administrative unit before and after 1 July 2025.

Built from the `vietnamadminunits` package (MIT): legacy 63 provinces / 696 districts / 10,035 wards,
the 34 provinces / 3,321 communes of 1 July 2025, and its old→new tables. Project data files add what
the package does not hold: name history (`data/name_history.csv`), socio-economic regions
(`data/regions.csv`), spellings seen in real sources (`data/aliases.csv`) and provincial agencies
(`data/agencies.csv`, e.g. Bình Dương's departments that its own PAR index ranks).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from analytics.paths import DATA_DIR
from analytics.registry_build import fold_keep_case, read_registry_parts  # noqa: F401
from analytics.registry_model import (  # noqa: F401  (re-exported: `from analytics.registry import Unit, ...`)
    LEGACY_END,
    LEVEL_ORDER,
    LEVEL_PREFIX,
    NAME_EN,
    REFORM_START,
    SHORT_VI,
    TYPE_EN,
    AmbiguousLocality,
    NameSpell,
    RegistryError,
    Unit,
    UnknownLocality,
)
from analytics.text import key, split_parenthetical, strip_english_type, strip_type


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


@lru_cache(maxsize=4)
def _cached_registry(data_dir: str) -> Registry:
    return build_registry(Path(data_dir))



def build_registry(data_dir: Path = DATA_DIR) -> Registry:
    return Registry(*read_registry_parts(data_dir))
