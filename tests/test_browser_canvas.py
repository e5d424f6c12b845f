"""Every page of the app as a reader sees it, in Debian's Chromium (Playwright): each page of ui/nav.py at
1440×900 and on a phone (390×844, a phone user agent), in both languages, checked from the DOM:

(a) no text of a chart or map lies outside its SVG canvas (or outside the clip region that applies to it);
(b) no legend entry intersects an annotation (series-break labels, averages), no two texts of a chart
    overlap (tick labels of one axis apart), the modebar covers no text;
(c) on the phone, the document is no wider than the screen;
(d) every national map names Hoàng Sa and Trường Sa whole (the label's full string, inside the canvas).

The press exports of one map and one chart, in both languages, are downloaded through the page's own
buttons (PNG wide, PNG square, SVG) and checked: PNG size and content; in the SVG (and in the square SVG
built by figures.export from the figure on screen, the layout the square PNG is drawn from) every text
inside the viewBox, none over another, the title, source line and date stamp present, the archipelago
labels whole.

One server, one browser, one tab per screen size reused from case to case. A screenshot of every case is
saved to ``var/screenshots/`` (git-ignored) for review, taken before the assertions so a failing case
leaves its picture. A case that fails because of a known product defect is marked ``xfail(strict=True)``
with the defect named (DEFECTS): any other problem in that case still fails it, and the case turns into a
failure the day the defect is fixed, so its mark is removed then.

Run: ``.venv/bin/python -m pytest -m browser tests/test_browser_canvas.py``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote_plus

import pytest
from test_browser_pages import _settle, browser, server  # noqa: F401 - fixtures shared with the page tests
from test_browser_phone import PHONE, PHONE_UA
from test_figures_browser import ARCHIPELAGOS, CHECKS_JS

from ui import nav
from ui.nav import PAGE_URL

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "var" / "screenshots"
SCREENS = {
    "desktop": dict(viewport={"width": 1440, "height": 900}, device_scale_factor=1),
    "phone": dict(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, user_agent=PHONE_UA),
}
BINH_DUONG, DONG_NAI = "Bình Dương", "Đồng Nai"


def _q(**params: str | list[str]) -> str:
    parts = []
    for k, v in params.items():
        parts += [f"{k}={quote_plus(x)}" for x in (v if isinstance(v, list) else [v])]
    return "?" + "&".join(parts) if parts else ""


# (case id, page id, query (or one per language), the page draws charts, archipelago labels expected on
#  each map, in map order: "both" for a national map, "none" for a province without islands). Đà Nẵng's
#  inset, with Hoàng Sa, is checked figure by figure in tests/test_figures_browser.py: no page shows it, as
#  no district or commune index covers Đà Nẵng or Khánh Hòa.
PAGES = [
    ("overview", "overview", _q(indicator="PAR INDEX", year="2020"), True, ["both"]),
    ("overview-default", "overview", "", True, ["both"]),
    ("rankings", "rankings", _q(r_ind="PAR INDEX", r_year="2020"), True, []),
    ("profile", "profile", _q(p_unit=BINH_DUONG, p_ind="PAR INDEX"), True, []),
    ("compare", "compare", _q(c_units=[BINH_DUONG, DONG_NAI], c_ind="PAR INDEX"), True, []),
    ("compare-panels", "compare", {lang: _q(c_units=[BINH_DUONG, DONG_NAI], c_ind="PAR INDEX", c_tab=tab)
                                   for lang, tab in (("vi", "Từng địa phương"), ("en", "One panel per locality"))},
     True, []),
    ("within", "within", _q(w_prov=BINH_DUONG, w_year="2017"), True, ["none"]),
    ("reorganisation", "reorg", _q(g_ind="PCI", g_year="2018"), True, ["both"]),
    ("data", "data", _q(d_ind="PCI"), False, []),
    ("coverage", "coverage", "", False, []),
]
LANGS = ["vi", "en"]


class KnownDefect(Exception):
    """Raised by a case whose only problems are those of its known product defect: its xfail mark expects
    exactly this exception, so any other problem in the same case still fails the test, and the case
    passes (a strict XPASS, reported as a failure) once the defect is fixed."""


class Defect(NamedTuple):
    pattern: str  # a regular expression every problem of the defect matches
    reason: str  # the defect, precisely, for the xfail mark


# (case id, screen, language) → the product defect that makes the case fail today
DEFECTS: dict[tuple[str, str, str], Defect] = {}  # none today


def _marks(defect: Defect | None) -> list:
    return [pytest.mark.xfail(strict=True, raises=KnownDefect, reason=defect.reason)] if defect else []


def _report(problems: list[str], defect: Defect | None, where: str) -> None:
    """Fail on any problem; the known defect's own problems, and only those, raise KnownDefect."""
    known = [p for p in problems if defect and re.match(defect.pattern, p)]
    others = [p for p in problems if p not in known]
    assert not others, f"{where}: {others}"
    if known:
        raise KnownDefect(f"{where}: {known}")


