"""Debian's Chromium driven by Playwright (browser downloads are impossible here): the one launch used by the
browser tests and by the benchmark's browser figures (`benchmarks.browser`)."""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def why_no_browser() -> str | None:
    """The reason a browser run cannot happen on this machine (a test skips with it), or None."""
    if not Path(CHROMIUM).exists():
        return "Debian chromium is not installed"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@contextlib.contextmanager
def chromium():
    """Playwright's Chromium = Debian's /usr/bin/chromium; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
