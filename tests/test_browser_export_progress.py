"""Press export in Debian's Chromium: a click on a PNG export shows progress (the button turns into a
spinner while the image is built) and then downloads a PNG. Uses the `server` and `browser` fixtures of
tests/test_browser_pages.py.

Run: ``.venv/bin/python -m pytest -m browser tests/test_browser_export_progress.py``.
"""

from __future__ import annotations

import io

import pytest
from test_browser_pages import _settle, browser, server  # noqa: F401 - fixtures shared with the page tests

from ui.nav import PAGE_URL as URL

pytestmark = pytest.mark.browser

# records whether a spinner ever appears in a download button (the export may be quick once warm)
WATCH_JS = """() => {
    window.__exportSpinner = false;
    const seen = () => { if (document.querySelector(
        '[data-testid="stDownloadButton"] [data-testid="stSpinnerIcon"]')) window.__exportSpinner = true; };
    new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_png_export_shows_progress_then_downloads_a_png(server, browser):  # noqa: F811
    Image = pytest.importorskip("PIL.Image")
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    try:
        page.goto(server + URL["overview"] + "?lang=en&indicator=PAR+INDEX&year=2020")
        _settle(page, True)
        button = page.get_by_role("button", name="PNG square 1080×1080").first
        button.scroll_into_view_if_needed()
        page.evaluate(WATCH_JS)
        with page.expect_download(timeout=90_000) as dl:
            button.click()
        assert page.evaluate("window.__exportSpinner"), "no progress shown while the PNG was built"
        assert dl.value.suggested_filename.endswith("_square.png")
        with open(dl.value.path(), "rb") as f:
            img = Image.open(io.BytesIO(f.read()))
        assert img.format == "PNG" and img.size == (2160, 2160)
    finally:
        ctx.close()
