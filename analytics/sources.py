"""Publishers, not hosts: who published a source, from its address (data/source_publishers.csv) or, for a
copy on another site or a repository transcription, the original publisher (data/source_mirrors.csv).

    source_label("http://211.88.39.63/article/…", "en")
    # 'MOFCOM (commercial office of the Chinese Consulate-General in HCMC), citing Báo Đầu tư — copy at 211.88.39.63'
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from urllib.parse import urlparse

from analytics.paths import DATA_DIR


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    def read(name: str) -> dict[str, dict[str, str]]:
        with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
            return {r["host"].strip().lower(): r for r in csv.DictReader(fh)}
    return read("source_publishers.csv"), read("source_mirrors.csv")


def host_of(source: str) -> str:
    """``www.x.vn`` of a web address; ``github:owner/repo`` of a repository source; '' otherwise."""
    text = str(source or "").strip()
    m = re.match(r"^github:([^@\s]+)", text)
    if m:
        return "github:" + m.group(1).lower()
    return (urlparse(text).hostname or "").lower() if re.match(r"^https?://", text) else ""


def _keys(host: str) -> tuple[str, ...]:
    return (host, host.removeprefix("www."), host.removeprefix("amp."))


def mirror_of(source: str) -> dict[str, str] | None:
    """The declared mirror row (original_vi, original_en, note) when ``source`` is a copy on another site;
    None otherwise."""
    _, mirrors = _tables()
    host = host_of(source)
    return next((mirrors[k] for k in _keys(host) if host and k in mirrors), None)


def publisher_of(source: str, lang: str) -> str | None:
    """The declared publisher of ``source`` in ``lang`` (a mirror: the original publisher); None when the
    address's publisher is not declared."""
    m = mirror_of(source)
    if m is not None:
        return m["original_vi" if lang == "vi" else "original_en"]
    publishers, _ = _tables()
    host = host_of(source)
    return next((publishers[k]["publisher_vi" if lang == "vi" else "publisher_en"] for k in _keys(host)
                 if host and k in publishers), None)


def source_label(source: str, lang: str) -> str:
    """The publisher of ``source`` in ``lang``, the copy's host said when it is a mirror; the source text
    itself when its publisher is not declared."""
    publishers, mirrors = _tables()
    host = host_of(source)
    for key in (host, host.removeprefix("www."), host.removeprefix("amp.")):
        if key in mirrors:
            m = mirrors[key]
            original = m["original_vi" if lang == "vi" else "original_en"]
            return f"{original} — {'bản sao tại' if lang == 'vi' else 'copy at'} {host}"
        if key in publishers:
            return publishers[key]["publisher_vi" if lang == "vi" else "publisher_en"]
    return str(source)
