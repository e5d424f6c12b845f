"""Maintain the gettext catalogs of Chỉ số (``locales/<lang>/LC_MESSAGES/chiso.po``).

    python scripts/i18n_catalogs.py check                        # keys missing, unused, placeholders differing
    python scripts/i18n_catalogs.py strings-to-po [FILE.py ...] [--base OLD.py]  # append ``STRINGS`` dicts
    python scripts/i18n_catalogs.py compile                      # .po -> .mo (the app also does it on first use)

Message ids are symbolic keys (``page.rankings.title``); each language has its own catalog, English
included, so no text lives in the code. ``check`` runs Babel's extraction over the product code with the
keywords ``t``, ``t_or`` and ``has`` (first argument), then compares with the catalogs:

- a key given literally to ``t``/``has`` but in no catalog is *missing* (``t_or`` has a default, so it may
  name keys that do not exist);
- a catalog key that no code names is *unused*. Besides the extracted calls, a key counts as named when it
  appears as a whole string literal anywhere in the code (keys kept in tables such as
  ``ui.components.BENCH_KEYS``), or when it has one of the DYNAMIC_KEYS shapes below and its variable
  part is a word of the code or of data/indicators.yaml;
- a key whose languages use different ``{placeholders}`` is a *mismatch*.

``strings-to-po`` reads the ``STRINGS = {key: {"vi": ..., "en": ..., "en_one": ...}}`` dicts (and
``STRINGS.update({...})`` calls) of Python files, by parsing them, never importing them, and appends every key
that the catalogs do not have, in file order. A key already in the catalogs with other text is a conflict:
nothing is written and the conflicts are listed (exit 2). Default file: ``analytics/i18n.py``, whose
``STRINGS`` holds strings added while the catalogs were being introduced; empty it after moving them.
To take the strings a branch added to the old 450-key table, give the branch's file and, with ``--base``,
the same file at the merge base: only the keys the branch added are appended (keys removed from the
catalogs as unused are not brought back)::

    mkdir -p var && git show BRANCH:analytics/i18n.py > var/branch_i18n.py
    git show $(git merge-base main BRANCH):analytics/i18n.py > var/base_i18n.py
    python scripts/i18n_catalogs.py strings-to-po var/branch_i18n.py --base var/base_i18n.py
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import re
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
DOMAIN = "chiso"
LANGS = ("vi", "en")
# Product code searched for keys (tests are not users of strings: a key only a test names is unused).
CODE_DIRS = ("analytics", "figures", "geo", "ui", "pages", "app_pages")
CODE_FILES = ("app.py",)
KEYWORDS = {"t": (1,), "t_or": (1,), "has": (1,)}
# Modules whose local helper ``_t("x", lang)`` reads the catalog key ``<prefix>x``: extracted as such.
KEY_HELPERS = {"analytics/findings.py": "finding.", "figures/maps.py": "map."}

# Keys built at run time: ``{}`` stands for a value of the data or the code. A catalog key of one of these
# shapes counts as used when its value appears as a word in the product code or in data/indicators.yaml
# (so "level.province" is used, "level.canton" would not be); tests/test_i18n_catalogs.py checks the other
# way, that each value the database or the code's fixed vocabulary holds has its key.
DYNAMIC_KEYS = {
    "page.{}.title": "page ids of ui.nav.PAGES: app.py t(f'page.{pid}.title')",
    "page.{}.help": "page ids of ui.nav.PAGES: app.py t(f'page.{pid}.help')",
    "level.{}": "units.level of the database: pages, figures.tables (header)",
    "level_one.{}": "units.level of the database: pages/compare.py t('level_one.' + level)",
    "vintage.{}": "units.vintage of the database: pages/profile.py, pages/data_sources.py",
    "relation.{}": "successors.relation of the database: pages/reorganisation.py t_or(f'relation.{r}')",
    "page.import.severity_{}": "IMPORT_SEVERITIES: app_pages/import_data.py",
    "page.import.status_{}": "IMPORT_STATUSES: app_pages/import_data.py",
    "col.import_{}": "columns of the import tables: app_pages/import_data.py t(f'col.import_{c}')",
    "finding.quartile_{}": "quartiles 1-4: analytics/findings.py",
    "label.quartile_desc_{}": "quartiles 1-4: ui/components.py headline",
    "crosswalk.method.{}": "CROSSWALK_METHODS: analytics/crosswalk.py derived_label",
    "page.coverage.of_basis_{}": "of_basis values of analytics.coverage: pages/coverage.py",
    "label.coverage_{}": "analytics.coverage.STATUSES: pages/coverage.py",
    "import.{}": "Issue.of(severity, KEY, ...) in analytics/imports: the message of an import check",
    "import.{}.fix": "Issue.of(severity, KEY, ...) in analytics/imports: how to fix it (t_or: may be absent)",
    "import.encoding_{}": "analytics/imports/model.py Issue.text: the encoding named in a decoding note",
    "page.import.role_{}": "column roles of analytics/imports/mapping.py: app_pages/import_data.py",
    "why.not_comparable.{}": "Movement.reason values (analytics/movement.py): analytics/explain_text.py",
    "map.{}": "archipelago keys of geo.islands.labels(): figures/maps.py _t(x['key'])",
    # has() first: a unit without a word shows none
    "finding.unit.{}": "units of data/indicators.yaml with a word after the value: findings.format_value",
    # t_or with a default: a value without a key shows as it is
    "scope.{}": "ranking scopes: figures.tables t_or(f'scope.{value}')",
    "col.{}": "DataFrame columns: figures.tables t_or(f'col.{c}')",
    "rank_source.{}": "rank_source values: figures.tables t_or(f'rank_source.{v}')",
    "rank_basis.{}": "rank_basis values (published | listing_order): figures.tables t_or(f'{kind}.{v}')",
    "status.{}": "observation status values (primary | alternative): figures.tables t_or(f'{kind}.{v}')",
}
_DYNAMIC_RES = [re.compile(re.escape(shape).replace(r"\{\}", "(.+)") + "$") for shape in DYNAMIC_KEYS]
# The import flow's fixed vocabularies (the issue severities of a check, the statuses of the import ledger).
IMPORT_SEVERITIES = ("error", "warning", "confirm")
IMPORT_STATUSES = ("committed", "reverted", "pending", "abandoned")
# The methods analytics.crosswalk's SQL gives a derived value (its module docstring describes them).
CROSSWALK_METHODS = ("area_weighted_mean", "mean", "single")


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


# ------------------------------------------------------------------------------------------ catalogs
def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="Chỉ số", fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def save(catalog: Catalog, lang: str) -> None:
    path = po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, no_location=True, omit_header=False)
    path.write_bytes(buf.getvalue())


def compile_catalog(lang: str) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, load(lang))
    return buf.getvalue()


def key_of(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def texts(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def catalog_keys(catalogs: dict[str, Catalog]) -> dict[str, dict[str, list[str]]]:
    """{key: {lang: [text, ...]}} with every form (singular, plural) of every language."""
    out: dict[str, dict[str, list[str]]] = {}
    for lang, cat in catalogs.items():
        for message in cat:
            if message.id:
                out.setdefault(key_of(message), {})[lang] = texts(message)
    return out


# ------------------------------------------------------------------------------------------ extraction
def extracted(root: Path = ROOT) -> dict[str, list[tuple[str, int]]]:
    """{key: [(file, line), ...]} of every literal key passed to t / t_or / has (Babel's extraction).

    Only files that import analytics.i18n are read (another module's ``t`` is not ours). Babel joins the
    strings of an expression such as ``t("bool.yes" if v else "bool.no", lang)`` into one message; such a
    joined message is replaced by the literals of that call, taken from the syntax tree."""
    found: dict[str, list[tuple[str, int]]] = {}
    for path in code_files(root):
        source = path.read_text(encoding="utf-8")
        if "analytics.i18n" not in source:
            continue
        rel = str(path.relative_to(root))
        helper = KEY_HELPERS.get(rel)
        literals = call_literals(source, helper is not None)
        in_calls = set().union(*literals.values()) if literals else set()
        for lineno, func, message, _comments in extract_python_source(source):
            key = message[0] if isinstance(message, tuple) else message
            if not key or (func == "_t" and helper is None):
                continue
            joined = key not in in_calls and lineno in literals
            for k in sorted(literals[lineno]) if joined else [key]:
                found.setdefault(helper + k if func == "_t" else k, []).append((rel, lineno))
    return found


def extract_python_source(source: str) -> list:
    # Babel warns on stderr about each t(f"...") it skips; those are the DYNAMIC_KEYS, checked apart.
    with contextlib.redirect_stderr(io.StringIO()):
        return list(extract_python(io.BytesIO(source.encode("utf-8")), [*KEYWORDS, "_t"], (), {"encoding": "utf-8"}))


def call_literals(source: str, with_helper: bool = False) -> dict[int, set[str]]:
    """{line: {keys}} of the t/t_or/has calls starting on that line whose first argument is a literal or a
    conditional between literals (``"bool.yes" if v else "bool.no"``)."""
    def keys(node) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return keys(node.body) | keys(node.orelse)
        return set()

    names = {*KEYWORDS, "_t"} if with_helper else set(KEYWORDS)
    out: dict[int, set[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names and node.args:
            out.setdefault(node.lineno, set()).update(keys(node.args[0]))
    return out


def keyword_of_calls(root: Path = ROOT) -> dict[str, set[str]]:
    """{key: {"t", "t_or", ...}}: which function each literal key is given to (Babel does not say)."""
    out: dict[str, set[str]] = {}
    for path in code_files(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                out.setdefault(node.args[0].value, set()).add(node.func.id)
    return out


def code_files(root: Path = ROOT) -> Iterable[Path]:
    for d in CODE_DIRS:
        yield from sorted(p for p in (root / d).rglob("*.py") if "__pycache__" not in p.parts)
    yield from (root / f for f in CODE_FILES if (root / f).exists())


def string_literals(root: Path = ROOT) -> set[str]:
    """Every whole string constant in the product code (keys kept in tables, conditional keys); in the
    KEY_HELPERS modules also with the helper's prefix."""
    out: set[str] = set()
    for path in code_files(root):
        prefix = KEY_HELPERS.get(str(path.relative_to(root)), "")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
                if prefix:  # key = "up" if ... else "down"; _t(key, lang)
                    out.add(prefix + node.value)
    return out


def dynamic_value_named(key: str, words: set[str], corpus: str) -> bool:
    """True when ``key`` has one of the DYNAMIC_KEYS shapes and its value is a word of the code or data."""
    for pattern in _DYNAMIC_RES:
        m = pattern.match(key)
        if m:
            value = m.group(1)
            if value in words or re.search(rf"(?<!\w){re.escape(value)}(?!\w)", corpus):
                return True
    return False


@dataclass
class Report:
    missing: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)
    mismatched: dict[str, dict[str, list[set[str]]]] = field(default_factory=dict)
    untranslated: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unused or self.mismatched or self.untranslated)

    def lines(self) -> list[str]:
        out = [f"missing in the catalogs: {k} (used at {', '.join(f'{f}:{n}' for f, n in v)})"
               for k, v in sorted(self.missing.items())]
        out += [f"unused (no code names it): {k}" for k in self.unused]
        out += [f"placeholders differ: {k} {v}" for k, v in sorted(self.mismatched.items())]
        out += [f"no text in {', '.join(v)}: {k}" for k, v in sorted(self.untranslated.items())]
        return out


