"""``strings-to-po``: the literal ``STRINGS`` tables of Python files (parsed, never imported), appended to
the catalogs; a key already there with other text is a conflict and nothing is written."""

from __future__ import annotations

import ast
from pathlib import Path

from babel.messages.catalog import Catalog

from scripts.i18n_tools.po_files import LANGS, catalog_keys, fields, load, save


def strings_in(path: Path) -> dict[str, dict[str, str]]:
    """The literal ``STRINGS`` dict(s) of a Python file, in file order (assignments and ``.update`` calls)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        value = None
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "STRINGS" for t in targets):
                value = node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "STRINGS" and node.args):
            value = node.args[0]
        if isinstance(value, ast.Dict):
            try:
                out.update(ast.literal_eval(value))
            except ValueError as exc:
                raise SystemExit(f"{path}:{value.lineno}: STRINGS is not a literal dict ({exc})") from exc
    return out


def append_strings(entries: dict[str, dict[str, str]], *, write: bool = True) -> tuple[list[str], list[str]]:
    """Append ``entries`` to the catalogs; return (added keys, conflicts). Nothing is written on a conflict."""
    catalogs = {lang: load(lang) for lang in LANGS}
    existing = catalog_keys(catalogs)
    added, conflicts = [], []
    for key, entry in entries.items():
        problems = [v for v in entry if v not in ("vi", "en", "vi_one", "en_one")]
        problems += [lang for lang in LANGS if not str(entry.get(lang, "")).strip()]
        if problems:
            conflicts.append(f"{key}: needs non-empty 'vi' and 'en' (and only vi/en/vi_one/en_one), has {sorted(entry)}")
            continue
        if fields(entry["vi"]) != fields(entry["en"]):
            conflicts.append(f"{key}: placeholders differ between vi and en")
            continue
        plural = any(f"{lang}_one" in entry for lang in LANGS)
        wanted = {lang: _forms(entry, lang, catalogs[lang], plural) for lang in LANGS}
        if key in existing:
            if any(existing[key].get(lang) != list(wanted[lang]) for lang in LANGS):
                conflicts.append(f"{key}: already in the catalogs with other text")
            continue
        for lang in LANGS:
            forms = wanted[lang]
            catalogs[lang].add((key, key) if plural else key, forms if plural else forms[0])
        added.append(key)
    if write and not conflicts:
        for lang in LANGS:
            save(catalogs[lang], lang)
    return added, conflicts


def _forms(entry: dict[str, str], lang: str, catalog: Catalog, plural: bool) -> tuple[str, ...]:
    """The msgstr forms of one language: (singular, plural) where the language has two forms; Vietnamese
    has one (nplurals=1), so its ``_one`` variant, when given, must equal the general text."""
    if not plural:
        return (entry[lang],)
    if catalog.num_plurals == 1:
        if entry.get(f"{lang}_one", entry[lang]) != entry[lang]:
            raise SystemExit(f"{lang} has one plural form; '{lang}_one' cannot differ from '{lang}'")
        return (entry[lang],)
    return (entry.get(f"{lang}_one", entry[lang]), entry[lang])
