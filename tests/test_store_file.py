"""The database as a file: `chiso build` writes a new file and swaps it in (a kill leaves the previous one,
readers never fail during a build), reconciles the import archive with the file it replaces, and `chiso check`
(and every command) reports a truncated, damaged or foreign file with one message naming it and the fix."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pandas as pd
import pytest
from import_support import EXAMPLES, REPO, export_bytes
from streamlit.testing.v1 import AppTest

from analytics.cli import main
from analytics.ranking import ranking
from analytics.store import DatabaseUnreadable, check_database, connect
from tests.support.apptest import apptest_env
from tests.support.processes import kill_hard, reaped
from ui import cache as ui_cache

BUILD = [sys.executable, "-c", "import sys; from analytics.cli import main; sys.exit(main(sys.argv[1:]))"]


def _build_process(db) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), CHISO_IMPORTS_DIR=str(db.parent / "imports"))
    return subprocess.Popen([*BUILD, "--db", str(db), "build"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, text=True)


def test_kill_during_build_leaves_the_previous_database(db, tmp_path):
    before = export_bytes(db, tmp_path)
    with reaped(_build_process(db)) as proc:
        deadline = time.monotonic() + 60
        while not list(db.parent.glob("chiso.duckdb.*.tmp*")):
            assert proc.poll() is None, f"the build ended before it was caught writing: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.005)
        kill_hard(proc)
    assert check_database(db)["observations"] > 1000
    assert export_bytes(db, tmp_path) == before
    # the next build is not blocked and removes the dead one's file
    assert main(["--db", str(db), "build"]) == 0
    assert not list(db.parent.glob("chiso.duckdb.*.tmp*"))
    assert export_bytes(db, tmp_path) == before


def test_reads_during_a_build_never_fail(db, catalog):
    con = connect(db)
    expected = ranking(con, "par_index", 2020, catalog=catalog)
    con.close()
    assert len(expected) > 10
    reads = 0
    with reaped(_build_process(db)) as proc:
        while proc.poll() is None:
            con = connect(db)  # what a page does on a new database version
            try:
                df = ranking(con, "par_index", 2020, catalog=catalog)
            finally:
                con.close()
            pd.testing.assert_frame_equal(df, expected)
            reads += 1
        assert proc.returncode == 0, proc.stderr.read()
    assert reads >= 3  # the build (seconds) outlasts many reads
    con = connect(db)
    try:
        assert con.execute("SELECT count(*) FROM ranked_facts").fetchall()[0][0] > 1000
    finally:
        con.close()


def _overview() -> AppTest:
    """One page load of the Overview (PAR INDEX 2020, Bình Dương) from an empty cache, so that it reads the
    database file now at the path (a cached page would not read it at all)."""
    ui_cache.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["indicator"] = "PAR INDEX"
    at.query_params["year"] = "2020"
    at.run()
    return at


def test_page_loads_during_a_build_render_the_headline(db):
    """The page a visitor opens while `chiso build` runs in another process shows its data on every load:
    no exception, the headline rank and score (the build reads the same data/, so the figures are equal)."""
    with apptest_env(db):
        warm = _overview()     # the first run imports the app: not counted as a load during the build
        assert not warm.exception, warm.exception
        loads = []
        with reaped(_build_process(db)) as proc:
            while proc.poll() is None:
                at = _overview()
                loads.append((not at.exception, {m.label: str(m.value) for m in at.metric}))
                assert not at.exception, at.exception
            assert proc.returncode == 0, proc.stderr.read()
            after = _overview()   # and the first load after the swap, on the new file
            loads.append((not after.exception, {m.label: str(m.value) for m in after.metric}))
    assert len(loads) >= 2, "no page load overlapped the build"
    for ok, m in loads:
        assert ok and m.get("Thứ hạng") == "4/63" and m.get("Điểm") == "86,93%", m


def test_build_replays_an_import_committed_in_the_database_but_pending_in_the_archive(
        db_without_2017, monkeypatch, capsys):
    """Killed between the swap and marking the archive committed: the database being replaced is the truth,
    so the build marks the archive committed and replays it instead of dropping it."""
    from analytics.imports import archive as audit
    from analytics.imports import import_file, list_imports

    report = import_file(EXAMPLES / "bd_par_district_2017_wide.xlsx", db_path=db_without_2017)
    root = db_without_2017.parent / "imports"
    audit.update_manifest(root, report.import_id, status="pending")  # as if killed right after the swap
    monkeypatch.setenv("CHISO_IMPORTS_DIR", str(root))
    assert main(["--db", str(db_without_2017), "build"]) == 0
    err = capsys.readouterr().err
    assert "never completed" not in err, err
    assert audit.read_manifest(root / report.import_id).status == "committed"
    assert [(r.import_id, r.status) for r in list_imports(db_without_2017)] == [
        (report.import_id, "committed")]


# ------------------------------------------------------------------------------------------ damaged files
def _truncated(src, dest):
    data = src.read_bytes()
    dest.write_bytes(data[: len(data) // 2])


def _damaged(src, dest):
    """One byte flipped inside every 256 KiB block: each block's checksum fails."""
    data = bytearray(src.read_bytes())
    for off in range(3 * 4096 + 1000, len(data), 262144):
        data[off] ^= 0xFF
    dest.write_bytes(bytes(data))


def _foreign(src, dest):
    dest.write_bytes(b"not a database " * 1000)


@pytest.mark.parametrize("spoil", [_truncated, _damaged, _foreign])
def test_check_and_export_report_a_spoiled_file(built_db, tmp_path, capsys, spoil):
    db = tmp_path / "chiso.duckdb"
    spoil(built_db, db)
    for argv in (["check"], ["export", "--format", "csv", "--out", str(tmp_path / "out.csv")]):
        assert main(["--db", str(db), *argv]) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith(f"error: database {db} cannot be read (") and "chiso build" in err, err
        assert "Traceback" not in err and ".ro-" not in err
        assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()
    with pytest.raises(DatabaseUnreadable):
        check_database(db)


def test_check_passes_on_the_built_database(built_db, tmp_path, capsys):
    db = tmp_path / "chiso.duckdb"
    shutil.copyfile(built_db, db)
    assert main(["--db", str(db), "check"]) == 0
    assert capsys.readouterr().err.startswith(f"ok {db}: ")
    tables = check_database(db)
    assert {"observations", "ranked_facts", "imports", "import_replaced", "units"} <= set(tables)


def test_a_damaged_database_is_never_published_by_a_write(built_db, tmp_path):
    """A write copies the file into a private snapshot: the copy is checked before the swap, so the damaged
    blocks are reported instead of republished, and the file is left as it was."""
    from analytics.store import refresh_derived, writable_snapshot

    db = tmp_path / "chiso.duckdb"
    _damaged(built_db, db)
    before = db.read_bytes()
    with pytest.raises(DatabaseUnreadable, match=str(db)), writable_snapshot(db) as con:
        refresh_derived(con, ["pci"])
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("chiso.duckdb.*.tmp*"))
