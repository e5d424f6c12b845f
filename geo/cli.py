"""``chiso boundaries ...``: register, list and export boundary layers.

    chiso boundaries add FILE --level province|district|commune --vintage legacy|2025 [--key FIELD]
    chiso boundaries list
    chiso boundaries export --level L --vintage V --out FILE.geojson
    chiso boundaries remove --level L --vintage V
    chiso boundaries build [--check]          # rebuild data/boundaries (needs npm; developers only)

``main(argv)`` returns 0 on success, 2 on bad input (message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys

from geo import layers
from geo import user_boundaries as ub
from geo.levels import LayerError

LEVELS = ("province", "district", "commune")
VINTAGES = ("legacy", "2025")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 2 with a one-line message, like argparse, but catchable
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="chiso boundaries", description="Boundary layers: add your own, list, export.")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    a = sub.add_parser("add", help="register a GeoJSON / GeoPackage / zipped Shapefile / KML")
    a.add_argument("file")
    a.add_argument("--level", required=True, choices=LEVELS)
    a.add_argument("--vintage", required=True, choices=VINTAGES)
    a.add_argument("--key", default=None, help="field holding the unit code or name (default: detect)")
    a.add_argument("--attribution", default=None, help="credit line shown under maps using this layer")
    a.add_argument("--json", action="store_true", help="print the coverage report as JSON")
    sub.add_parser("list", help="what each level uses and where it came from").add_argument("--json", action="store_true")
    e = sub.add_parser("export", help="write the layer in use (with a `code` property)")
    e.add_argument("--level", required=True, choices=LEVELS)
    e.add_argument("--vintage", required=True, choices=VINTAGES)
    e.add_argument("--out", required=True)
    r = sub.add_parser("remove", help="unregister a user layer (back to the built one)")
    r.add_argument("--level", required=True, choices=LEVELS)
    r.add_argument("--vintage", required=True, choices=VINTAGES)
    b = sub.add_parser("build", help="rebuild the committed layers in data/boundaries (needs npm)")
    b.add_argument("--check", action="store_true")
    return p


def _print_report(rep: dict) -> None:
    print(f"registered {rep['file']} as {rep['level']}/{rep['vintage']} (key {rep['key']!r}, by {rep['key_kind']})")
    print(f"  features in file: {rep['features_in_file']}  (source CRS {rep.get('crs_in')})")
    print(f"  matched units:    {rep['matched_units']} of {rep['units_expected']}")
    print(f"  unmatched features: {rep['unmatched_features']}"
          + (f"  e.g. {', '.join(rep['unmatched_values'][:5])}" if rep["unmatched_values"] else ""))
    if rep["duplicates"]:
        dup = ", ".join(f"{c}×{n}" for c, n in list(rep["duplicates"].items())[:10])
        print(f"  duplicates (merged): {len(rep['duplicates'])}  {dup}")
    if rep["units_without_feature"]:
        print(f"  units without a feature: {rep['units_without_feature']}"
              f"  e.g. {', '.join(rep['units_without_feature_sample'][:8])}")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "boundaries":
        argv = argv[1:]
    try:
        args = _parser().parse_args(argv)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    try:
        if args.cmd == "add":
            rep = ub.add(args.file, args.level, args.vintage, key=args.key, attribution=args.attribution)
            if args.json:
                print(json.dumps(rep, ensure_ascii=False, indent=1))
            else:
                _print_report(rep)
        elif args.cmd == "list":
            rows = layers.list_layers()
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                for r in rows:
                    flag = " (approximate)" if r["approximate"] else ""
                    extra = f", added {r['added']}" if r.get("added") else ""
                    print(f"{r['level']:<9}{r['vintage']:<7} {r['in_use']:<6}{flag} {r['source']}{extra}")
                    print(f"{'':17}{r['path']}")
        elif args.cmd == "export":
            out = layers.export_layer(args.level, args.vintage, args.out)
            print(f"wrote {out}")
        elif args.cmd == "remove":
            ok = ub.remove(args.level, args.vintage)
            print("removed; the built layer is used again" if ok else "no user layer was registered")
        elif args.cmd == "build":
            from geo import build  # lazily: only `boundaries build` needs the build tooling

            return build.main(["--check"] if args.check else [])
    except (ub.BoundaryError, LayerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
