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
  ``ui.views.BENCH_KEYS``), or when it has one of the DYNAMIC_KEYS shapes (scripts/i18n_tools/
  key_usage.py) and its variable part is a word of the code or of data/indicators.yaml;
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
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a file: the parts live in scripts/i18n_tools/

from scripts.i18n_tools import po_files  # noqa: E402,F401 - tests point its LOCALES elsewhere
from scripts.i18n_tools.check import Report, check  # noqa: E402,F401 - the script's API (tests use it)
from scripts.i18n_tools.key_usage import (  # noqa: E402,F401
    _DYNAMIC_RES,
    CROSSWALK_METHODS,
    DYNAMIC_KEYS,
    IMPORT_SEVERITIES,
    IMPORT_STATUSES,
    extracted,
    string_literals,
)
from scripts.i18n_tools.po_files import LANGS, LOCALES, catalog_keys, compile_catalog, load, po_path, save  # noqa: E402,F401
from scripts.i18n_tools.strings_table import append_strings, strings_in  # noqa: E402


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