def _cases():
    for case, page_id, query, charts, maps in PAGES:
        for screen in SCREENS:
            for lang in LANGS:
                defect = DEFECTS.get((case, screen, lang))
                yield pytest.param(case, page_id, query, charts, maps, screen, lang, defect,
                                   marks=_marks(defect), id=f"{case}-{screen}-{lang}")


def test_every_page_of_the_menu_has_a_case():
    """A page added to ui/nav.py is not left out of this suite."""
    assert {p.id for p in nav.PAGES} <= {case[1] for case in PAGES}


@pytest.fixture(scope="module")
def tabs(server, browser):  # noqa: F811 - pytest fixtures
    """One context and one tab per screen size, reused by every case."""
    contexts = {name: browser.new_context(accept_downloads=True, **opts) for name, opts in SCREENS.items()}
    yield {name: ctx.new_page() for name, ctx in contexts.items()}
    for ctx in contexts.values():
        ctx.close()


def _url(server: str, page_id: str, query: str | dict[str, str], lang: str) -> str:  # noqa: F811 - a str here
    if isinstance(query, dict):  # a query in each language (a tab's label)
        query = query[lang]
    if lang != "vi":
        query = (query + "&" if query else "?") + f"lang={lang}"
    return server + PAGE_URL[page_id] + query


def _open(page, url: str, charts: bool) -> None:
    page.goto(url, wait_until="domcontentloaded")
    _settle(page, charts)
    assert page.locator('[data-testid="stException"]').count() == 0, url


def _full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main container: grow the viewport to the content, shoot, restore."""
    size = page.viewport_size
    height = page.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
        return Math.max(m.scrollHeight, document.body.scrollHeight);
    }""")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path), type="jpeg", quality=75)  # JPEG: a tall page encodes fast
    page.set_viewport_size(size)


# Runs in the page: texts of one chart that overlap one another (by more than 2 px each way; two tick labels
# of one axis are plotly's own spacing, left out), and the modebar drawn over a text.
OVERLAP_JS = r"""
(root) => {
  const out = [];
  const meets = (a, b, m) => a.left + m < b.right && b.left + m < a.right && a.top + m < b.bottom && b.top + m < a.bottom;
  const shown = (t) => { for (let e = t; e && e !== root.parentNode; e = e.parentNode) {
      if (!e.getAttribute) continue;
      const st = getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden' || st.opacity === '0') return false; }
    return true; };
  const texts = [...root.querySelectorAll('text')].filter(t => t.textContent.trim() && !t.closest('.hoverlayer') && shown(t))
    .map(t => ({text: t.textContent, tick: !!t.closest('.xtick, .ytick'), box: t.getBoundingClientRect()}))
    .filter(t => t.box.width > 0);
  for (let i = 0; i < texts.length; i++)
    for (let j = i + 1; j < texts.length; j++)
      if (!(texts[i].tick && texts[j].tick) && meets(texts[i].box, texts[j].box, 2))
        out.push(`"${texts[i].text}" overlaps "${texts[j].text}"`);
  const bar = root.querySelector('.modebar');
  const box = bar && bar.getBoundingClientRect();
  if (box && box.width)
    for (const t of texts) if (meets(box, t.box, 0)) out.push(`the modebar covers "${t.text}"`);
  return out;
}
"""


def _expected_labels(kind: str, lang: str) -> list[str]:
    return {"both": ARCHIPELAGOS[lang], "hoang_sa": ARCHIPELAGOS[lang][:1], "none": []}[kind]


