"""A process killed in the middle of an import leaves the previous data intact and usable, and nothing
that blocks the next import."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import time

from import_support import EXAMPLES, REPO, export_bytes

from analytics.imports import PAUSE_ENV, import_file, list_imports, validate_file
from tests.support.processes import kill_hard, reaped

CHILD = """
import pickle, sys
from analytics.imports import commit_import
preview = pickle.load(open(sys.argv[1], "rb"))
commit_import(preview, db_path=sys.argv[2], actor="crash-test")
print("committed (should never get here)", flush=True)
"""


def test_kill_during_import(db_without_2017, tmp_path, capsys):
    before = export_bytes(db_without_2017, tmp_path)
    preview = validate_file(EXAMPLES / "bd_par_district_2017_wide.xlsx", db_path=db_without_2017)
    assert preview.ok
    (tmp_path / "preview.pickle").write_bytes(pickle.dumps(preview))
    env = dict(os.environ, **{PAUSE_ENV: "60", "PYTHONPATH": str(REPO)})
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "preview.pickle"),
                              str(db_without_2017)],
                             stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    with reaped(child) as proc:
        deadline = time.monotonic() + 60
        line = ""
        while "pausing" not in line:
            assert time.monotonic() < deadline, "the importer never reached the pause"
            line = proc.stderr.readline()
            assert line or proc.poll() is None, proc.stderr.read()
        # rows are written into the private snapshot and the archive is pending: kill it now
        stray = list(db_without_2017.parent.glob("chiso.duckdb.*.tmp*"))
        assert stray, "the import had not started writing its snapshot"
        pending = [json.loads(p.read_text(encoding="utf-8"))
                   for p in (db_without_2017.parent / "imports").glob("*/manifest.json")]
        assert [m["status"] for m in pending] == ["pending"]
        kill_hard(proc)

    # the previous data are intact and usable
    assert export_bytes(db_without_2017, tmp_path) == before
    assert list_imports(db_without_2017) == []
    from analytics.cli import main

    assert main(["--db", str(db_without_2017), "rank", "pci", "2018", "--format", "csv"]) == 0
    capsys.readouterr()

    # the next import is not blocked (the lock died with the process) and cleans up after the dead one
    report = import_file(EXAMPLES / "bd_par_district_2017_wide.xlsx", db_path=db_without_2017,
                         actor="after-crash")
    assert report.rows_added == 27
    assert not list(db_without_2017.parent.glob("chiso.duckdb.*.tmp*"))
    statuses = sorted(json.loads(p.read_text(encoding="utf-8"))["status"]
                      for p in (db_without_2017.parent / "imports").glob("*/manifest.json"))
    assert statuses == ["abandoned", "committed"]
    assert [(r.import_id, r.status) for r in list_imports(db_without_2017)] == [
        (report.import_id, "committed")]


def test_kill_after_commit_before_manifest_update_is_reconciled(db_without_2017):
    """Killed between the database replace and the manifest update: the next write marks it committed
    (the database is the truth), so `chiso build` still replays it."""
    from analytics.imports import archive as audit

    first = import_file(EXAMPLES / "bd_par_district_2017_wide.xlsx", db_path=db_without_2017)
    root = db_without_2017.parent / "imports"
    audit.update_manifest(root, first.import_id, status="pending")
    vi = EXAMPLES / "bd_par_district_2017_long_vi.csv"
    import_file(vi, db_path=db_without_2017, replace=True)
    assert audit.read_manifest(root / first.import_id).status == "committed"
