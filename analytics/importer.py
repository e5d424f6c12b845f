"""Importing figures from CSV/XLSX files: validate every row, commit all or nothing, audit, undo.

API (no Streamlit here; the editors' page and ``chiso import`` are thin layers on top)::

    preview = validate_file(path_or_bytes, file_name, sheet=None, indicator=None, year=None,
                            within=None, source_url=None, db_path=None, replace=False, confirmed=None)
    preview.ok / preview.errors / preview.warnings / preview.pending_confirmations / preview.frame()
    preview = preview.confirm({"Thủ Dầu Mọt": "old-d-718"})          # accept fuzzy name matches
    report = commit_import(preview, db_path=..., replace=False, actor="editor@example.org")
    report = import_file(path, db_path=..., dry_run=False, replace=False, sheet=None, ...)   # the CLI
    revert_import(import_id, db_path=..., actor=...)
    list_imports(db_path) -> list[ImportRecord]
    replay_archived_imports(con)       # called by ``chiso build``: re-applies archived imports in order

Accepted files (documented for users in the README):

* CSV — UTF-8 with or without BOM, UTF-16 (Excel "Unicode Text") or Windows-1258; separator ``,``
  ``;`` or TAB (detected). XLSX — the first sheet or the one named by ``sheet``.
* **Long format** — one figure per row; a header row with the columns ``indicator, locality, year,
  value`` and optionally ``official_rank, component, source_url, note`` (Vietnamese headers accepted,
  with or without diacritics: ``chỉ số, địa phương/đơn vị, năm, giá trị/điểm, xếp hạng, thành phần,
  nguồn, ghi chú``; a ``STT`` column is ignored). ``indicator`` is a catalog id (``bd_par_district``),
  a reference code (``BD_PAR_DISTRICT``) or a catalog name; ``component`` is a component id or label.
  ``indicator``/``year`` columns may be left out when given as parameters.
* **Wide (official) layout** — one row per locality with score, rank and component-score columns,
  title rows above the table, merged and multi-row headers, a row of column numbers ("(1) (2) (3)"),
  notes/signature rows below. The indicator and year come from, in this order: the parameters
  (``--indicator``, ``--year``); ``key: value`` cells in the title rows (``Chỉ số: bd_par_district``,
  ``Năm: 2017``, ``Nguồn: https://...``); the title text (e.g. "… chỉ số cải cách hành chính năm 2017 của
  UBND các huyện …" → PAR index family, district level → ``bd_par_district``, 2017).
  Columns: the locality (``Đơn vị``, ``Địa phương``, ``Huyện/thị xã/thành phố``…), the index value
  (``Tổng điểm``, ``Chỉ số …``, ``Điểm``, ``Kết quả``…), the rank (``Xếp hạng``, ``Thứ hạng``), and any
  component whose label matches the catalog (``Điểm thẩm định (tối đa 65)``). Grade columns
  (``Xếp loại``) and ``STT`` are ignored; other columns are reported.
* Numbers: decimal comma or point (``84,58`` = ``84.58``), thousands separators (``1.234.567``),
  a ``%`` sign (percent points; divided by 100 for indicators on a 0–1 scale), cells formatted as
  percentages in Excel. Empty, ``-`` or ``n/a`` = no value published (then a rank is required).
  Formulas are never evaluated: an XLSX formula cell is read as its saved value (reported), a
  formula without a saved value is refused; text starting with ``=`` is refused.

Checks on every row: known indicator; the locality resolves for that year at the indicator's level and
vintage (within the province for a within-province index); the year exists for the indicator and the
unit; the value is a finite number within the indicator's scale for that year; the rank is an integer
1..N (N from the catalog edition, else the number of units that compete); no key (indicator, unit,
year) twice; without ``replace`` a figure that differs from the database for the same key is an error
(an identical one is skipped). Every error names the file, row and column and suggests the fix.

Writes happen in one ``writable_snapshot`` (a private copy that atomically replaces the database), so
a failure or a kill leaves the previous database intact and readers never see half an import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import math
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Any

from analytics import audit
from analytics.catalog import Catalog, Indicator, load_catalog
from analytics.readers import (
    DEFAULT_LIMITS,
    FileRefused,
    Grid,
    Limits,
    col_letter,
    is_date,
    load_bytes,
    read_grid,
)
from analytics.registry import AmbiguousLocality, Registry, RegistryError, Unit, UnknownLocality
from analytics.text import fold, key, split_parenthetical, strip_type

PAUSE_ENV = "CHISO_TEST_IMPORT_PAUSE"   # test hook: seconds to sleep after rows are written to the snapshot
MAX_ERRORS = 200
MAX_TEXT = {"locality": 200, "indicator": 120, "component": 200, "source": 1000, "note": 2000}
LEGACY_LAST_YEAR = 2025
NEW_FIRST_YEAR = 2024


# ============================================================================================ results
@dataclass
class Issue:
    """One problem found in the file. severity: 'error' (blocks), 'confirm' (a fuzzy name match the
    editor must confirm; blocks until confirmed) or 'warning' (informational)."""

    severity: str
    code: str
    message: str
    fix: str = ""
    row: int | None = None           # 1-based row in the file / sheet
    column: str | None = None        # Excel-style column letter
    column_name: str | None = None   # header text of that column
    value: str | None = None         # the offending cell, as text (truncated)

    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}" + (f" ({self.column_name})" if self.column_name else ""))
        elif self.column_name:
            parts.append(f"column {self.column_name}")
        return ", ".join(parts)

    def format(self, file_name: str = "") -> str:
        head = ": ".join(p for p in (file_name, self.where()) if p)
        text = f"{head}: {self.message}" if head else self.message
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


@dataclass
class Resolution:
    """How one locality name of the file was matched to a unit (shown to editors for checking)."""

    name: str
    unit_id: str | None
    unit_name: str | None
    method: str                      # 'id' | 'exact' | 'spelling' | 'fuzzy' | 'confirmed'
    rows: list[int] = field(default_factory=list)
    candidates: list[tuple[str, str]] = field(default_factory=list)   # (unit_id, display name)
    score: float | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.method == "fuzzy"


@dataclass
class ParsedRow:
    row: int
    indicator_id: str
    unit_id: str
    unit_name: str
    locality_in_source: str
    year: int
    value: float | None
    official_rank: int | None
    rank_basis: str | None
    source_url: str | None
    note: str | None
    action: str = "new"              # 'new' | 'unchanged' | 'replace'

    def obs(self) -> dict[str, Any]:
        return {"indicator_id": self.indicator_id, "unit_id": self.unit_id,
                "locality_in_source": self.locality_in_source, "year": self.year, "value": self.value,
                "official_rank": self.official_rank, "rank_basis": self.rank_basis,
                "source_url": self.source_url, "note": self.note, "status": "primary"}


@dataclass
class Preview:
    """Everything the editor needs to decide: parsed rows, errors, name matches to confirm."""

    file_name: str
    sha256: str
    size: int
    data: bytes = field(repr=False)
    format: str | None = None        # 'csv' | 'xlsx'
    layout: str | None = None        # 'long' | 'wide'
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    header_row: int | None = None
    indicator: str | None = None     # wide layout: the indicator of the table
    year: int | None = None          # wide layout: the year of the table
    rows: list[ParsedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (row, reason)
    options: dict[str, Any] = field(default_factory=dict)
    replaced_existing: int = 0       # rows of the database the import would replace

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def pending_confirmations(self) -> list[Resolution]:
        return [r for r in self.resolutions if r.needs_confirmation]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.pending_confirmations and bool(self.rows)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(r.action for r in self.rows)
        return {"rows": len(self.rows), "new": c["new"], "unchanged": c["unchanged"], "replace": c["replace"],
                "replaced_existing": self.replaced_existing}

    def blocking_issues(self) -> list[Issue]:
        out = [i for i in self.issues if i.severity in ("error", "confirm")]
        if not out and not self.rows:
            out.append(Issue("error", "no_rows", "the file holds no figures to import.",
                             "check the sheet and the header row"))
        return out

    def error_report(self, limit: int = 60) -> str:
        issues = self.blocking_issues()
        lines = [i.format(self.file_name) for i in issues[:limit]]
        if len(issues) > limit:
            lines.append(f"… and {len(issues) - limit} more problems")
        return "\n".join(lines)

    def confirm(self, choices: dict[str, str], *, db_path: Path | str | None = None) -> Preview:
        """A new preview in which the given names (as written in the file) map to the given unit ids."""
        confirmed = dict(self.options.get("confirmed") or {})
        confirmed.update(choices)
        opts = {k: v for k, v in self.options.items() if k not in ("confirmed", "db_path")}
        return validate_file(self.data, self.file_name, confirmed=confirmed,
                             db_path=db_path or self.options.get("db_path"), **opts)

    def frame(self):
        """The parsed rows as a DataFrame (for display)."""
        import pandas as pd

        cols = ["row", "indicator_id", "unit_id", "unit_name", "locality_in_source", "year", "value",
                "official_rank", "source_url", "note", "action"]
        df = pd.DataFrame([{c: getattr(r, c) for c in cols} for r in self.rows], columns=cols)
        df["official_rank"] = df["official_rank"].astype("Int64")
        df["value"] = df["value"].astype("Float64")
        return df

    def issues_frame(self):
        import pandas as pd

        cols = ["severity", "row", "column", "column_name", "value", "message", "fix", "code"]
        return pd.DataFrame([{c: getattr(i, c) for c in cols} for i in self.issues], columns=cols)


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    import_id: str | None
    dry_run: bool
    rows_added: int
    rows_replaced: int
    rows_unchanged: int
    archived_path: str | None = None
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.dry_run:
            return (f"{self.file_name}: valid (dry run, nothing written); would add {self.rows_added} rows, "
                    f"replace {self.rows_replaced}, leave {self.rows_unchanged} unchanged "
                    f"(sha256 {self.sha256[:12]}…)" + "".join(f"\nwarning: {w}" for w in self.warnings))
        if self.import_id is None:
            head = f"{self.file_name}: nothing to import, every row is already in the database"
        else:
            head = f"{self.file_name}: imported as {self.import_id}"
        text = (f"{head}; {self.rows_added} rows added, {self.rows_replaced} replaced, "
                f"{self.rows_unchanged} unchanged (sha256 {self.sha256[:12]}…)")
        for w in self.warnings:
            text += f"\nwarning: {w}"
        return text

    def __str__(self) -> str:
        return self.summary()


@dataclass
class ImportRecord:
    import_id: str
    imported_at: dt.datetime | None
    actor: str | None
    file_name: str | None
    sha256: str | None
    rows_added: int | None
    rows_replaced: int | None
    status: str | None
    reverted_at: dt.datetime | None = None
    reverted_by: str | None = None
    archived_path: str | None = None


@dataclass
class RevertReport:
    import_id: str
    rows_removed: int
    rows_restored: int

    def __str__(self) -> str:
        return (f"reverted {self.import_id}: {self.rows_removed} imported rows removed, "
                f"{self.rows_restored} replaced rows restored")


class ImportValidationError(ValueError):
    """The file (or the revert request) is invalid; the message lists every problem with the fix."""

    def __init__(self, message: str, preview: Preview | None = None, issues: list[Issue] | None = None):
        self.preview = preview
        self.issues = issues or (preview.blocking_issues() if preview else [])
        super().__init__(message)


# ============================================================================================ vocabulary
def _k(text: Any) -> str:
    base, _ = split_parenthetical(str(text)) if "(" in str(text) else (str(text), None)
    return key(base)


IGNORE_KEYS = {"stt", "tt", "sothutu", "no", "nr", "number", "so", "sott", "ordinal"}
GRADE_KEYS = {"xeploai", "phanloai", "grade", "band", "mucxephang", "xeptang", "danhgia", "ketquaxeploai"}
LONG_ROLES: dict[str, set[str]] = {
    "indicator": {"indicator", "indicatorid", "indicatorcode", "chiso", "machiso", "tenchiso", "bochiso",
                  "chitieu", "index", "indexcode"},
    "locality": {"locality", "localityname", "unit", "unitid", "unitname", "diaphuong", "tendiaphuong", "donvi",
                 "tendonvi", "tinh", "tinhthanh", "tinhthanhpho", "tinhtp", "province", "district", "commune",
                 "ward", "huyen", "quanhuyen", "huyenthixathanhpho", "huyenthixatp", "xa", "xaphuong",
                 "phuongxa", "xaphuongthitran", "coquan", "coquandonvi", "sobannganh", "agency", "department",
                 "name", "ten", "cacso", "cacdonvi"},
    "year": {"year", "nam", "namdanhgia", "nambaocao", "kydanhgia"},
    "value": {"value", "giatri", "diem", "diemso", "score", "tongdiem", "ketqua", "chisodiem", "diemdatduoc",
              "tongdiemdatduoc", "total", "totalscore", "point", "points", "tong", "tyle", "phantram",
              "diemchiso", "indexvalue", "indexscore"},
    "official_rank": {"officialrank", "rank", "xephang", "thuhang", "hang", "xephangchinhthuc", "thutuxephang",
                      "vitri", "ranking"},
    "component": {"component", "componentid", "thanhphan", "chisothanhphan", "linhvuc", "noidung", "tieuchi",
                  "subindex", "pillar", "trucot"},
    "source_url": {"sourceurl", "source", "nguon", "url", "link", "nguondulieu", "nguontrichdan", "nguontin"},
    "note": {"note", "notes", "ghichu", "chuthich", "remarks", "remark"},
    # the unit's code next to its name (import templates): checked against the resolved unit, never a figure
    "code": {"code", "unitcode", "localitycode", "madonvi", "madiaphuong"},
}
LOCALITY_PREFIXES = ("donvi", "tendonvi", "diaphuong", "tendiaphuong", "coquan", "huyen", "quanhuyen",
                     "tinhthanh", "xaphuong", "phuongxa", "sobannganh", "locality", "province", "district",
                     "cacso", "cacdonvi", "ubnd")
NOTE_PREFIXES = ("ghichu", "nguon", "note", "source", "chuthich", "luuy", "nguoilap", "nguoilapbieu",
                 "kt", "tm", "giamdoc", "chutich", "noinhan", "xacnhan", "ngaythang")
SUMMARY_PREFIXES = ("tongcong", "trungbinh", "binhquan", "cong", "average", "mean", "total", "diemtrungbinh",
                    "tong", "chisotrungbinh", "giatritrungbinh")
META_KEYS = {
    "indicator": {"chiso", "machiso", "indicator", "indicatorid", "bochiso"},
    "year": {"nam", "year", "namdanhgia"},
    "source": {"nguon", "source", "sourceurl", "url", "link"},
    "within": {"tinh", "province", "within", "tinhthanhpho"},
}
# Index families recognised in title text → the catalog id by level of the ranked units.
FAMILIES: list[tuple[str, tuple[str, ...], dict[str, str]]] = [
    ("766", ("766",), {"province": "bcs766", "district": "bd_766_district", "commune": "bd_766_ward"}),
    ("sipas", ("sipas", "hailongcuanguoidan", "suhailong"), {"province": "sipas"}),
    ("par", ("caicachhanhchinh", "chisocchc", "parindex", "cchc"),
     {"province": "par_index", "district": "bd_par_district", "agency": "bd_par_department",
      "commune": "bd_par_commune"}),
    ("pci", ("pci", "nanglu ccanhtranh".replace(" ", ""), "nanglucanhtranhcaptinh"), {"province": "pci"}),
    ("papi", ("papi", "hieuquaquantri"), {"province": "papi"}),
    ("dti", ("dti", "chuyendoiso"), {"province": "dti"}),
    ("ict", ("ictindex", "sansangchophattrien"), {"province": "ict_index"}),
    ("mic", ("ungdungcongnghethongtin", "ungdungcntt"), {"province": "mic_it_app"}),
]
LEVEL_WORDS = [
    ("agency", ("capso", "cacso", "sobannganh", "songanh", "cacsobannganh", "coquanchuyenmon")),
    ("commune", ("capxa", "xaphuongthitran", "xaphuong", "phuongxa", "cacxa", "cacphuong")),
    ("district", ("caphuyen", "huyenthixathanhpho", "huyenthixatp", "cachuyen", "huyenthixa", "quanhuyen")),
    ("province", ("captinh", "tinhthanhpho", "63tinh", "cactinh")),
]
MISSING = {"", "-", "–", "—", "n/a", "na", "…", "...", "x"}
# Header words that name an index score (preferred over a generic "Điểm …" column for the index value).
INDEX_WORDS = ("parindex", "chisocchc", "chisocaicach", "pci", "papi", "sipas", "dti", "ictindex", "tongdiem",
               "ketqua", "totalscore", "indexscore", "index", "chiso")
MOJIBAKE = re.compile("Ã.|Æ°|Ä‘|áº|á»|Ä\u0090")
TCVN3 = re.compile("[¬µ¸¶·¹¨©®ª«­]{1}")


def _classify(text: Any) -> str | None:
    if text is None:
        return None
    s = str(text).strip()
    if not s:
        return None
    k = _k(s)
    if not k:
        k = key(s)
    if k in IGNORE_KEYS:
        return "ignore"
    if k in GRADE_KEYS:
        return "grade"
    for role, keys in LONG_ROLES.items():
        if k in keys:
            return role
    if "xephang" in k or "thuhang" in k or k.endswith("rank"):
        return "official_rank"
    if any(w in k for w in INDEX_WORDS):
        return "value"
    if k.startswith(LOCALITY_PREFIXES):
        return "locality"
    if "tongdiem" in k or (k.startswith("chiso") and len(k) > 5) or k.startswith(("diem", "ketqua", "score")):
        return "value"
    if k.startswith(("ghichu", "note")):
        return "note"
    return None


# ============================================================================================ cell parsing
def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    return str(v).strip()


def _short(v: Any, n: int = 80) -> str:
    s = _text(v).replace("\r", " ").replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


_NUM = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_DATEISH = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


class CellError(ValueError):
    def __init__(self, message: str, fix: str = "", code: str = "bad_cell"):
        self.message, self.fix, self.code = message, fix, code
        super().__init__(message)


def parse_number(v: Any, *, percent_cell: bool = False) -> tuple[float | None, bool]:
    """(number, given_as_percent). None = no value. Raises CellError with the fix."""
    if v is None:
        return None, False
    if isinstance(v, bool):
        raise CellError(f"{v} is a TRUE/FALSE cell, not a number.", "type the number", "not_numeric")
    if is_date(v):
        raise CellError(f"{_short(v)} is a date, not a number.",
                        "format the cell as Number (Excel turned it into a date)", "date_value")
    if isinstance(v, (int, float)):
        f = float(v)
        if not math.isfinite(f):
            raise CellError(f"{v} is not a finite number.", "type the published figure", "not_finite")
        return (f * 100.0, True) if percent_cell else (f, False)
    s = str(v).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    if s.lower() in MISSING:
        return None, False
    if s.startswith(("=", "@")):
        raise CellError(f"{_short(v)!r} is a formula; formulas are never evaluated.",
                        "type the number itself (in Excel: copy, then Paste Special › Values)", "formula_text")
    pct = False
    if s.endswith("%"):
        pct, s = True, s[:-1]
    if _DATEISH.match(s) and not _NUM.match(s):
        raise CellError(f"{_short(v)!r} looks like a date, not a number.", "type the number", "date_value")
    if "," in s and "." in s:   # the last separator is the decimal one
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1:
        if not _THOUSANDS_COMMA.match(s):
            raise CellError(f"{_short(v)!r} is not a number.", "use one decimal separator, e.g. 84,58 or 84.58",
                            "not_numeric")
        s = s.replace(",", "")
    elif s.count(".") > 1:
        if not _THOUSANDS_DOT.match(s):
            raise CellError(f"{_short(v)!r} is not a number.", "use one decimal separator, e.g. 84,58 or 84.58",
                            "not_numeric")
        s = s.replace(".", "")
    if not _NUM.match(s):
        low = s.lower()
        if low in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity", "#div/0!", "#n/a", "#value!", "#ref!",
                   "#num!", "#name?", "#null!"):
            raise CellError(f"{_short(v)!r} is not a finite number.", "type the published figure or leave the cell "
                            "empty when none was published", "not_finite")
        raise CellError(f"{_short(v)!r} is not a number.",
                        "type a number such as 84,58 or 84.58 (no units or words)", "not_numeric")
    f = float(s)
    if not math.isfinite(f):
        raise CellError(f"{_short(v)!r} is not a finite number.", "type the published figure", "not_finite")
    return f, pct


def parse_year(v: Any) -> int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise CellError(f"{v} is not a year.", "type the year, e.g. 2017", "bad_year")
    if is_date(v):
        raise CellError(f"{_short(v)} is a date, not a year.",
                        "type the assessment year as a number, e.g. 2017 (format the column as Number)",
                        "date_as_year")
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise CellError(f"{_short(v)} is not a year.", "type the year, e.g. 2017", "bad_year")
        return int(v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if re.fullmatch(r"\d{4}", s):
        return int(s)
    if re.fullmatch(r"\d{4}\.0+", s):
        return int(s.split(".")[0])
    if _DATEISH.match(s) or re.search(r"\d{1,2}[/-]\d{4}", s):
        raise CellError(f"{_short(v)!r} is a date, not a year.", "type the assessment year only, e.g. 2017",
                        "date_as_year")
    if s.startswith("="):
        raise CellError(f"{_short(v)!r} is a formula; formulas are never evaluated.", "type the year, e.g. 2017",
                        "formula_text")
    raise CellError(f"{_short(v)!r} is not a year.", "type the four-digit year, e.g. 2017", "bad_year")


def parse_rank(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or is_date(v):
        raise CellError(f"{_short(v)!r} is not a rank.", "type the published rank as a whole number", "bad_rank")
    if isinstance(v, float):
        if not math.isfinite(v) or not v.is_integer():
            raise CellError(f"{_short(v)} is not a whole number.", "type the published rank as a whole number",
                            "bad_rank")
        return int(v)
    if isinstance(v, int):
        return v
    s = str(v).strip()
    if s.lower() in MISSING:
        return None
    if s.startswith(("=", "@")):
        raise CellError(f"{_short(v)!r} is a formula; formulas are never evaluated.",
                        "type the rank itself", "formula_text")
    if re.fullmatch(r"[+-]?\d{1,6}", s):
        return int(s)
    if re.fullmatch(r"\d{1,6}[.,]0+", s):
        return int(re.split(r"[.,]", s)[0])
    raise CellError(f"{_short(v)!r} is not a whole number.", "type the published rank as a whole number, e.g. 4",
                    "bad_rank")


_ORDINAL = re.compile(r"^\s*(?:\d{1,3}|[IVXivx]{1,4}|[a-zđ])[.)]\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_text(v: Any, what: str, *, multiline: bool = False) -> str:
    s = _text(v)
    limit = MAX_TEXT[what]
    if len(s) > limit:
        raise CellError(f"the {what} is {len(s):,} characters long (at most {limit:,}).",
                        f"shorten the {what}", "too_long")
    if _CONTROL.search(s) or (not multiline and ("\n" in s or "\r" in s)):
        raise CellError(f"the {what} contains control characters or line breaks.",
                        "retype the cell as plain text", "control_chars")
    if s.startswith(("=", "@")) and what != "note":
        raise CellError(f"{_short(s)!r} starts like a spreadsheet formula; formulas are never evaluated.",
                        f"type the {what} as plain text", "formula_text")
    if s.startswith("=") and what == "note":
        raise CellError(f"{_short(s)!r} starts like a spreadsheet formula; formulas are never evaluated.",
                        "remove the leading '='", "formula_text")
    return s


# ============================================================================================ layout
@dataclass
class _Col:
    idx: int
    role: str
    name: str
    component: str | None = None     # wide layout: the component indicator id of this column


@dataclass
class _Layout:
    kind: str                        # 'long' | 'wide'
    header_first: int                # grid index of the first header row
    header_last: int                 # grid index of the last header row
    cols: list[_Col]
    data_start: int


def _row_texts(row: list[Any]) -> list[str]:
    return [_text(c) for c in row]


def _nonempty(row: list[Any]) -> list[str]:
    return [t for t in _row_texts(row) if t]


def _is_numeric_cell(v: Any) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    if isinstance(v, str):
        try:
            return parse_number(v)[0] is not None
        except CellError:
            return False
    return False


_COLNUM = re.compile(r"^(?:\d{1,2}|[A-Za-z])(?:[=+\-*/x](?:\d{1,2}|[A-Za-z]))*$")


def _is_column_number_row(row: list[Any]) -> bool:
    """A row of column numbers under the header: "(1) (2) (3) (4)=(2)+(3)" or "A B 1 2"."""
    cells = [re.sub(r"[\s()]", "", c) for c in _nonempty(row)]
    return len(cells) >= 2 and all(_COLNUM.match(c) for c in cells) and \
        len([c for c in cells if re.search(r"\d", c)]) >= 2 and not any(len(c) > 16 for c in cells)


def _find_header(grid: Grid) -> tuple[int, dict[int, str]] | None:
    for i, row in enumerate(grid.rows[:60]):
        roles = {c: _classify(v) for c, v in enumerate(row)}
        roles = {c: r for c, r in roles.items() if r}
        present = set(roles.values())
        if "locality" in present and present & {"value", "official_rank", "year", "indicator", "component"}:
            return i, roles
    return None


def _combined_header(grid: Grid, first: int, last: int, c: int) -> tuple[str, str]:
    """(bottom-most header text, all header texts of the column joined)."""
    texts: list[str] = []
    for r in range(first, last + 1):
        row = grid.rows[r]
        t = _text(row[c]) if c < len(row) else ""
        if t and (not texts or texts[-1] != t):
            texts.append(t)
    return (texts[-1] if texts else ""), " ".join(texts)


# ============================================================================================ validation
class _Ctx:
    def __init__(self, file_name: str, catalog: Catalog, registry: Registry, replace: bool,
                 confirmed: dict[str, str], within: Unit | None):
        self.file_name = file_name
        self.cat = catalog
        self.reg = registry
        self.replace = replace
        self.confirmed = confirmed
        self.within = within
        self.issues: list[Issue] = []
        self.n_errors = 0
        self.truncated = False
        self.res_cache: dict[tuple, tuple[Unit | None, Resolution | None, Issue | None]] = {}
        self.resolutions: dict[tuple[str, str | None], Resolution] = {}
        self.unknown_count = 0
        self._seen: set[tuple] = set()
        self.pools: dict[tuple, list[tuple[str, Unit]]] = {}

    def add(self, issue: Issue) -> None:
        sig = (issue.row, issue.column, issue.message)
        if sig in self._seen:
            return
        self._seen.add(sig)
        if issue.severity in ("error", "confirm"):
            self.n_errors += 1
            if self.n_errors > MAX_ERRORS:
                self.truncated = True
                return
        self.issues.append(issue)


def _indicator_from_text(cat: Catalog, s: str) -> tuple[Indicator | None, list[str]]:
    raw = s.strip()
    if raw in cat:
        return cat.get(raw), []
    low = raw.lower()
    if low in cat:
        return cat.get(low), []
    try:
        return cat.by_reference_code(raw.upper(), None), []
    except KeyError:
        pass
    k = key(raw)
    hits = []
    for ind in cat:
        names = {ind.id, ind.name.get("vi", ""), ind.name.get("en", ""), ind.short.get("vi", ""),
                 ind.short.get("en", "")}
        keys = {key(n) for n in names if n}
        keys |= {"chiso" + x for x in keys if not x.startswith("chiso")}   # "Chỉ số " + a short name
        if k and k in keys:
            hits.append(ind)
    roots = [h for h in hits if h.parent is None] or hits
    if len(roots) == 1:
        return roots[0], []
    pool = {ind.id: ind.id for ind in cat}
    for ind in cat:
        pool.setdefault(key(ind.short.get("vi", "")), ind.id)
        pool.setdefault(key(ind.short.get("en", "")), ind.id)
    close = difflib.get_close_matches(low, list(cat.ids()), n=4, cutoff=0.5)
    close += [pool[m] for m in difflib.get_close_matches(k, [p for p in pool if p], n=4, cutoff=0.6)]
    if len(roots) > 1:
        close = [r.id for r in roots] + close
    return None, list(dict.fromkeys(close))[:5]


def _component_of(cat: Catalog, ind: Indicator, comp: str) -> tuple[Indicator | None, list[str]]:
    raw = comp.strip()
    kids = cat.children(ind.id)
    for cand in (raw, f"{ind.id}.{raw}", raw.lower(), f"{ind.id}.{raw.lower()}"):
        if cand in cat and (cand == ind.id or cat.get(cand).parent == ind.id):
            return cat.get(cand), []
    k = _k(raw) or key(raw)
    for child in kids:
        names = [child.name.get("vi"), child.name.get("en"), child.short.get("vi"), child.short.get("en")]
        if k in {key(n) for n in names if n}:
            return child, []
    for (_code, label), iid in cat.labels.items():
        if label and iid.startswith(ind.id + ".") and (k == key(label) or k == _k(label)):
            return cat.get(iid), []
    return None, [c.id for c in kids]


def _match_component_header(cat: Catalog, ind: Indicator, header_bottom: str, header_all: str) -> str | None:
    kids = cat.children(ind.id)
    if not kids:
        return None
    labels: dict[str, list[str]] = defaultdict(list)
    for child in kids:
        for n in (child.name.get("vi"), child.name.get("en"), child.short.get("vi"), child.short.get("en"),
                  child.id.split(".")[-1]):
            if n and len(key(n)) >= 4:
                labels[child.id].append(key(n))
    for (_code, label), iid in cat.labels.items():
        if label and iid in labels:
            labels[iid].append(_k(label))
    for text in (header_bottom, header_all):
        hk = _k(text) or key(text)
        if not hk:
            continue
        found = {iid for iid, ks in labels.items() if any(k and (k in hk or (len(hk) >= 6 and hk in k)) for k in ks)}
        if len(found) == 1:
            return found.pop()
    return None


def _level_n(ctx: _Ctx, ind: Indicator, year: int, scope: Unit | None) -> int | None:
    ed = ind.edition(year)
    if ed and ed.n_ranked:
        return ed.n_ranked
    level = ind.levels[0]
    if level == "province":
        return len([u for u in ctx.reg.units(level="province", vintage=ind.vintage)])
    if scope is not None:
        return len([u for u in ctx.reg.units(level=level, vintage=ind.vintage) if u.province_id == scope.unit_id])
    return None


def _fuzzy_score(name: str, unit: Unit) -> float:
    a, _ = strip_type(key(split_parenthetical(name)[0]))
    best = 0.0
    for n in (unit.short_name, unit.name, unit.name_en):
        if n:
            b, _ = strip_type(key(n))
            best = max(best, difflib.SequenceMatcher(None, a, b).ratio())
    return best


def _resolve(ctx: _Ctx, name: str, ind: Indicator, year: int, scope: Unit | None
             ) -> tuple[Unit | None, Resolution | None, Issue | None]:
    ck = (name, ind.levels[0], ind.vintage, year, scope.unit_id if scope else None)
    if ck in ctx.res_cache:
        return ctx.res_cache[ck]
    out = _resolve_uncached(ctx, name, ind, year, scope)
    ctx.res_cache[ck] = out
    return out


def _hint_encoding(name: str) -> str:
    if MOJIBAKE.search(name):
        return (" The text looks garbled (mojibake, e.g. 'Ã', 'Æ°'): the file was saved in one encoding and"
                " read in another; save it again as CSV UTF-8.")
    if len(TCVN3.findall(name)) >= 1 and not re.search("[ăâđêôơưĂÂĐÊÔƠƯ]", name):
        return (" The text looks like the legacy TCVN3/VNI font encoding; convert it to Unicode (e.g. Unikey"
                " › Công cụ chuyển mã) and save as CSV UTF-8.")
    return ""


def _resolve_uncached(ctx: _Ctx, name: str, ind: Indicator, year: int, scope: Unit | None
                      ) -> tuple[Unit | None, Resolution | None, Issue | None]:
    reg = ctx.reg
    level = ind.levels[0]
    where = f" at level {level}" + (f" in {scope.display_name()}" if scope else "") + f" in {year}"
    if name in ctx.confirmed:
        uid = ctx.confirmed[name]
        u = reg.units_by_id.get(uid)
        if u is None or u.level not in ind.levels or u.vintage != ind.vintage:
            return None, None, Issue("error", "bad_confirmation",
                                     f"the confirmed unit {uid!r} for {name!r} is not a {level} unit of "
                                     f"the right period.", "choose one of the suggested candidates")
        return u, Resolution(name, u.unit_id, u.display_name(), "confirmed"), None
    if not key(name):
        return None, None, Issue("error", "unknown_locality", f"{_short(name)!r} is not a locality name.",
                                 "type the name of the unit, e.g. 'Huyện Bàu Bàng'")
    if not _known_key(reg, name, level=level, vintage=ind.vintage):
        return _unknown(ctx, name, ind, year, scope, UnknownLocality(name, _candidates(ctx, name, ind, year, scope)),
                        where)
    try:
        u = reg.resolve(name, year=year, level=level, vintage=ind.vintage, within=scope)
    except AmbiguousLocality as e:
        cands = "; ".join(f"{c.display_name()} ({reg.get(c.parent_id).display_name() if c.parent_id else ''}) "
                          f"[{c.unit_id}]" for c in e.candidates[:6])
        return None, None, Issue("error", "ambiguous_locality",
                                 f"{_short(name)!r} matches {len(e.candidates)} units{where}: {cands}.",
                                 "add the parent in brackets, e.g. 'Phường Tân Bình (TP. Dĩ An)', or write the "
                                 "unit id shown in brackets")
    except UnknownLocality as e:
        return _unknown(ctx, name, ind, year, scope, e, where)
    except RegistryError as e:
        return None, None, Issue("error", "unknown_locality", str(e), "check the name")
    if u.level not in ind.levels:
        return None, None, Issue("error", "wrong_level", f"{_short(name)!r} is {u.display_name()}, a {u.level}"
                                 f" unit; {ind.id} ranks {level} units.",
                                 f"remove the row or import it under an indicator for {u.level} units")
    method = "id" if name.strip() == u.unit_id else (
        "exact" if name.strip() in (u.name, u.short_name) else "spelling")
    return u, Resolution(name, u.unit_id, u.display_name(), method), None


def _known_key(reg: Registry, name: str, *, level: str | None = None, vintage: str | None = None) -> bool:
    """Could `name` resolve (to a unit of `level`/`vintage`)? A cheap index lookup, so that names that
    cannot resolve never reach the registry's fuzzy search over 14,000 units."""
    from analytics.text import strip_english_type

    raw = name.strip()
    if raw in reg.units_by_id:
        return True
    base, hint = split_parenthetical(raw)
    if re.fullmatch(r"[0-9A-Za-z-]{1,12}", base) and re.search(r"\d", base):
        return True   # a code: let the registry decide
    idx = reg._index  # noqa: SLF001 - read-only use of the registry's name index
    hits: set[str] = set()
    for k in {key(raw), key(base), strip_type(key(base))[0], key(hint) if hint else "",
              strip_english_type(key(base))}:
        if k:
            hits |= idx.get(k, set())
    return any((level is None or reg.units_by_id[i].level == level)
               and (vintage is None or reg.units_by_id[i].vintage == vintage)
               for i in hits if i in reg.units_by_id)


