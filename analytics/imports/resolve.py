"""Matching the names written in a file to catalog indicators, components and registry units.

Unit names go through the registry's public lookups (``Registry.known_name``, ``Registry.resolve``);
near misses are scored with rapidfuzz and offered to the editor, never accepted silently.
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict

from rapidfuzz import fuzz, process

from analytics.catalog import Catalog, Indicator
from analytics.i18n import t
from analytics.imports.cells import MAX_TEXT, short
from analytics.imports.model import CheckContext, Issue, Resolution
from analytics.imports.vocabulary import MOJIBAKE, TCVN3, header_key
from analytics.registry import AmbiguousLocality, Registry, RegistryError, Unit, UnknownLocality
from analytics.text import key, split_parenthetical, strip_english_type, strip_type

LEGACY_LAST_YEAR = 2025
NEW_FIRST_YEAR = 2024


def indicator_from_text(cat: Catalog, s: str) -> tuple[Indicator | None, list[str]]:
    raw = s.strip()
    if raw in cat:
        return cat.get(raw), []
    low = raw.lower()
    if low in cat:
        return cat.get(low), []
    try:
        return cat.by_reference_code(raw.upper(), None), []
    except KeyError:
        pass
    k = key(raw)
    hits = []
    for ind in cat:
        names = {ind.id, ind.name.get("vi", ""), ind.name.get("en", ""), ind.short.get("vi", ""),
                 ind.short.get("en", "")}
        keys = {key(n) for n in names if n}
        keys |= {"chiso" + x for x in keys if not x.startswith("chiso")}   # "Chỉ số " + a short name
        if k and k in keys:
            hits.append(ind)
    roots = [h for h in hits if h.parent is None] or hits
    if len(roots) == 1:
        return roots[0], []
    pool = {ind.id: ind.id for ind in cat}
    for ind in cat:
        pool.setdefault(key(ind.short.get("vi", "")), ind.id)
        pool.setdefault(key(ind.short.get("en", "")), ind.id)
    close = _close(low, list(cat.ids()), 0.5)
    close += [pool[m] for m in _close(k, [p for p in pool if p], 0.6)]
    if len(roots) > 1:
        close = [r.id for r in roots] + close
    return None, list(dict.fromkeys(close))[:5]


def _close(word: str, choices: list[str], cutoff: float, n: int = 4) -> list[str]:
    """The `n` choices most similar to `word` (similarity ≥ cutoff, 0–1), best first."""
    found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100, limit=n)
    return [choice for choice, _, _ in found]


def component_of(cat: Catalog, ind: Indicator, comp: str) -> tuple[Indicator | None, list[str]]:
    raw = comp.strip()
    kids = cat.children(ind.id)
    for cand in (raw, f"{ind.id}.{raw}", raw.lower(), f"{ind.id}.{raw.lower()}"):
        if cand in cat and (cand == ind.id or cat.get(cand).parent == ind.id):
            return cat.get(cand), []
    k = header_key(raw) or key(raw)
    for child in kids:
        names = [child.name.get("vi"), child.name.get("en"), child.short.get("vi"), child.short.get("en")]
        if k in {key(n) for n in names if n}:
            return child, []
    for (_code, label), iid in cat.labels.items():
        if label and iid.startswith(ind.id + ".") and (k == key(label) or k == header_key(label)):
            return cat.get(iid), []
    return None, [c.id for c in kids]


def match_component_header(cat: Catalog, ind: Indicator, header_bottom: str, header_all: str) -> str | None:
    kids = cat.children(ind.id)
    if not kids:
        return None
    labels: dict[str, list[str]] = defaultdict(list)
    for child in kids:
        for n in (child.name.get("vi"), child.name.get("en"), child.short.get("vi"), child.short.get("en"),
                  child.id.split(".")[-1]):
            if n and len(key(n)) >= 4:
                labels[child.id].append(key(n))
    for (_code, label), iid in cat.labels.items():
        if label and iid in labels:
            labels[iid].append(header_key(label))
    for text in (header_bottom, header_all):
        hk = header_key(text) or key(text)
        if not hk:
            continue
        found = {iid for iid, ks in labels.items() if any(k and (k in hk or (len(hk) >= 6 and hk in k)) for k in ks)}
        if len(found) == 1:
            return found.pop()
    return None


def level_n(ctx: CheckContext, ind: Indicator, year: int, scope: Unit | None) -> int | None:
    ed = ind.edition(year)
    if ed and ed.n_ranked:
        return ed.n_ranked
    level = ind.levels[0]
    if level == "province":
        return len([u for u in ctx.reg.units(level="province", vintage=ind.vintage)])
    if scope is not None:
        return len([u for u in ctx.reg.units(level=level, vintage=ind.vintage) if u.province_id == scope.unit_id])
    return None


def _fuzzy_score(name: str, unit: Unit) -> float:
    a, _ = strip_type(key(split_parenthetical(name)[0]))
    best = 0.0
    for n in (unit.short_name, unit.name, unit.name_en):
        if n:
            b, _ = strip_type(key(n))
            best = max(best, fuzz.ratio(a, b) / 100.0)
    return best


def resolve_name(ctx: CheckContext, name: str, ind: Indicator, year: int, scope: Unit | None
             ) -> tuple[Unit | None, Resolution | None, Issue | None]:
    ck = (name, ind.levels[0], ind.vintage, year, scope.unit_id if scope else None)
    if ck in ctx.res_cache:
        return ctx.res_cache[ck]
    out = _resolve_uncached(ctx, name, ind, year, scope)
    ctx.res_cache[ck] = out
    return out


def _encoding_hint(name: str) -> str:
    """The key of a hint about a garbled name ('' when it looks fine)."""
    if MOJIBAKE.search(name):
        return "mojibake"
    if len(TCVN3.findall(name)) >= 1 and not re.search("[ăâđêôơưĂÂĐÊÔƠƯ]", name):
        return "tcvn3"
    return ""


def _resolve_uncached(ctx: CheckContext, name: str, ind: Indicator, year: int, scope: Unit | None
                      ) -> tuple[Unit | None, Resolution | None, Issue | None]:
    reg = ctx.reg
    level = ind.levels[0]
    where = {"level": level, "scope": scope.display_name() if scope else "", "year": year}
    if name in ctx.confirmed:
        uid = ctx.confirmed[name]
        u = reg.units_by_id.get(uid)
        if u is None or u.level not in ind.levels or u.vintage != ind.vintage:
            return None, None, Issue.of("error", "bad_confirmation", unit_id=repr(uid), name=repr(name), level=level)
        return u, Resolution(name, u.unit_id, u.display_name(), "confirmed"), None
    for uid in ctx.remembered.get(name, ()):
        # a spelling an editor confirmed in an earlier import (saved with who and when): not asked again
        u = reg.units_by_id.get(uid)
        if u is not None and u.level in ind.levels and u.vintage == ind.vintage and \
                (scope is None or u.province_id == scope.unit_id):
            return u, Resolution(name, u.unit_id, u.display_name(), "alias"), None
    if not key(name):
        return None, None, Issue.of("error", "not_a_locality", code="unknown_locality", name=short(name))
    if not known_key(reg, name, level=level, vintage=ind.vintage):
        return _unknown(ctx, name, ind, year, scope, UnknownLocality(name, _candidates(ctx, name, ind, year, scope)),
                        where)
    try:
        u = reg.resolve(name, year=year, level=level, vintage=ind.vintage, within=scope)
    except AmbiguousLocality as e:
        cands = "; ".join(f"{c.display_name()} ({reg.get(c.parent_id).display_name() if c.parent_id else ''}) "
                          f"[{c.unit_id}]" for c in e.candidates[:6])
        return None, None, Issue.of("error", "ambiguous_locality_in" if scope else "ambiguous_locality",
                                    code="ambiguous_locality", name=repr(short(name)), n=len(e.candidates),
                                    candidates=cands, **where)
    except UnknownLocality as e:
        return _unknown(ctx, name, ind, year, scope, e, where)
    except RegistryError as e:
        return None, None, Issue.of("error", "registry_error", code="unknown_locality", error=str(e))
    if u.level not in ind.levels:
        return None, None, _wrong_level(name, u, ind)
    method = "id" if name.strip() == u.unit_id else (
        "exact" if name.strip() in (u.name, u.short_name) else "spelling")
    return u, Resolution(name, u.unit_id, u.display_name(), method), None


def known_key(reg: Registry, name: str, *, level: str | None = None, vintage: str | None = None) -> bool:
    """Could `name` resolve (to a unit of `level`/`vintage`)? A cheap index lookup, so that names that
    cannot resolve never reach the registry's fuzzy search over 14,000 units."""
    raw = name.strip()
    if raw in reg.units_by_id:
        return True
    base, hint = split_parenthetical(raw)
    if re.fullmatch(r"[0-9A-Za-z-]{1,12}", base) and re.search(r"\d", base):
        return True   # a code: let the registry decide
    hits: set[str] = set()
    for k in {key(raw), key(base), strip_type(key(base))[0], key(hint) if hint else "",
              strip_english_type(key(base))}:
        if k:
            hits |= reg.ids_for_key(k)
    return any((level is None or reg.units_by_id[i].level == level)
               and (vintage is None or reg.units_by_id[i].vintage == vintage)
               for i in hits if i in reg.units_by_id)


