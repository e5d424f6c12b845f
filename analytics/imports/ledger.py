"""The import ledger: commit a checked file, revert an import, list imports, replay archived imports into a
rebuilt database. Every write happens in one ``writable_snapshot`` (a private copy that atomically replaces
the database), so a failure or a kill leaves the previous database intact."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import sys
import time
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Any

import pandas as pd

from analytics import store
from analytics.imports import archive
from analytics.imports.compare import classify_against, existing_rows, same_figure
from analytics.imports.model import (
    ImportRecord,
    ImportReport,
    ImportValidationError,
    ParsedRow,
    Preview,
    RevertReport,
)
from analytics.imports.validate import default_db, validate_file

PAUSE_ENV = "CHISO_TEST_IMPORT_PAUSE"   # test hook: seconds to sleep after rows are written to the snapshot

def _actor(actor: str | None) -> str:
    if actor:
        return str(actor)[:200]
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001
        return "cli"


def _new_import_id(sha: str) -> str:
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S%f}Z-{sha[:8]}"


def _ensure_tables(con) -> None:
    store.ensure_ledger(con)  # the one schema (analytics.store.schema) holds the ledger's tables


def reconcile_archive(con) -> None:
    """`_reconcile` for `chiso build`: the archive against the database `con` reads (the one being replaced)."""
    _reconcile(con, archive.archive_root_for_connection(con))


def _save_mapping(con, import_id: str, signature: str | None, mapping: dict[str, str] | None, actor: str | None,
                  when: dt.datetime) -> None:
    """Remember which column held what for this header, so the next file with the same header is read alike."""
    if signature and mapping:
        con.execute("INSERT OR REPLACE INTO import_column_maps VALUES (?, ?, ?, ?, ?)",
                    [signature, json.dumps(mapping, ensure_ascii=False, sort_keys=True), actor, when, import_id])


def _save_aliases(con, import_id: str, confirmed: dict[str, str], actor: str | None, when: dt.datetime) -> None:
    """Keep the spellings an editor confirmed (name as written → unit id), with who and when."""
    for alias, unit_id in sorted(confirmed.items()):
        con.execute("INSERT OR REPLACE INTO import_aliases VALUES (?, ?, ?, ?, ?)",
                    [alias, unit_id, actor, when, import_id])


def _reconcile(con, root: Path) -> None:
    """Bring archive manifests in line with the database after a crash (writer lock held)."""
    archive.remove_stale_temp_dirs(root)
    db_status = dict(con.execute("SELECT import_id, coalesce(status, 'committed') FROM imports").fetchall())
    for m in archive.manifests(root):
        st = db_status.get(m.import_id)
        if st is None and m.status == "pending":
            archive.update_manifest(root, m.import_id, status="abandoned")
        elif st is not None and st != m.status:
            archive.update_manifest(root, m.import_id, status=st)


def _apply_rows(con, import_id: str, obs_rows: list[dict[str, Any]], keys_to_clear: list[tuple[str, str, int]]
                ) -> int:
    """Move the existing rows of `keys_to_clear` aside (for undo), then insert `obs_rows`."""
    replaced = 0
    if keys_to_clear:
        kdf = pd.DataFrame(keys_to_clear, columns=["indicator_id", "unit_id", "year"]).drop_duplicates()
        con.register("clear_keys_df", kdf)
        try:
            con.execute("""
                INSERT INTO import_replaced SELECT ?, o.obs_id, o.indicator_id, o.unit_id, o.locality_in_source,
                    o.year, o.value, o.official_rank, o.rank_basis, o.source_url, o.note, o.status, o.import_id
                FROM observations o JOIN clear_keys_df k USING (indicator_id, unit_id, year)""", [import_id])
            replaced = con.execute("SELECT count(*) FROM import_replaced WHERE import_id = ?", [import_id]).fetchall()[0][0]
            con.execute("""DELETE FROM observations WHERE obs_id IN (
                SELECT obs_id FROM import_replaced WHERE import_id = ?)""", [import_id])
        finally:
            con.unregister("clear_keys_df")
    store.load_observations(con, [{k: ("" if v is None else v) for k, v in r.items()} for r in obs_rows],
                      import_id=import_id)
    return replaced


def commit_import(preview: Preview, *, db_path: Path | str | None = None, replace: bool | None = None,
                  actor: str | None = None) -> ImportReport:
    """Write a validated preview in one atomic snapshot, archive the file, log the import."""
    db = Path(db_path) if db_path else Path(preview.options.get("db_path") or default_db())
    if replace is None:
        replace = bool(preview.options.get("replace"))
    if replace != bool(preview.options.get("replace")) or str(db) != str(preview.options.get("db_path") or db):
        opts = {k: v for k, v in preview.options.items() if k not in ("replace", "db_path")}
        preview = validate_file(preview.data, preview.file_name, db_path=db, replace=replace, **opts)
    if not preview.ok:
        raise ImportValidationError(f"{preview.file_name}: not imported, the database is unchanged:\n"
                                    + preview.error_report(), preview)
    if not db.exists():
        raise FileNotFoundError(f"database {db} does not exist: run `chiso build` first")
    actor = _actor(actor)
    root = archive.archive_root(db)
    warnings = [i.format() for i in preview.warnings + preview.checks]
    report = ImportReport(preview.file_name, preview.sha256, None, False, 0, 0, 0, warnings=warnings)
    archive_dir: Path | None = None
    committed = False
    try:
        with store.writable_snapshot(db) as con:
            _ensure_tables(con)
            _reconcile(con, root)
            rows = [dc_replace(r) for r in preview.rows]
            issues, _ = classify_against(rows, existing_rows(con, rows), replace)
            if issues:   # the database changed since the preview
                raise ImportValidationError(f"{preview.file_name}: not imported, the database changed since the "
                                            "file was checked:\n" + "\n".join(i.format(preview.file_name)
                                                                              for i in issues[:60]),
                                            preview, issues)
            to_write = [r for r in rows if r.action in ("new", "replace")]
            report.rows_unchanged = sum(r.action == "unchanged" for r in rows)
            if not to_write:
                raise _NothingToDo()
            import_id = _new_import_id(preview.sha256)
            while (root / import_id).exists():
                time.sleep(0.001)
                import_id = _new_import_id(preview.sha256)
            obs_rows = [r.obs() for r in to_write]
            clear = [(r.indicator_id, r.unit_id, r.year) for r in to_write if r.action == "replace"]
            report.rows_replaced = _apply_rows(con, import_id, obs_rows, clear)
            report.rows_added = len(obs_rows)
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            manifest = archive.Manifest(
                import_id=import_id, imported_at=now.isoformat(timespec="microseconds"), actor=actor,
                file_name=preview.file_name, stored_name=archive.safe_stored_name(preview.file_name),
                sha256=preview.sha256, size=preview.size, replace=replace, status="pending", sheet=preview.sheet,
                format=preview.format, layout=preview.layout,
                options={k: v for k, v in preview.options.items() if k not in ("db_path",)},
                rows_added=report.rows_added, rows_replaced=report.rows_replaced,
                rows_unchanged=report.rows_unchanged)
            archive_dir = archive.write_archive(root, manifest, preview.data, obs_rows)
            con.execute("""INSERT INTO imports (import_id, imported_at, file_name, sha256, rows_added, rows_replaced,
                actor, archived_path, status, rows_unchanged, replace_mode) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                        [import_id, now, preview.file_name, preview.sha256, report.rows_added, report.rows_replaced,
                         actor, str(archive_dir), "committed", report.rows_unchanged, replace])
            _save_aliases(con, import_id, {r.name: r.unit_id for r in preview.resolutions
                                           if r.method == "confirmed" and r.unit_id}, actor, now)
            _save_mapping(con, import_id, preview.header_signature, preview.options.get("mapping"), actor, now)
            pause = os.environ.get(PAUSE_ENV)
            if pause:
                print(f"import: rows written to snapshot, pausing {pause}s", file=sys.stderr, flush=True)
                time.sleep(float(pause))
            store.refresh_derived(con, {r.indicator_id for r in to_write})  # only the indicators the file touches
            report.import_id = import_id
            report.archived_path = str(archive_dir)
        committed = True
    except _NothingToDo:
        return report
    finally:
        if archive_dir is not None and not committed:
            shutil.rmtree(archive_dir, ignore_errors=True)
    archive.update_manifest(root, report.import_id, status="committed")
    return report