def _candidates(ctx: _Ctx, name: str, ind: Indicator, year: int, scope: Unit | None) -> list[Unit]:
    """Closest units of the indicator's level (in the scope) by name similarity."""
    level = ind.levels[0]
    pk = (level, ind.vintage, scope.unit_id if scope else None, year)
    pool = ctx.pools.get(pk)
    if pool is None:
        pool = ctx.pools[pk] = [(strip_type(key(u.short_name))[0], u)
                                for u in ctx.reg.units(level=level, vintage=ind.vintage)
                                if (scope is None or u.province_id == scope.unit_id) and u.valid_in_year(year)]
    ctx.unknown_count += 1
    if len(pool) > 1500 and ctx.unknown_count > 20:
        return []   # enough suggestions computed; keep validation fast on hostile files
    target = strip_type(key(split_parenthetical(name)[0]))[0]
    sm = difflib.SequenceMatcher()
    sm.set_seq2(target)
    scored = []
    for k, u in pool:
        sm.set_seq1(k)
        if sm.real_quick_ratio() >= 0.6 and sm.quick_ratio() >= 0.6:
            r = sm.ratio()
            if r >= 0.6:
                scored.append((-r, u.unit_id, u))
    return [u for _, _, u in sorted(scored)[:5]]


def _unknown(ctx: _Ctx, name: str, ind: Indicator, year: int, scope: Unit | None, e: UnknownLocality,
             where: str) -> tuple[Unit | None, Resolution | None, Issue | None]:
    reg = ctx.reg
    known = len(name) <= MAX_TEXT["locality"] and _known_key(reg, name, vintage=ind.vintage)
    # A unit of another level in the province, a unit created by the 2025 reform, a unit of another
    # province? Say so instead of "unknown" (only for names the index knows: no slow fuzzy search).
    if known and scope is not None:
        with contextlib.suppress(RegistryError):
            other = reg.resolve(name, year=year, vintage=ind.vintage, within=scope)
            if other.level not in ind.levels:
                return None, None, _wrong_level(name, other, ind)
    if ind.vintage == "legacy" and year <= LEGACY_LAST_YEAR and _known_key(reg, name, vintage="2025"):
        succ = {u.unit_id for u, _, _ in reg.successors_of(scope.unit_id)} if scope is not None else None
        with contextlib.suppress(RegistryError):
            new = reg.resolve(name, vintage="2025", within=reg.get(next(iter(succ))) if succ else None)
            if new.vintage == "2025" and (succ is None or new.province_id in succ):
                return None, None, Issue("error", "outside_validity",
                                         f"{_short(name)!r} is {new.display_name()}, a unit created on 1 Jul 2025; "
                                         f"{ind.id} {year} uses the units before the 2025 reform.",
                                         "use the name of the unit as it was in that year")
    if known:
        with contextlib.suppress(RegistryError):
            other = reg.resolve(name, year=year, vintage=ind.vintage)
            if other.level not in ind.levels:
                return None, None, _wrong_level(name, other, ind)
            if scope is not None and other.province_id != scope.unit_id:
                prov = reg.get(other.province_id).display_name() if other.province_id else "?"
                return None, None, Issue("error", "outside_scope",
                                         f"{_short(name)!r} is {other.display_name()} in {prov}; {ind.id} covers "
                                         f"{scope.display_name()} only.", "remove the row or check the indicator")
    cands = e.candidates
    scored = sorted(((_fuzzy_score(name, c), c) for c in cands), key=lambda t: -t[0])
    if scored and scored[0][0] >= 0.84 and (len(scored) == 1 or scored[1][0] <= scored[0][0] - 0.04):
        best = scored[0][1]
        return best, Resolution(name, best.unit_id, best.display_name(), "fuzzy",
                                candidates=[(c.unit_id, c.display_name()) for _, c in scored[:5]],
                                score=round(scored[0][0], 2)), None
    hint = "; ".join(f"{c.display_name()} [{c.unit_id}]" for _, c in scored[:5])
    fix = f"did you mean: {hint}?" if hint else "check the spelling, or write the unit id (e.g. old-d-718)"
    return None, None, Issue("error", "unknown_locality",
                             f"unknown locality {_short(name)!r}{where}.{_hint_encoding(name)}", fix)


