"""Publish a database snapshot to every replica: copy it next to each replica's database file, flush it to
disk, then `os.replace` it over that file (atomic on one filesystem).

A replica never sees a half-written file: its open read-only connection keeps the old file (the inode
stays alive until it is closed), and the next rerun of each session sees the new mtime and opens the new
file (ui/db_cache.py, ui/versioned.py). No process restarts, no WebSocket is dropped.

With replicas that share one file, publishing is the `os.replace` the writer already does (chiso import,
chiso build); this is for replicas with their own copy (separate servers: copy the snapshot to each
server first, e.g. with rsync to a temporary name, then run this there)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def publish_snapshot(src: Path, targets: list[Path]) -> list[Path]:
    """Copy `src` over each of `targets` atomically; returns the targets that were replaced (a target that
    is `src` itself is left alone)."""
    src = Path(src)
    if not src.is_file():
        raise FileNotFoundError(f"no snapshot at {src}")
    done = []
    for target in targets:
        target = Path(target)
        if target.exists() and os.path.samefile(src, target):
            continue
        tmp = target.with_name(f".{target.name}.publish-{os.getpid()}")
        try:
            # copyfile, not copy2: the new file gets a new mtime, the signal the replicas look for
            shutil.copyfile(src, tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        done.append(target)
    return done
