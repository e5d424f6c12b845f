"""The one-page brief made from the profile page in a real browser: click the button, download the PDF and
the PNG, read the PDF's text with pdftotext (locality, figures, source) and check the PNG is not blank."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from test_browser_pages import SHOTS, _settle, browser, server  # noqa: F401 - fixtures

from ui.nav import PAGE_URL as URL

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")]


def test_brief_from_the_profile(server, browser, tmp_path):  # noqa: F811 - pytest fixtures
    from PIL import Image, ImageStat

    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    try:
        page.goto(server + URL["profile"] + "?p_unit=B%C3%ACnh+D%C6%B0%C6%A1ng&p_ind=PAR+INDEX",
                  wait_until="domcontentloaded")
        _settle(page, True)
        page.get_by_role("button", name="Bản tin một trang (PDF, PNG)").click()
        pdf_button = page.get_by_role("button", name="Tải bản tin PDF (A4)")
        pdf_button.wait_for(timeout=120_000)
        with page.expect_download(timeout=60_000) as dl:
            pdf_button.click()
        assert dl.value.suggested_filename == "brief_binh-duong_par-index_2024_vi.pdf"
        pdf = tmp_path / "brief.pdf"
        pdf.write_bytes(Path(dl.value.path()).read_bytes())
        text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        assert "Bình Dương · PAR INDEX 2024" in text
        assert "89,13%" in text and "23/63" in text          # the latest edition: 89.13 %, 23rd of 63
        assert "caicachhanhchinh.gov.vn" in text
        with page.expect_download(timeout=60_000) as dl:
            page.get_by_role("button", name="Tải bản tin PNG (1080×1350)").click()
        png = Path(dl.value.path()).read_bytes()
        image = Image.open(io.BytesIO(png))
        assert image.size == (1080, 1350)
        assert max(ImageStat.Stat(image.convert("L")).stddev) > 20
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "brief-profile-vi.png").write_bytes(png)
    finally:
        ctx.close()
