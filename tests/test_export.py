"""Press export through kaleido and the system Chromium: sizes, non-blank pixels, SVG text."""

from __future__ import annotations

import io
import shutil
import struct
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest

from figures import charts as C
from figures import export as E

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
if CHROMIUM is None:
    pytest.skip("system Chromium is not installed", allow_module_level=True)

TITLE = "Chỉ số Cải cách hành chính (PAR INDEX) 2020 — Bình Dương đứng thứ 4"
SOURCE = "Bộ Nội vụ, Báo cáo Chỉ số cải cách hành chính năm 2020"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def png_spread(data: bytes) -> float:
    """Standard deviation of grey levels (Pillow if installed, else a small PNG decoder)."""
    try:
        from PIL import Image, ImageStat

        im = Image.open(io.BytesIO(data)).convert("L")
        return ImageStat.Stat(im).stddev[0]
    except ImportError:  # pragma: no cover - Pillow is in the test extras
        return _png_spread_raw(data)


def _png_spread_raw(data: bytes) -> float:  # pragma: no cover
    w, h = png_size(data)
    pos, idat, bit_depth, colour = 8, b"", 8, 6
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            bit_depth, colour = chunk[8], chunk[9]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw = zlib.decompress(idat)
    bpp = {6: 4, 2: 3, 0: 1, 4: 2}[colour] * bit_depth // 8
    stride = w * bpp
    prev = bytearray(stride)
    vals = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if y % 8 == 0:
            vals += list(line[0::bpp * 8])
    m = sum(vals) / len(vals)
    return (sum((v - m) ** 2 for v in vals) / len(vals)) ** 0.5


@pytest.fixture(scope="module")
def ranking_fig():
    df = pd.DataFrame({
        "unit_id": ["old-p-22", "old-p-74", "old-p-48", "old-p-01", "old-p-10"],
        "name": ["Quảng Ninh", "Bình Dương", "Đà Nẵng", "Hà Nội", "Lào Cai"],
        "value": [91.02, 88.75, 87.9, 85.1, None],
        "display_rank": [1, 4, 6, 12, None], "display_of": [63] * 5,
        "rank_source": ["published"] * 4 + [None], "band": ["Tốt", "Tốt", "Tốt", "Khá", None],
    })
    return C.ranking_bar(df, lang="vi", title=TITLE, subtitle="Điểm số PAR INDEX, %", source=SOURCE,
                         home_id="old-p-74", unit="%", comparators=[{"kind": "national", "value": 84.1}])


@pytest.fixture(scope="module")
def trend_fig():
    df = pd.DataFrame({"year": [2017, 2018, 2019, 2021, 2022], "value": [80.1, 81.5, 83.0, 88.2, 89.0],
                       "rank": [17, 12, 9, 6, 4], "of": [63] * 5, "comparable": [True, True, True, False, True]})
    return C.trend_lines(df, lang="en", title="PAR INDEX, Bình Dương 2017–2022", source="Ministry of Home Affairs",
                         breaks=[{"year": 2021, "label": "New method"}], unit="%")


@pytest.fixture(scope="module")
def server():
    E.ensure_server()
    yield
    E.stop_server()


def test_png_wide_and_square_sizes_and_content(server, ranking_fig, tmp_path_factory):
    t0 = time.perf_counter()
    wide = E.to_png(ranking_fig, "wide")
    first = time.perf_counter() - t0
    assert png_size(wide) == (3840, 2160)
    assert png_spread(wide) > 10  # not a blank page
    t1 = time.perf_counter()
    square = E.to_png(ranking_fig, "square", scale=2)
    later = time.perf_counter() - t1
    assert png_size(square) == (2160, 2160)
    assert png_spread(square) > 10
    assert later < 8 and later < max(first, 1.0) * 3  # the server stays up: no new Chromium start
    out = tmp_path_factory.mktemp("export")
    (out / "ranking_wide.png").write_bytes(wide)
    (out / "ranking_square.png").write_bytes(square)


def test_png_scale_one_and_english(server, trend_fig):
    data = E.to_png(trend_fig, "square", scale=1)
    assert png_size(data) == (1080, 1080)
    assert png_spread(data) > 10


def test_svg_has_title_source_and_footer(server, ranking_fig, trend_fig):
    svg = E.to_svg(ranking_fig, "wide").decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert 'width="1920"' in svg and 'height="1080"' in svg
    assert "Chỉ số Cải cách hành chính (PAR INDEX) 2020" in svg  # diacritics kept as text
    assert "Nguồn: Bộ Nội vụ" in svg
    assert "Chỉ số · " in svg and "Không có số liệu" in svg
    assert "Trung bình cả nước: 84,10%" in svg
    svg_en = E.to_svg(trend_fig, "square").decode("utf-8")
    assert "Source: Ministry of Home Affairs" in svg_en and "New method" in svg_en


def test_image_name():
    assert E.image_name("par-index_2020_tinh_toan-quoc", "wide", "png") == "par-index_2020_tinh_toan-quoc_wide.png"
