"""Where things live. The repo root is found from this file so the app runs from any working directory."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
VAR_DIR = ROOT / "var"


def default_db_path() -> Path:
    env = os.environ.get("CHISO_DB")
    return Path(env) if env else VAR_DIR / "chiso.duckdb"
