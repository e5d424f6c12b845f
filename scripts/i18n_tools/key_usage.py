"""Where the product code names catalog keys: Babel's extraction of ``t`` / ``t_or`` / ``has`` calls, whole
string literals (keys kept in tables), and keys built at run time (DYNAMIC_KEYS)."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.extract import extract_python

from scripts.i18n_tools.po_files import ROOT

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
    "label.quartile_desc_{}": "quartiles 1-4: ui/headline.py",
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
