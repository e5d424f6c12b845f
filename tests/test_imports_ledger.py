"""analytics.imports.ledger: a spelling an editor confirmed is kept (who, when) and not asked again."""

from __future__ import annotations

import duckdb
import pytest
from import_support import copy_db, csv_bytes, long_rows, remove_2017_district_table

from analytics.imports import commit_import, replay_archived_imports, revert_import, validate_file
from analytics.store import writable_snapshot

TYPO = "Huyện Phú Giáoo"


@pytest.fixture
def db0(built_db, tmp_path):
    db = copy_db(built_db, tmp_path / "db0")
    remove_2017_district_table(db)
    return db


def typo_file() -> bytes:
    rows = long_rows()
    rows[7][1] = TYPO
    return csv_bytes(rows)


def aliases(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT alias, unit_id, confirmed_by, confirmed_at IS NOT NULL, import_id "
                           "FROM import_aliases ORDER BY alias").fetchall()


def test_confirmed_spelling_is_saved_and_not_asked_again(db0):
    first = validate_file(typo_file(), "typo.csv", db_path=db0)
    assert [r.name for r in first.pending_confirmations] == [TYPO]
    report = commit_import(first.confirm({TYPO: "old-d-722"}), db_path=db0, actor="editor@example.org")
    assert aliases(db0) == [(TYPO, "old-d-722", "editor@example.org", True, report.import_id)]

    again = validate_file(typo_file(), "typo-again.csv", db_path=db0)
    assert again.pending_confirmations == [] and not again.errors
    (res,) = [r for r in again.resolutions if r.name == TYPO]
    assert (res.unit_id, res.method) == ("old-d-722", "alias")


def test_revert_forgets_the_spellings_the_import_confirmed(db0):
    first = validate_file(typo_file(), "typo.csv", db_path=db0)
    report = commit_import(first.confirm({TYPO: "old-d-722"}), db_path=db0, actor="tester")
    revert_import(report.import_id, db_path=db0, actor="tester")
    assert aliases(db0) == []
    assert [r.name for r in validate_file(typo_file(), "typo.csv", db_path=db0).pending_confirmations] == [TYPO]


def test_a_remembered_spelling_never_crosses_levels(db0):
    """The alias names a district: a province indicator with the same spelling still fails."""
    first = validate_file(typo_file(), "typo.csv", db_path=db0)
    commit_import(first.confirm({TYPO: "old-d-722"}), db_path=db0, actor="tester")
    p = validate_file(csv_bytes([["par_index", TYPO, "2017", "80.1", "", "https://example.org/par"]]), "p.csv",
                      db_path=db0)
    assert [i.code for i in p.errors] == ["unknown_locality"]


def test_a_rebuild_replays_the_confirmed_spellings(db0, built_db, tmp_path, monkeypatch):
    first = validate_file(typo_file(), "typo.csv", db_path=db0)
    report = commit_import(first.confirm({TYPO: "old-d-722"}), db_path=db0, actor="tester")
    rebuilt = copy_db(built_db, tmp_path / "rebuilt")
    remove_2017_district_table(rebuilt)
    monkeypatch.setenv("CHISO_IMPORTS_DIR", str(db0.parent / "imports"))
    with writable_snapshot(rebuilt) as con:
        assert replay_archived_imports(con) == [report.import_id]
    assert aliases(rebuilt) == [(TYPO, "old-d-722", "tester", True, report.import_id)]