def check(root: Path = ROOT, extra_keys: Iterable[str] | None = None) -> Report:
    """Compare the code with the catalogs. ``extra_keys`` are keys defined outside the catalogs, which the
    code may use (default: the pending ``STRINGS`` of analytics/i18n.py under ``root``)."""
    catalogs = {lang: load(lang) for lang in LANGS}
    keys = catalog_keys(catalogs)
    if extra_keys is None:
        module = root / "analytics" / "i18n.py"
        extra_keys = strings_in(module) if module.exists() else ()
    defined = set(keys) | set(extra_keys)
    report = Report()
    used = extracted(root)
    kinds = keyword_of_calls(root)
    for key, where in used.items():
        if key not in defined and kinds.get(key, {"t"}) != {"t_or"}:
            report.missing[key] = where
    literals = string_literals(root)
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in [*code_files(root), root / "data" / "indicators.yaml"]
                       if p.exists())
    words = set(re.findall(r"\w+", corpus))
    for key in keys:
        if key in used or key in literals or dynamic_value_named(key, words, corpus):
            continue
        report.unused.append(key)
    for key, by_lang in keys.items():
        absent = [lang for lang in LANGS if not any(s.strip() for s in by_lang.get(lang, []))]
        if absent:
            report.untranslated[key] = absent
            continue
        forms = {lang: [fields(s) for s in by_lang[lang]] for lang in LANGS}
        if len({frozenset(f) for fs in forms.values() for f in fs}) > 1:
            report.mismatched[key] = forms
    return report