def _candidates(ctx: CheckContext, name: str, ind: Indicator, year: int, scope: Unit | None) -> list[Unit]:
    """Closest units of the indicator's level (in the scope) by name similarity."""
    level = ind.levels[0]
    pk = (level, ind.vintage, scope.unit_id if scope else None, year)
    pool = ctx.pools.get(pk)
    if pool is None:
        pool = ctx.pools[pk] = [(strip_type(key(u.short_name))[0], u)
                                for u in ctx.reg.units(level=level, vintage=ind.vintage)
                                if (scope is None or u.province_id == scope.unit_id) and u.valid_in_year(year)]
    ctx.unknown_count += 1
    if len(pool) > 1500 and ctx.unknown_count > 20:
        return []   # enough suggestions computed; keep validation fast on hostile files
    target = strip_type(key(split_parenthetical(name)[0]))[0]
    found = process.extract(target, [k for k, _ in pool], scorer=fuzz.ratio, score_cutoff=60, limit=None)
    scored = sorted((-score, pool[i][1].unit_id, pool[i][1]) for _, score, i in found)
    return [u for _, _, u in sorted(scored)[:5]]


def _unknown(ctx: CheckContext, name: str, ind: Indicator, year: int, scope: Unit | None, e: UnknownLocality,
             where: dict) -> tuple[Unit | None, Resolution | None, Issue | None]:
    reg = ctx.reg
    known = len(name) <= MAX_TEXT["locality"] and known_key(reg, name, vintage=ind.vintage)
    # A unit of another level in the province, a unit created by the 2025 reform, a unit of another
    # province? Say so instead of "unknown" (only for names the index knows: no slow fuzzy search).
    if known and scope is not None:
        with contextlib.suppress(RegistryError):
            other = reg.resolve(name, year=year, vintage=ind.vintage, within=scope)
            if other.level not in ind.levels:
                return None, None, _wrong_level(name, other, ind)
    if ind.vintage == "legacy" and year <= LEGACY_LAST_YEAR and known_key(reg, name, vintage="2025"):
        succ = {u.unit_id for u, _, _ in reg.successors_of(scope.unit_id)} if scope is not None else None
        with contextlib.suppress(RegistryError):
            new = reg.resolve(name, vintage="2025", within=reg.get(next(iter(succ))) if succ else None)
            if new.vintage == "2025" and (succ is None or new.province_id in succ):
                return None, None, Issue.of("error", "unit_after_reform", code="outside_validity",
                                            name=repr(short(name)), unit=new.display_name(), indicator=ind.id,
                                            year=year)
    if known:
        with contextlib.suppress(RegistryError):
            other = reg.resolve(name, year=year, vintage=ind.vintage)
            if other.level not in ind.levels:
                return None, None, _wrong_level(name, other, ind)
            if scope is not None and other.province_id != scope.unit_id:
                prov = reg.get(other.province_id).display_name() if other.province_id else "?"
                return None, None, Issue.of("error", "outside_scope", name=repr(short(name)),
                                            unit=other.display_name(), province=prov, indicator=ind.id,
                                            scope=scope.display_name())
    cands = e.candidates
    scored = sorted(((_fuzzy_score(name, c), c) for c in cands), key=lambda t: -t[0])
    if scored and scored[0][0] >= 0.84 and (len(scored) == 1 or scored[1][0] <= scored[0][0] - 0.04):
        best = scored[0][1]
        return best, Resolution(name, best.unit_id, best.display_name(), "fuzzy",
                                candidates=[(c.unit_id, c.display_name()) for _, c in scored[:5]],
                                score=round(scored[0][0], 2)), None
    hint = "; ".join(f"{c.display_name()} [{c.unit_id}]" for _, c in scored[:5])
    variant = {(False, False): "unknown_locality", (True, False): "unknown_locality_in",  # keys spelled whole
               (False, True): "unknown_locality_hint", (True, True): "unknown_locality_in_hint"}[(bool(scope), bool(hint))]
    issue = Issue.of("error", variant, code="unknown_locality", name=repr(short(name)), candidates=hint, **where)
    enc = _encoding_hint(name)
    if enc:   # the garbled-text hint goes after the message, in the same language
        issue.message += " " + t(f"import.encoding_{enc}", "en")
        issue.params["encoding"] = enc
    return None, None, issue


def _wrong_level(name: str, other: Unit, ind: Indicator) -> Issue:
    return Issue.of("error", "wrong_level", name=repr(short(name)), unit=other.display_name(), level=other.level,
                    indicator=ind.id, ranks=ind.levels[0])


