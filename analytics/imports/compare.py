"""The file's rows against the database: which are new, unchanged, replacements or clashes."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd

from analytics.imports.model import Issue, ParsedRow


# ============================================================================================ database reads
def existing_rows(con, rows: list[ParsedRow]) -> dict[tuple[str, str, int], list[dict[str, Any]]]:
    if not rows:
        return {}
    keys = pd.DataFrame({"indicator_id": [r.indicator_id for r in rows], "unit_id": [r.unit_id for r in rows],
                         "year": [r.year for r in rows]}).drop_duplicates()
    con.register("import_keys_df", keys)
    try:
        res = con.execute("""
            SELECT o.obs_id, o.indicator_id, o.unit_id, o.locality_in_source, o.year, o.value, o.official_rank,
                   o.rank_basis, o.source_url, o.note, o.status, o.import_id
            FROM observations o JOIN import_keys_df k USING (indicator_id, unit_id, year)
            ORDER BY o.obs_id""").fetchall()
        names = ["obs_id", "indicator_id", "unit_id", "locality_in_source", "year", "value", "official_rank",
                 "rank_basis", "source_url", "note", "status", "import_id"]
    finally:
        con.unregister("import_keys_df")
    out: dict[tuple[str, str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in res:
        d = dict(zip(names, r, strict=True))
        out[(d["indicator_id"], d["unit_id"], int(d["year"]))].append(d)
    return out


def same_figure(a: ParsedRow, b: dict[str, Any]) -> bool:
    def eq(x, y):
        if x is None or y is None:
            return x is None and y is None
        return abs(float(x) - float(y)) <= 1e-9 * max(1.0, abs(float(x)))

    # the file repeats what the database holds; a rank or source the file leaves out is not a contradiction
    return (b.get("status") == "primary" and eq(a.value, b.get("value"))
            and (a.official_rank is None or a.official_rank == b.get("official_rank"))
            and (a.source_url is None or a.source_url == b.get("source_url")))


def identical_figure(a: ParsedRow, b: dict[str, Any]) -> bool:
    """Replacing `b` by `a` would store the same figure: same value, rank, basis, source, note and name."""
    obs = a.obs()

    def norm(v):  # an empty text is stored for a missing one
        return None if v == "" else v

    return same_figure(a, b) and all(norm(obs[k]) == norm(b.get(k)) for k in (
        "official_rank", "rank_basis", "source_url", "note", "locality_in_source"))


def classify_against(rows: list[ParsedRow], existing: dict, replace: bool) -> tuple[list[Issue], int]:
    issues: list[Issue] = []
    replaced = 0
    for r in rows:
        ex = existing.get((r.indicator_id, r.unit_id, r.year), [])
        if r.status == "alternative":   # another source's figure: kept beside the primary one, never a clash
            r.action = "unchanged" if any(e.get("value") == r.value and e.get("source_url") == r.source_url
                                          for e in ex) else "new"
            continue
        if not ex:
            r.action = "new"
        elif replace and len(ex) == 1 and identical_figure(r, ex[0]):
            r.action = "unchanged"  # re-importing the same figure with --replace changes nothing
        elif replace:
            r.action = "replace"
            replaced += len(ex)
        elif any(same_figure(r, e) for e in ex):
            r.action = "unchanged"
        else:
            e = next((x for x in ex if x["status"] == "primary"), ex[0])
            have = f"value {e['value']:g}" if e["value"] is not None else "no value"
            if e["official_rank"] is not None:
                have += f", rank {e['official_rank']}"
            got = f"value {r.value:g}" if r.value is not None else "no value"
            if r.official_rank is not None:
                got += f", rank {r.official_rank}"
            src = f" from {e['source_url']}" if e["source_url"] else ""
            issues.append(Issue.of("error", "clash", row=r.row, indicator=r.indicator_id, year=r.year,
                                   unit=r.unit_name, have=have + src, got=got))
    return issues, replaced


def column_maps_exist(con) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'import_column_maps'"
                            ).fetchall()[0][0])


def remembered_aliases(con) -> dict[str, list[str]]:
    """Spellings editors confirmed in earlier imports → unit ids (empty before the first confirmation)."""
    has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'import_aliases'").fetchall()
    if not has[0][0]:
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    for alias, unit_id in con.execute("SELECT alias, unit_id FROM import_aliases ORDER BY confirmed_at DESC"
                                      ).fetchall():
        out[alias].append(unit_id)
    return dict(out)


def db_scopes(con, roots: set[str]) -> dict[str, str | None]:
    """For each within-province indicator family: its province, when the database has exactly one."""
    out: dict[str, str | None] = {}
    for root in sorted(roots):
        row = con.execute("""
            SELECT min(u.province_id), count(DISTINCT u.province_id)
            FROM (SELECT DISTINCT unit_id FROM observations
                  WHERE indicator_id = $root OR starts_with(indicator_id, $prefix)) o
            JOIN units u USING (unit_id) WHERE u.level <> 'province'""",
                          {"root": root, "prefix": root + "."}).fetchall()[0]
        out[root] = row[0] if row and row[1] == 1 else None
    return out




def previous_value(con, indicator_id: str, unit_id: str, year: int) -> tuple[int, float] | None:
    """The unit's primary value in the latest earlier edition of the indicator, if the database has one."""
    if con is None:
        return None
    row = con.execute("""SELECT year, value FROM observations
        WHERE indicator_id = ? AND unit_id = ? AND year < ? AND value IS NOT NULL AND status = 'primary'
        ORDER BY year DESC LIMIT 1""", [indicator_id, unit_id, year]).fetchall()
    return (int(row[0][0]), float(row[0][1])) if row else None


def publishes_values(con, indicator_id: str) -> bool:
    """Do the editions of the indicator in the database publish values (not only ranks)?"""
    if con is None:
        return False
    return bool(con.execute("SELECT count(*) FROM observations WHERE indicator_id = ? AND value IS NOT NULL",
                            [indicator_id]).fetchall()[0][0])
