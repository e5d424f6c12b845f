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
