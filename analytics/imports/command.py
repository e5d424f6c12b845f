"""``chiso import``: its arguments and what it runs (analytics/cli.py only wires them in)."""

from __future__ import annotations

import argparse
from pathlib import Path

from analytics.imports.ledger import import_file
from analytics.imports.mapping import parse_map


def add_import_arguments(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="validate only")
    imp.add_argument("--replace", action="store_true", help="replace existing rows for the same keys")
    imp.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first visible sheet)")
    imp.add_argument("--indicator", default=None, help="indicator id of a table without an indicator column")
    imp.add_argument("--year", default=None, help="assessment year of a table without a year column")
    imp.add_argument("--within", default=None, help="province of a within-province index (default: inferred)")
    imp.add_argument("--source", "--source-url", dest="source_url", default=None,
                     help="source of rows without a source column: a web address, 'github:owner/repo@commit path' "
                          "or a citation")
    imp.add_argument("--map", dest="mapping", default=None, type=parse_map,
                     help="which column holds what, e.g. year=nam,locality=ten_tinh,value=diem,rank=xep_hang")
    imp.add_argument("--ambiguous-numbers", choices=("thousands", "decimal"), default=None,
                     help="how to read a value like 1.997 or 1,064 that the indicator's scale and the previous "
                          "edition do not decide: thousands (1997, 1064) or decimal (1.997, 1.064)")
    imp.add_argument("--accept-warnings", action="store_true",
                     help="import although plausibility warnings were found (after checking them)")


def run_import(args: argparse.Namespace, db: Path) -> str:
    report = import_file(args.file, db_path=db, dry_run=args.dry_run, replace=args.replace, sheet=args.sheet,
                         indicator=args.indicator, year=args.year, within=args.within, source_url=args.source_url,
                         mapping=args.mapping, accept_warnings=args.accept_warnings,
                         ambiguous=args.ambiguous_numbers)
    return report.summary()
