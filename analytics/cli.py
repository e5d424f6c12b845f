"""`chiso` command line. Exit 0 on success, 2 on bad input (message on stderr), 1 on internal error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from analytics import explain_cli
from analytics.catalog import load_catalog
from analytics.imports import ImportValidationError, reconcile_archive, replay_archived_imports, revert_import
from analytics.imports.cells import neutralise_formulas
from analytics.imports.command import add_import_arguments, run_import
from analytics.paths import ROOT, default_db_path
from analytics.ranking import Scope, ranking
from analytics.registry import Registry, RegistryError
from analytics.store import DatabaseUnreadable, build, check_database, connect
from analytics.store.connection import unreadable
from analytics.trends import trend


class UserError(Exception):
    """Bad input: reported on stderr with exit status 2, never as a traceback."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chiso", description="Chỉ số — Vietnamese locality indices")
    p.add_argument("--db", type=Path, default=None, help="database file (default: $CHISO_DB or var/chiso.duckdb)")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("build", help="(re)build the database from data/ and archived imports")
    sub.add_parser("check", help="read every table of the database (block checksums included)")

    add_import_arguments(sub.add_parser("import", help="import a CSV/XLSX file (see docs/EDITORS.md)"))

    rev = sub.add_parser("revert", help="undo an import")
    rev.add_argument("import_id")

    rank = sub.add_parser("rank", help="ranking of one indicator and year")
    rank.add_argument("indicator")
    rank.add_argument("year", type=int)
    rank.add_argument("--level", choices=["province", "district", "commune", "agency"])
    rank.add_argument("--within", help="code or name of the parent unit (e.g. 'Bình Dương')")
    rank.add_argument("--format", choices=["table", "csv", "json"], default="table")

    tr = sub.add_parser("trend", help="series of one locality for one indicator")
    tr.add_argument("indicator")
    tr.add_argument("locality")
    tr.add_argument("--format", choices=["table", "csv", "json"], default="table")

    ex = sub.add_parser("export", help="every observation, deterministic order")
    ex.add_argument("--format", choices=["csv", "parquet"], default="csv")
    ex.add_argument("--out", type=Path, default=None)
    ex.add_argument("--raw", action="store_true", help="exact text, also text a spreadsheet would run as a formula")

    bench = sub.add_parser("bench", help="benchmark on a synthetic national-scale database")
    bench.add_argument("--scale", choices=["small", "national"], default="small")

    explain_cli.add_parsers(sub)

    b = sub.add_parser("boundaries", help="boundary layers: add, list, export")
    b.add_argument("rest", nargs=argparse.REMAINDER)

    # prefix "+": every option after "editors" belongs to analytics.editors (--file, --password-stdin, --help)
    sub.add_parser("editors", help="editors' accounts: add, remove, list", prefix_chars="+").add_argument(
        "rest", nargs=argparse.REMAINDER)
    return p


