"""Readers during imports: never an error, never blocked, always the old or the new snapshot, never half.

Readers open read-only connections (as the app does) in threads of this process and in other processes,
over and over, while imports and reverts replace the database file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

from import_support import EXAMPLES, REPO

from analytics.imports import import_file, revert_import

QUERY = """
SELECT (SELECT count(*) FROM observations WHERE indicator_id LIKE 'bd_par_district%' AND year = 2017),
       (SELECT count(*) FROM ranking_rows WHERE indicator_id = 'bd_par_district' AND year = 2017),
       (SELECT coalesce(sum(value), 0) FROM facts WHERE indicator_id = 'bd_par_district' AND year = 2017)
"""
# (observations of the table incl. components, ranked rows, sum of the 9 index values)
OLD = (0, 0, 0.0)
NEW = (27, 9, 705.49)

READER = """
import json, sys, time, duckdb
db, stop, query = sys.argv[1], sys.argv[2], sys.argv[3]
import os
out = {"states": [], "errors": [], "max_latency": 0.0}
while not os.path.exists(stop):
    t = time.monotonic()
    try:
        con = duckdb.connect(db, read_only=True)
        row = con.execute(query).fetchall()[0]
        con.close()
        out["states"].append([row[0], row[1], round(row[2], 2)])
    except Exception as e:
        out["errors"].append(f"{type(e).__name__}: {e}")
    out["max_latency"] = max(out["max_latency"], time.monotonic() - t)
    time.sleep(0.01)
print(json.dumps(out))
"""


def _state(row) -> tuple:
    return (row[0], row[1], round(float(row[2]), 2))


def test_readers_see_old_or_new_never_half(db_without_2017, tmp_path):
    import duckdb

    stop_file = tmp_path / "stop"
    procs = [subprocess.Popen([sys.executable, "-c", READER, str(db_without_2017), str(stop_file), QUERY],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
             for _ in range(2)]
    stop = threading.Event()
    results: list[dict] = []

    def reader():
        out = {"states": [], "errors": [], "max_latency": 0.0}
        while not stop.is_set():
            t = time.monotonic()
            try:
                con = duckdb.connect(str(db_without_2017), read_only=True)
                out["states"].append(_state(con.execute(QUERY).fetchall()[0]))
                con.close()
            except Exception as e:  # noqa: BLE001 - any failure is the finding
                out["errors"].append(f"{type(e).__name__}: {e}")
            out["max_latency"] = max(out["max_latency"], time.monotonic() - t)
            time.sleep(0.01)
        results.append(out)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.3)
        first = import_file(EXAMPLES / "bd_par_district_2017_wide.xlsx", db_path=db_without_2017,
                            actor="writer")
        time.sleep(0.2)
        revert_import(first.import_id, db_path=db_without_2017)
        time.sleep(0.3)
    finally:
        stop.set()
        stop_file.touch()
        for t in threads:
            t.join(timeout=30)
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
            r = json.loads(out)
            r["states"] = [tuple(s) for s in r["states"]]
            results.append(r)

    assert len(results) == 4
    seen = set()
    for r in results:
        assert r["errors"] == [], r["errors"][:3]
        assert r["states"], "a reader never read"
        assert set(r["states"]) <= {OLD, NEW}, set(r["states"]) - {OLD, NEW}
        assert r["max_latency"] < 5.0
        seen |= set(r["states"])
    assert seen == {OLD, NEW}, "readers did not overlap with the imports"
