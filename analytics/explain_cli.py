"""``chiso why`` and ``chiso gap``: why a locality's rank moved, and what it takes to move up.

CSV contracts (scripts rely on them):
- ``why``: ``component,prev_year,prev_value,value,change`` — one row per component of the two compared
  editions (largest change first), then one row with component ``overall``;
- ``gap``: ``target,target_rank,target_value,points_needed`` — ``next_rank``, ``top_10``, ``rank_1`` and,
  where they apply, ``band_<label>``, ``national_mean``, ``region_best``.
What the figures rest on (a partial table, the method) is said on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics.catalog import load_catalog
from analytics.explain import gap, movement
from analytics.gap import GAP_COLUMNS
from analytics.movement import why_table
from analytics.registry import Registry
from analytics.store import connect

REASONS = {
    "no_value": "{unit} has no figure for {ind} {year}",
    "no_previous": "{unit} has no earlier edition of {ind} before {year} to compare with",
    "series_break": "the method of {ind} changed between {prev} and {year} (series break): ranks not comparable",
    "n_basis": "{ind} {prev} and {year} rank different numbers of units: ranks not comparable",
}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    for name, text in (("why", "why a locality's rank moved between two editions"),
                       ("gap", "points a locality needs for the next rank, the top 10, rank 1, ...")):
        p = sub.add_parser(name, help=text)
        p.add_argument("indicator")
        p.add_argument("locality")
        p.add_argument("year", type=int)
        p.add_argument("--format", choices=["table", "csv", "json"], default="table")


def _setup(args, db: Path):
    con = connect(db)
    cat = load_catalog()
    ind = cat.get(args.indicator)
    unit = Registry.from_package().resolve(args.locality, year=args.year, level=ind.levels[0], vintage=ind.vintage)
    return con, cat, ind, unit


def cmd_why(args, db: Path, user_error: type[Exception], emit) -> int:
    con, cat, ind, unit = _setup(args, db)
    mv, prev_value, value = movement(con, cat, ind.id, unit.unit_id, args.year)
    if not mv.comparable:
        raise user_error(REASONS[mv.reason].format(unit=unit.display_name(), ind=ind.id, year=args.year,
                                                   prev=mv.prev_year))
    emit(why_table(mv, prev_value, value), args.format)
    basis = (f"among the {mv.n} units with a value in both editions (partial table)" if mv.basis == "among_n"
             else f"of {mv.of}")
    print(f"{ind.id} {mv.prev_year} → {args.year}, {unit.display_name()}: rank {mv.prev_rank} → {mv.rank} {basis}; "
          f"with the others held at {mv.prev_year} the new score would rank {mv.rank_if_others_held} "
          f"(own score {mv.own_effect:+d}, others' moves {mv.others_effect:+d} places); "
          f"components {'weighted' if mv.weighted else 'in their own points, unweighted'}", file=sys.stderr)
    return 0


def cmd_gap(args, db: Path, user_error: type[Exception], emit) -> int:
    con, cat, ind, unit = _setup(args, db)
    g = gap(con, cat, ind.id, unit.unit_id, args.year)
    if g.value is None:
        raise user_error(REASONS["no_value"].format(unit=unit.display_name(), ind=ind.id, year=args.year))
    emit(g.targets[GAP_COLUMNS], args.format)
    if g.basis == "among_n":
        print(f"partial table: ranks among the {g.n} units with a value in {ind.id} {args.year}, not official",
              file=sys.stderr)
    return 0


COMMANDS = {"why": cmd_why, "gap": cmd_gap}
