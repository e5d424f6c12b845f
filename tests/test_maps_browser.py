"""Maps render in a real browser (Debian chromium via Playwright), offline, with screenshots.

    pytest -m browser tests/test_maps_browser.py
Screenshots: artifacts/screenshots/maps/*.png (git-ignored).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from figures import maps
from geo import layers, sources

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
OUT = sources.ROOT / "artifacts" / "screenshots" / "maps"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def _df(level, vintage, province_code=None, seed=3, missing=2):
    g = layers.load_layer(level, vintage)
    g = g[g.level == level]
    if province_code:
        g = g[(g.code if level == "province" else g.province_code) == province_code]
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"code": g.code.values, "name": g.name.values, "value": rng.normal(80, 6, len(g)).round(2)})
    df.loc[df.index[:missing], "value"] = np.nan
    df["display_rank"] = df.value.rank(ascending=False, method="min")
    df["display_of"] = int(df.value.notna().sum())
    return df


def _figures():
    return {
        "provinces_63": maps.choropleth(
            _df("province", "legacy"), "province", "legacy", lang="vi", home="74", highlight=["01", "79"],
            title="Chỉ số CCHC (PAR INDEX) — 63 tỉnh, thành phố", subtitle="Điểm, dữ liệu thử nghiệm",
            source="Bộ Nội vụ (minh họa)"),
        "provinces_34": maps.choropleth(
            _df("province", "2025"), "province", "2025", lang="en", classification="bands",
            bands=[{"label": "A", "min": 85, "max": None}, {"label": "B", "min": 75, "max": 85},
                   {"label": "C", "min": None, "max": 75}],
            home="79", title="34 provinces from 1 July 2025", subtitle="Test data, bands", source="Test"),
        "binhduong_districts": maps.choropleth(
            _df("district", "legacy", "74", missing=1), "district", "legacy", province_code="74", lang="vi",
            label_extremes=2, title="Bình Dương — cấp huyện", source="Thử nghiệm"),
        "binhduong_wards": maps.choropleth(
            _df("commune", "legacy", "74", missing=6), "commune", "legacy", province_code="74", lang="vi",
            home="25741", title="Bình Dương — cấp xã (trước 2025)", source="Thử nghiệm"),
        "hcm_communes_2025": maps.choropleth(
            _df("commune", "2025", "79", missing=8), "commune", "2025", province_code="79", lang="vi",
            classification="equal", title="TP. Hồ Chí Minh — xã, phường, đặc khu (từ 1/7/2025)", source="Thử nghiệm"),
    }


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_maps_render_offline_in_chromium(browser, tmp_path):
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, fig in _figures().items():
        html = tmp_path / f"{name}.html"
        fig.update_layout(width=900, height=1000 if name.startswith("provinces") else 800)
        maps.offline_html(fig, html)
        ctx = browser.new_context(viewport={"width": 920, "height": 1020}, offline=True)
        page = ctx.new_page()
        requests: list[str] = []
        page.on("request", lambda r, requests=requests: requests.append(r.url))
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(html.as_uri())
        page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=30_000)
        page.wait_for_timeout(300)
        paths = page.eval_on_selector_all(
            ".js-plotly-plot path.choroplethlocation",
            "els => els.map(e => [e.getAttribute('d') || '', getComputedStyle(e).fill])",
        )
        filled = [d for d, fill in paths if len(d) > 20 and fill not in ("none", "")]
        n_feats = fig.layout.meta["map"]["features"]
        assert len(filled) >= n_feats * 0.95, (name, len(filled), n_feats)
        legend = page.eval_on_selector(".legend", "e => e.textContent")
        assert ("Không có số liệu" in legend) or ("No data" in legend), name
        if name.startswith("provinces"):
            text = page.eval_on_selector(".js-plotly-plot", "e => e.textContent")
            assert "Hoàng Sa" in text and "Trường Sa" in text, name
        else:
            notes = page.eval_on_selector(".js-plotly-plot", "e => e.textContent")
            assert "gần đúng" in notes or "pproximate" in notes, name
        external = [u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))]
        assert external == [], (name, external)
        assert errors == [], (name, errors)
        page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
        ctx.close()
    assert len(list(OUT.glob("*.png"))) == 5
