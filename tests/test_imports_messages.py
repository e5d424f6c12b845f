"""Every message the imports package can show an editor exists in Vietnamese and English: the keys given to
the message constructors (``Issue.of``, ``FileRefused.of``, ``CellError``, ``ImportValidationError.of``, the
readers' notes) are read from the source and looked up in both catalogs, with the placeholders the call
fills. No refusal is built from an English sentence."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from import_support import csv_bytes, long_rows

from analytics.i18n import LANGS, po_path, t
from analytics.imports import FileRefused, Issue, validate_file
from analytics.imports.grid import Amount, Limits, localized
from analytics.imports.readers import load_bytes

PACKAGE = Path(__file__).resolve().parents[1] / "analytics" / "imports"
# keywords of Issue.of that place the issue and are not message parameters
PLACE = {"code", "row", "column", "column_name", "value"}


def _catalog(lang: str) -> dict[str, str]:
    with po_path(lang).open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string if isinstance(m.string, str) else m.string[-1]
                for m in read_po(fh) if m.id}


CATALOGS = {lang: _catalog(lang) for lang in LANGS}


def _strings(node: ast.AST, assigned: dict[str, ast.AST]) -> set[str]:
    """The string constants an argument can evaluate to (conditional expressions, dict lookups, local names)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, assigned) | _strings(node.orelse, assigned)
    if isinstance(node, ast.BoolOp):
        return set().union(*(_strings(v, assigned) for v in node.values))
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict):
        return set().union(*(_strings(v, assigned) for v in node.value.values))
    if isinstance(node, ast.Name) and node.id in assigned:
        return _strings(assigned[node.id], assigned)
    return set()


def _call_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        return f"{f.value.id}.{f.attr}"
    return f.id if isinstance(f, ast.Name) else ""


def message_calls() -> list[tuple[str, int, str, set[str], set[str] | None]]:
    """(file, line, constructor, possible keys, keyword names or None when **params are passed)."""
    out = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen: set[int] = set()
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for fn in [*functions, tree]:   # each call once, with the names assigned in its function
            assigns = sorted(((a.lineno, tgt.id, a.value) for a in ast.walk(fn) if isinstance(a, ast.Assign)
                              for tgt in a.targets if isinstance(tgt, ast.Name)), key=lambda x: x[0])
            for call in [n for n in ast.walk(fn) if isinstance(n, ast.Call) and id(n) not in seen]:
                seen.add(id(call))
                # a name holds the value of its last assignment before the call
                assigned = {name: value for line, name, value in assigns if line <= call.lineno}
                name = _call_name(call)
                pos = {"Issue.of": 1, "FileRefused.of": 0, "CellError": 0, "ImportValidationError.of": 0}.get(name)
                if pos is None or len(call.args) <= pos:
                    continue
                kws = None if any(k.arg is None for k in call.keywords) else {k.arg for k in call.keywords} - PLACE
                out.append((path.name, call.lineno, name, _strings(call.args[pos], assigned), kws))
    return out


def note_keys() -> set[str]:
    """Keys of the readers' notes: ``notes.append(("key", {params}))``."""
    keys = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
                    and node.args and isinstance(node.args[0], ast.Tuple)
                    and isinstance(node.args[0].elts[0], ast.Constant)):
                keys.add(node.args[0].elts[0].value)
    return keys


def term_keys() -> set[str]:
    return {n.value for path in PACKAGE.glob("*.py") for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("term_")
            and n.value != "term_"}   # the prefix itself, in grid.localized


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_message_key_of_the_imports_package_has_a_vietnamese_and_an_english_text():
    calls = message_calls()
    assert len(calls) > 100                       # the scan finds the constructors (it cannot pass empty)
    unresolved = [f for f, _, _, keys, _ in calls if not keys]
    assert unresolved == ["validate.py"]          # Issue.of(..., key, ...) over the readers' notes (below)
    keys = {k for *_, ks, _ in calls for k in ks} | note_keys() | term_keys()
    assert {"binary_data", "file_is_not_table", "term_pdf", "decoded_utf16", "later_imports_first"} <= keys
    for key in sorted(keys):
        for lang in LANGS:
            text = CATALOGS[lang].get(f"import.{key}")
            assert text, f"import.{key} has no {lang} text"
    for file, line, name, ks, kws in calls:          # every placeholder is filled by the call
        for key in ks:
            for lang in LANGS:
                for k in (f"import.{key}", f"import.{key}.fix"):
                    if kws is not None and k in CATALOGS[lang]:
                        assert _fields(CATALOGS[lang][k]) <= kws, f"{file}:{line} {name}({key!r}) leaves {k} unfilled"


