"""What a check of a file produces (issues, name resolutions, parsed rows, the preview an editor confirms)
and what a commit or revert reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.catalog import Catalog
from analytics.i18n import t, t_or
from analytics.imports.grid import localized
from analytics.registry import Registry, Unit

MAX_ERRORS = 200



# ============================================================================================ results
@dataclass
class Issue:
    """One problem found in the file. severity: 'error' (blocks), 'confirm' (a fuzzy name match the
    editor must confirm; blocks until confirmed) or 'warning' (the page asks the editor to confirm it; the
    CLI stops unless --accept-warnings).

    ``key`` and ``params`` name the message in ``analytics.i18n`` (``import.<key>`` and
    ``import.<key>.fix``), so the page shows it in its language; ``message``/``fix`` hold the English text.
    """

    severity: str
    code: str
    message: str
    fix: str = ""
    row: int | None = None           # 1-based row in the file / sheet
    column: str | None = None        # Excel-style column letter
    column_name: str | None = None   # header text of that column
    value: str | None = None         # the offending cell, as text (truncated)
    key: str | None = None           # message key without the "import." prefix (None: English only)
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, severity: str, key: str, *, code: str | None = None, row: int | None = None,
           column: str | None = None, column_name: str | None = None, value: str | None = None,
           **params: Any) -> Issue:
        """An issue whose message is the string ``import.<key>`` filled with ``params``."""
        en = localized(params, "en")
        return cls(severity, code or key, t(f"import.{key}", "en", **en),
                   t_or(f"import.{key}.fix", "en", "", **en), row, column, column_name, value, key, params)

    def text(self, lang: str) -> tuple[str, str]:
        """(message, fix) in ``lang`` (English for issues not yet keyed)."""
        if self.key is None or lang == "en":
            return self.message, self.fix
        params = localized(self.params, lang)
        message = t(f"import.{self.key}", lang, **params)
        if self.params.get("encoding"):
            message += " " + t(f"import.encoding_{self.params['encoding']}", lang)
        return message, t_or(f"import.{self.key}.fix", lang, "", **params)

    def where(self, lang: str = "en") -> str:
        parts = []
        if self.row is not None:
            parts.append(t("import.where_row", lang, row=self.row))
        if self.column:
            parts.append(t("import.where_column", lang, column=self.column)
                         + (f" ({self.column_name})" if self.column_name else ""))
        elif self.column_name:
            parts.append(t("import.where_column", lang, column=self.column_name))
        return ", ".join(parts)

    def format(self, file_name: str = "", lang: str = "en") -> str:
        message, fix = self.text(lang)
        head = ": ".join(p for p in (file_name, self.where(lang)) if p)
        text = f"{head}: {message}" if head else message
        if fix:
            text += " " + t("import.fix_prefix", lang, fix=fix)
        return text


@dataclass
class Resolution:
    """How one locality name of the file was matched to a unit (shown to editors for checking)."""

    name: str
    unit_id: str | None
    unit_name: str | None
    method: str                      # 'id' | 'exact' | 'spelling' | 'fuzzy' | 'confirmed' | 'alias'
    rows: list[int] = field(default_factory=list)
    candidates: list[tuple[str, str]] = field(default_factory=list)   # (unit_id, display name)
    score: float | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.method == "fuzzy"


@dataclass
class AmbiguousCell:
    """A value cell like "1.997" or "1,064" that neither the indicator's scale nor the unit's previous
    edition decides: the editor chooses the reading per column (``ambiguous={"D": "thousands"}``)."""

    row: int
    column: str                      # Excel-style column letter ("*" when the cell has no column)
    column_name: str | None
    cell: str                        # the cell as written
    locality: str | None
    decimal: float                   # "1.997" read with a decimal separator
    thousands: float                 # "1.997" read with a thousands separator
    reading: str | None = None       # the editor's choice: 'thousands' | 'decimal' (None: not chosen yet)


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
    status: str = "primary"          # 'alternative': another source's figure for a key the file already has

    def obs(self) -> dict[str, Any]:
        return {"indicator_id": self.indicator_id, "unit_id": self.unit_id,
                "locality_in_source": self.locality_in_source, "year": self.year, "value": self.value,
                "official_rank": self.official_rank, "rank_basis": self.rank_basis,
                "source_url": self.source_url, "note": self.note, "status": self.status}


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
    header_signature: str | None = None   # set when a column mapping was used (remembered on commit)
    first_row: list[str] = field(default_factory=list)   # cells of the first non-empty row (to map columns)
    ambiguous_cells: list[AmbiguousCell] = field(default_factory=list)   # chosen or still to choose

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
    def checks(self) -> list[Issue]:
        """Plausibility warnings: the editor confirms them (CLI: --accept-warnings) before an import."""
        return [i for i in self.issues if i.severity == "check"]

    @property
    def unaccepted_checks(self) -> list[Issue]:
        return [] if self.options.get("accept_warnings") else self.checks

    @property
    def ok(self) -> bool:
        return not self.errors and not self.pending_confirmations and not self.unaccepted_checks and bool(self.rows)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(r.action for r in self.rows)
        return {"rows": len(self.rows), "new": c["new"], "unchanged": c["unchanged"], "replace": c["replace"],
                "replaced_existing": self.replaced_existing}

    def blocking_issues(self) -> list[Issue]:
        out = [i for i in self.issues if i.severity in ("error", "confirm")] + self.unaccepted_checks
        if not out and not self.rows:
            out.append(Issue.of("error", "no_figures", code="no_rows"))
        return out

    def error_report(self, limit: int = 60) -> str:
        issues = self.blocking_issues()
        lines = [("warning (pass --accept-warnings once checked): " if i.severity == "check" else "")
                 + i.format(self.file_name) for i in issues[:limit]]
        if len(issues) > limit:
            lines.append(f"… and {len(issues) - limit} more problems")
        return "\n".join(lines)

    def confirm(self, choices: dict[str, str], *, db_path: Path | str | None = None) -> Preview:
        """A new preview in which the given names (as written in the file) map to the given unit ids."""
        confirmed = dict(self.options.get("confirmed") or {})
        confirmed.update(choices)
        opts = {k: v for k, v in self.options.items() if k not in ("confirmed", "db_path")}
        # validate imports this module: the late import breaks the cycle (a preview re-checks its own file)
        from analytics.imports.validate import validate_file

        return validate_file(self.data, self.file_name, confirmed=confirmed,
                             db_path=db_path or self.options.get("db_path"), **opts)

    def frame(self):
        """The parsed rows as a DataFrame (for display)."""
        cols = ["row", "indicator_id", "unit_id", "unit_name", "locality_in_source", "year", "value",
                "official_rank", "source_url", "note", "action"]
        df = pd.DataFrame([{c: getattr(r, c) for c in cols} for r in self.rows], columns=cols)
        df["official_rank"] = df["official_rank"].astype("Int64")
        df["value"] = df["value"].astype("Float64")
        return df

    def issues_frame(self):
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

    def __init__(self, message: str, preview: Preview | None = None, issues: list[Issue] | None = None, *,
                 key: str | None = None, params: dict[str, Any] | None = None):
        self.preview = preview
        self.issues = issues or (preview.blocking_issues() if preview else [])
        self.key, self.params = key, params or {}
        super().__init__(message)

    @classmethod
    def of(cls, key: str, **params: Any) -> ImportValidationError:
        """A refusal of a request (a revert) whose message is the string ``import.<key>``."""
        return cls(t(f"import.{key}", "en", **params), key=key, params=params)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (the English message when it has no key: a file's report lists its issues)."""
        return t(f"import.{self.key}", lang, **localized(self.params, lang)) if self.key else str(self)


# ============================================================================================ validation
class CheckContext:
    def __init__(self, file_name: str, catalog: Catalog, registry: Registry, replace: bool,
                 confirmed: dict[str, str], within: Unit | None):
        self.file_name = file_name
        self.cat = catalog
        self.reg = registry
        self.replace = replace
        self.confirmed = confirmed
        self.remembered: dict[str, list[str]] = {}   # spelling → unit ids editors confirmed before
        self.within = within
        self.issues: list[Issue] = []
        self.n_errors = 0
        self.truncated = False
        self.res_cache: dict[tuple, tuple[Unit | None, Resolution | None, Issue | None]] = {}
        self.resolutions: dict[tuple[str, str | None], Resolution] = {}
        self.unknown_count = 0
        self._seen: set[tuple] = set()
        self.pools: dict[tuple, list[tuple[str, Unit]]] = {}
        self.contradicted: set[str] = set()   # options already reported as contradicting the file
        self.con = None                  # the database (read-only) while records are checked, if there is one
        self.stale_formulas = False      # the workbook asks Excel to recalculate: saved values may be old
        self.ambiguous: dict[str, str] = {}   # column letter (or "*") → 'thousands' | 'decimal'
        self.ambiguous_cells: list[AmbiguousCell] = []

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

