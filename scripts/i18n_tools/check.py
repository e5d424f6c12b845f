"""``check``: the keys the code names against the catalogs (missing, unused, placeholders that differ,
languages without text)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.i18n_tools.key_usage import (
    code_files,
    dynamic_value_named,
    extracted,
    keyword_of_calls,
    string_literals,
)
from scripts.i18n_tools.po_files import LANGS, ROOT, catalog_keys, fields, load
from scripts.i18n_tools.strings_table import strings_in


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