def test_no_refusal_is_an_english_sentence():
    """A file refusal is raised through ``FileRefused.of(key)``; an Issue built directly carries a key."""
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name == "FileRefused":
                pytest.fail(f"{path.name}:{node.lineno}: FileRefused(...) without a message key")
            if name == "Issue":
                assert "key" in {k.arg for k in node.keywords}, f"{path.name}:{node.lineno}: Issue without a key"


@pytest.mark.parametrize("data, name, vi, en", [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "bang.csv", "tệp 'bang.csv' là ảnh PNG, không phải bảng số liệu.",
     "the file 'bang.csv' is a PNG image, not a table."),
    (b"a,b\n1,\x00\n", "x.csv", "tệp chứa dữ liệu nhị phân (byte NUL), không phải tệp văn bản CSV.",
     "the file contains binary data (NUL bytes), it is not a CSV text file."),
    (b"x", "bang.ods", "không nhận tệp .ods; chỉ nhận CSV (.csv, .tsv, .txt) hoặc bảng tính Excel (.xlsx).",
     ".ods files are not accepted; accepted: CSV (.csv, .tsv, .txt) or Excel workbook (.xlsx)."),
])
def test_a_refused_file_is_reported_in_both_languages(data, name, vi, en):
    p = validate_file(data, name)
    (issue,) = p.errors
    assert issue.text("vi")[0] == vi and issue.text("en")[0] == en == issue.message
    assert issue.text("vi")[1] and issue.text("vi")[1] != issue.text("en")[1]
    with pytest.raises(FileRefused) as e:
        raise FileRefused.of("not_accepted", ext=".ods", how="term_how_ods")
    assert e.value.fix == "save as .xlsx or CSV from LibreOffice"
    assert t("import.not_accepted.fix", "vi", how=t("import.term_how_ods", "vi")) == "lưu dạng .xlsx hoặc CSV từ LibreOffice"


def test_a_reader_note_is_a_warning_in_both_languages():
    p = validate_file(b"indicator,locality\n", "x.csv", sheet="Trang 2")
    (note,) = [i for i in p.warnings if i.code == "file_note"]
    assert note.text("vi")[0] == "bỏ qua trang 'Trang 2': tệp CSV không có trang."
    assert note.text("en")[0] == "sheet 'Trang 2' ignored: a CSV file has no sheets."
    assert isinstance(note, Issue)


def test_a_cell_message_names_its_field_in_the_page_language():
    rows = long_rows()
    rows[0][1] = "Huyện " + "x" * 250
    p = validate_file(csv_bytes(rows), "dai.csv")
    (issue,) = [i for i in p.errors if i.code == "too_long"]
    assert (issue.row, issue.column) == (2, "B")
    assert issue.text("vi") == ("tên địa phương dài 256 ký tự (tối đa 200).", "rút ngắn tên địa phương")
    assert issue.text("en") == ("the locality is 256 characters long (at most 200).", "shorten the locality")



def test_sizes_in_a_refusal_are_written_the_way_each_language_writes_numbers():
    limits = Limits(max_bytes=1_000_000)
    with pytest.raises(FileRefused) as err:
        load_bytes(b"x" * 1_234_567, "big.csv", limits)
    params = err.value.params
    assert err.value.message == t("import.too_big", "en", mb="1.2", max_mb="1")
    vi = t(f"import.{err.value.key}", "vi", **localized(params, "vi"))
    assert "1,2 MB" in vi and "1.2" not in vi
    assert localized({"n": Amount(12_345), "year": 2024}, "vi") == {"n": "12.345", "year": 2024}   # a year stays a year
