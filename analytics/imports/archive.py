"""The import archive: every committed import keeps its original file and a manifest on disk.

Layout (next to the database; ``var/imports/`` for the default ``var/chiso.duckdb``)::

    <archive root>/<import_id>/
        manifest.json      who, when, file name, sha256, options, counts, status
        original.<ext>     the uploaded file, byte for byte
        rows.csv           the observation rows the import inserted (after validation and resolution)

``status`` is ``pending`` while the database snapshot is being written, ``committed`` once the
database holds the import, ``reverted`` after an undo and ``abandoned`` when a pending import never
reached the database (the process was killed). ``chiso build`` replays ``committed`` archives in
order, so rebuilding the database from ``data/`` loses no import. The environment variable
``CHISO_IMPORTS_DIR`` overrides the archive root.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROWS_COLUMNS = ["indicator_id", "unit_id", "locality_in_source", "year", "value", "official_rank", "rank_basis",
                "source_url", "note", "status"]
STATUSES = ("pending", "committed", "reverted", "abandoned")
_ID_RE = re.compile(r"^[0-9]{8}T[0-9]{6}(?:[0-9]{0,6})Z-[0-9a-f]{8}(?:-[0-9]+)?$")


@dataclass
class Manifest:
    import_id: str
    imported_at: str             # ISO 8601 UTC, microseconds
    actor: str
    file_name: str
    stored_name: str
    sha256: str
    size: int
    replace: bool
    status: str = "pending"
    sheet: str | None = None
    format: str | None = None
    layout: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    rows_added: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0
    reverted_at: str | None = None
    reverted_by: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Manifest:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})


def valid_import_id(import_id: str) -> bool:
    return bool(_ID_RE.match(import_id or ""))


def archive_root(db_path: Path | str) -> Path:
    env = os.environ.get("CHISO_IMPORTS_DIR")
    return Path(env) if env else Path(db_path).resolve().parent / "imports"


def archive_root_for_connection(con) -> Path:
    """The archive root of the database file a connection is writing (e.g. a build snapshot)."""
    env = os.environ.get("CHISO_IMPORTS_DIR")
    if env:
        return Path(env)
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    row = rows[0] if rows else None
    if not row or not row[0]:
        raise RuntimeError("cannot tell which database file this connection writes")
    return Path(row[0]).resolve().parent / "imports"


def safe_stored_name(file_name: str) -> str:
    ext = Path(file_name or "").suffix.lower()
    ext = ext if re.fullmatch(r"\.[a-z0-9]{1,8}", ext or "") else ".bin"
    return "original" + ext


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rows_to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=ROWS_COLUMNS, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        out = {}
        for k in ROWS_COLUMNS:
            v = r.get(k)
            out[k] = "" if v is None else (repr(float(v)) if k == "value" else str(v))
        w.writerow(out)
    return buf.getvalue()


def write_archive(root: Path, manifest: Manifest, data: bytes, rows: list[dict[str, Any]]) -> Path:
    """Write the archive directory (status pending) atomically: a temp dir renamed into place."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / manifest.import_id
    if final.exists():
        raise FileExistsError(f"archive {final} already exists")
    tmp = Path(tempfile.mkdtemp(prefix=f".{manifest.import_id}.", dir=root))
    try:
        (tmp / manifest.stored_name).write_bytes(data)
        (tmp / "rows.csv").write_text(rows_to_csv(rows), encoding="utf-8", newline="")
        (tmp / "manifest.json").write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1),
                                           encoding="utf-8")
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def read_manifest(directory: Path) -> Manifest:
    return Manifest.from_dict(json.loads((directory / "manifest.json").read_text(encoding="utf-8")))


def update_manifest(root: Path, import_id: str, **changes: Any) -> Manifest | None:
    d = root / import_id
    if not (d / "manifest.json").exists():
        return None
    m = read_manifest(d)
    for k, v in changes.items():
        setattr(m, k, v)
    _atomic_write(d / "manifest.json", json.dumps(asdict(m), ensure_ascii=False, indent=1))
    return m


def read_rows(root: Path, import_id: str) -> list[dict[str, str]]:
    with (root / import_id / "rows.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def manifests(root: Path) -> list[Manifest]:
    """Every archived import, oldest first. Half-written temp dirs (names starting with '.') are ignored."""
    if not root.exists():
        return []
    out = []
    for d in root.iterdir():
        if d.name.startswith(".") or not d.is_dir() or not (d / "manifest.json").exists():
            continue
        try:
            out.append(read_manifest(d))
        except (ValueError, TypeError, OSError):
            continue
    return sorted(out, key=lambda m: (m.imported_at, m.import_id))


def remove_stale_temp_dirs(root: Path) -> None:
    """Half-written archive dirs of a killed process (only call while holding the writer lock)."""
    if not root.exists():
        return
    for d in root.iterdir():
        if d.name.startswith(".") and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)
    for f in root.glob("*/manifest.json.*.tmp"):
        f.unlink(missing_ok=True)
