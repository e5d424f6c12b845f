"""The gettext catalogs: complete, used, consistent with the code and the data; loading and adding strings."""

from __future__ import annotations

import importlib.util
import os
import shutil
import string
import sys
import time

import pytest

from analytics import i18n
from analytics.paths import ROOT
from geo import islands
from ui.nav import PAGES


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


catalogs = _load_script("i18n_catalogs")


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_key_has_both_languages_and_the_same_placeholders():
    keys = catalogs.catalog_keys({lang: catalogs.load(lang) for lang in i18n.LANGS})
    assert len(keys) > 150
    for key, by_lang in keys.items():
        assert set(by_lang) == set(i18n.LANGS), key
        forms = [text for lang in i18n.LANGS for text in by_lang[lang]]
        assert all(text.strip() for text in forms), key
        assert len({frozenset(_fields(text)) for text in forms}) == 1, key
        assert i18n.has(key)


def test_code_and_catalogs_agree():
    """Babel's extraction over the product code: no key missing, none unused, no placeholder mismatch."""
    report = catalogs.check()
    assert report.ok, "\n".join(report.lines())


def test_extraction_sees_literal_conditional_and_table_keys():
    used = catalogs.extracted()
    assert "app.py" in [f for f, _ in used["page.import.title"]]
    assert "bool.yes" in used and "bool.no" in used  # t("bool.yes" if v else "bool.no", lang)
    assert not any("bool.yesbool.no" in k for k in used)
    assert "label.last_place" in catalogs.string_literals()  # ui.views.BENCH_KEYS


def test_check_reports_missing_unused_and_mismatched(tmp_path, monkeypatch):
    locales = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES, locales, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(catalogs, "LOCALES", locales)
    code = tmp_path / "ui"
    code.mkdir()
    (code / "page.py").write_text(
        "from analytics.i18n import t, t_or\n"
        "a = t('page.rankings.title', 'vi')\n"
        "b = t('no.such.key', 'vi')\n"
        "c = t_or('no.such.optional', 'vi', 'x')\n"
        "level = 'province'\n"
        "d = t('label.pending_in_module', 'vi')\n", encoding="utf-8")
    (tmp_path / "analytics").mkdir()
    (tmp_path / "analytics" / "i18n.py").write_text(
        "STRINGS = {'label.pending_in_module': {'vi': 'a', 'en': 'b'}}\n", encoding="utf-8")
    en = catalogs.load("en")
    en["page.rankings.title"].string = "Rankings {year}"
    catalogs.save(en, "en")
    report = catalogs.check(tmp_path)
    assert list(report.missing) == ["no.such.key"]  # t_or has a default; a pending STRINGS key is defined
    assert report.missing["no.such.key"] == [("ui/page.py", 3)]
    assert "page.rankings.title" in report.mismatched
    assert "page.rankings.title" not in report.unused and "app.tagline" in report.unused
    assert "level.province" not in report.unused  # a dynamic key whose value the code names
    assert "level.agency" in report.unused


def test_dynamic_keys_exist_for_every_value_the_data_and_code_hold(con):
    """Keys built at run time (DYNAMIC_KEYS) exist for every value of the database and the code."""
    levels = {r[0] for r in con.execute("SELECT DISTINCT level FROM units").fetchall()}
    vintages = {r[0] for r in con.execute("SELECT DISTINCT vintage FROM units").fetchall()}
    relations = {r[0] for r in con.execute("SELECT DISTINCT relation FROM successors").fetchall()}
    assert {"province", "commune"} <= levels and "legacy" in vintages and "merged" in relations
    wanted = ([f"level.{v}" for v in levels] + [f"level_one.{v}" for v in levels]
              + [f"vintage.{v}" for v in vintages] + [f"relation.{v}" for v in relations]
              + [f"page.{pid}.{part}" for _, pid, *_ in PAGES for part in ("title", "help")]
              + [f"page.import.severity_{s}" for s in catalogs.IMPORT_SEVERITIES]
              + [f"page.import.status_{s}" for s in catalogs.IMPORT_STATUSES]
              + [f"crosswalk.method.{m}" for m in catalogs.CROSSWALK_METHODS]
              + [f"finding.quartile_{q}" for q in (1, 2, 3, 4)]
              + [f"map.{label['key']}" for label in islands.labels()])
    assert [k for k in wanted if not i18n.has(k)] == []
    for key in wanted:
        assert any(p.match(key) for p in catalogs._DYNAMIC_RES), key


