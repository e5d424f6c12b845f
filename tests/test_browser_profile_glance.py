"""The Profile's table at a glance in Debian's Chromium at 1440×900: every column, notes included, fits the
table's width without a sideways scroll, in both languages. Uses the `server` and `browser` fixtures of
tests/test_browser_pages.py.

Run: ``.venv/bin/python -m pytest -m browser tests/test_browser_profile_glance.py``.
"""

from __future__ import annotations

import pytest
from test_browser_pages import _settle, browser, server  # noqa: F401 - fixtures shared with the page tests

from ui.nav import PAGE_URL as URL

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("query,last_column", [("", "Ghi chú"), ("?lang=en", "Notes")], ids=["vi", "en"])
def test_glance_table_fits_without_scrolling_sideways(server, browser, query, last_column):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    page = ctx.new_page()
    try:
        page.goto(server + URL["profile"] + query)
        _settle(page, False)
        table = page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        # the grid's accessible header row (hidden) appears once the table is drawn
        table.locator('[role="columnheader"]').last.wait_for(state="attached", timeout=30_000)
        headers = table.locator('[role="columnheader"]').all_text_contents()
        assert headers[-1] == last_column, headers  # the glance table, its notes last
        scroller = table.locator(".dvn-scroller")
        scroller.wait_for(timeout=30_000)
        size = scroller.evaluate("e => ({scroll: e.scrollWidth, client: e.clientWidth})")
        assert size["scroll"] <= size["client"], size
    finally:
        ctx.close()