def _plot_problems(page, maps: list[str], lang: str) -> list[str]:
    """Problems of every chart and map on screen (charts in a closed tab have no size and are skipped)."""
    problems: list[str] = []
    seen_maps = 0
    for i, plot in enumerate(page.query_selector_all(".js-plotly-plot")):
        if page.evaluate("(el) => el.getBoundingClientRect().width", plot) == 0:
            continue
        result = page.evaluate(CHECKS_JS, plot)
        is_map = plot.query_selector(".geo") is not None
        what = f"map {seen_maps + 1}" if is_map else f"chart {i + 1}"
        problems += [f"{what}: {p}" for p in result["problems"] + page.evaluate(OVERLAP_JS, plot)]
        if is_map:
            want = _expected_labels(maps[seen_maps], lang) if seen_maps < len(maps) else None
            if want is not None and sorted(result["archipelago"]) != sorted(want):
                problems.append(f"{what}: archipelago labels {result['archipelago']}, expected {want}")
            seen_maps += 1
    if seen_maps != len(maps):
        problems.append(f"{seen_maps} map(s) drawn, expected {len(maps)}")
    return problems


def _overflow(page) -> dict:
    return page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.documentElement;
        return {document: document.documentElement.scrollWidth - window.innerWidth,
                main: main.scrollWidth - main.clientWidth};
    }""")


@pytest.mark.parametrize("case,page_id,query,charts,maps,screen,lang,defect", list(_cases()))
def test_page_text_stays_on_its_canvas(server, tabs, case, page_id, query, charts, maps, screen, lang,  # noqa: F811
                                       defect):
    page = tabs[screen]
    SHOTS.mkdir(parents=True, exist_ok=True)
    _open(page, _url(server, page_id, query, lang), charts)
    problems = _plot_problems(page, maps, lang)
    if screen == "phone":
        over = _overflow(page)
        if over["document"] > 0 or over["main"] > 1:
            problems.append(f"wider than the phone's screen by {over}")
    _full_screenshot(page, SHOTS / f"{case}-{screen}-{lang}.jpg")
    if charts:
        assert page.locator(".js-plotly-plot").count() >= 1, "charts drawn"
    _report(problems, defect, f"{case}-{screen}-{lang} (screenshot var/screenshots/{case}-{screen}-{lang}.jpg)")


# ------------------------------------------------------------------------------------------- press exports

# (case id, page id, query, Streamlit key of the chart block, archipelago labels the export must show);
# a case id ending in "-from-phone" downloads from the phone's tab
EXPORTS = [
    ("map", "overview", _q(indicator="PAR INDEX", year="2020"), "ov_map", "both"),
    ("chart", "compare", _q(c_units=[BINH_DUONG, DONG_NAI], c_ind="PAR INDEX"), "cp_lines", "none"),
    # exported from a phone: the figure on screen was laid out for 390 px; its export must not be
    ("map-from-phone", "overview", _q(indicator="PAR INDEX", year="2020"), "ov_map", "both"),
]
EXPORT_DEFECTS: dict[tuple[str, str], Defect] = {}  # (case id, language) → known defect; none today


def _export_cases():
    for case, page_id, query, key, arch in EXPORTS:
        for lang in LANGS:
            defect = EXPORT_DEFECTS.get((case, lang))
            yield pytest.param(case, page_id, query, key, arch, lang, defect, marks=_marks(defect),
                               id=f"{case}-{lang}")


def _download(page, key: str) -> bytes:
    button = page.locator(f".st-key-{key} button").first
    with page.expect_download(timeout=120_000) as dl:
        button.click()
    return Path(dl.value.path()).read_bytes()


# the texts of an SVG, each with its box, in the SVG's own units (the viewBox), drawn at 1:1
SVG_TEXTS_JS = r"""
(svg) => {
  const vb = svg.viewBox.baseVal;
  const box = svg.getBoundingClientRect();
  const sx = vb && vb.width ? vb.width / box.width : 1, sy = vb && vb.height ? vb.height / box.height : 1;
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
  return {viewBox: vb && vb.width ? [vb.x, vb.y, vb.width, vb.height] : null,
          texts: texts.map(t => { const r = t.getBoundingClientRect();
            return {text: [...t.querySelectorAll('tspan.line')].map(s => s.textContent).join(' ') || t.textContent,
                    left: (r.left - box.left) * sx, right: (r.right - box.left) * sx,
                    top: (r.top - box.top) * sy, bottom: (r.bottom - box.top) * sy}; })};
}
"""


# the figure a chart block shows, as plotly JSON (typed arrays as lists)
FIGURE_JS = """(key) => { const gd = document.querySelector(`.st-key-${key}_chart .js-plotly-plot`);
    return JSON.stringify({data: gd.data, layout: gd.layout},
                          (k, v) => ArrayBuffer.isView(v) ? Array.from(v) : v); }"""


def _svg_problems(page, svg: str, shot: str, lang: str, arch: str, title: str) -> list[str]:
    """Draw the SVG at 1:1 in a fresh tab: every text inside the viewBox and its clip region, the frame's
    texts present (title, source line, date stamp), the archipelago labels whole."""
    view = page.context.new_page()
    try:
        view.set_viewport_size({"width": 1920, "height": 1080})
        view.set_content('<html><body style="margin:0">' + svg + "</body></html>")
        root = view.query_selector("svg")
        info = view.evaluate(SVG_TEXTS_JS, root)
        result = view.evaluate(CHECKS_JS, root)
        result["problems"] += view.evaluate(OVERLAP_JS, root)
        root.screenshot(path=shot)
    finally:
        view.close()
    problems = list(result["problems"])
    if info["viewBox"] is None and not re.search(r'<svg[^>]* width="\d+"', svg):
        problems.append("the SVG has neither a viewBox nor a width")
    width, height = (info["viewBox"][2], info["viewBox"][3]) if info["viewBox"] else (1920, 1080)
    problems += [f"outside the viewBox: {t['text']!r}" for t in info["texts"]
                 if t["left"] < -1 or t["top"] < -1 or t["right"] > width + 1 or t["bottom"] > height + 1]
    texts = " ".join(t["text"] for t in info["texts"])
    for what, needle in (("source line", "Nguồn" if lang == "vi" else "Source"), ("date stamp", "Chỉ số ·"),
                         ("title", " ".join(title.split()[:3]))):
        if needle not in texts:
            problems.append(f"no {what} ({needle!r}) in the SVG's texts")
    want = _expected_labels(arch, lang)
    if sorted(result["archipelago"]) != sorted(want):
        problems.append(f"archipelago labels {result['archipelago']}, expected {want}")
    return problems


@pytest.mark.parametrize("case,page_id,query,key,arch,lang,defect", list(_export_cases()))
def test_press_exports_keep_their_text(server, tabs, case, page_id, query, key, arch, lang, defect):  # noqa: F811
    """PNG wide and square and the SVG through the page's buttons; the square SVG (the layout the square PNG
    is rasterised from; the page offers no square SVG) built by figures.export from the figure on screen."""
    import plotly.graph_objects as go
    from PIL import Image

    from figures import export

    page = tabs["phone" if case.endswith("-from-phone") else "desktop"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    _open(page, _url(server, page_id, query, lang), True)
    title = page.evaluate(f"""() => document.querySelector('.st-key-{key}_chart .js-plotly-plot')
                                      .layout.meta?.chiso?.title || ''""")
    assert title, "the chart carries its title"
    stem = SHOTS / f"export-{case}-{lang}"
    for preset, size in (("wide", (3840, 2160)), ("square", (2160, 2160))):
        data = _download(page, f"{key}_png_{preset}")
        Path(f"{stem}-{preset}.png").write_bytes(data)
        img = Image.open(io.BytesIO(data))
        assert img.format == "PNG" and img.size == size, (preset, img.size)
        lo, hi = img.convert("L").resize((192, 108)).getextrema()
        assert hi - lo > 100, f"{preset} PNG has content"
    wide = _download(page, f"{key}_svg").decode("utf-8")
    fig = go.Figure(json.loads(page.evaluate(FIGURE_JS, key)), skip_invalid=True)
    square = export.to_svg(fig, "square", lang=lang).decode("utf-8")
    problems = []
    for preset, svg in (("wide", wide), ("square", square)):
        Path(f"{stem}-{preset}.svg").write_text(svg, encoding="utf-8")
        problems += [f"{preset} SVG: {p}" for p in
                     _svg_problems(page, svg, f"{stem}-{preset}-svg.png", lang, arch, title)]
    _report(problems, defect, f"export-{case}-{lang} (files var/screenshots/export-{case}-{lang}-*)")