def test_pending_strings_are_well_formed_and_gone_when_strict():
    """Strings added to analytics.i18n.STRINGS while the catalogs were introduced: each has both languages
    and the same placeholders, and none shadows a catalog key. After the merge the lead sets
    CHISO_STRICT_I18N=1, and then the dict must be empty (strings-to-po moved them into the catalogs)."""
    keys = catalogs.catalog_keys({lang: catalogs.load(lang) for lang in i18n.LANGS})
    for key, entry in i18n.STRINGS.items():
        assert set(entry) <= {"vi", "en", "vi_one", "en_one"} and {"vi", "en"} <= set(entry), key
        assert len({frozenset(_fields(text)) for text in entry.values()}) == 1, key
        assert key not in keys, f"{key} is already in the catalogs"
    if os.environ.get("CHISO_STRICT_I18N") == "1":
        assert i18n.STRINGS == {}, f"move these into the catalogs (strings-to-po): {sorted(i18n.STRINGS)}"


def test_pending_strings_are_found_after_the_catalogs(monkeypatch):
    monkeypatch.setitem(i18n.STRINGS, "label.pending_example", {"vi": "{n} mới", "en": "{n} new", "en_one": "{n} new one"})
    assert i18n.has("label.pending_example")
    assert i18n.t("label.pending_example", "en", n=1) == "1 new one"
    assert i18n.t("label.pending_example", "vi", n=1) == "1 mới"
    monkeypatch.setitem(i18n.STRINGS, "page.rankings.title", {"vi": "X", "en": "X"})
    assert i18n.t("page.rankings.title", "en") == "Rankings"  # the catalogs win


def test_plural_forms_by_ngettext():
    assert i18n.t("page.import.commit", "en", n=1) == "Import 1 row"
    assert i18n.t("page.import.commit", "en", n=2) == "Import 2 rows"
    assert i18n.t("page.import.commit", "en", n=0) == "Import 0 rows"
    assert i18n.t("page.import.commit", "en", n=1.0) == "Import 1.0 row"
    assert i18n.t("page.import.commit", "vi", n=1) == "Nhập 1 dòng"
    assert i18n.t("page.import.commit", "vi", n=5) == "Nhập 5 dòng"
    assert i18n.t("label.rows", "en", n=1) != i18n.t("label.rows", "en", n=2).replace("2", "1")


def test_stale_mo_is_recompiled_and_a_missing_one_written(tmp_path, monkeypatch):
    locales = tmp_path / "locales"
    shutil.copytree(i18n.LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALES_DIR", locales)
    i18n.catalog.cache_clear()
    try:
        assert i18n.t("page.rankings.title", "en") == "Rankings"
        mo = locales / "en" / "LC_MESSAGES" / "chiso.mo"
        assert mo.exists()
        po = mo.with_suffix(".po")
        po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Rankings"', 'msgstr "Ranking table"'),
                      encoding="utf-8")
        later = time.time_ns() + 10**9
        os.utime(po, ns=(later, later))
        i18n.catalog.cache_clear()
        assert i18n.t("page.rankings.title", "en") == "Ranking table"
        assert b"Ranking table" in mo.read_bytes()  # the new .mo replaced the stale one
    finally:
        i18n.catalog.cache_clear()


def test_strings_to_po_appends_new_keys_and_refuses_conflicts(tmp_path, monkeypatch):
    locales = tmp_path / "locales"
    shutil.copytree(catalogs.LOCALES, locales, ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(catalogs, "LOCALES", locales)
    base = tmp_path / "base.py"
    base.write_text('STRINGS = {"app.tagline": {"vi": "cũ", "en": "old"}}\n', encoding="utf-8")
    branch = tmp_path / "branch.py"
    branch.write_text(
        'STRINGS = {"app.tagline": {"vi": "cũ", "en": "old"}}\n'
        'STRINGS.update({\n'
        '    # ---- new strings: ui\n'
        '    "label.brand_new": {"vi": "{n} mục", "en": "{n} items", "en_one": "{n} item"},\n'
        '    "page.rankings.title": {"vi": "Xếp hạng", "en": "Rankings"},\n'
        '})\n', encoding="utf-8")
    assert catalogs.main(["strings-to-po", str(branch), "--base", str(base)]) == 0
    en, vi = catalogs.load("en"), catalogs.load("vi")
    assert en[("label.brand_new")].string == ("{n} item", "{n} items")
    assert vi[("label.brand_new")].string == ("{n} mục",)
    assert list(en)[-1].id == ("label.brand_new", "label.brand_new")  # appended at the end
    before = {lang: (locales / lang / "LC_MESSAGES" / "chiso.po").read_bytes() for lang in i18n.LANGS}
    branch.write_text('STRINGS = {"page.rankings.title": {"vi": "Bảng xếp hạng", "en": "Rankings"},\n'
                      '           "label.other_new": {"vi": "a", "en": "b"}}\n', encoding="utf-8")
    assert catalogs.main(["strings-to-po", str(branch)]) == 2
    assert {lang: (locales / lang / "LC_MESSAGES" / "chiso.po").read_bytes() for lang in i18n.LANGS} == before


def test_strings_to_po_rejects_a_non_literal_table(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('X = "a"\nSTRINGS = {"k": {"vi": X, "en": "b"}}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="bad.py:2"):
        catalogs.strings_in(bad)
