"""Load (issue 6): browser-like WebSocket sessions read Overview and Rankings of a real `streamlit run app.py`
while the example file is imported and reverted through the backend. Errors must be 0; the latency
figures are printed (run with -s to see them; `python -m benchmarks.load` prints a larger run) and
never asserted. The same server is first probed as a viewer for the editors' page."""

from __future__ import annotations

from benchmarks import load as loadtest


def test_sessions_read_pages_while_imports_run(built_db, tmp_path):
    res = loadtest.run_load(built_db, sessions=3, rounds=1, imports=1, workdir=tmp_path, timeout=120,
                            warm=False)
    for line in res.lines():
        print(line)
    assert res.errors == []
    assert res.imports_done == 1 and res.reverts_done == 1
    assert len(res.runs) >= 3 * 2 and {r.page for r in res.runs} == {"overview", "rankings"}
    assert all(r.elements.get("heading") for r in res.runs)            # every run rendered a page
    # a viewer of a fresh server: the editors' page is neither served nor listed
    assert not res.viewer_reached_import_page()
    for name, probe in res.probes.items():
        assert probe.page_not_found, name
        assert not probe.elements.get("file_uploader"), name
        assert probe.nav_pages and not any(p in loadtest.IMPORT_PAGE_NAMES for p in probe.nav_pages), name
