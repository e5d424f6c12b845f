"""The one-page brief (figures.brief_content + figures.brief): real content from the database, rendered by
the system Chromium to an A4 PDF (text checked with pdftotext) and a 1080×1350 PNG (not blank)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from analytics.paths import ROOT
from analytics.registry import Registry
from figures import brief as fb
from figures.brief_content import compose

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian chromium is not installed"),
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")]


ARTIFACTS = ROOT / "artifacts" / "screenshots" / "brief"


@pytest.fixture(scope="module")
def reg():
    return Registry.from_package()


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pages(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_brief_binh_duong_par_index_2020(con, catalog, reg, lang, tmp_path):
    from PIL import Image, ImageStat

    b = compose(con, catalog, reg, "old-p-74", "par_index", 2020, lang)
    pdf, png = fb.render(b)
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    info = _pages(pdf, tmp_path)
    assert "Pages: 1" in " ".join(info.split())
    assert "(A4)" in info
    if lang == "vi":
        assert "Bình Dương · PAR INDEX 2020" in text
        assert "86,93%" in text and "4/63" in text and "▲ 13 bậc" in text
        assert "Cần thêm 3,07 điểm để vào nhóm A" in text
    else:
        assert "Binh Duong · PAR INDEX 2020" in text
        assert "86.93%" in text and "4/63" in text and "▲ 13 places" in text
    assert "caicachhanhchinh.gov.vn" in text                         # the source
    image = Image.open(io.BytesIO(png))
    assert image.size == fb.PNG_SIZE
    assert max(ImageStat.Stat(image.convert("L")).stddev) > 20       # not a blank page
    assert fb.file_name(b, "pdf") == f"brief_binh-duong_par-index_2020_{lang}.pdf"
    out = ARTIFACTS / fb.file_name(b, "png")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)                                              # for review, like the page screenshots


def test_brief_text_is_escaped():
    b = fb.Brief(lang="vi", product="Chỉ số", title="<script>alert(1)</script>", subtitle="a & b",
                 sections=[("<b>x</b>", ["<img src=x onerror=alert(1)>"])])
    page = fb.to_html(b)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_no_figure_that_year_is_a_clear_error(con, catalog, reg):
    with pytest.raises(KeyError, match="no figure"):
        compose(con, catalog, reg, "old-p-74", "par_index", 2015, "vi")


def test_sources_name_publishers_not_hosts():
    from analytics.sources import source_label

    ip = "http://211.88.39.63/article/gb/tjsj/202106/549782.html"
    assert source_label(ip, "en").startswith("MOFCOM") and "copy at 211.88.39.63" in source_label(ip, "en")
    assert "github:mdtrinh/vietnamdata" in source_label("github:mdtrinh/vietnamdata@be581b8 data-raw/x.xlsx", "vi")
    assert source_label("not a url", "vi") == "not a url"