def _wrong_level(name: str, other: Unit, ind: Indicator) -> Issue:
    return Issue("error", "wrong_level", f"{_short(name)!r} is {other.display_name()}, a {other.level} unit; "
                 f"{ind.id} ranks {ind.levels[0]} units.",
                 f"remove the row or import it under an indicator for {other.level} units")


# ============================================================================================ the parse
@dataclass
class _Field:
    value: Any
    col: int | None
    name: str | None


@dataclass
class _Record:
    grid_row: int
    row: int
    f: dict[str, _Field]
    component_id: str | None = None
    role: str = "root"


def _fixed(value: Any, name: str) -> _Field:
    return _Field(value, None, name)


def _meta_from_rows(grid: Grid, rows: range) -> dict[str, tuple[str, int]]:
    """``key: value`` cells (or a label cell followed by a value cell) in title/notes rows."""
    out: dict[str, tuple[str, int]] = {}
    for r in rows:
        row = grid.rows[r]
        texts = _row_texts(row)
        seen: set[str] = set()
        for c, t in enumerate(texts):
            if not t or t in seen:
                continue
            seen.add(t)
            m = re.match(r"^\s*([^:：]{1,30})[:：]\s*(.+)$", t)
            label, val = (m.group(1), m.group(2).strip()) if m else (t, None)
            lk = key(label)
            for what, keys in META_KEYS.items():
                if lk in keys:
                    if val is None:
                        nxt = [x for x in texts[c + 1:] if x and x != t]
                        val = nxt[0] if nxt else None
                    if val and what not in out:
                        out[what] = (val, r)
    return out


