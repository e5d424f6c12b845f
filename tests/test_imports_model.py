"""analytics.imports.model: every issue is a message key with parameters, in Vietnamese and English."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from analytics.i18n import has
from analytics.imports.model import Issue
from analytics.paths import ROOT

PACKAGE = ROOT / "analytics" / "imports"
# Issue.of("error", "key" | "a" if … else "b" …) and CellError("key" …): the keys written in the code
KEYS = re.compile(r'(?:Issue\.of\(\s*"[a-z]+",\s*|CellError\(\s*|FileRefused\.of\(\s*)((?:"[a-z_]+"(?:\s+if\s+[^"]+\s+else\s+)?)+)')


def catalog(lang: str) -> dict[str, str]:
    """The gettext catalog of ``lang`` as {key: text} (the plural general form for a plural key)."""
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "chiso.po").open("rb") as f:
        cat = read_po(f)
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): (m.string[-1] if isinstance(m.string, tuple) else m.string)
            for m in cat if m.id}


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for m in KEYS.finditer(path.read_text(encoding="utf-8")):
            keys |= set(re.findall(r'"([a-z_]+)"', m.group(1)))
    return keys


def test_every_message_key_in_the_code_has_both_languages():
    keys = used_keys()
    assert {"clash", "fuzzy_locality", "bad_year", "no_source", "rank_contradicts_values", "too_big"} <= keys
    vi, en = catalog("vi"), catalog("en")
    missing = sorted(k for k in keys if not k.endswith("_") and not (has(f"import.{k}") and vi.get(f"import.{k}")
                                                                   and en.get(f"import.{k}")))
    assert missing == []
    # a key built from a prefix ("no_indicator_" + the reason) has its variants
    for prefix in (k for k in keys if k.endswith("_")):
        assert any(k.startswith(f"import.{prefix}") for k in en), prefix


def test_message_placeholders_agree_between_languages():
    vi, en = catalog("vi"), catalog("en")
    assert any(k.startswith("import.") for k in en)
    for key, text in en.items():
        if key.startswith("import."):
            assert set(re.findall(r"{(\w+)", vi[key])) == set(re.findall(r"{(\w+)", text)), key


def test_an_issue_renders_in_the_page_language():
    issue = Issue.of("error", "duplicate_key", row=7, column="B", indicator="pci", year=2020, unit="Tỉnh Bình Dương",
                     unit_id="old-p-74", first=3)
    assert issue.format("f.csv") == ("f.csv: row 7, column B: pci 2020 Tỉnh Bình Dương [old-p-74] appears twice in "
                                     "the file (first in row 3). Fix: keep one of the two rows")
    assert issue.format("f.csv", "vi") == ("f.csv: dòng 7, cột B: pci 2020 Tỉnh Bình Dương [old-p-74] xuất hiện hai "
                                           "lần trong tệp (lần đầu ở dòng 3). Cách sửa: giữ một trong hai dòng")
