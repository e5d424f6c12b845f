"""The import audit table on Data & sources: what a viewer may see of it, and what an editor sees.

Viewers get the date, the file's SHA-256 and the row counts — enough to see that the published figures
changed and to match a file someone holds — and nothing about people or the server (no e-mails, OS user
names, file names or archive paths). Editors also see who, which file, the status and the import id.
Columns are chosen from an allow-list, so a column added to the log later stays hidden until listed here.
"""

from __future__ import annotations

import pandas as pd

from analytics.i18n import t

VIEWER_COLUMNS = ("imported_at", "sha256", "rows_added", "rows_replaced", "rows_unchanged")
EDITOR_COLUMNS = ("imported_at", "actor", "file_name", "sha256", "rows_added", "rows_replaced", "rows_unchanged",
                  "status", "reverted_at", "reverted_by", "import_id")
LABELS = {"imported_at": "col.import_when", "actor": "col.import_who", "file_name": "col.import_file",
          "sha256": "col.import_sha256", "rows_added": "col.import_added", "rows_replaced": "col.import_replaced",
          "rows_unchanged": "col.import_unchanged", "status": "col.import_status",
          "reverted_at": "col.import_reverted", "reverted_by": "col.import_who_reverted",
          "import_id": "col.import_id"}


def import_audit(imports: pd.DataFrame, lang: str, *, editor: bool) -> pd.DataFrame:
    """The rows of the import log with the columns this reader may see, labelled in ``lang``."""
    keep = [c for c in (EDITOR_COLUMNS if editor else VIEWER_COLUMNS) if c in imports.columns]
    out = imports[keep].copy()
    if "status" in out.columns:
        out["status"] = [t(f"page.import.status_{s}", lang) if isinstance(s, str) else s for s in out["status"]]
    return out.rename(columns={c: t(LABELS[c], lang) for c in keep})