def _emit(df: pd.DataFrame, fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        df.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        out.write(df.to_json(orient="records", force_ascii=False, indent=1))
        out.write("\n")
    else:
        out.write(df.to_string(index=False, na_rep="—"))
        out.write("\n")


def cmd_rank(args, db: Path) -> int:
    con = connect(db)
    scope = Scope()
    if args.within:
        reg = Registry.from_package()
        parent = reg.resolve(args.within)
        scope = Scope("province" if parent.level == "province" else "parent", parent.unit_id)
    df = ranking(con, args.indicator, args.year, scope=scope, level=args.level)
    if df.empty:
        raise UserError(f"no data for {args.indicator} {args.year}"
                        + (f" within {args.within}" if args.within else "")
                        + (f" at level {args.level}" if args.level else ""))
    out = df[["code", "name", "value", "rank", "of", "official_rank"]]
    _emit(out, args.format)
    if not bool(df["complete"].fillna(False).all()):
        # the computed rank/of columns stay (scripts rely on them); the caveat goes to stderr
        n_of = df["display_of"].dropna()
        n_of = int(n_of.max()) if len(n_of) else len(df)
        print(f"partial table: {int(df['value'].notna().sum())} of {n_of} units have a value; "
              "ranks among them are not official", file=sys.stderr)
    return 0


def cmd_trend(args, db: Path) -> int:
    con = connect(db)
    cat = load_catalog()
    ind = cat.get(args.indicator)
    unit = Registry.from_package().resolve(args.locality, level=ind.levels[0], vintage=ind.vintage)
    df = trend(con, cat, ind.id, unit.unit_id)
    if df.empty:
        raise UserError(f"no data for {ind.id} in {unit.display_name()} [{unit.unit_id}]")
    cols = ["year", "value", "rank", "of", "rank_source", "value_change", "rank_change", "comparable"]
    _emit(df[cols], args.format)
    return 0


def cmd_export(args, db: Path) -> int:
    con = connect(db)
    df = con.execute("""
        SELECT indicator_id, unit_id, year, value, official_rank, rank_basis, status, locality_in_source,
               source_url, note, import_id
        FROM observations
        ORDER BY indicator_id, unit_id, year, status, coalesce(value, -1e300), coalesce(official_rank, -1),
                 source_url, note
    """).df()
    if not args.raw:   # text a spreadsheet would run as a formula ("=…", "+HYPERLINK(…)") is quoted
        df = neutralise_formulas(df)
    if args.format == "parquet":
        if not args.out:
            raise UserError("--format parquet needs --out FILE")
        df.to_parquet(args.out, index=False)
    elif args.out:
        df.to_csv(args.out, index=False, lineterminator="\n")
    else:
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def cmd_build(args, db: Path) -> int:
    path = build(db, after_load=replay_archived_imports, reconcile=reconcile_archive)
    print(f"built {path}", file=sys.stderr)
    return 0


def cmd_check(args, db: Path) -> int:
    rows = check_database(db)
    print(f"ok {db}: {len(rows)} tables, {sum(rows.values()):,} rows", file=sys.stderr)
    return 0


def cmd_import(args, db: Path) -> int:
    print(run_import(args, db), file=sys.stderr)
    return 0


def cmd_revert(args, db: Path) -> int:
    print(revert_import(args.import_id, db_path=db), file=sys.stderr)
    return 0


def cmd_bench(args, db: Path) -> int:
    # The benchmark is a tool of the source checkout (benchmarks/, not an installed package: it drives a
    # server, Chromium and nginx), so it runs there in its own process: `python -m benchmarks`.
    import subprocess

    return subprocess.call([sys.executable, "-m", "benchmarks", "--scale", args.scale], cwd=ROOT)


def cmd_boundaries(args, db: Path) -> int:
    from geo.cli import main as geo_main  # here: it loads shapely (~0.3 s), which no other command needs

    return geo_main(args.rest)


def cmd_editors(args, db: Path) -> int:
    from analytics.editors import main as editors_main  # here: it loads argon2, which no other command needs

    return editors_main(args.rest)


COMMANDS = {"rank": cmd_rank, "trend": cmd_trend, "export": cmd_export, "build": cmd_build, "check": cmd_check,
            "import": cmd_import, "revert": cmd_revert, "bench": cmd_bench, "boundaries": cmd_boundaries,
            "editors": cmd_editors}
COMMANDS.update({name: (lambda args, db, f=f: f(args, db, UserError, _emit))
                 for name, f in explain_cli.COMMANDS.items()})


# Bad input of any command: reported on stderr with exit status 2.
USER_ERRORS = (UserError, RegistryError, FileNotFoundError, DatabaseUnreadable, ImportValidationError)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db = Path(args.db) if args.db else default_db_path()
    try:
        return COMMANDS[args.command](args, db)
    except KeyError as e:  # unknown indicator and the like: the message names what is known
        print(f"error: {e.args[0] if e.args else e}", file=sys.stderr)
        return 2
    except USER_ERRORS as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - the one place internal errors become exit 1
        bad_file = unreadable(e, db)
        if bad_file is not None:  # a damaged database file found while reading it
            print(f"error: {bad_file}", file=sys.stderr)
            return 2
        print(f"internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
