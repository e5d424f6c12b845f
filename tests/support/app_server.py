"""A real ``streamlit run app.py`` on a free loopback port against a given database: the one server start-up
of the browser tests and of the benchmark (`benchmarks.server`), built on the replica command of deploy/."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from analytics.paths import ROOT
from deploy.replicas import free_port, replica_command, stop, wait_healthy


@contextlib.contextmanager
def app_server(db: Path, *, args: Sequence[str] = (), env: dict[str, str] | None = None, debug: bool = True,
               log: Path | None = None, port: int | None = None, timeout: float = 60.0,
               pids: list[int] | None = None) -> Iterator[int]:
    """Start the app on 127.0.0.1 against ``db``, wait until it answers, yield its port, stop it after.

    ``args``: more ``streamlit run`` options (e.g. ``--secrets.files``); ``env``: more variables;
    ``debug=False`` runs the page guard as in production (a friendly error box instead of a re-raise);
    output goes to ``log`` (default ``server.log`` next to the database); the pid is appended to ``pids``."""
    port = port or free_port()
    full_env = dict(os.environ, CHISO_DB=str(db), **(env or {}))
    if debug:
        full_env["CHISO_DEBUG"] = "1"
    else:
        full_env.pop("CHISO_DEBUG", None)
    log_path = Path(log) if log else Path(db).parent / "server.log"
    with open(log_path, "wb") as out:
        proc = subprocess.Popen([*replica_command(port), *args], cwd=str(ROOT), env=full_env, stdout=out,
                                stderr=subprocess.STDOUT)
        if pids is not None:
            pids.append(proc.pid)
        try:
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, timeout, log_path, "the app server")
            yield port
        finally:
            stop(proc)
