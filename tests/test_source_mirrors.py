"""Figures read on unofficial mirror copies are credited to the original publisher, never linked."""

import csv

from analytics.paths import DATA_DIR
from ui import page_text


def _mirrors():
    with (DATA_DIR / "source_mirrors.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_listed_mirror_is_used_by_some_observation():
    urls = set()
    for path in (DATA_DIR / "observations").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            urls |= {r["source_url"] for r in csv.DictReader(f)}
    for m in _mirrors():
        assert any(m["host"] in u for u in urls), m["host"]


def test_mirror_is_named_not_linked():
    line = page_text.source_line("http://sports.rgbet01.com/html/660c198446.html", "vi", prefix="Liên kết 1: ")
    assert line.startswith("Liên kết 1: ") and "Báo Bình Dương" in line and "](" not in line
    line_en = page_text.source_line("http://ufabetindo.in/x.vnp", "en")
    assert "VietnamPlus" in line_en and "](" not in line_en


def test_official_source_stays_a_link_named_by_its_publisher():
    assert page_text.source_line("https://dti.gov.vn/xep-hang-2022", "en", prefix="Link 1: ") == (
        r"[Link 1: Ministry of Information and Communications / of Science and Technology \(DTI site\)]"
        "(https://dti.gov.vn/xep-hang-2022)")


def test_an_undeclared_host_shows_the_host_not_the_whole_address():
    line = page_text.source_line("https://example.org/a/very/long/path?x=1", "en")
    assert line == r"[example\.org](https://example.org/a/very/long/path?x=1)"