def _year_from_title(title: str) -> int | None:
    f = fold(title)
    f = re.sub(r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}", " ", f)
    f = re.sub(r"thang\s+\d{1,2}\s+nam\s+\d{4}", " ", f)
    f = re.sub(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", " ", f)
    years = [int(y) for y in re.findall(r"\b(?:nam|year|ky|giai doan)\s*:?\s*((?:19|20)\d{2})\b", f)]
    if len(set(years)) == 1:
        return years[0]
    years = [int(y) for y in re.findall(r"\b((?:199|20[0-4])\d)\b", f)]
    return years[0] if len(set(years)) == 1 else None


def _indicator_from_title(cat: Catalog, title: str, level_hint: str | None) -> tuple[str | None, str]:
    tk = key(title)
    if not tk:
        return None, "no title"
    for ind in cat:
        if ind.parent is None and len(ind.id) > 4 and (ind.id.replace("_", "") in tk and "_" in ind.id):
            return ind.id, "title"
    level = level_hint
    if level is None:
        for lv, words in LEVEL_WORDS:
            if any(w in tk for w in words):
                level = lv
                break
    for _fam, words, by_level in FAMILIES:
        if any(w in tk for w in words):
            if level and level in by_level:
                return by_level[level], "title"
            if len(by_level) == 1:
                return next(iter(by_level.values())), "title"
            return None, f"the title names an index family with several levels ({', '.join(by_level.values())})"
    return None, "the title names no known index"


def _detect_layout(grid: Grid, ctx: _Ctx, params: dict[str, Any]) -> tuple[_Layout | None, dict[str, Any]]:
    found = _find_header(grid)
    info: dict[str, Any] = {}
    if found is None:
        ctx.add(Issue("error", "no_header",
                      "no header row found: expected the columns indicator, locality, year, value (long format) "
                      "or a table with a locality column (Đơn vị / Địa phương) and score or rank columns.",
                      "add a header row, e.g. 'indicator,locality,year,value,official_rank'"))
        return None, info
    h, roles = found
    present = set(roles.values())
    kind = "long" if present & {"indicator", "year", "component"} else "wide"
    first = last = h
    if kind == "wide":
        # group header rows above (several distinct texts, no numbers), sub-header rows below
        if h > 0:
            above = grid.rows[h - 1]
            cells = _nonempty(above)
            if len(set(cells)) >= 2 and not any(_is_numeric_cell(v) for v in above) and \
                    not _meta_from_rows(grid, range(h - 1, h)):
                first = h - 1
        r = h + 1
        loc_col = next(c for c, ro in roles.items() if ro == "locality")
        while r < len(grid.rows) and r <= h + 3:
            row = grid.rows[r]
            if _is_column_number_row(row):
                last = r
                r += 1
                continue
            cells = [v for c, v in enumerate(row) if _text(v) and c != loc_col]
            loc = _text(row[loc_col]) if loc_col < len(row) else ""
            header_loc = _text(grid.rows[h][loc_col])
            if cells and not any(_is_numeric_cell(v) for v in cells) and (not loc or loc == header_loc) \
                    and any(_classify(v) for v in cells):
                last = r
                r += 1
                continue
            break
    cols: list[_Col] = []
    width = max(len(grid.rows[r]) for r in range(first, last + 1))
    for c in range(width):
        bottom, allt = _combined_header(grid, first, last, c)
        role = _classify(bottom) or _classify(allt) if kind == "wide" else _classify(bottom)
        cols.append(_Col(c, role or "unknown", allt or bottom))
    data_start = last + 1
    while data_start < len(grid.rows) and _is_column_number_row(grid.rows[data_start]):
        data_start += 1
    return _Layout(kind, first, last, cols, data_start), info


def _header_problems(ctx: _Ctx, grid: Grid, lay: _Layout, params: dict[str, Any]) -> bool:
    """Check the columns; return False when the table cannot be read at all."""
    ok = True
    header_row = grid.row_numbers[lay.header_last]
    by_role: dict[str, list[_Col]] = defaultdict(list)
    for col in lay.cols:
        by_role[col.role].append(col)
    for role, cols in by_role.items():
        if role in ("ignore", "grade", "unknown", "component_value") or len(cols) < 2:
            continue
        if lay.kind == "wide" and role == "value":
            continue
        names = ", ".join(f"{col_letter(c.idx)} ({_short(c.name, 40)})" for c in cols)
        ctx.add(Issue("error", "duplicate_column", f"the role '{role}' appears in several columns: {names}.",
                      "keep one of these columns and delete or rename the others", row=header_row))
        ok = False
    if lay.kind == "long":
        missing = []
        if "locality" not in by_role:
            missing.append("locality (địa phương)")
        if "indicator" not in by_role and not params.get("indicator"):
            missing.append("indicator (chỉ số)")
        if "year" not in by_role and not params.get("year"):
            missing.append("year (năm)")
        if "value" not in by_role and "official_rank" not in by_role:
            missing.append("value (giá trị)")
        if missing:
            found = ", ".join(_short(c.name, 30) for c in lay.cols if c.name)
            ctx.add(Issue("error", "missing_column", f"missing column(s): {', '.join(missing)}; found: {found}.",
                          "add the missing columns to the header row (or pass --indicator / --year)",
                          row=header_row))
            ok = False
    for col in lay.cols:
        if col.role == "unknown" and col.name:
            if lay.kind == "long":
                ctx.add(Issue("error", "unknown_column", f"unknown column {_short(col.name, 60)!r}.",
                              "rename it to one of indicator, locality, year, value, official_rank, component, "
                              "source_url, note, code — or delete it", row=header_row, column=col_letter(col.idx),
                              column_name=_short(col.name, 60)))
                ok = False
        elif col.role == "grade":
            ctx.add(Issue("warning", "ignored_column", f"column {_short(col.name, 60)!r} (grades) is ignored: "
                          "bands are derived from the catalog.", row=header_row, column=col_letter(col.idx)))
    # data under a column without header
    named = {c.idx for c in lay.cols if c.name}
    for gi in range(lay.data_start, min(len(grid.rows), lay.data_start + 200)):
        row = grid.rows[gi]
        for c, v in enumerate(row):
            if c not in named and _text(v) and lay.kind == "long":
                ctx.add(Issue("error", "unnamed_column", "this column has data but no header.",
                              "add a header or delete the column (an extra separator at the end of the line?)",
                              row=grid.row_numbers[gi], column=col_letter(c), value=_short(v)))
                return False
    return ok


def _main_value_col(cols: list[_Col]) -> _Col:
    """The index value among several score columns: one whose header names an index, else the last."""
    named = [c for c in cols if any(w in key(c.name or "") for w in INDEX_WORDS)]
    return (named or cols)[-1]


def _is_note_row(row: list[Any]) -> bool:
    cells = _nonempty(row)
    if not cells:
        return False
    first = key(cells[0])
    if first.startswith(NOTE_PREFIXES) or cells[0].lstrip().startswith(("*", "(*)", "Ghi chú", "Nguồn")):
        return True
    return len(set(cells)) == 1 and not _is_numeric_cell(cells[0]) and len(cells[0]) > 25


def _records(grid: Grid, lay: _Layout, ctx: _Ctx, params: dict[str, Any], table_ind: Indicator | None,
             skipped: list[tuple[int, str]]) -> list[_Record]:
    out: list[_Record] = []
    cols_by_role: dict[str, _Col] = {}
    for col in lay.cols:
        cols_by_role.setdefault(col.role, col)
    value_cols = [c for c in lay.cols if c.role == "value"]
    comp_cols = [c for c in lay.cols if c.role == "component_value"]
    loc_col = cols_by_role.get("locality")
    trailer = False
    seen_data = False
    for gi in range(lay.data_start, len(grid.rows)):
        row = grid.rows[gi]
        rn = grid.row_numbers[gi]
        if not _nonempty(row):
            continue

        def cell(col: _Col | None, row=row) -> _Field:
            if col is None:
                return _Field(None, None, None)
            v = row[col.idx] if col.idx < len(row) else None
            if isinstance(v, str) and not v.strip():
                v = None
            return _Field(v, col.idx, col.name)

        loc_text = _text(cell(loc_col).value) if loc_col else ""
        if lay.kind == "wide":
            figures = [cell(c).value for c in value_cols + comp_cols + [cols_by_role.get("official_rank")] if c]
            has_fig = any(v is not None and _text(v) for v in figures)
            if trailer:
                if loc_text and any(_is_numeric_cell(v) for v in figures):
                    ctx.add(Issue("warning", "after_notes", "this row comes after the notes below the table and "
                                  "was ignored.", "move it into the table if it is data", row=rn))
                skipped.append((rn, "below the table"))
                continue
            if _is_note_row(row):
                if seen_data:
                    trailer = True
                skipped.append((rn, "notes row"))
                continue
            if loc_text and key(loc_text).startswith(SUMMARY_PREFIXES):
                skipped.append((rn, f"summary row {loc_text!r}"))
                continue
            if not has_fig:
                skipped.append((rn, "section or empty row (no figures)"))
                continue
            if not loc_text and not any(_is_numeric_cell(v) for v in figures):
                skipped.append((rn, "no locality and no figures"))
                continue
            seen_data = True
            base = {"locality": cell(loc_col), "indicator": _fixed(table_ind.id if table_ind else None, "indicator"),
                    "year": _fixed(params.get("year"), "year"),
                    "source_url": cell(cols_by_role.get("source_url")), "note": cell(cols_by_role.get("note")),
                    "code": cell(cols_by_role.get("code"))}
            main_val = cell(_main_value_col(value_cols)) if value_cols else _Field(None, None, None)
            rank = cell(cols_by_role.get("official_rank"))
            if main_val.value is not None or rank.value is not None or not comp_cols:
                out.append(_Record(gi, rn, {**base, "value": main_val, "official_rank": rank}))
            for cc in comp_cols:
                fv = cell(cc)
                if fv.value is not None:
                    out.append(_Record(gi, rn, {**base, "value": fv, "official_rank": _Field(None, None, None)},
                                       component_id=cc.component, role="component"))
        else:
            if _is_note_row(row) and len(set(_nonempty(row))) == 1:
                skipped.append((rn, "notes row"))
                continue
            fields = {role: cell(cols_by_role.get(role)) for role in
                      ("indicator", "locality", "year", "value", "official_rank", "component", "source_url", "note",
                       "code")}
            if all(fields[r].value is None for r in ("value", "official_rank", "component", "source_url", "note")):
                skipped.append((rn, "no figure (a template row left empty)"))   # only names a locality
                continue
            if fields["indicator"].value is None and params.get("indicator"):
                fields["indicator"] = _fixed(params["indicator"], "indicator")
            if fields["year"].value is None and params.get("year"):
                fields["year"] = _fixed(params["year"], "year")
            out.append(_Record(gi, rn, fields))
    return out


def _issue_at(ctx: _Ctx, rec: _Record, fld: _Field, e: CellError, severity: str = "error") -> None:
    ctx.add(Issue(severity, e.code, e.message, e.fix, row=rec.row,
                  column=col_letter(fld.col) if fld.col is not None else None,
                  column_name=_short(fld.name, 40) if fld.name else None,
                  value=_short(fld.value) if fld.value is not None else None))


def _scope_for(ctx: _Ctx, ind: Indicator, db_scopes: dict[str, str | None], majority: Unit | None) -> Unit | None:
    if ind.levels[0] == "province":
        return None
    if ctx.within is not None:
        return ctx.within
    root = ind.id.split(".")[0]
    pid = db_scopes.get(root)
    if pid:
        return ctx.reg.units_by_id.get(pid)
    return majority


def _validate_records(ctx: _Ctx, grid: Grid, records: list[_Record], params: dict[str, Any],
                      db_scopes: dict[str, str | None]) -> list[ParsedRow]:
    cat, reg = ctx.cat, ctx.reg
    today = dt.date.today()
    parsed: list[ParsedRow] = []
    keys_seen: dict[tuple[str, str, int], int] = {}
    formula_used: list[str] = []
    pre: list[tuple[_Record, Indicator, int]] = []
    # pass 1: indicator and year of every record
    for rec in records:
        if ctx.truncated:
            break
        f = rec.f
        ind: Indicator | None = None
        ind_f = f["indicator"]
        if rec.component_id:
            ind = cat.get(rec.component_id)
        elif ind_f.value is None:
            ctx.add(Issue("error", "missing_indicator", "the indicator is empty.",
                          "type a catalog id such as bd_par_district", row=rec.row,
                          column=col_letter(ind_f.col) if ind_f.col is not None else None,
                          column_name=ind_f.name))
            continue
        else:
            try:
                text = check_text(ind_f.value, "indicator")
            except CellError as e:
                _issue_at(ctx, rec, ind_f, e)
                continue
            ind, close = _indicator_from_text(cat, text)
            if ind is None:
                ctx.add(Issue("error", "unknown_indicator", f"unknown indicator {_short(text)!r}.",
                              (f"did you mean: {', '.join(close)}?" if close else
                               "use a catalog id (see data/indicators.yaml), e.g. bd_par_district"),
                              row=rec.row, column=col_letter(ind_f.col) if ind_f.col is not None else None,
                              column_name=ind_f.name, value=_short(text)))
                continue
            comp_f = f.get("component")
            if comp_f is not None and comp_f.value is not None:
                try:
                    ctext = check_text(comp_f.value, "component")
                except CellError as e:
                    _issue_at(ctx, rec, comp_f, e)
                    continue
                child, kids = _component_of(cat, ind, ctext)
                if child is None:
                    ctx.add(Issue("error", "unknown_component",
                                  f"{ind.id} has no component {_short(ctext)!r}.",
                                  (f"use one of: {', '.join(kids)}" if kids else
                                   f"{ind.id} has no components; leave the cell empty"),
                                  row=rec.row, column=col_letter(comp_f.col) if comp_f.col is not None else None,
                                  column_name=comp_f.name, value=_short(ctext)))
                    continue
                ind = child
        yf = f["year"]
        try:
            year = parse_year(yf.value)
        except CellError as e:
            _issue_at(ctx, rec, yf, e)
            continue
        if year is None:
            ctx.add(Issue("error", "missing_year", "the year is empty.", "type the assessment year, e.g. 2017",
                          row=rec.row, column=col_letter(yf.col) if yf.col is not None else None,
                          column_name=yf.name))
            continue
        ycol = col_letter(yf.col) if yf.col is not None else None
        if not 1990 <= year <= today.year:
            ctx.add(Issue("error", "year_out_of_range",
                          f"year {year} is outside 1990–{today.year}" + (" (in the future)" if year > today.year else "")
                          + ".", "type the assessment year the figure refers to", row=rec.row, column=ycol,
                          column_name=yf.name, value=str(year)))
            continue
        if not ind.exists_in(year):
            span = f"{ind.first_year or '…'}–{ind.last_year or '…'}"
            ctx.add(Issue("error", "year_not_in_indicator", f"{ind.id} does not exist in {year} (years {span}).",
                          "check the year or the indicator", row=rec.row, column=ycol, column_name=yf.name,
                          value=str(year)))
            continue
        if ind.vintage == "legacy" and year > LEGACY_LAST_YEAR:
            ctx.add(Issue("error", "year_outside_units",
                          f"{ind.id} is measured on the units before the 1 Jul 2025 reform, which ended in 2025; "
                          f"year {year} is after that.", "check the year, or use the indicator of the 34 new "
                          "provinces (e.g. dti_34)", row=rec.row, column=ycol, column_name=yf.name, value=str(year)))
            continue
        if ind.vintage == "2025" and year < NEW_FIRST_YEAR:
            ctx.add(Issue("error", "year_outside_units",
                          f"{ind.id} is measured on the units of 1 Jul 2025; year {year} is before them.",
                          "use the indicator of the former 63 provinces for earlier years", row=rec.row, column=ycol,
                          column_name=yf.name, value=str(year)))
            continue
        pre.append((rec, ind, year))

    # the province of within-province indicators: parameter, database, else the file's majority
    majority: Unit | None = None
    if any(ind.levels[0] != "province" for _, ind, _ in pre) and ctx.within is None:
        provs: Counter = Counter()
        for rec, ind, year in pre[:400]:
            if ind.levels[0] == "province":
                continue
            name = _text(rec.f["locality"].value)
            if len(name) > MAX_TEXT["locality"] or not _known_key(reg, name, level=ind.levels[0],
                                                                   vintage=ind.vintage):
                continue
            try:
                u = reg.resolve(name, year=year, level=ind.levels[0], vintage=ind.vintage)
                if u.province_id:
                    provs[u.province_id] += 1
            except RegistryError:
                continue
        if provs:
            majority = reg.units_by_id.get(provs.most_common(1)[0][0])

    # pass 2: locality, value, rank, text fields
    for rec, ind, year in pre:
        if ctx.truncated:
            break
        f = rec.f
        lf = f["locality"]
        lcol = col_letter(lf.col) if lf.col is not None else None
        if lf.value is None:
            ctx.add(Issue("error", "missing_locality", "the locality is empty.", "type the name of the unit",
                          row=rec.row, column=lcol, column_name=lf.name))
            continue
        if is_date(lf.value) or isinstance(lf.value, bool):
            ctx.add(Issue("error", "unknown_locality", f"{_short(lf.value)} is not a locality name.",
                          "type the name of the unit", row=rec.row, column=lcol, column_name=lf.name))
            continue
        raw_loc = lf.value
        if isinstance(raw_loc, (int, float)) and not isinstance(raw_loc, bool):
            width = {"province": 2, "district": 3, "commune": 5}.get(ind.levels[0], 0)
            raw_loc = _text(raw_loc).zfill(width)
        try:
            name = check_text(raw_loc, "locality")
        except CellError as e:
            _issue_at(ctx, rec, lf, e)
            continue
        name = _ORDINAL.sub("", name).rstrip(" *") or name   # "1. Huyện Bàu Bàng (*)" as in official tables
        scope = _scope_for(ctx, ind, db_scopes, majority)
        unit, res, issue = _resolve(ctx, name, ind, year, scope)
        if issue is not None:
            ctx.add(dc_replace(issue, row=rec.row, column=lcol, column_name=lf.name, value=_short(name)))
            continue
        assert unit is not None and res is not None
        rk = (name, unit.unit_id)
        if rk in ctx.resolutions:
            if rec.row not in ctx.resolutions[rk].rows:
                ctx.resolutions[rk].rows.append(rec.row)
        else:
            res.rows = [rec.row]
            ctx.resolutions[rk] = res
        if not unit.valid_in_year(year):
            ctx.add(Issue("error", "outside_validity",
                          f"{unit.display_name()} [{unit.unit_id}] did not exist in {year} "
                          f"(valid {unit.valid_from or '…'} to {unit.valid_to or '…'}).",
                          "check the year or the unit", row=rec.row, column=lcol, column_name=lf.name,
                          value=_short(name)))
            continue
        if scope is not None and unit.province_id != scope.unit_id:
            ctx.add(Issue("error", "outside_scope", f"{unit.display_name()} is not in {scope.display_name()}; "
                          f"{ind.id} covers {scope.display_name()} only.", "remove the row or check the indicator",
                          row=rec.row, column=lcol, column_name=lf.name, value=_short(name)))
            continue

        # value
        vf = f["value"]
        value = None
        bad = False
        vpos = (rec.grid_row, vf.col) if vf.col is not None else None
        if vf.value is not None or (vpos is not None and vpos in grid.formulas):
            pos = vpos
            if pos is not None and pos in grid.formulas:
                ftext = grid.formulas[pos]
                if vf.value is None or (isinstance(vf.value, str) and vf.value.startswith("=")):
                    ctx.add(Issue("error", "formula_cell", f"the cell holds the formula {_short(ftext, 60)!r} "
                                  "without a saved value; formulas are never evaluated.",
                                  "open the file in Excel and save it (Excel stores the value), or paste values",
                                  row=rec.row, column=col_letter(vf.col), column_name=vf.name))
                    continue
                formula_used.append(f"{col_letter(vf.col)}{rec.row} {_short(ftext, 40)}")
            try:
                value, pct = parse_number(vf.value, percent_cell=pos in grid.percent_cells if pos else False)
            except CellError as e:
                _issue_at(ctx, rec, vf, e)
                continue
            if value is not None:
                sc = ind.scale_for(year)
                if pct and sc.max is not None and sc.max <= 1:
                    value = value / 100.0
                if (sc.min is not None and value < sc.min) or (sc.max is not None and value > sc.max):
                    lo = "…" if sc.min is None else f"{sc.min:g}"
                    hi = "…" if sc.max is None else f"{sc.max:g}"
                    neg = " (negative)" if value < 0 else ""
                    ctx.add(Issue("error", "out_of_scale",
                                  f"value {value:g}{neg} is outside the scale of {ind.id} in {year} ({lo}–{hi}).",
                                  "check the decimal separator, the column and the unit (% vs 0–1)",
                                  row=rec.row, column=col_letter(vf.col) if vf.col is not None else None,
                                  column_name=vf.name, value=_short(vf.value)))
                    bad = True
        # rank
        rf = f.get("official_rank") or _Field(None, None, None)
        rank = None
        rpos = (rec.grid_row, rf.col) if rf.col is not None else None
        if rf.value is not None or (rpos is not None and rpos in grid.formulas):
            pos = rpos
            if pos is not None and pos in grid.formulas:
                if rf.value is None or (isinstance(rf.value, str) and rf.value.startswith("=")):
                    ctx.add(Issue("error", "formula_cell", f"the cell holds the formula "
                                  f"{_short(grid.formulas[pos], 60)!r} without a saved value.",
                                  "save the file in Excel or paste values", row=rec.row, column=col_letter(rf.col),
                                  column_name=rf.name))
                    continue
                formula_used.append(f"{col_letter(rf.col)}{rec.row} {_short(grid.formulas[pos], 40)}")
            try:
                rank = parse_rank(rf.value)
            except CellError as e:
                _issue_at(ctx, rec, rf, e)
                continue
            if rank is not None:
                n = _level_n(ctx, ind, year, scope)
                if rank < 1 or (n is not None and rank > n):
                    ctx.add(Issue("error", "rank_out_of_range",
                                  f"rank {rank} is outside 1–{n if n is not None else '…'} for {ind.id} {year}"
                                  + (f" ({n} units ranked)" if n is not None else "") + ".",
                                  "type the published rank (1 = best)", row=rec.row,
                                  column=col_letter(rf.col) if rf.col is not None else None,
                                  column_name=rf.name, value=_short(rf.value)))
                    bad = True
        if bad:
            continue
        if value is None and rank is None:
            ctx.add(Issue("error", "no_figure", "the row has neither a value nor a rank.",
                          "type the published value (and rank), or delete the row", row=rec.row,
                          column=col_letter(vf.col) if vf.col is not None else None, column_name=vf.name))
            continue
        # source and note
        src_f = f.get("source_url") or _Field(None, None, None)
        note_f = f.get("note") or _Field(None, None, None)
        try:
            source = check_text(src_f.value, "source") if src_f.value is not None else (params.get("source_url") or "")
            note = check_text(note_f.value, "note", multiline=True) if note_f.value is not None else ""
        except CellError as e:
            _issue_at(ctx, rec, src_f if src_f.value is not None and "source" in e.message else note_f, e)
            continue
        if source and not re.fullmatch(r"https?://[^\s<>\"']{3,}", source):
            note = (f"source: {source}" + (f"; {note}" if note else ""))[: MAX_TEXT["note"]]
            source = ""
        key3 = (ind.id, unit.unit_id, year)
        if key3 in keys_seen:
            ctx.add(Issue("error", "duplicate_key",
                          f"{ind.id} {year} {unit.display_name()} [{unit.unit_id}] appears twice in the file "
                          f"(first in row {keys_seen[key3]}).", "keep one of the two rows", row=rec.row,
                          column=lcol, column_name=lf.name, value=_short(name)))
            continue
        code_f = f.get("code") or _Field(None, None, None)
        if code_f.value is not None and _text(code_f.value).lstrip("0") != unit.code.lstrip("0"):
            ctx.add(Issue("error", "code_mismatch", f"code {_short(code_f.value)} is not the code of "
                          f"{unit.display_name()} ({unit.code}).", "correct the code or the name", row=rec.row,
                          column=col_letter(code_f.col) if code_f.col is not None else None,
                          column_name=code_f.name))
            continue
        keys_seen[key3] = rec.row
        parsed.append(ParsedRow(rec.row, ind.id, unit.unit_id, unit.display_name(), name, year, value, rank,
                                "published" if rank is not None else None, source or None, note or None))
    for res in ctx.resolutions.values():
        if res.method == "fuzzy":
            cands = "; ".join(f"{n} [{u}]" for u, n in res.candidates[:4])
            ctx.add(Issue("confirm", "fuzzy_locality",
                          f"{_short(res.name)!r} is not an exact name; closest match {res.unit_name} "
                          f"[{res.unit_id}] (similarity {res.score}). Candidates: {cands}.",
                          f"confirm the match, or correct the spelling to {res.unit_name!r}",
                          row=res.rows[0] if res.rows else None))
    if formula_used:
        ctx.add(Issue("warning", "formula_values",
                      f"{len(formula_used)} formula cell(s) were read as the values Excel saved, not evaluated "
                      f"(e.g. {', '.join(formula_used[:3])})."))
    # a 0–100 index given entirely as fractions?
    by_ind: dict[str, list[float]] = defaultdict(list)
    for p in parsed:
        if p.value is not None:
            by_ind[p.indicator_id].append(p.value)
    for iid, vals in by_ind.items():
        sc = cat.get(iid).scale
        if sc.max is not None and sc.max >= 50 and len(vals) >= 3 and max(vals) <= 1.0:
            ctx.add(Issue("warning", "fraction_values",
                          f"every value of {iid} is ≤ 1 but its scale is {sc.min:g}–{sc.max:g}: were percentages "
                          "given as fractions?", "multiply by 100 if the source shows percentages"))
    return parsed


# ============================================================================================ database reads
def _existing(con, rows: list[ParsedRow]) -> dict[tuple[str, str, int], list[dict[str, Any]]]:
    import pandas as pd

    if not rows:
        return {}
    keys = pd.DataFrame({"indicator_id": [r.indicator_id for r in rows], "unit_id": [r.unit_id for r in rows],
                         "year": [r.year for r in rows]}).drop_duplicates()
    con.register("import_keys_df", keys)
    try:
        res = con.execute("""
            SELECT o.obs_id, o.indicator_id, o.unit_id, o.locality_in_source, o.year, o.value, o.official_rank,
                   o.rank_basis, o.source_url, o.note, o.status, o.import_id
            FROM observations o JOIN import_keys_df k USING (indicator_id, unit_id, year)
            ORDER BY o.obs_id""").fetchall()
        names = ["obs_id", "indicator_id", "unit_id", "locality_in_source", "year", "value", "official_rank",
                 "rank_basis", "source_url", "note", "status", "import_id"]
    finally:
        con.unregister("import_keys_df")
    out: dict[tuple[str, str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in res:
        d = dict(zip(names, r, strict=True))
        out[(d["indicator_id"], d["unit_id"], int(d["year"]))].append(d)
    return out


def _same(a: ParsedRow, b: dict[str, Any]) -> bool:
    def eq(x, y):
        if x is None or y is None:
            return x is None and y is None
        return abs(float(x) - float(y)) <= 1e-9 * max(1.0, abs(float(x)))

    # the file repeats what the database holds; a rank or source the file leaves out is not a contradiction
    return (b.get("status") == "primary" and eq(a.value, b.get("value"))
            and (a.official_rank is None or a.official_rank == b.get("official_rank"))
            and (a.source_url is None or a.source_url == b.get("source_url")))


def _identical(a: ParsedRow, b: dict[str, Any]) -> bool:
    """Replacing `b` by `a` would store the same figure: same value, rank, basis, source, note and name."""
    obs = a.obs()

    def norm(v):  # an empty text is stored for a missing one
        return None if v == "" else v

    return _same(a, b) and all(norm(obs[k]) == norm(b.get(k)) for k in (
        "official_rank", "rank_basis", "source_url", "note", "locality_in_source"))


def _classify_against(rows: list[ParsedRow], existing: dict, replace: bool) -> tuple[list[Issue], int]:
    issues: list[Issue] = []
    replaced = 0
    for r in rows:
        ex = existing.get((r.indicator_id, r.unit_id, r.year), [])
        if not ex:
            r.action = "new"
        elif replace and len(ex) == 1 and _identical(r, ex[0]):
            r.action = "unchanged"  # re-importing the same figure with --replace changes nothing
        elif replace:
            r.action = "replace"
            replaced += len(ex)
        elif any(_same(r, e) for e in ex):
            r.action = "unchanged"
        else:
            e = next((x for x in ex if x["status"] == "primary"), ex[0])
            have = f"value {e['value']:g}" if e["value"] is not None else "no value"
            if e["official_rank"] is not None:
                have += f", rank {e['official_rank']}"
            got = f"value {r.value:g}" if r.value is not None else "no value"
            if r.official_rank is not None:
                got += f", rank {r.official_rank}"
            src = f" from {e['source_url']}" if e["source_url"] else ""
            issues.append(Issue("error", "clash",
                                f"{r.indicator_id} {r.year} {r.unit_name} is already in the database with {have}{src}"
                                f"; the file has {got}.",
                                "import with --replace (editors' page: 'replace existing figures') to replace it, "
                                "or remove the row", row=r.row))
    return issues, replaced


def _db_scopes(con, roots: set[str]) -> dict[str, str | None]:
    """For each within-province indicator family: its province, when the database has exactly one."""
    out: dict[str, str | None] = {}
    for root in sorted(roots):
        row = con.execute("""
            SELECT min(u.province_id), count(DISTINCT u.province_id)
            FROM (SELECT DISTINCT unit_id FROM observations
                  WHERE indicator_id = $root OR starts_with(indicator_id, $prefix)) o
            JOIN units u USING (unit_id) WHERE u.level <> 'province'""",
                          {"root": root, "prefix": root + "."}).fetchall()[0]
        out[root] = row[0] if row and row[1] == 1 else None
    return out


# ============================================================================================ public API
def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def validate_file(path_or_bytes: Any, file_name: str | None = None, *, sheet: str | int | None = None,
                  indicator: str | None = None, year: int | str | None = None, within: str | None = None,
                  source_url: str | None = None, db_path: Path | str | None = None, replace: bool = False,
                  confirmed: dict[str, str] | None = None, limits: Limits | None = None,
                  catalog: Catalog | None = None, registry: Registry | None = None) -> Preview:
    """Read and validate a file without writing anything. Never raises for bad content: every
    problem is an Issue of the returned Preview (a missing path raises FileNotFoundError)."""
    limits = limits or DEFAULT_LIMITS
    params = {"indicator": indicator, "year": year, "source_url": source_url}
    options = {"sheet": sheet, "indicator": indicator, "year": year, "within": within, "source_url": source_url,
               "replace": replace, "confirmed": dict(confirmed or {}), "db_path": str(db_path) if db_path else None}
    try:
        data, name = load_bytes(path_or_bytes, file_name, limits)
    except FileRefused as e:
        fname = file_name or (Path(path_or_bytes).name if isinstance(path_or_bytes, (str, Path)) else "upload")
        return Preview(fname, "", 0, b"", issues=[Issue("error", "refused", e.message, e.fix)], options=options)
    name = Path(str(name).replace("\\", "/")).name or "upload"   # uploads may carry C:\\fakepath\\...
    preview = Preview(name, _sha256(data), len(data), data, options=options)
    try:
        grid = read_grid(data, name, sheet=sheet, limits=limits)
    except FileRefused as e:
        preview.issues.append(Issue("error", "refused", e.message, e.fix))
        return preview
    preview.format, preview.sheet, preview.sheets, preview.encoding = grid.kind, grid.sheet, grid.sheets, grid.encoding
    for note in grid.notes:
        preview.issues.append(Issue("warning", "file_note", note))
    if not any(_nonempty(r) for r in grid.rows):
        preview.issues.append(Issue("error", "empty", "the file has no content" +
                                    (f" (sheet {grid.sheet!r} is empty)" if grid.sheet else "") + ".",
                                    "choose the sheet that holds the table" if len(grid.sheets) > 1 else
                                    "export the table again"))
        return preview

    cat = catalog or _catalog()
    reg = registry or Registry.from_package()
    within_unit = None
    if within:
        try:
            within_unit = reg.resolve(within, vintage="legacy")
        except RegistryError as e:
            preview.issues.append(Issue("error", "bad_parameter", f"--within: {e}", "give a province name or code"))
            return preview
    ctx = _Ctx(name, cat, reg, replace, dict(confirmed or {}), within_unit)

    lay, _ = _detect_layout(grid, ctx, params)
    if lay is None:
        preview.issues.extend(ctx.issues)
        return preview
    preview.layout = lay.kind
    preview.header_row = grid.row_numbers[lay.header_last]
    table_ind: Indicator | None = None
    if lay.kind == "wide":
        title_rows = range(0, lay.header_first)
        meta = _meta_from_rows(grid, title_rows)
        tail_meta = _meta_from_rows(grid, range(lay.data_start, len(grid.rows)))
        title = " ".join(dict.fromkeys(t for r in title_rows for t in _nonempty(grid.rows[r])))
        ind_text = indicator or (meta.get("indicator") or (None,))[0]
        how = "parameter" if indicator else "title cell"
        if ind_text:
            table_ind, close = _indicator_from_text(cat, str(ind_text))
            if table_ind is None:
                ctx.add(Issue("error", "unknown_indicator", f"unknown indicator {_short(ind_text)!r} ({how}).",
                              f"did you mean: {', '.join(close)}?" if close else "use a catalog id, e.g. bd_par_district",
                              row=grid.row_numbers[meta["indicator"][1]] if not indicator and "indicator" in meta else None))
        else:
            level_hint = _level_from_header(lay)
            iid, why = _indicator_from_title(cat, title, level_hint)
            if iid:
                table_ind = cat.get(iid)
                preview.issues.append(Issue("warning", "indicator_from_title",
                                            f"indicator {iid} ({table_ind.label('vi')}) read from the title; "
                                            "pass --indicator to choose another."))
            else:
                ctx.add(Issue("error", "no_indicator",
                              f"cannot tell which indicator this table holds ({why}).",
                              "pass --indicator ID (editors' page: choose the indicator), or add a cell "
                              "'Chỉ số: bd_par_district' above the table"))
        ytext = year if year not in (None, "") else (meta.get("year") or (None,))[0]
        if ytext not in (None, ""):
            try:
                params["year"] = parse_year(ytext if not isinstance(ytext, str) else ytext.strip())
            except CellError as e:
                ctx.add(Issue("error", "bad_year", f"year {_short(ytext)!r}: {e.message}", e.fix))
        else:
            y = _year_from_title(title)
            if y is None:   # "PAR INDEX 2019 (%)": a year in the score/rank headers
                heads = " ".join(c.name or "" for c in lay.cols if c.role in ("value", "official_rank"))
                found = set(re.findall(r"\b((?:199|20[0-4])\d)\b", heads))
                y = int(found.pop()) if len(found) == 1 else None
            if y is None:
                ctx.add(Issue("error", "no_year", "cannot tell the year of this table from its title.",
                              "pass --year YYYY (editors' page: choose the year), or add a cell 'Năm: 2017' above "
                              "the table"))
            else:
                params["year"] = y
        if not source_url:
            src = (meta.get("source") or tail_meta.get("source") or (None,))[0]
            m = re.search(r"https?://[^\s<>\"']+", src or "")
            if m:
                params["source_url"] = m.group(0).rstrip(").,;")
        if within is None and "within" in meta:
            with contextlib.suppress(RegistryError):
                ctx.within = reg.resolve(meta["within"][0], vintage="legacy", level="province")
        preview.indicator = table_ind.id if table_ind else None
        preview.year = params.get("year") if isinstance(params.get("year"), int) else None
        if table_ind is not None:
            for col in lay.cols:
                bottom, allt = _combined_header(grid, lay.header_first, lay.header_last, col.idx)
                comp = _match_component_header(cat, table_ind, bottom, allt)
                if comp and col.role in ("value", "unknown", None):
                    col.role, col.component = "component_value", comp
            if not any(c.role == "value" for c in lay.cols) and not any(c.role == "official_rank" for c in lay.cols) \
                    and not any(c.role == "component_value" for c in lay.cols):
                ctx.add(Issue("error", "no_value_column", "the table has no score, rank or component column.",
                              "name the score column 'Tổng điểm' or 'Chỉ số' and the rank column 'Xếp hạng'",
                              row=preview.header_row))
            values = [c for c in lay.cols if c.role == "value"]
            if len(values) > 1:
                main = _main_value_col(values)
                preview.issues.append(Issue(
                    "warning", "several_value_columns",
                    f"several score columns ({', '.join(col_letter(c.idx) + ' ' + _short(c.name, 30) for c in values)}); "
                    f"column {col_letter(main.idx)} ({_short(main.name, 30)}) is read as {table_ind.id}, "
                    "the others are ignored.", "delete the other score columns if this is wrong"))
            for col in lay.cols:
                if col.role == "unknown" and col.name:
                    preview.issues.append(Issue("warning", "ignored_column",
                                                f"column {_short(col.name, 60)!r} is not recognised and is ignored.",
                                                row=preview.header_row, column=col_letter(col.idx)))
        if ctx.n_errors:
            preview.issues.extend(ctx.issues)
            return preview
    if not _header_problems(ctx, grid, lay, params):
        preview.issues.extend(ctx.issues)
        return preview

    skipped: list[tuple[int, str]] = []
    records = _records(grid, lay, ctx, params, table_ind, skipped)
    preview.skipped = skipped
    blank = [rn for rn, why in skipped if why.startswith("no figure")]
    if blank and records:
        ctx.add(Issue("warning", "blank_rows", f"{len(blank)} row(s) without a value, rank or source were skipped "
                      f"(rows {', '.join(map(str, blank[:5]))}{', …' if len(blank) > 5 else ''})."))
    if not records:
        ctx.add(Issue("error", "no_rows", f"no row has a value or a rank: the {len(blank)} rows below the header "
                      "only name localities." if blank else f"no data rows below the header (row {preview.header_row}).",
                      "fill in value (or official_rank) and source_url for the localities you have figures for"
                      if blank else "fill in the table below the header, or choose the right sheet"))
        preview.issues.extend(ctx.issues)
        return preview

    db = Path(db_path) if db_path else _default_db()
    db_scopes: dict[str, str | None] = {}
    con = None
    if db.exists():
        from analytics.store import connect

        roots = set()
        for rec in records:
            iid = rec.component_id or (table_ind.id if table_ind else _text(rec.f["indicator"].value))
            ind, _ = _indicator_from_text(cat, iid) if iid and len(iid) <= MAX_TEXT["indicator"] else (None, [])
            if ind is not None and ind.levels[0] != "province":
                roots.add(ind.id.split(".")[0])
        try:
            con = connect(db, read_only=True)
            db_scopes = _db_scopes(con, roots)
        except Exception as e:  # noqa: BLE001 - a reader may race with a replace: report, do not crash
            preview.issues.append(Issue("warning", "db_unavailable", f"database not checked: {e}"))
            con = None
    try:
        rows = _validate_records(ctx, grid, records, params, db_scopes)
        if con is not None and rows:
            clash_issues, preview.replaced_existing = _classify_against(rows, _existing(con, rows), replace)
            for i in clash_issues:
                ctx.add(i)
    finally:
        if con is not None:
            con.close()
    if ctx.truncated:
        ctx.issues.append(Issue("error", "too_many_errors", f"validation stopped after {MAX_ERRORS} problems.",
                                "fix these and validate again"))
    preview.rows = rows
    preview.issues.extend(ctx.issues)
    preview.resolutions = sorted(ctx.resolutions.values(), key=lambda r: (r.rows[0] if r.rows else 0, r.name))
    return preview


_CATALOG_CACHE: dict[tuple[str, float], Catalog] = {}


def _catalog() -> Catalog:
    """The default catalog, parsed once per process (and again when the YAML file changes)."""
    from analytics.catalog import default_catalog_path

    path = default_catalog_path()
    try:
        ck = (str(path), path.stat().st_mtime)
    except OSError:
        return load_catalog()
    if ck not in _CATALOG_CACHE:
        _CATALOG_CACHE.clear()
        _CATALOG_CACHE[ck] = load_catalog()
    return _CATALOG_CACHE[ck]


def _level_from_header(lay: _Layout) -> str | None:
    for c in lay.cols:
        if c.role == "locality":
            k = key(c.name or "")
            for lv, words in LEVEL_WORDS:
                if any(w in k for w in words):
                    return lv
            if k.startswith(("huyen", "quanhuyen")):
                return "district"
            if k.startswith(("xa", "phuong")):
                return "commune"
            if k.startswith(("tinh",)):
                return "province"
            if k.startswith(("so", "coquan")):
                return "agency"
    return None


def _default_db() -> Path:
    from analytics.paths import default_db_path

    return default_db_path()


def _actor(actor: str | None) -> str:
    if actor:
        return str(actor)[:200]
    try:
        import getpass

        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001
        return "cli"


def _new_import_id(sha: str) -> str:
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%S%f}Z-{sha[:8]}"


def _ensure_tables(con) -> None:
    from analytics.store import ensure_ledger  # the one schema (analytics.store.schema) holds the ledger

    ensure_ledger(con)


def reconcile_archive(con) -> None:
    """`_reconcile` for `chiso build`: the archive against the database `con` reads (the one being replaced)."""
    _reconcile(con, audit.archive_root_for_connection(con))


def _reconcile(con, root: Path) -> None:
    """Bring archive manifests in line with the database after a crash (writer lock held)."""
    audit.remove_stale_temp_dirs(root)
    db_status = dict(con.execute("SELECT import_id, coalesce(status, 'committed') FROM imports").fetchall())
    for m in audit.manifests(root):
        st = db_status.get(m.import_id)
        if st is None and m.status == "pending":
            audit.update_manifest(root, m.import_id, status="abandoned")
        elif st is not None and st != m.status:
            audit.update_manifest(root, m.import_id, status=st)


def _apply_rows(con, import_id: str, obs_rows: list[dict[str, Any]], keys_to_clear: list[tuple[str, str, int]]
                ) -> int:
    """Move the existing rows of `keys_to_clear` aside (for undo), then insert `obs_rows`."""
    import pandas as pd

    from analytics.store import load_observations

    replaced = 0
    if keys_to_clear:
        kdf = pd.DataFrame(keys_to_clear, columns=["indicator_id", "unit_id", "year"]).drop_duplicates()
        con.register("clear_keys_df", kdf)
        try:
            con.execute("""
                INSERT INTO import_replaced SELECT ?, o.obs_id, o.indicator_id, o.unit_id, o.locality_in_source,
                    o.year, o.value, o.official_rank, o.rank_basis, o.source_url, o.note, o.status, o.import_id
                FROM observations o JOIN clear_keys_df k USING (indicator_id, unit_id, year)""", [import_id])
            replaced = con.execute("SELECT count(*) FROM import_replaced WHERE import_id = ?", [import_id]).fetchall()[0][0]
            con.execute("""DELETE FROM observations WHERE obs_id IN (
                SELECT obs_id FROM import_replaced WHERE import_id = ?)""", [import_id])
        finally:
            con.unregister("clear_keys_df")
    load_observations(con, [{k: ("" if v is None else v) for k, v in r.items()} for r in obs_rows],
                      import_id=import_id)
    return replaced


def commit_import(preview: Preview, *, db_path: Path | str | None = None, replace: bool | None = None,
                  actor: str | None = None) -> ImportReport:
    """Write a validated preview in one atomic snapshot, archive the file, log the import."""
    from analytics.store import refresh_derived, writable_snapshot

    db = Path(db_path) if db_path else Path(preview.options.get("db_path") or _default_db())
    if replace is None:
        replace = bool(preview.options.get("replace"))
    if replace != bool(preview.options.get("replace")) or str(db) != str(preview.options.get("db_path") or db):
        opts = {k: v for k, v in preview.options.items() if k not in ("replace", "db_path")}
        preview = validate_file(preview.data, preview.file_name, db_path=db, replace=replace, **opts)
    if not preview.ok:
        raise ImportValidationError(f"{preview.file_name}: not imported, the database is unchanged:\n"
                                    + preview.error_report(), preview)
    if not db.exists():
        raise FileNotFoundError(f"database {db} does not exist: run `chiso build` first")
    actor = _actor(actor)
    root = audit.archive_root(db)
    warnings = [i.message for i in preview.warnings]
    report = ImportReport(preview.file_name, preview.sha256, None, False, 0, 0, 0, warnings=warnings)
    archive_dir: Path | None = None
    committed = False
    try:
        with writable_snapshot(db) as con:
            _ensure_tables(con)
            _reconcile(con, root)
            rows = [dc_replace(r) for r in preview.rows]
            issues, _ = _classify_against(rows, _existing(con, rows), replace)
            if issues:   # the database changed since the preview
                raise ImportValidationError(f"{preview.file_name}: not imported, the database changed since the "
                                            "file was checked:\n" + "\n".join(i.format(preview.file_name)
                                                                              for i in issues[:60]),
                                            preview, issues)
            to_write = [r for r in rows if r.action in ("new", "replace")]
            report.rows_unchanged = sum(r.action == "unchanged" for r in rows)
            if not to_write:
                raise _NothingToDo()
            import_id = _new_import_id(preview.sha256)
            while (root / import_id).exists():
                time.sleep(0.001)
                import_id = _new_import_id(preview.sha256)
            obs_rows = [r.obs() for r in to_write]
            clear = [(r.indicator_id, r.unit_id, r.year) for r in to_write if r.action == "replace"]
            report.rows_replaced = _apply_rows(con, import_id, obs_rows, clear)
            report.rows_added = len(obs_rows)
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            manifest = audit.Manifest(
                import_id=import_id, imported_at=now.isoformat(timespec="microseconds"), actor=actor,
                file_name=preview.file_name, stored_name=audit.safe_stored_name(preview.file_name),
                sha256=preview.sha256, size=preview.size, replace=replace, status="pending", sheet=preview.sheet,
                format=preview.format, layout=preview.layout,
                options={k: v for k, v in preview.options.items() if k not in ("db_path",)},
                rows_added=report.rows_added, rows_replaced=report.rows_replaced,
                rows_unchanged=report.rows_unchanged)
            archive_dir = audit.write_archive(root, manifest, preview.data, obs_rows)
            con.execute("""INSERT INTO imports (import_id, imported_at, file_name, sha256, rows_added, rows_replaced,
                actor, archived_path, status, rows_unchanged, replace_mode) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                        [import_id, now, preview.file_name, preview.sha256, report.rows_added, report.rows_replaced,
                         actor, str(archive_dir), "committed", report.rows_unchanged, replace])
            pause = os.environ.get(PAUSE_ENV)
            if pause:
                print(f"import: rows written to snapshot, pausing {pause}s", file=sys.stderr, flush=True)
                time.sleep(float(pause))
            refresh_derived(con, {r.indicator_id for r in to_write})  # only the indicators the file touches
            report.import_id = import_id
            report.archived_path = str(archive_dir)
        committed = True
    except _NothingToDo:
        return report
    finally:
        if archive_dir is not None and not committed:
            import shutil

            shutil.rmtree(archive_dir, ignore_errors=True)
    audit.update_manifest(root, report.import_id, status="committed")
    return report


class _NothingToDo(Exception):
    pass


def import_file(path: Path | str, *, db_path: Path | str | None = None, dry_run: bool = False,
                replace: bool = False, sheet: str | None = None, indicator: str | None = None,
                year: int | str | None = None, within: str | None = None, source_url: str | None = None,
                actor: str | None = None, confirmed: dict[str, str] | None = None) -> ImportReport:
    """Validate and (unless dry_run) commit a file. Raises ImportValidationError listing every problem."""
    db = Path(db_path) if db_path else _default_db()
    preview = validate_file(path, None, sheet=sheet, indicator=indicator, year=year, within=within,
                            source_url=source_url, db_path=db, replace=replace, confirmed=confirmed)
    if not preview.ok:
        raise ImportValidationError(f"{preview.file_name}: not imported, the database is unchanged:\n"
                                    + preview.error_report(), preview)
    if dry_run:
        c = preview.counts
        return ImportReport(preview.file_name, preview.sha256, None, True, c["new"] + c["replace"],
                            preview.replaced_existing, c["unchanged"], warnings=[i.message for i in preview.warnings])
    return commit_import(preview, db_path=db, replace=replace, actor=actor)


def revert_import(import_id: str, *, db_path: Path | str | None = None, actor: str | None = None) -> RevertReport:
    """Undo an import: remove its rows and restore the rows it replaced, exactly."""
    from analytics.store import refresh_derived, writable_snapshot

    db = Path(db_path) if db_path else _default_db()
    if not audit.valid_import_id(str(import_id)):
        raise ImportValidationError(f"{import_id!r} is not an import id (e.g. 20240101T101500123456Z-1a2b3c4d); "
                                    "list them with the editors' page or list_imports()")
    if not db.exists():
        raise FileNotFoundError(f"database {db} does not exist: run `chiso build` first")
    root = audit.archive_root(db)
    actor = _actor(actor)
    with writable_snapshot(db) as con:
        _ensure_tables(con)
        _reconcile(con, root)
        row = con.execute("SELECT imported_at, coalesce(status, 'committed') FROM imports WHERE import_id = ?",
                          [import_id]).fetchall()
        row = row[0] if row else None
        if row is None:
            raise ImportValidationError(f"no import {import_id} in {db}")
        if row[1] != "committed":
            raise ImportValidationError(f"import {import_id} is {row[1]}; only a committed import can be reverted")
        later = con.execute("""
            WITH mine AS (
                SELECT indicator_id, unit_id, year FROM observations WHERE import_id = $id
                UNION SELECT indicator_id, unit_id, year FROM import_replaced
                WHERE import_id = $id OR prev_import_id = $id),
            theirs AS (
                SELECT o.import_id, o.indicator_id, o.unit_id, o.year FROM observations o
                UNION SELECT r.import_id, r.indicator_id, r.unit_id, r.year FROM import_replaced r)
            SELECT DISTINCT i.import_id FROM theirs t JOIN mine USING (indicator_id, unit_id, year)
            JOIN imports i ON i.import_id = t.import_id
            WHERE t.import_id <> $id AND coalesce(i.status, 'committed') = 'committed'
              AND (i.imported_at, i.import_id) > ($at, $id)
            ORDER BY 1""", {"id": import_id, "at": row[0]}).fetchall()
        if later:
            ids = ", ".join(r[0] for r in later)
            raise ImportValidationError(f"import {import_id} cannot be reverted: later import(s) {ids} changed the "
                                        "same figures. Revert them first (newest first).")
        touched = [i for (i,) in con.execute("""SELECT indicator_id FROM observations WHERE import_id = $id
            UNION SELECT indicator_id FROM import_replaced WHERE import_id = $id""", {"id": import_id}).fetchall()]
        removed = con.execute("SELECT count(*) FROM observations WHERE import_id = ?", [import_id]).fetchall()[0][0]
        con.execute("DELETE FROM observations WHERE import_id = ?", [import_id])
        restored = con.execute("SELECT count(*) FROM import_replaced WHERE import_id = ?", [import_id]).fetchall()[0][0]
        con.execute("""INSERT INTO observations (obs_id, indicator_id, unit_id, locality_in_source, year, value,
                official_rank, rank_basis, source_url, note, status, import_id)
            SELECT obs_id, indicator_id, unit_id, locality_in_source, year, value, official_rank, rank_basis,
                source_url, note, status, prev_import_id FROM import_replaced WHERE import_id = ? ORDER BY obs_id""",
                    [import_id])
        con.execute("DELETE FROM import_replaced WHERE import_id = ?", [import_id])
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        con.execute("UPDATE imports SET status = 'reverted', reverted_at = ?, reverted_by = ? WHERE import_id = ?",
                    [now, actor, import_id])
        refresh_derived(con, touched)  # the indicators of the rows removed and restored
    audit.update_manifest(root, import_id, status="reverted", reverted_at=now.isoformat(timespec="microseconds"),
                          reverted_by=actor)
    return RevertReport(import_id, int(removed), int(restored))


def list_imports(db_path: Path | str | None = None) -> list[ImportRecord]:
    """Every import recorded in the database, oldest first."""
    from analytics.store import connect

    db = Path(db_path) if db_path else _default_db()
    con = connect(db, read_only=True)
    try:
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'imports'").fetchall()}
        if not cols:
            return []
        extra = [c if c in cols else f"NULL AS {c}" for c in ("status", "reverted_at", "reverted_by")]
        rows = con.execute(f"""SELECT import_id, imported_at, actor, file_name, sha256, rows_added, rows_replaced,
            {', '.join(extra)}, archived_path FROM imports ORDER BY imported_at, import_id""").fetchall()
    finally:
        con.close()
    return [ImportRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "committed", r[8], r[9], r[10])
            for r in rows]


def replay_archived_imports(con) -> list[str]:
    """Re-apply every committed archived import, oldest first (``chiso build`` calls this).

    The archive stores the rows each import inserted, so a rebuild does not depend on today's registry or
    catalog. A replayed row whose key now holds an identical row in data/ is skipped; a different row is
    replaced (and kept aside, so the import can still be reverted). Reverted imports are listed in the
    ``imports`` table for the audit trail but not applied.
    """
    root = audit.archive_root_for_connection(con)
    _ensure_tables(con)
    applied: list[str] = []
    for m in audit.manifests(root):
        if m.status not in ("committed", "reverted"):
            if m.status == "pending":
                print(f"warning: archived import {m.import_id} never completed; not replayed", file=sys.stderr)
            continue
        added = replaced = 0
        if m.status == "committed":
            try:
                raw = audit.read_rows(root, m.import_id)
            except OSError as e:
                print(f"warning: archived import {m.import_id} unreadable ({e}); not replayed", file=sys.stderr)
                continue
            rows = [ParsedRow(0, r["indicator_id"], r["unit_id"], "", r["locality_in_source"], int(r["year"]),
                              float(r["value"]) if r["value"] else None,
                              int(r["official_rank"]) if r["official_rank"] else None, r["rank_basis"] or None,
                              r["source_url"] or None, r["note"] or None) for r in raw]
            existing = _existing(con, rows)
            keep, clear = [], []
            for r in rows:
                ex = existing.get((r.indicator_id, r.unit_id, r.year), [])
                if any(_same(r, e) and e.get("source_url") == r.source_url for e in ex) and not m.replace:
                    continue
                if ex:
                    clear.append((r.indicator_id, r.unit_id, r.year))
                    if not m.replace:
                        print(f"warning: replaying {m.import_id}: {r.indicator_id} {r.year} {r.unit_id} now differs "
                              "in data/; the imported figure wins", file=sys.stderr)
                keep.append(r)
            replaced = _apply_rows(con, m.import_id, [r.obs() for r in keep], clear)
            added = len(keep)
            applied.append(m.import_id)
        con.execute("""INSERT INTO imports (import_id, imported_at, file_name, sha256, rows_added, rows_replaced,
            actor, archived_path, status, reverted_at, reverted_by, rows_unchanged, replace_mode)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                    [m.import_id, dt.datetime.fromisoformat(m.imported_at), m.file_name, m.sha256,
                     added if m.status == "committed" else m.rows_added,
                     replaced if m.status == "committed" else m.rows_replaced, m.actor, str(root / m.import_id),
                     m.status, dt.datetime.fromisoformat(m.reverted_at) if m.reverted_at else None, m.reverted_by,
                     m.rows_unchanged, m.replace])
    return applied