# ------------------------------------------------------------------------------------------ STRINGS -> po
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


# ------------------------------------------------------------------------------------------ command line
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="keys missing from or unused in the catalogs, placeholders that differ")
    add = sub.add_parser("strings-to-po", help="append STRINGS dicts of Python files to the catalogs")
    add.add_argument("files", nargs="*", type=Path, default=[ROOT / "analytics" / "i18n.py"])
    add.add_argument("--base", type=Path, action="append", default=[],
                     help="a version of the file to subtract: only keys the files add to it are taken "
                          "(e.g. a branch's analytics/i18n.py with --base the same file at the merge base)")
    add.add_argument("--dry-run", action="store_true", help="list what would be added, write nothing")
    sub.add_parser("compile", help="write locales/<lang>/LC_MESSAGES/chiso.mo")
    args = parser.parse_args(argv)

    if args.command == "check":
        report = check()
        for line in report.lines():
            print(line)
        print("catalogs and code agree" if report.ok else f"{len(report.lines())} problem(s)")
        return 0 if report.ok else 1
    if args.command == "strings-to-po":
        entries: dict[str, dict[str, str]] = {}
        for path in args.files:
            entries.update(strings_in(path))
        for path in args.base:
            for key in strings_in(path):
                entries.pop(key, None)
        added, conflicts = append_strings(entries, write=not args.dry_run)
        for line in conflicts:
            print(f"conflict: {line}", file=sys.stderr)
        if conflicts:
            print("nothing written", file=sys.stderr)
            return 2
        print(f"{'would add' if args.dry_run else 'added'} {len(added)} key(s): {', '.join(added) or '-'}")
        if added and not args.dry_run:
            print("now empty STRINGS in analytics/i18n.py (the catalogs hold them)")
        return 0
    for lang in LANGS:
        mo = po_path(lang).with_suffix(".mo")
        mo.write_bytes(compile_catalog(lang))
        print(mo.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
