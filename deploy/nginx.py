"""The nginx configuration in front of the replicas, rendered from `nginx.conf.template`, and nginx run in
the foreground by an ordinary user (`-p` prefix, `-e` error log, every temporary path in a state folder)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from deploy import static

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
STATE_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "cache")


class NginxMissing(RuntimeError):
    """Debian's nginx is not installed."""


def nginx_binary() -> str:
    path = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not path:
        raise NginxMissing("nginx is not installed: sudo apt-get install nginx (Debian's package)")
    return path


def render(replicas: list[str], listen: str, state: Path, static_root: Path) -> str:
    """The configuration for `replicas` (host:port each) listening on `listen` (port or address:port), with
    its pid, logs, temporary files and static cache under `state`, Streamlit's assets from `static_root`
    (deploy.static.mirror)."""
    if not replicas:
        raise ValueError("at least one replica (host:port)")
    module = static.brotli_module()
    brotli = module is not None and (Path(static_root) / "complete").read_text().strip() == "brotli"
    # a master process running as root would hand its workers to `nobody`, who cannot write the state
    # folder; anyone else runs the workers as themselves (nginx ignores `user` then)
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"@USER@": user, "@STATE@": str(state), "@LISTEN@": listen, "@STATIC_ROOT@": str(static_root),
                       "@LOAD_MODULES@": f"load_module {module};" if brotli else "",
                       "@BROTLI_STATIC@": "            brotli_static on;" if brotli else "",
                       "@UPSTREAMS@": "\n".join(f"        server {r} max_fails=1 fail_timeout=5s;"
                                                for r in replicas)}.items():
        text = text.replace(key, value)
    return text


def write_config(replicas: list[str], listen: str, state: Path, static_root: Path) -> Path:
    state.mkdir(parents=True, exist_ok=True)
    for d in STATE_DIRS:
        (state / d).mkdir(exist_ok=True)
    conf = state / "nginx.conf"
    conf.write_text(render(replicas, listen, state, static_root), encoding="utf-8")
    check = subprocess.run([nginx_binary(), "-t", "-q", "-p", str(state), "-e", str(state / "error.log"),
                            "-c", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx rejects {conf}:\n{check.stderr.strip()}")
    return conf


def start(conf: Path, log) -> subprocess.Popen:
    """nginx in the foreground (`daemon off`): it stops with the process that started it."""
    state = conf.parent
    return subprocess.Popen([nginx_binary(), "-p", str(state), "-e", str(state / "error.log"), "-c", str(conf),
                             "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT)
