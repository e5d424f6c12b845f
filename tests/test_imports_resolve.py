"""analytics.imports.resolve: names → units through the registry's public lookups, near misses scored with
rapidfuzz and offered (never accepted silently), indicators by id, reference code or name."""

from __future__ import annotations

import pytest

from analytics.imports.model import CheckContext
from analytics.imports.resolve import indicator_from_text, known_key, resolve_name
from analytics.registry import Registry


@pytest.fixture(scope="module")
def registry():
    return Registry.from_package()


@pytest.fixture
def ctx(catalog, registry):
    return CheckContext("t.csv", catalog, registry, False, {}, None)


def test_public_name_index_of_the_registry(registry):
    ids = registry.ids_for_key("thanhphothudaumot")
    assert "old-d-718" in ids and registry.ids_for_key("khongcotennay") == frozenset()
    assert known_key(registry, "TP. Thủ Dầu Một", level="district", vintage="legacy")
    assert not known_key(registry, "Thủ Dầu Mọtt", level="district", vintage="legacy")


def test_exact_spelling_and_id(ctx, catalog):
    ind = catalog.get("bd_par_district")
    assert resolve_name(ctx, "Huyện Bàu Bàng", ind, 2017, None)[1].method == "exact"
    assert resolve_name(ctx, "old-d-722", ind, 2017, None)[1].method == "id"


def test_a_near_miss_is_offered_for_confirmation(ctx, catalog, registry):
    ind = catalog.get("bd_par_district")
    scope = registry.get("old-p-74")
    unit, res, issue = resolve_name(ctx, "Huyện Phú Giáoo", ind, 2017, scope)
    assert issue is None and unit.unit_id == "old-d-722"
    assert res.method == "fuzzy" and res.needs_confirmation and 0.84 <= res.score < 1


def test_an_unknown_name_lists_candidates_in_both_languages(ctx, catalog, registry):
    ind = catalog.get("bd_par_district")
    _, _, issue = resolve_name(ctx, "Huyện Bàu Bèo Xa", ind, 2017, registry.get("old-p-74"))
    assert issue.code == "unknown_locality" and "Bàu Bàng" in issue.fix
    message, fix = issue.text("vi")
    assert message.startswith("không biết địa phương") and "Bàu Bàng" in fix


def test_a_confirmed_alias_resolves_without_asking(ctx, catalog):
    ctx.remembered = {"Phú Giáo cũ": ["old-d-722"]}
    unit, res, issue = resolve_name(ctx, "Phú Giáo cũ", catalog.get("bd_par_district"), 2017, None)
    assert issue is None and (unit.unit_id, res.method) == ("old-d-722", "alias")


def test_indicators_by_id_reference_code_or_name(catalog):
    assert indicator_from_text(catalog, "bd_par_district")[0].id == "bd_par_district"
    assert indicator_from_text(catalog, "BD_PAR_DISTRICT")[0].id == "bd_par_district"
    ind, close = indicator_from_text(catalog, "bd_par_distrct")
    assert ind is None and "bd_par_district" in close
