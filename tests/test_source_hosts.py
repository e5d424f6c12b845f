"""Every source of a carried figure reads as its publisher: its host is a known publisher host
(data/source_publishers.csv) or a declared mirror naming the original publisher (data/source_mirrors.csv)."""

from __future__ import annotations

import csv
import ipaddress
from urllib.parse import urlsplit

import pytest

from analytics.paths import DATA_DIR


def _read(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def source_host(source: str) -> str:
    """The host of a web source; `github:owner/repo` for a non-web `github:owner/repo@commit path`."""
    if "://" in source:
        return urlsplit(source).hostname or ""
    return source.split("@", 1)[0].strip()


@pytest.fixture(scope="module")
def publishers() -> dict[str, dict]:
    return {r["host"]: r for r in _read("source_publishers.csv")}


@pytest.fixture(scope="module")
def mirrors() -> dict[str, dict]:
    return {r["host"]: r for r in _read("source_mirrors.csv")}


def test_source_host_of_web_and_non_web_sources():
    assert source_host("http://211.88.39.63/article/gb/tjsj/202106/549782.html") == "211.88.39.63"
    assert source_host("https://www.vietmaz.com/2021/04/x.html") == "www.vietmaz.com"
    assert source_host('github:mdtrinh/vietnamdata@be581b8d5b1f data-raw/PAPI/PAPI_2011-2016.xlsx sheet "x"') \
        == "github:mdtrinh/vietnamdata"


def test_every_source_host_is_a_publisher_or_a_declared_mirror(publishers, mirrors):
    undeclared = set()
    for path in sorted((DATA_DIR / "observations").glob("*.csv")):
        for r in _read(f"observations/{path.name}"):
            host = source_host(r["source_url"])
            if host not in publishers and host not in mirrors:
                undeclared.add((path.name, host))
    assert not undeclared


def test_named_mirrors_are_declared_with_their_publisher(mirrors):
    for host in ("www.vietmaz.com", "congchungbaonguyet.com.vn", "shipbolt.vn", "wikimili.com", "github.com",
                 "211.88.39.63", "www.ufabetindo.in"):
        assert mirrors[host]["original_vi"].strip() and mirrors[host]["original_en"].strip(), host
    assert "MOFCOM" in mirrors["211.88.39.63"]["original_en"] and "Báo Đầu tư" in mirrors["211.88.39.63"]["original_en"]


def test_no_host_is_both_and_no_publisher_name_is_a_bare_host(publishers, mirrors):
    assert not set(publishers) & set(mirrors)
    for host, r in {**publishers, **mirrors}.items():
        for col in ("publisher_vi", "publisher_en", "original_vi", "original_en"):
            name = (r.get(col) or "").strip()
            if col in r:
                assert name and name != host, (host, col)
                with pytest.raises(ValueError):
                    ipaddress.ip_address(name)
