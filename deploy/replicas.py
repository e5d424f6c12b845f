"""N app replicas (`streamlit run app.py`, one port each) behind nginx on this machine.

Layout under the state folder (default var/deploy/):

    writer/chiso.duckdb            the database the writer (``chiso import``, ``chiso build``) changes
    replica-<port>/chiso.duckdb    each replica's own copy (as on separate servers), or, with ``shared``,
                                   every replica reads writer/chiso.duckdb itself
    replica-<port>/server.log      the replica's output
    nginx/                         the generated nginx.conf, its pid, logs, temporary files, static cache
    cluster.json                   ports and database paths, read by ``python -m deploy publish``

A replica reads its database file by path and notices a new file by its mtime (ui/db_cache.py, ui/versioned.py), so a
snapshot published with ``os.replace`` (deploy/publish.py) reaches every open session on its next
rerun, without restarting anything or dropping a WebSocket.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analytics.paths import ROOT, VAR_DIR
from deploy import nginx, static
from deploy.warm import warm

STATE = VAR_DIR / "deploy"
STATIC = STATE / "static"     # the compressed copy of Streamlit's assets, shared by every run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def replica_command(port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false"]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float, log_path: Path, what: str) -> None:
    """Until `url` answers 200; an exited process or the timeout raise with the end of its log."""
    deadline = time.time() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            raise TimeoutError(f"{what} did not answer {url} within {timeout:.0f} s:\n{tail(log_path)}")
        time.sleep(0.2)


def tail(path: Path, n: int = 2000) -> str:
    try:
        return path.read_bytes()[-n:].decode("utf-8", "replace")
    except OSError:
        return ""


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


@dataclass
class Cluster:
    proxy_port: int
    writer_db: Path
    replica_ports: list[int] = field(default_factory=list)
    replica_dbs: list[Path] = field(default_factory=list)
    pids: list[int] = field(default_factory=list)     # replicas, then nginx

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def save(self, path: Path) -> None:
        d = {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(self).items()}
        d["replica_dbs"] = [str(p) for p in self.replica_dbs]
        path.write_text(json.dumps(d, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Cluster:
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls(d["proxy_port"], Path(d["writer_db"]), d["replica_ports"], [Path(p) for p in d["replica_dbs"]],
                   d.get("pids", []))


@contextlib.contextmanager
def cluster(n: int, port: int | None = None, *, source_db: Path, state: Path = STATE, shared: bool = False,
            env: dict[str, str] | None = None, timeout: float = 90.0, warm_up: bool = True):
    """`n` replicas on free loopback ports and nginx on `port` (a free one when None), every database a copy
    of `source_db`; with `warm_up`, every page runs once on each replica before nginx starts (deploy/warm.py);
    yields the Cluster; stops every process it started on exit."""
    if n < 1:
        raise ValueError("at least one replica")
    proxy_port = port or free_port()
    writer = state / "writer" / "chiso.duckdb"
    writer.parent.mkdir(parents=True, exist_ok=True)
    if Path(source_db).resolve() != writer.resolve():
        shutil.copyfile(source_db, writer)
    c = Cluster(proxy_port, writer)
    # every replica signs its cookies (editors' sign-in) with the same secret, so any replica accepts them
    secret_file = state / "cookie_secret"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_hex(32), encoding="utf-8")
        secret_file.chmod(0o600)
    procs: list[subprocess.Popen] = []
    logs = []
    try:
        for _ in range(n):
            p = free_port()
            folder = state / f"replica-{p}"
            folder.mkdir(parents=True, exist_ok=True)
            db = writer if shared else folder / "chiso.duckdb"
            if not shared:
                shutil.copyfile(writer, db)
            full_env = dict(os.environ, CHISO_DB=str(db), CHISO_IMPORTS_DIR=str(writer.parent / "imports"),
                            STREAMLIT_SERVER_COOKIE_SECRET=secret_file.read_text(encoding="utf-8").strip(),
                            **(env or {}))
            log = open(folder / "server.log", "wb")  # noqa: SIM115 - closed in the finally below
            logs.append(log)
            procs.append(subprocess.Popen(replica_command(p), cwd=str(ROOT), env=full_env, stdout=log,
                                          stderr=subprocess.STDOUT))
            c.replica_ports.append(p)
            c.replica_dbs.append(db)
        for p, proc in zip(c.replica_ports, procs, strict=True):
            wait_healthy(f"http://127.0.0.1:{p}/_stcore/health", proc, timeout,
                         state / f"replica-{p}" / "server.log", f"replica on port {p}")
            if warm_up:
                warm(p)
        conf = nginx.write_config([f"127.0.0.1:{p}" for p in c.replica_ports], f"127.0.0.1:{proxy_port}",
                                  state / "nginx", static.mirror(STATIC))
        log = open(state / "nginx" / "stdout.log", "wb")  # noqa: SIM115 - closed in the finally below
        logs.append(log)
        procs.append(nginx.start(conf, log))
        wait_healthy(f"{c.url}/_stcore/health", procs[-1], 20, state / "nginx" / "error.log", "nginx")
        c.pids = [p.pid for p in procs]
        c.save(state / "cluster.json")
        yield c
    finally:
        for proc in reversed(procs):
            stop(proc)
        for log in logs:
            log.close()
        for db in c.replica_dbs:        # the copies (the logs stay for a look afterwards)
            if db != writer:
                db.unlink(missing_ok=True)
        with contextlib.suppress(FileNotFoundError):
            (state / "cluster.json").unlink()
