"""The app on a phone (390×844) in Debian's Chromium: no page is wider than the screen, and the Overview's
map names Hoàng Sa and Trường Sa in full, inside the map's frame, in both languages, with no empty band
between the map and its source line. Uses the `server` and
`browser` fixtures of tests/test_browser_pages.py (a `streamlit run app.py` on a free port). Screenshots go
to ``artifacts/screenshots/phone/`` (git-ignored).

Run: ``.venv/bin/python -m pytest -m browser tests/test_browser_phone.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser_pages import _settle, browser, server  # noqa: F401 - fixtures shared with the page tests
from test_figures_browser import ARCHIPELAGOS, CHECKS_JS

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots" / "phone"
PHONE = {"width": 390, "height": 844}
# a phone browser's user agent: the app lays charts out for 390 px when it sees "Mobi" (ui.chart_blocks.layout_width)
# the map's drawn shapes and markers, and the top of its source line (the notes annotation below the plot)
GAP_JS = """(gd) => {
    let bottom = -1e9;
    for (const p of gd.querySelectorAll('.geo .choroplethlocation, .geo .scattergeo path.point')) {
        const r = p.getBoundingClientRect();
        if (r.width > 0) bottom = Math.max(bottom, r.bottom);
    }
    const tops = [...gd.querySelectorAll('.annotation')].map(a => a.getBoundingClientRect())
        .filter(r => r.top > bottom).map(r => r.top);
    return {map_bottom: bottom, source_top: Math.min(...tops)};
}"""
MAX_GAP = 80  # px between the map and its source line (it was ~140: an empty band under the map)
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36")

# (screenshot name, URL path and query, language, the page shows a national map)
PAGES = [
    ("overview-vi", "/?indicator=PAR+INDEX&year=2020", "vi", True),
    ("overview-en", "/?lang=en&indicator=PCI&year=2018", "en", True),
    ("rankings-en", "/xep-hang?lang=en&r_ind=PAR+INDEX&r_year=2020", "en", False),
    ("compare-vi", "/so-sanh?c_ind=PAR+INDEX", "vi", False),
]


@pytest.mark.parametrize("name,path,lang,has_map", PAGES, ids=[p[0] for p in PAGES])
def test_phone_page_fits_the_screen_and_names_the_archipelagos(server, browser, name, path, lang, has_map):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                              user_agent=PHONE_UA)
    page = ctx.new_page()
    try:
        page.goto(server + path, wait_until="domcontentloaded")
        _settle(page, True)
        overflow = page.evaluate("""() => {
            const main = document.querySelector('[data-testid="stMain"]') || document.documentElement;
            return {doc: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                    main: main.scrollWidth - main.clientWidth};
        }""")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert overflow["doc"] <= 1 and overflow["main"] <= 1, (name, overflow)
        if has_map:
            geo = page.locator(".js-plotly-plot:has(.geo)").first
            geo.scroll_into_view_if_needed()
            page.wait_for_timeout(500)
            result = page.evaluate(CHECKS_JS, geo.element_handle())
            geo.screenshot(path=str(SHOTS / f"{name}-map.png"))
            assert sorted(result["archipelago"]) == sorted(ARCHIPELAGOS[lang]), result
            cut = [p for p in result["problems"] if "Hoàng Sa" in p or "Trường Sa" in p]
            assert not cut, cut
            gap = page.evaluate(GAP_JS, geo.element_handle())
            assert 0 <= gap["source_top"] - gap["map_bottom"] <= MAX_GAP, gap
    finally:
        ctx.close()
