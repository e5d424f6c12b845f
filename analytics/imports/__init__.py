"""Importing figures from CSV/XLSX files: validate every row, commit all or nothing, audit, undo.

Modules: ``readers`` / ``xlsx_reader`` / ``grid`` (untrusted files → a grid of cells), ``vocabulary``
(header words, from ``data/import_vocabulary.yaml``), ``cells`` (one cell), ``layout`` (where the table
is), ``resolve`` (names → indicators and units), ``rules`` (over ``row_rules``: indicator, year,
locality; and ``figure_rules``: value, rank, source) and ``validate`` (the checks), ``compare`` (against
the database), ``plausibility`` (warnings the editor confirms), ``mapping`` (column mappings for
unfamiliar headers), ``ledger`` (commit, revert, list, replay), ``archive`` (the files on disk) and
``command`` (the ``chiso import`` arguments).

API (no Streamlit here; the editors' page and ``chiso import`` are thin layers on top)::

    preview = validate_file(path_or_bytes, file_name, sheet=None, indicator=None, year=None,
                            within=None, source_url=None, db_path=None, replace=False, confirmed=None,
                            accept_warnings=False, mapping=None,   # mapping: {"year": "nam", ...}
                            ambiguous=None)   # "1.997": "thousands" | "decimal" | {"D": "thousands"}
    preview.ok / preview.errors / preview.checks / preview.warnings / preview.pending_confirmations
    preview.ambiguous_cells           # "1.997" cells the scale and the previous edition do not decide
    preview.frame() / issue.text(lang) / issue.format(file_name, lang)   # messages in "vi" or "en"
    preview = preview.confirm({"Thủ Dầu Mọt": "old-d-718"})          # accept fuzzy name matches
    report = commit_import(preview, db_path=..., replace=False, actor="editor@example.org")
    report = import_file(path, db_path=..., dry_run=False, replace=False, sheet=None, ...)   # the CLI
    revert_import(import_id, db_path=..., actor=...)
    list_imports(db_path) -> list[ImportRecord]
    replay_archived_imports(con)       # called by ``chiso build``: re-applies archived imports in order

Accepted files (documented for editors in docs/EDITORS.md):

* CSV — UTF-8 with or without BOM, UTF-16 (Excel "Unicode Text") or Windows-1258; separator ``,``
  ``;`` or TAB (detected). XLSX — the first visible sheet or the one named by ``sheet``.
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
year) twice from the same source (from another source: kept as an alternative figure); every figure has
a source; without ``replace`` a figure that differs from the database for the same key is an error
(an identical one is skipped). Every error names the file, row and column and suggests the fix.
Plausibility warnings (``severity == "check"``, see ``plausibility``) block until accepted.

Writes happen in one ``writable_snapshot`` (a private copy that atomically replaces the database), so
a failure or a kill leaves the previous database intact and readers never see half an import.
"""

from analytics.imports.cells import CellError, parse_number, parse_rank, parse_year
from analytics.imports.grid import DEFAULT_LIMITS, FileRefused, Grid, Limits
from analytics.imports.ledger import (
    PAUSE_ENV,
    commit_import,
    import_file,
    list_imports,
    reconcile_archive,
    replay_archived_imports,
    revert_import,
)
from analytics.imports.model import (
    AmbiguousCell,
    ImportRecord,
    ImportReport,
    ImportValidationError,
    Issue,
    ParsedRow,
    Preview,
    Resolution,
    RevertReport,
)
from analytics.imports.validate import default_catalog, validate_file

__all__ = [
    "AmbiguousCell", "DEFAULT_LIMITS", "PAUSE_ENV", "CellError", "FileRefused", "Grid", "ImportRecord", "ImportReport",
    "ImportValidationError", "Issue", "Limits", "ParsedRow", "Preview", "Resolution", "RevertReport",
    "commit_import", "default_catalog", "import_file", "list_imports", "parse_number", "parse_rank",
    "parse_year", "reconcile_archive", "replay_archived_imports", "revert_import", "validate_file",
]
