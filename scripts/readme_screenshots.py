"""Regenerate the README's screenshots in docs/screenshots/ from the running app.

    .venv/bin/python scripts/readme_screenshots.py [--db PATH]

Starts `streamlit run app.py` on a free 127.0.0.1 port against the built database (``CHISO_DB`` or
var/chiso.duckdb; build it first with `chiso build`), opens each view in Debian's Chromium (Playwright,
``/usr/bin/chromium``), saves the screenshots at 1× (PNG, a few hundred KB at most), downloads one press
export of the Overview's map through the page's own button, and stops the server.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.nav import PAGE_URL  # noqa: E402 - after the path set-up above

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# a phone browser's user agent: the app lays charts out for 390 px when it sees "Mobi"
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36")
MAX_HEIGHT = 2200  # px of a long page kept in its picture
EXPORT_WIDTH = 1280  # the 3840×2160 press export, scaled down for the README

BD = quote_plus("Bình Dương")

# (file, page id, query, phone)
SHOTS = [
    ("overview-vi.png", "overview", "?indicator=PAR+INDEX&year=2020", False),
    ("rankings-en.png", "rankings", "?lang=en&r_ind=PAR+INDEX&r_year=2020", False),
    ("profile-vi.png", "profile", f"?p_unit={BD}&p_ind=PAR+INDEX", False),
    ("compare-en.png", "compare", f"?lang=en&c_units={BD}&c_units={quote_plus('Đồng Nai')}&c_ind=PAR+INDEX", False),
    ("reorganisation-en.png", "reorg", "?lang=en&g_ind=PCI&g_year=2018", False),
    ("phone-overview-vi.png", "overview", "?indicator=PAR+INDEX&year=2020", True),
]
EXPORT = ("export-map-wide-vi.png", "overview", "?indicator=PAR+INDEX&year=2020", "ov_map_png_wide")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "CHISO_DB": str(db)}
    env.pop("CHISO_DEBUG", None)
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    proc = subprocess.Popen(
        [streamlit, "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return proc, url
        except OSError:
            time.sleep(0.5)
    stop_app(proc)
    raise SystemExit("the app did not start within 90 s")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _settle(page) -> None:
    page.wait_for_selector("h1", timeout=90_000)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg path').length > 20",
                           timeout=90_000)
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000)
    page.wait_for_timeout(800)


def _page_shot(page, path: Path) -> None:
    """The page from its top, up to MAX_HEIGHT: Streamlit scrolls inside its main container, so the
    viewport is grown to the content first."""
    size = page.viewport_size
    height = page.evaluate("""() => {
        const m = document.querySelector('[data-testid="stMain"]') || document.scrollingElement;
        return Math.max(m.scrollHeight, document.body.scrollHeight);
    }""")
    shown = min(int(height), MAX_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": shown})
    page.wait_for_timeout(1000)
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": size["width"], "height": shown})
    page.set_viewport_size(size)


def _export(page, key: str, path: Path) -> None:
    from PIL import Image

    with page.expect_download(timeout=180_000) as dl:
        page.locator(f".st-key-{key} button").first.click()
    img = Image.open(io.BytesIO(Path(dl.value.path()).read_bytes()))
    img = img.resize((EXPORT_WIDTH, round(img.height * EXPORT_WIDTH / img.width)), Image.LANCZOS)
    img.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path(os.environ.get("CHISO_DB", ROOT / "var" / "chiso.duckdb")))
    args = ap.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db}: no database; build it first with `chiso build`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    proc, url = start_app(args.db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            desktop = browser.new_context(viewport=DESKTOP, device_scale_factor=1, accept_downloads=True).new_page()
            phone = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                        user_agent=PHONE_UA).new_page()
            desktop.goto(url + "/")  # a fresh server knows its pages only after a first run
            _settle(desktop)
            for name, page_id, query, on_phone in SHOTS:
                page = phone if on_phone else desktop
                page.goto(url + PAGE_URL[page_id] + query, wait_until="domcontentloaded")
                _settle(page)
                _page_shot(page, OUT / name)
                print(f"{OUT / name}: {(OUT / name).stat().st_size // 1024} KB")
            name, page_id, query, key = EXPORT
            desktop.goto(url + PAGE_URL[page_id] + query, wait_until="domcontentloaded")
            _settle(desktop)
            _export(desktop, key, OUT / name)
            print(f"{OUT / name}: {(OUT / name).stat().st_size // 1024} KB")
            browser.close()
    finally:
        stop_app(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
