"""Child processes of the crash tests: killed the way a power cut would kill them, and never left behind."""

from __future__ import annotations

import contextlib
import signal
import subprocess
from collections.abc import Iterator


def kill_hard(proc: subprocess.Popen) -> None:
    """SIGKILL, which no handler of the child can catch or delay (a power cut, the kernel's OOM killer)."""
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL


@contextlib.contextmanager
def reaped(proc: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """``proc`` for the block; when the block ends, however it ends (a failed assertion included), a child
    still running is killed and its pipes are closed."""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
