"""The benchmark prints only its own lines: Streamlit's warnings about running outside a server ("No runtime
found", thousands of them in one run) are silenced by benchmarks.quiet; without it they reach stderr."""

from __future__ import annotations

import subprocess
import sys

from analytics.paths import ROOT

CODE = """
import sys
if sys.argv[1] == "quiet":
    from benchmarks.quiet import quiet_streamlit_logs
    quiet_streamlit_logs()
import streamlit as st

@st.cache_data                 # outside a server: "No runtime found" (the app's cached readers do this)
def f(x):
    return x

f(1)
st.write("outside a server")   # "missing ScriptRunContext"
print("done")
"""


def _run(mode: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", CODE, mode], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_streamlit_warnings_are_silenced_in_the_benchmark():
    loud, quiet = _run("loud"), _run("quiet")
    assert loud.returncode == 0 and quiet.returncode == 0, loud.stderr + quiet.stderr
    assert "No runtime found" in loud.stderr          # what the benchmark used to print, thousands of times
    assert quiet.stdout.strip() == "done"
    assert quiet.stderr == ""
