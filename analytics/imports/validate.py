"""``validate_file``: read a file and check every row without writing anything."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from analytics.catalog import Catalog, Indicator, default_catalog_path, load_catalog
from analytics.imports.cells import MAX_TEXT, CellError, cell_text, parse_year, short
from analytics.imports.compare import (
    classify_against,
    column_maps_exist,
    db_scopes,
    existing_rows,
    remembered_aliases,
)
from analytics.imports.grid import DEFAULT_LIMITS, FileRefused, Limits, col_letter
from analytics.imports.layout import (
    BLANK_ROW,
    combined_header,
    detect_layout,
    header_problems,
    indicator_from_title,
    level_from_header,
    main_value_col,
    meta_from_rows,
    nonempty,
    records_of,
    year_from_title,
)
from analytics.imports.mapping import signature
from analytics.imports.model import MAX_ERRORS, CheckContext, Issue, Preview
from analytics.imports.readers import load_bytes, read_grid
from analytics.imports.resolve import indicator_from_text, match_component_header
from analytics.imports.rules import check_records
from analytics.paths import default_db_path
from analytics.registry import Registry, RegistryError
from analytics.store import connect


# ============================================================================================ public API
def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def validate_file(path_or_bytes: Any, file_name: str | None = None, *, sheet: str | int | None = None,
                  indicator: str | None = None, year: int | str | None = None, within: str | None = None,
                  source_url: str | None = None, db_path: Path | str | None = None, replace: bool = False,
                  confirmed: dict[str, str] | None = None, accept_warnings: bool = False,
                  mapping: dict[str, str] | None = None, ambiguous: dict[str, str] | str | None = None,
                  limits: Limits | None = None,
                  catalog: Catalog | None = None, registry: Registry | None = None) -> Preview:
    """Read and validate a file without writing anything. Never raises for bad content: every
    problem is an Issue of the returned Preview (a missing path raises FileNotFoundError).

    ``ambiguous`` reads cells like "1.997" that neither the scale nor the previous edition decides:
    'thousands' or 'decimal' for the whole file, or per column letter ({"D": "thousands"})."""
    limits = limits or DEFAULT_LIMITS
    ambiguous = ambiguous_choices(ambiguous)
    params = {"indicator": indicator, "year": year, "source_url": source_url, "mapping": mapping}
    options = {"sheet": sheet, "indicator": indicator, "year": year, "within": within, "source_url": source_url,
               "replace": replace, "confirmed": dict(confirmed or {}), "accept_warnings": bool(accept_warnings),
               "mapping": dict(mapping) if mapping else None, "ambiguous": ambiguous or None,
               "db_path": str(db_path) if db_path else None}
    try:
        data, name = load_bytes(path_or_bytes, file_name, limits)
    except FileRefused as e:
        fname = file_name or (Path(path_or_bytes).name if isinstance(path_or_bytes, (str, Path)) else "upload")
        return Preview(fname, "", 0, b"", issues=[_refused(e)], options=options)
    name = Path(str(name).replace("\\", "/")).name or "upload"   # uploads may carry C:\\fakepath\\...
    preview = Preview(name, sha256_hex(data), len(data), data, options=options)
    try:
        grid = read_grid(data, name, sheet=sheet, limits=limits)
    except FileRefused as e:
        preview.issues.append(_refused(e))
        return preview
    preview.format, preview.sheet, preview.sheets, preview.encoding = grid.kind, grid.sheet, grid.sheets, grid.encoding
    for note_key, note_params in grid.notes:
        preview.issues.append(Issue.of("warning", note_key, code="file_note", **note_params))
    if grid.sheet in grid.hidden_sheets:
        preview.issues.append(Issue.of("check", "hidden_sheet_read", sheet=repr(grid.sheet)))
    elif grid.hidden_sheets:
        preview.issues.append(Issue.of("warning", "hidden_sheets", sheets=", ".join(map(repr, grid.hidden_sheets))))
    if not any(nonempty(r) for r in grid.rows):
        several = len(grid.sheets) > 1   # message keys spelled whole, so the catalog check finds them
        key = (("empty_sheet_choose" if several else "empty_sheet") if grid.sheet
               else ("empty_file_choose" if several else "empty_file"))
        preview.issues.append(Issue.of("error", key, code="empty",
                                       sheet=repr(grid.sheet)))
        return preview

    preview.first_row = next([short(cell_text(v), 60) for v in r] for r in grid.rows if nonempty(r))
    cat = catalog or default_catalog()
    reg = registry or Registry.from_package()
    within_unit = None
    if within:
        try:
            within_unit = reg.resolve(within, vintage="legacy")
        except RegistryError as e:
            preview.issues.append(Issue.of("error", "bad_within", code="bad_parameter", error=str(e)))
            return preview
    ctx = CheckContext(name, cat, reg, replace, dict(confirmed or {}), within_unit)
    ctx.stale_formulas = grid.stale_formulas
    ctx.ambiguous = ambiguous

    if not mapping and db_path_or_default(db_path).exists():
        params["mapping"] = remembered_mapping(db_path_or_default(db_path), grid.rows)
        preview.options["mapping"] = params["mapping"]
    lay, info = detect_layout(grid, ctx, params)
    preview.header_signature = info.get("signature")
    if lay is None:
        preview.issues.extend(ctx.issues)
        return preview
    preview.layout = lay.kind
    preview.header_row = grid.row_numbers[lay.header_last]
    table_ind: Indicator | None = None
    if lay.kind == "wide":
        title_rows = range(0, lay.header_first)
        meta = meta_from_rows(grid, title_rows)
        tail_meta = meta_from_rows(grid, range(lay.data_start, len(grid.rows)))
        title = " ".join(dict.fromkeys(t for r in title_rows for t in nonempty(grid.rows[r])))
        ind_text = indicator or (meta.get("indicator") or (None,))[0]
        how = "term_option" if indicator else "term_title_cell"   # where the indicator was named
        if ind_text:
            table_ind, close = indicator_from_text(cat, str(ind_text))
            if table_ind is None:
                ctx.add(Issue.of("error", "unknown_table_indicator" if close else "unknown_table_indicator_no_hint",
                                 code="unknown_indicator", name=repr(short(ind_text)), how=how, close=", ".join(close),
                              row=grid.row_numbers[meta["indicator"][1]] if not indicator and "indicator" in meta else None))
        else:
            level_hint = level_from_header(lay)
            iid, why = indicator_from_title(cat, title, level_hint)
            if iid:
                table_ind = cat.get(iid)
                preview.issues.append(Issue.of("warning", "indicator_from_title", indicator=iid,
                                               label=table_ind.label("vi")))
            else:
                reason, _, ids = why.partition(":")   # a message key, and the candidates it names
                key = {"why_no_title": "no_indicator_why_no_title", "why_unknown_index": "no_indicator_why_unknown_index",
                       "why_several_levels": "no_indicator_why_several_levels"}[reason]
                ctx.add(Issue.of("error", key, code="no_indicator", ids=ids))
        ytext = year if year not in (None, "") else (meta.get("year") or (None,))[0]
        if ytext not in (None, ""):
            try:
                params["year"] = parse_year(ytext if not isinstance(ytext, str) else ytext.strip())
            except CellError as e:
                ctx.add(Issue("error", "bad_year", e.message, e.fix, key=e.key, params=e.params))
        else:
            y = year_from_title(title)
            if y is None:   # "PAR INDEX 2019 (%)": a year in the score/rank headers
                heads = " ".join(c.name or "" for c in lay.cols if c.role in ("value", "official_rank"))
                found = set(re.findall(r"\b((?:199|20[0-4])\d)\b", heads))
                y = int(found.pop()) if len(found) == 1 else None
            if y is None:
                ctx.add(Issue.of("error", "no_year"))
            else:
                params["year"] = y
        if not source_url:
            src = (meta.get("source") or tail_meta.get("source") or (None,))[0]
            m = re.search(r"https?://[^\s<>\"']+", src or "")
            if m:
                params["source_url"] = m.group(0).rstrip(").,;")
        if within is None and "within" in meta:
            with contextlib.suppress(RegistryError):
                ctx.within = reg.resolve(meta["within"][0], vintage="legacy", level="province")
        preview.indicator = table_ind.id if table_ind else None
        preview.year = params.get("year") if isinstance(params.get("year"), int) else None
        if table_ind is not None:
            for col in lay.cols:
                bottom, allt = combined_header(grid, lay.header_first, lay.header_last, col.idx)
                comp = match_component_header(cat, table_ind, bottom, allt)
                if comp and col.role in ("value", "unknown", None):
                    col.role, col.component = "component_value", comp
            if not any(c.role == "value" for c in lay.cols) and not any(c.role == "official_rank" for c in lay.cols) \
                    and not any(c.role == "component_value" for c in lay.cols):
                ctx.add(Issue.of("error", "no_value_column", row=preview.header_row))
            values = [c for c in lay.cols if c.role == "value"]
            if len(values) > 1:
                main = main_value_col(values)
                preview.issues.append(Issue.of(
                    "warning", "several_value_columns",
                    columns=", ".join(col_letter(c.idx) + " " + short(c.name, 30) for c in values),
                    main=col_letter(main.idx), name=short(main.name, 30), indicator=table_ind.id))
            for col in lay.cols:
                if col.role == "unknown" and col.name:
                    preview.issues.append(Issue.of("warning", "ignored_column", row=preview.header_row,
                                                   column=col_letter(col.idx), name=repr(short(col.name, 60))))
        if ctx.n_errors:
            preview.issues.extend(ctx.issues)
            return preview
    if not header_problems(ctx, grid, lay, params):
        preview.issues.extend(ctx.issues)
        return preview

    skipped: list[tuple[int, str]] = []
    records = records_of(grid, lay, ctx, params, table_ind, skipped)
    preview.skipped = skipped
    blank = [rn for rn, why in skipped if why == BLANK_ROW]
    if blank and records:
        ctx.add(Issue.of("warning", "blank_rows", n=len(blank),
                         rows=", ".join(map(str, blank[:5])) + (", …" if len(blank) > 5 else "")))
    if not records:
        if blank:
            ctx.add(Issue.of("error", "no_rows_template", code="no_rows", n=len(blank)))
        else:
            ctx.add(Issue.of("error", "no_rows", header_row=preview.header_row))
        preview.issues.extend(ctx.issues)
        return preview

    db = db_path_or_default(db_path)
    scopes: dict[str, str | None] = {}
    con = None
    if db.exists():
        roots = set()
        for rec in records:
            iid = rec.component_id or (table_ind.id if table_ind else cell_text(rec.f["indicator"].value))
            ind, _ = indicator_from_text(cat, iid) if iid and len(iid) <= MAX_TEXT["indicator"] else (None, [])
            if ind is not None and ind.levels[0] != "province":
                roots.add(ind.id.split(".")[0])
        try:
            con = connect(db, read_only=True)
            scopes = db_scopes(con, roots)
            ctx.remembered = remembered_aliases(con)
            ctx.con = con
        except Exception as e:  # noqa: BLE001 - a reader may race with a replace: report, do not crash
            preview.issues.append(Issue.of("warning", "db_unavailable", error=str(e)))
            con = None
    try:
        rows = check_records(ctx, grid, records, params, scopes)
        if con is not None and rows:
            clash_issues, preview.replaced_existing = classify_against(rows, existing_rows(con, rows), replace)
            for i in clash_issues:
                ctx.add(i)
    finally:
        if con is not None:
            con.close()
    if ctx.truncated:
        ctx.issues.append(Issue.of("error", "too_many_errors", n=MAX_ERRORS))
    preview.rows = rows
    preview.ambiguous_cells = ctx.ambiguous_cells
    preview.issues.extend(ctx.issues)
    preview.resolutions = sorted(ctx.resolutions.values(), key=lambda r: (r.rows[0] if r.rows else 0, r.name))
    return preview


_CATALOG_CACHE: dict[tuple[str, float], Catalog] = {}


def default_catalog() -> Catalog:
    """The default catalog, parsed once per process (and again when the YAML file changes)."""
    path = default_catalog_path()
    try:
        ck = (str(path), path.stat().st_mtime)
    except OSError:
        return load_catalog()
    if ck not in _CATALOG_CACHE:
        _CATALOG_CACHE.clear()
        _CATALOG_CACHE[ck] = load_catalog()
    return _CATALOG_CACHE[ck]




READINGS = ("thousands", "decimal")


def ambiguous_choices(ambiguous: dict[str, str] | str | None) -> dict[str, str]:
    """{column letter or "*": reading}; a reading other than 'thousands'/'decimal' is a caller's error."""
    choices = {"*": ambiguous} if isinstance(ambiguous, str) else dict(ambiguous or {})
    bad = {k: v for k, v in choices.items() if v not in READINGS}
    if bad:
        raise ValueError(f"ambiguous readings must be one of {READINGS}, got {bad}")
    return choices


def default_db() -> Path:
    return default_db_path()


def _refused(e: FileRefused) -> Issue:
    return Issue("error", "refused", e.message, e.fix, key=e.key, params=e.params)


def db_path_or_default(db_path: Path | str | None) -> Path:
    return Path(db_path) if db_path else default_db_path()


def remembered_mapping(db: Path, rows: list[list[Any]]) -> dict[str, str] | None:
    """The column mapping an editor gave for a header with the same signature, if any."""
    try:
        con = connect(db, read_only=True)
    except Exception:  # noqa: BLE001 - a reader may race with a replace: no remembered mapping then
        return None
    try:
        saved = dict(con.execute("SELECT signature, mapping FROM import_column_maps").fetchall()) \
            if column_maps_exist(con) else {}
    finally:
        con.close()
    for row in rows[:60]:
        found = saved.get(signature(row)) if any(v not in (None, "") for v in row) else None
        if found:
            return json.loads(found)
    return None