class _NothingToDo(Exception):
    pass


def import_file(path: Path | str, *, db_path: Path | str | None = None, dry_run: bool = False,
                replace: bool = False, sheet: str | None = None, indicator: str | None = None,
                year: int | str | None = None, within: str | None = None, source_url: str | None = None,
                actor: str | None = None, confirmed: dict[str, str] | None = None,
                mapping: dict[str, str] | None = None, accept_warnings: bool = False,
                ambiguous: dict[str, str] | str | None = None) -> ImportReport:
    """Validate and (unless dry_run) commit a file. Raises ImportValidationError listing every problem."""
    db = Path(db_path) if db_path else default_db()
    preview = validate_file(path, None, sheet=sheet, indicator=indicator, year=year, within=within,
                            source_url=source_url, db_path=db, replace=replace, confirmed=confirmed,
                            mapping=mapping, accept_warnings=accept_warnings, ambiguous=ambiguous)
    if not preview.ok:
        raise ImportValidationError(f"{preview.file_name}: not imported, the database is unchanged:\n"
                                    + preview.error_report(), preview)
    if dry_run:
        c = preview.counts
        return ImportReport(preview.file_name, preview.sha256, None, True, c["new"] + c["replace"],
                            preview.replaced_existing, c["unchanged"], warnings=[i.format() for i in preview.warnings + preview.checks])
    return commit_import(preview, db_path=db, replace=replace, actor=actor)


