"""Charts, maps and their press exports as a reader sees them, in Debian's Chromium (Playwright).

Figure level, without the app: each figure is drawn with plotly.js (the copy plotly ships) in a bare page at
1440 and 390 px, in both languages, and each SVG export (wide 1920×1080 and square 1080×1080; the PNGs are
rasterised from the same layout) is opened in the browser. For every case:
- no text lies outside the canvas or outside the clip region that applies to it (a label cut by the map's
  frame is what the press saw as "Quần đảo Trườ");
- no legend entry intersects an annotation (a series-break label once overwrote "Trung bình cả nước");
- on every national map the Hoàng Sa and Trường Sa labels are present, read in full, and do not sit on
  an island marker.
A screenshot of each case is saved to ``artifacts/screenshots/figures/`` (git-ignored).

Run: ``.venv/bin/python -m pytest -m browser tests/test_figures_browser.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from figures import charts, export, maps
from geo import layers
from tests.support.browser import chromium, why_no_browser

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots" / "figures"
WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
ARCHIPELAGOS = {"vi": ["Quần đảo Hoàng Sa (Đà Nẵng)", "Quần đảo Trường Sa (Khánh Hòa)"],
                "en": ["Hoàng Sa Islands (Đà Nẵng)", "Trường Sa Islands (Khánh Hòa)"]}

# Runs in the page: every problem as a string. `root` is a plotly div or an <svg>.
CHECKS_JS = r"""
(root) => {
  const problems = [];
  const svg = root.tagName.toLowerCase() === 'svg' ? root : root.querySelector('svg.main-svg');
  const canvas = svg.getBoundingClientRect();
  const inside = (r, box, tol) => r.left >= box.left - tol && r.right <= box.right + tol &&
                                  r.top >= box.top - tol && r.bottom <= box.bottom + tol;
  const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const visible = (el) => {
    for (let e = el; e && e !== root.parentNode; e = e.parentNode) {
      if (!e.getAttribute) continue;
      const st = window.getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden' || st.opacity === '0') return false;
    }
    return true;
  };
  const clipOf = (el) => {  // the innermost clip-path rectangle that applies to el, in screen pixels
    for (let e = el; e && e.getAttribute; e = e.parentNode) {
      const c = e.getAttribute('clip-path');
      if (!c) continue;
      const id = c.replace(/^url\(["']?#/, '').replace(/["']?\)$/, '');
      const rect = root.ownerDocument.getElementById(id)?.querySelector('rect');
      if (!rect) continue;
      // clipPathUnits="userSpaceOnUse": the rectangle is in the clipped element's own user space
      const m = e.getScreenCTM();
      const a = (+rect.getAttribute('x') || 0), b = (+rect.getAttribute('y') || 0);
      const w = +rect.getAttribute('width'), h = +rect.getAttribute('height');
      const pts = [[a, b], [a + w, b], [a, b + h], [a + w, b + h]].map(([x, y]) =>
        [m.a * x + m.c * y + m.e, m.b * x + m.d * y + m.f]);
      const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
      return {left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys)};
    }
    return null;
  };
  const texts = [...root.querySelectorAll('text')].filter(t => t.textContent.trim() && visible(t));
  for (const t of texts) {
    const r = t.getBoundingClientRect();
    if (r.width === 0) continue;
    if (!inside(r, canvas, 1.5)) problems.push(`outside the canvas: "${t.textContent}"`);
    const clip = clipOf(t);
    if (clip && !inside(r, clip, 1.5)) problems.push(`cut by its clip region: "${t.textContent}"`);
  }
  const legend = [...root.querySelectorAll('.legend .traces')].map(e => [e.textContent, e.getBoundingClientRect()]);
  const notes = [...root.querySelectorAll('.annotation')].filter(a => a.textContent.trim() && visible(a))
                  .map(a => [a.textContent, (a.querySelector('.annotation-text-g') || a).getBoundingClientRect()]);
  for (const [lt, lr] of legend)
    for (const [at, ar] of notes)
      if (lt.trim() && meets(lr, ar)) problems.push(`legend entry "${lt}" meets annotation "${at}"`);
  const archipelago = texts.filter(t => /Hoàng Sa|Trường Sa/.test(t.textContent) && !/Đảo |Island\)/.test(t.textContent))
                           .map(t => ({text: [...t.querySelectorAll('tspan.line')].map(s => s.textContent).join(' ')
                                               || t.textContent, box: t.getBoundingClientRect()}));
  const markers = [...root.querySelectorAll('.scattergeo')].slice(0, 1)
                     .flatMap(g => [...g.querySelectorAll('path.point')]).map(p => p.getBoundingClientRect());
  for (const a of archipelago)
    for (const m of markers)
      if (meets(a.box, m)) { problems.push(`"${a.text}" sits on an island marker`); break; }
  return {problems, archipelago: archipelago.map(a => a.text.replace(/\s+/g, ' ').trim())};
}
"""


def _values(level: str, vintage: str, missing_every: int = 9) -> pd.DataFrame:
    feats = layers.layer_geojson(level, vintage)["features"]
    codes = [f["properties"]["code"] for f in feats]
    values = np.linspace(52.0, 97.5, len(codes))
    values[::missing_every] = np.nan
    return pd.DataFrame({"code": codes, "name": [f["properties"]["name"] for f in feats], "value": values})


def _trend() -> pd.DataFrame:
    rows = []
    for uid, name, base in [("old-p-74", "Bình Dương", 80.0), ("old-p-75", "Đồng Nai", 74.0),
                            ("old-p-79", "TP. Hồ Chí Minh", 77.0)]:
        for year in range(2012, 2025):
            rows.append(dict(unit_id=uid, name=name, year=year, value=base + (year - 2012) * 0.9,
                             rank=5 + year % 4, of=63, comparable=True))
    return pd.DataFrame(rows)


def _ranking() -> pd.DataFrame:
    df = _values("province", "legacy", missing_every=15).rename(columns={"code": "unit_id"})
    df["unit_id"] = "old-p-" + df["unit_id"]
    df["display_rank"] = df["value"].rank(ascending=False, method="min")
    df["display_of"] = int(df["value"].notna().sum())
    return df


TITLES = {"vi": ("Chỉ số Cải cách hành chính (PAR INDEX) 2024 của 63 tỉnh, thành phố trực thuộc Trung ương",
                 "Bộ Nội vụ, Báo cáo chỉ số cải cách hành chính năm 2024 của các bộ, cơ quan ngang bộ"),
          "en": ("Public Administration Reform Index (PAR INDEX) 2024 of the 63 provinces and cities",
                 "Ministry of Home Affairs, PAR INDEX 2024 report of the ministries and provinces")}


def _figures(lang: str, width: int | None) -> dict:
    title, source = TITLES[lang]
    breaks = [{"year": 2016, "label": "Gãy chuỗi 2016" if lang == "vi" else "Series break 2016"}]
    national = {"kind": "national", "values": {y: 76 + (y - 2012) * 0.8 for y in range(2012, 2025)}}
    return {
        "map63": maps.choropleth(_values("province", "legacy"), "province", "legacy", lang=lang, title=title,
                                 source=source, home="74", width=width),
        "map34": maps.choropleth(_values("province", "2025"), "province", "2025", lang=lang, title=title,
                                 source=source, home="79", width=width),
        # Đà Nẵng's districts: Hoàng Sa in the inset, named above it
        "inset48": maps.choropleth(_values("district", "legacy").query("code.str.startswith('49')"), "district",
                                   "legacy", province_code="48", lang=lang, title=title, source=source, width=width),
        "trend": charts.trend_lines(_trend(), lang=lang, title=title, source=source, home_id="old-p-74",
                                    breaks=breaks, comparators=[national], unit="%", width=width),
        "bars": charts.ranking_bar(_ranking(), lang=lang, title=title, source=source, home_id="old-p-74",
                                   unit="%", decimals=2, show_change=False, width=width),
        "strip": charts.benchmark_strip(_ranking(), lang=lang, title=title, source=source, home_id="old-p-74",
                                        unit="%", decimals=2, width=width),
    }


@pytest.fixture(scope="module")
def page():
    if why := why_no_browser():
        pytest.skip(why)
    from plotly.offline import get_plotlyjs

    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        pg = browser.new_page(viewport={"width": 1440, "height": 900})
        pg.set_content('<html><head><meta charset="utf-8"></head><body style="margin:0"><div id="fig"></div>'
                       "</body></html>")
        pg.add_script_tag(content=get_plotlyjs())
        pg.add_script_tag(content=maps.PRESEED_JS)
        yield pg


def _check(result: dict, case: str, name: str, lang: str) -> None:
    assert not result["problems"], f"{case}: {result['problems']}"
    expected = {"map63": ARCHIPELAGOS[lang], "map34": ARCHIPELAGOS[lang], "inset48": ARCHIPELAGOS[lang][:1]}
    if name in expected:
        assert sorted(result["archipelago"]) == sorted(expected[name]), f"{case}: {result['archipelago']}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("screen", list(WIDTHS))
def test_figures_on_screen(page, lang, screen):
    w, h = WIDTHS[screen]
    page.set_viewport_size({"width": w, "height": h})
    # the page shows a figure in its column: full width on a phone, ~1100 px on a wide screen
    col = w - 32 if screen == "phone" else 1100
    for name, fig in _figures(lang, col if screen == "phone" else None).items():
        case = f"{name}-{lang}-{screen}"
        page.evaluate("""([spec, width]) => { const d = document.getElementById('fig');
                          d.style.width = width + 'px'; Plotly.purge(d);
                          return Plotly.newPlot(d, spec.data, spec.layout, {displaylogo: false, responsive: true}); }""",
                      [json.loads(pio.to_json(fig)), col])
        page.wait_for_timeout(150)
        result = page.evaluate(CHECKS_JS, page.query_selector("#fig"))
        page.query_selector("#fig").screenshot(path=str(SHOTS / f"{case}.png"))
        _check(result, case, name, lang)
        if screen == "phone":  # nothing wider than the phone
            assert page.evaluate("document.documentElement.scrollWidth") <= w, case


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_exported_svgs(page, lang):
    page.set_viewport_size({"width": 1920, "height": 1080})
    figs = _figures(lang, None)
    for name in ("map63", "map34", "inset48", "trend", "strip"):
        for preset in ("wide", "square"):
            case = f"export-{name}-{preset}-{lang}"
            svg = export.to_svg(figs[name], preset, lang=lang).decode("utf-8")
            assert re.search(r'width="(1920|1080)"', svg)
            page.evaluate("(svg) => { document.body.innerHTML = svg; }", svg)
            result = page.evaluate(CHECKS_JS, page.query_selector("svg"))
            page.query_selector("svg").screenshot(path=str(SHOTS / f"{case}.png"))
            _check(result, case, name, lang)
    # restore the drawing div for the screen tests
    page.evaluate("() => { document.body.innerHTML = '<div id=\"fig\"></div>'; }")
