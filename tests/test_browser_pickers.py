"""Locality pickers in Debian's Chromium: the closed picker shows the locality's name alone (its search
spellings, ui/spellings.py, start past the picker's right edge), and typing a spelling without diacritics
or an abbreviation offers the locality. Uses the `server` and `browser` fixtures of
tests/test_browser_pages.py.

Run: ``.venv/bin/python -m pytest -m browser tests/test_browser_pickers.py``.
"""

from __future__ import annotations

import pytest
from test_browser_pages import _settle, browser, server  # noqa: F401 - fixtures shared with the page tests

from ui.nav import PAGE_URL as URL

pytestmark = pytest.mark.browser

# the width the input draws before its search spellings start, and the width of the box that shows it
VISIBLE_JS = """(input) => {
    const probe = document.createElement('span');
    const style = getComputedStyle(input);
    probe.style.font = style.font;
    probe.style.whiteSpace = 'pre';
    probe.style.tabSize = style.tabSize;
    probe.textContent = input.value.split(' · ')[0];
    document.body.appendChild(probe);
    const shown = probe.getBoundingClientRect().width;
    probe.remove();
    return {name: input.value.split(' · ')[0].replace(/\\t+$/, ''), shown, box: input.clientWidth};
}"""

# typed text → the option it must offer (the name the closed picker then shows)
TYPED = [
    ("binh duong", "Bình Dương"),
    ("thu dau mot", "Thành phố Thủ Dầu Một (Bình Dương)"),
    ("Ho Chi Minh", "TP. Hồ Chí Minh"),
    ("tp hcm", "TP. Hồ Chí Minh"),
    ("hcm", "TP. Hồ Chí Minh"),
]


def _picker(page):
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Địa phương").last


@pytest.fixture(scope="module")
def profile(browser):  # noqa: F811
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    yield ctx.new_page()
    ctx.close()


@pytest.mark.parametrize("typed,name", TYPED, ids=[t for t, _ in TYPED])
def test_typed_spelling_offers_the_locality_and_the_closed_picker_shows_its_name(server, profile, typed, name):  # noqa: F811
    profile.goto(server + URL["profile"])
    _settle(profile, False)
    _picker(profile).click()
    profile.keyboard.type(typed)
    options = profile.locator('[role="option"]')
    options.first.wait_for(timeout=10_000)
    texts = options.all_inner_texts()
    hit = next((o for o in options.all() if o.inner_text().split(" · ")[0] == name), None)
    assert hit is not None, (typed, texts[:6])
    hit.click()
    _settle(profile, False)
    seen = profile.evaluate(VISIBLE_JS, _picker(profile).locator("input").element_handle())
    assert seen["name"] == name, seen
    # whatever follows the name starts past the right edge of the closed picker
    assert seen["shown"] >= seen["box"], seen
