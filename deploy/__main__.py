"""python -m deploy: run replicas behind nginx on this machine, publish a snapshot, print the nginx config.

    python -m deploy run 2 8080 [--db var/chiso.duckdb] [--shared]   # 2 replicas + nginx on :8080, Ctrl-C stops
    python -m deploy publish [SNAPSHOT]        # default: the writer's database of the running cluster
    python -m deploy nginx-conf --replicas 127.0.0.1:8501,127.0.0.1:8502 --listen 80 --state /var/lib/chiso/nginx
    python -m deploy warm 8501                 # once the replica on :8501 answers, run every page once
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
import time
import urllib.request
from pathlib import Path

from analytics.paths import default_db_path
from deploy import nginx, static
from deploy.publish import publish_snapshot
from deploy.replicas import STATE, Cluster, cluster
from deploy.warm import warm


def _run(args) -> int:
    src = args.db or default_db_path()
    if not Path(src).exists():
        print(f"no database at {src}: run `chiso build` first", file=sys.stderr)
        return 2
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with cluster(args.replicas, args.port, source_db=Path(src), state=args.state, shared=args.shared) as c:
        print(f"Chỉ số: {len(c.replica_ports)} replicas (ports {', '.join(map(str, c.replica_ports))}) behind "
              f"nginx: open {c.url} in your browser. Ctrl-C stops everything.", flush=True)
        print(f"writer database: {c.writer_db}  (import into it with CHISO_DB={c.writer_db} chiso import FILE,"
              " then: python -m deploy publish)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not done.wait(1):
                pass
    return 0


def _publish(args) -> int:
    info = args.state / "cluster.json"
    if not info.exists():
        print(f"no running cluster ({info} missing): start one with `python -m deploy run N PORT`", file=sys.stderr)
        return 2
    c = Cluster.load(info)
    src = args.snapshot or c.writer_db
    replaced = publish_snapshot(src, c.replica_dbs)
    print(f"published {src} to {len(replaced)} replica database(s)"
          + ("" if replaced else " (they share the writer's file: nothing to copy)"))
    return 0


def _warm(args) -> int:
    url = f"http://127.0.0.1:{args.port}/_stcore/health"
    deadline = time.time() + args.timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):
                break
        except OSError:
            if time.time() > deadline:
                print(f"no replica answers {url}", file=sys.stderr)
                return 1
            time.sleep(0.5)
    print(f"replica on port {args.port} warmed in {warm(args.port):.1f} s")
    return 0


def _conf(args) -> int:
    sys.stdout.write(nginx.render(args.replicas.split(","), args.listen, args.state,
                                  static.mirror(args.state / "static")))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="N replicas + nginx on this machine, in the foreground")
    r.add_argument("replicas", type=int)
    r.add_argument("port", type=int)
    r.add_argument("--db", type=Path, default=None, help="database to serve (copied); default the app's")
    r.add_argument("--shared", action="store_true", help="every replica reads the writer's file itself")
    r.add_argument("--state", type=Path, default=STATE)
    pub = sub.add_parser("publish", help="copy a snapshot atomically into every replica's database")
    pub.add_argument("snapshot", type=Path, nargs="?")
    pub.add_argument("--state", type=Path, default=STATE)
    c = sub.add_parser("nginx-conf", help="print the nginx configuration for given replicas")
    c.add_argument("--replicas", required=True, help="host:port,host:port,...")
    c.add_argument("--listen", default="80")
    c.add_argument("--state", type=Path, default=Path("/var/lib/chiso/nginx"))
    w = sub.add_parser("warm", help="run every page once on a replica (after a start)")
    w.add_argument("port", type=int)
    w.add_argument("--timeout", type=float, default=120)
    args = p.parse_args(argv)
    try:
        return {"run": _run, "publish": _publish, "nginx-conf": _conf, "warm": _warm}[args.cmd](args)
    except (nginx.NginxMissing, FileNotFoundError) as e:
        print(e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