def revert_import(import_id: str, *, db_path: Path | str | None = None, actor: str | None = None) -> RevertReport:
    """Undo an import: remove its rows and restore the rows it replaced, exactly."""
    db = Path(db_path) if db_path else default_db()
    if not archive.valid_import_id(str(import_id)):
        raise ImportValidationError.of("not_an_import_id", id=repr(import_id))
    if not db.exists():
        raise FileNotFoundError(f"database {db} does not exist: run `chiso build` first")
    root = archive.archive_root(db)
    actor = _actor(actor)
    with store.writable_snapshot(db) as con:
        _ensure_tables(con)
        _reconcile(con, root)
        row = con.execute("SELECT imported_at, coalesce(status, 'committed') FROM imports WHERE import_id = ?",
                          [import_id]).fetchall()
        row = row[0] if row else None
        if row is None:
            raise ImportValidationError.of("no_such_import", id=import_id, db=str(db))
        if row[1] != "committed":
            raise ImportValidationError.of("import_not_committed", id=import_id, status=row[1])
        later = con.execute("""
            WITH mine AS (
                SELECT indicator_id, unit_id, year FROM observations WHERE import_id = $id
                UNION SELECT indicator_id, unit_id, year FROM import_replaced
                WHERE import_id = $id OR prev_import_id = $id),
            theirs AS (
                SELECT o.import_id, o.indicator_id, o.unit_id, o.year FROM observations o
                UNION SELECT r.import_id, r.indicator_id, r.unit_id, r.year FROM import_replaced r)
            SELECT DISTINCT i.import_id FROM theirs t JOIN mine USING (indicator_id, unit_id, year)
            JOIN imports i ON i.import_id = t.import_id
            WHERE t.import_id <> $id AND coalesce(i.status, 'committed') = 'committed'
              AND (i.imported_at, i.import_id) > ($at, $id)
            ORDER BY 1""", {"id": import_id, "at": row[0]}).fetchall()
        if later:
            ids = ", ".join(r[0] for r in later)
            raise ImportValidationError.of("later_imports_first", id=import_id, ids=ids)
        touched = [i for (i,) in con.execute("""SELECT indicator_id FROM observations WHERE import_id = $id
            UNION SELECT indicator_id FROM import_replaced WHERE import_id = $id""", {"id": import_id}).fetchall()]
        removed = con.execute("SELECT count(*) FROM observations WHERE import_id = ?", [import_id]).fetchall()[0][0]
        con.execute("DELETE FROM observations WHERE import_id = ?", [import_id])
        restored = con.execute("SELECT count(*) FROM import_replaced WHERE import_id = ?", [import_id]).fetchall()[0][0]
        con.execute("""INSERT INTO observations (obs_id, indicator_id, unit_id, locality_in_source, year, value,
                official_rank, rank_basis, source_url, note, status, import_id)
            SELECT obs_id, indicator_id, unit_id, locality_in_source, year, value, official_rank, rank_basis,
                source_url, note, status, prev_import_id FROM import_replaced WHERE import_id = ? ORDER BY obs_id""",
                    [import_id])
        con.execute("DELETE FROM import_replaced WHERE import_id = ?", [import_id])
        con.execute("DELETE FROM import_aliases WHERE import_id = ?", [import_id])
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        con.execute("UPDATE imports SET status = 'reverted', reverted_at = ?, reverted_by = ? WHERE import_id = ?",
                    [now, actor, import_id])
        store.refresh_derived(con, touched)  # the indicators of the rows removed and restored
    archive.update_manifest(root, import_id, status="reverted", reverted_at=now.isoformat(timespec="microseconds"),
                          reverted_by=actor)
    return RevertReport(import_id, int(removed), int(restored))


