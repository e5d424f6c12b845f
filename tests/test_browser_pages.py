"""Real-browser test of the dashboard: a `streamlit run app.py` server on a free port against the test
database, Debian's Chromium driven by Playwright. Every page is opened from its URL alone; the test
checks that no error box is shown, that the charts were drawn, and saves a full-page screenshot of each
page to ``artifacts/screenshots/`` (git-ignored; named in the README). One press export (PNG 1920×1080
at 2×) is downloaded through the page and checked for size and non-blank content.

Run: ``.venv/bin/python -m pytest -m browser tests/test_browser_pages.py``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.support.app_server import app_server
from tests.support.browser import chromium, why_no_browser
from ui.nav import PAGE_URL as URL

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
FRIENDLY_ERROR = ("Đã có lỗi khi hiển thị", "Something went wrong while showing")

# (screenshot name, URL path and query, expected title, needs a chart)
PAGES = [
    ("01-overview-vi", URL["overview"] + "?indicator=PAR+INDEX&year=2020", "Tổng quan", True),
    ("02-overview-en", URL["overview"] + "?lang=en&indicator=PCI&year=2018", "Overview", True),
    ("03-rankings-en", URL["rankings"] + "?lang=en&r_ind=PAR+INDEX&r_year=2020", "Rankings", True),
    ("04-profile-vi", URL["profile"] + "?p_unit=B%C3%ACnh+D%C6%B0%C6%A1ng&p_ind=PCI", "Hồ sơ địa phương", True),
    ("05-compare-en", URL["compare"] + "?lang=en&c_ind=PAR+INDEX", "Compare", True),
    ("06-within-vi", URL["within"] + "?w_year=2017", "Trong tỉnh", True),
    ("07-reorganisation-en", URL["reorg"] + "?lang=en&g_ind=PCI&g_year=2018", "The 2025 reorganisation", True),
    ("08-data-sources-en", URL["data"] + "?lang=en&d_ind=PCI", "Data and sources", False),
]


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    if why := why_no_browser():
        pytest.skip(why)
    # debug=False: the page guard behaves as in production
    with app_server(built_db, debug=False, log=tmp_path_factory.mktemp("server") / "server.log") as port:
        url = f"http://127.0.0.1:{port}"
        _warm_up(url)
        yield url


def _warm_up(url: str) -> None:
    """Open the main page once: the first session of a fresh server, opened on a page's own URL, can meet
    Streamlit's "Page not found" dialog (its pages are known only after a first run), which makes the
    page inert for clicks."""
    with chromium() as b:
        page = b.new_page()
        page.goto(url + "/")
        page.wait_for_selector("h1", timeout=60_000)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _settle(page, need_chart: bool) -> None:
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    page.wait_for_selector("h1", timeout=60_000)
    if need_chart:
        page.wait_for_function(
            "document.querySelectorAll('.js-plotly-plot .main-svg path').length > 20", timeout=60_000)
    # wait until the script run is over (the status widget shows "Running…" while it works)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(800)


def _full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main container: grow the viewport to the content, then shoot."""
    height = page.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
        return Math.max(m.scrollHeight, document.body.scrollHeight);
    }""")
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(1200)
    page.screenshot(path=str(path), full_page=True)


@pytest.mark.parametrize("name,path,title,need_chart", PAGES, ids=[p[0] for p in PAGES])
def test_page_from_url(server, browser, name, path, title, need_chart):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(server + path, wait_until="domcontentloaded")
        _settle(page, need_chart)
        assert page.locator("h1").first.inner_text().strip() == title
        assert page.locator('[data-testid="stException"]').count() == 0
        alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
        assert not any(msg in alerts for msg in FRIENDLY_ERROR), alerts
        if need_chart:
            n_plots = page.locator(".js-plotly-plot").count()
            assert n_plots >= 1
            assert page.locator(".js-plotly-plot .main-svg path").count() > 20, "charts painted"
        _full_screenshot(page, SHOTS / f"{name}.png")
        assert (SHOTS / f"{name}.png").stat().st_size > 20_000
        assert not [e for e in errors if "plotly" in e.lower()], errors
    finally:
        ctx.close()


def test_language_and_state_survive_in_url(server, browser):
    """A copied URL keeps the language and the page's choices (`bind="query-params"`)."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    try:
        page.goto(server + URL["rankings"] + "?lang=en&r_ind=PCI&r_year=2018", wait_until="domcontentloaded")
        _settle(page, True)
        assert "lang=en" in page.url and "r_ind=PCI" in page.url and "r_year=2018" in page.url
        assert page.locator("h1").first.inner_text().strip() == "Rankings"
    finally:
        ctx.close()


def test_press_export_png_download(server, browser):
    """The PNG wide export of the Overview's chart downloads a 3840×2160 image that is not blank."""
    from PIL import Image

    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    try:
        page.goto(server + URL["overview"] + "?lang=en&indicator=PAR+INDEX&year=2020", wait_until="domcontentloaded")
        _settle(page, True)
        button = page.get_by_role("button", name="PNG wide 1920×1080").first
        with page.expect_download(timeout=120_000) as dl:
            button.click()
        data = Path(dl.value.path()).read_bytes()
        img = Image.open(io.BytesIO(data))
        assert img.format == "PNG" and img.size == (3840, 2160)
        grey = img.convert("L").resize((384, 216))
        lo, hi = grey.getextrema()
        assert hi - lo > 100, "the image has content"
        assert sum(1 for c in grey.histogram() if c) > 20, "more than a blank frame"
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "export-overview-wide.png").write_bytes(data)
    finally:
        ctx.close()


def test_links_and_language_switch(server, browser):
    """A successor/former-unit link opens that unit's profile (also from the profile page itself), and
    switching the language keeps the page's choices in the URL (labels rewritten in the new language)."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    try:
        page.goto(server + URL["profile"] + "?lang=en&p_unit=Thanh", wait_until="domcontentloaded")  # invalid → default
        _settle(page, True)
        assert page.locator("h3").first.inner_text().strip() == "Bình Dương"
        link = page.get_by_role("link", name="Open the profile of TP. Hồ Chí Minh (2025)").first
        link.click()
        page.wait_for_function("document.querySelector('h3') && document.querySelector('h3').innerText"
                               ".includes('(2025)')", timeout=60_000)
        _settle(page, False)
        page.get_by_role("link", name="Open the profile of Bình Dương").first.click()
        page.wait_for_function("document.querySelector('h3') && document.querySelector('h3').innerText"
                               ".trim() === 'Bình Dương'", timeout=60_000)
        # language switch on the Rankings page keeps the sort choice, relabelled
        page.goto(server + URL["rankings"] + "?r_ind=PCI&r_year=2018&r_sort=T%C3%AAn+(A%E2%80%93Z)", wait_until="domcontentloaded")
        _settle(page, True)
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="English").click()
        page.wait_for_function("document.querySelector('h1').innerText.trim() === 'Rankings'", timeout=60_000)
        page.wait_for_function("location.search.includes('r_sort=Name')", timeout=30_000)
        assert "lang=en" in page.url
    finally:
        ctx.close()
