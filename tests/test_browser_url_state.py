"""Real-browser tests of choices that travel and of search as people type (Playwright driving Debian's
/usr/bin/chromium, the `streamlit run` server of tests/test_browser_pages.py):

- a year picked on Overview is the year Rankings opens with; Back returns to the Overview view, Forward to
  the Rankings view;
- the share box holds a link that, opened in a fresh tab, reproduces the view, and its copy button puts
  that link on the clipboard;
- typing "binh duong" in a locality picker offers Bình Dương;
- a region-filtered Rankings download is named after the region;
- the app makes no request that leaves 127.0.0.1 (fonts and favicon are served by the app).

Run: ``.venv/bin/python -m pytest -m browser tests/test_browser_url_state.py``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_browser_pages import _settle, browser, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True,
                              permissions=["clipboard-read", "clipboard-write"])
    pg = ctx.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    ctx.close()


def _sidebar_select(pg, label: str):
    return pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=label).last


def _pick(pg, label: str, option: str) -> None:
    _sidebar_select(pg, label).click()
    pg.keyboard.type(option)
    pg.locator('[role="option"]').filter(has_text=option).first.click()
    _settle(pg, False)


def _value(pg, label: str) -> str:
    """The picker's shown value; a year's label carries its coverage ("2018 · 63/63"): the year alone."""
    shown = _sidebar_select(pg, label).locator("input").get_attribute("value") or ""
    return shown.split(" · ")[0]


def _no_third_party(pg, base: str) -> None:
    host = urlsplit(base).netloc
    outside = [u for u in pg.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).netloc != host]
    assert not outside, outside


def test_year_travels_and_back_restores_the_view(server, page):  # noqa: F811
    page.goto(server + "/")
    _settle(page, False)
    _pick(page, "Năm", "2018")
    assert "year=2018" in page.url
    page.locator("header a, [data-testid='stTopNavLinkContainer'] a").filter(has_text="Xếp hạng").first.click()
    _settle(page, False)
    assert urlsplit(page.url).path == "/xep-hang"
    assert _value(page, "Năm") == "2018"  # carried from Overview
    _pick(page, "Năm", "2016")
    assert "r_year=2016" in page.url
    # Back until Overview's own entry: Streamlit's navigation pushes one intermediate entry (its clean-up of
    # the previous page's parameters), so it may take two steps; the view must then be the one left.
    for _ in range(2):
        page.go_back()
        _settle(page, False)
        if "year=2018" in page.url:
            break
    assert urlsplit(page.url).path == "/" and "year=2018" in page.url, page.url
    assert _value(page, "Năm") == "2018"
    page.go_forward()
    _settle(page, False)
    page.go_forward()
    _settle(page, False)
    assert "r_year=2016" in page.url and _value(page, "Năm") == "2016"
    _no_third_party(page, server)


def test_share_link_reproduces_the_view_and_is_copied(server, page, browser):  # noqa: F811
    page.goto(server + "/xep-hang?lang=en&r_ind=PCI&r_year=2018")
    _settle(page, False)
    code = page.locator('[data-testid="stSidebar"] [data-testid="stCode"]')
    link = code.inner_text().strip()
    assert "r_ind=PCI" in link and "r_year=2018" in link and "lang=en" in link, link
    code.hover()
    code.locator("button").first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("navigator.clipboard.readText()").strip() == link
    other = browser.new_page(viewport={"width": 1440, "height": 900})
    try:
        other.goto(link)
        _settle(other, False)
        assert _value(other, "Indicator") == "PCI" and _value(other, "Year") == "2018"
    finally:
        other.close()
    _no_third_party(page, server)


def test_typing_without_diacritics_offers_the_locality(server, page):  # noqa: F811
    page.goto(server + "/ho-so")
    _settle(page, False)
    _sidebar_select(page, "Địa phương").click()
    page.keyboard.type("binh duong")
    first = page.locator('[role="option"]').first
    first.wait_for(timeout=10_000)
    assert first.inner_text().startswith("Bình Dương"), page.locator('[role="option"]').all_inner_texts()[:5]
    page.keyboard.press("Escape")
    placeholder = _sidebar_select(page, "Chỉ số").locator("input").get_attribute("placeholder")
    assert placeholder and "Choose an option" not in placeholder
    assert "Choose an option" not in page.content()
    _no_third_party(page, server)


def test_region_filtered_download_is_named_after_the_region(server, page):  # noqa: F811
    page.goto(server + "/xep-hang?r_ind=PAR+INDEX&r_year=2020&r_region=%C4%90%C3%B4ng+Nam+B%E1%BB%99")
    _settle(page, False)
    button = page.locator('[data-testid="stDownloadButton"] button:visible').filter(has_text="CSV").first
    button.wait_for(state="visible", timeout=60_000)   # a loaded machine may still be drawing the page
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=60_000) as dl:
        button.click()
    assert dl.value.suggested_filename == "par-index_2020_tinh_vung-dong-nam-bo.csv"
    body = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert "Đông Nam Bộ" in body and "Toàn quốc" not in body
    _no_third_party(page, server)