def list_imports(db_path: Path | str | None = None) -> list[ImportRecord]:
    """Every import recorded in the database, oldest first."""
    db = Path(db_path) if db_path else default_db()
    con = store.connect(db, read_only=True)
    try:
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'imports'").fetchall()}
        if not cols:
            return []
        extra = [c if c in cols else f"NULL AS {c}" for c in ("status", "reverted_at", "reverted_by")]
        rows = con.execute(f"""SELECT import_id, imported_at, actor, file_name, sha256, rows_added, rows_replaced,
            {', '.join(extra)}, archived_path FROM imports ORDER BY imported_at, import_id""").fetchall()
    finally:
        con.close()
    return [ImportRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "committed", r[8], r[9], r[10])
            for r in rows]


def replay_archived_imports(con) -> list[str]:
    """Re-apply every committed archived import, oldest first (``chiso build`` calls this).

    The archive stores the rows each import inserted, so a rebuild does not depend on today's registry or
    catalog. A replayed row whose key now holds an identical row in data/ is skipped; a different row is
    replaced (and kept aside, so the import can still be reverted). Reverted imports are listed in the
    ``imports`` table for the audit trail but not applied.
    """
    root = archive.archive_root_for_connection(con)
    _ensure_tables(con)
    applied: list[str] = []
    for m in archive.manifests(root):
        if m.status not in ("committed", "reverted"):
            if m.status == "pending":
                print(f"warning: archived import {m.import_id} never completed; not replayed", file=sys.stderr)
            continue
        added = replaced = 0
        if m.status == "committed":
            try:
                raw = archive.read_rows(root, m.import_id)
            except OSError as e:
                print(f"warning: archived import {m.import_id} unreadable ({e}); not replayed", file=sys.stderr)
                continue
            rows = [ParsedRow(0, r["indicator_id"], r["unit_id"], "", r["locality_in_source"], int(r["year"]),
                              float(r["value"]) if r["value"] else None,
                              int(r["official_rank"]) if r["official_rank"] else None, r["rank_basis"] or None,
                              r["source_url"] or None, r["note"] or None) for r in raw]
            existing = existing_rows(con, rows)
            keep, clear = [], []
            for r in rows:
                ex = existing.get((r.indicator_id, r.unit_id, r.year), [])
                if any(same_figure(r, e) and e.get("source_url") == r.source_url for e in ex) and not m.replace:
                    continue
                if ex:
                    clear.append((r.indicator_id, r.unit_id, r.year))
                    if not m.replace:
                        print(f"warning: replaying {m.import_id}: {r.indicator_id} {r.year} {r.unit_id} now differs "
                              "in data/; the imported figure wins", file=sys.stderr)
                keep.append(r)
            replaced = _apply_rows(con, m.import_id, [r.obs() for r in keep], clear)
            _save_aliases(con, m.import_id, dict((m.options or {}).get("confirmed") or {}), m.actor,
                          dt.datetime.fromisoformat(m.imported_at))
            added = len(keep)
            applied.append(m.import_id)
        con.execute("""INSERT INTO imports (import_id, imported_at, file_name, sha256, rows_added, rows_replaced,
            actor, archived_path, status, reverted_at, reverted_by, rows_unchanged, replace_mode)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    [m.import_id, dt.datetime.fromisoformat(m.imported_at), m.file_name, m.sha256,
                     added if m.status == "committed" else m.rows_added,
                     replaced if m.status == "committed" else m.rows_replaced, m.actor, str(root / m.import_id),
                     m.status, dt.datetime.fromisoformat(m.reverted_at) if m.reverted_at else None, m.reverted_by,
                     m.rows_unchanged, m.replace])
    return applied
