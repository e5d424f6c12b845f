"""Streamlit's own assets (its JavaScript, CSS, fonts: 26 MB, content-hashed names) served by nginx from disk,
compressed once: a copy of the installed Streamlit's `static/static/` folder with a `.gz` (gzip -9) and, when
Debian's `brotli` is installed, a `.br` (brotli -q 11) beside every compressible file, kept per Streamlit
version. nginx sends the precompressed file the browser accepts (`gzip_static`, `brotli_static`), so the
replicas never serve these files and nothing is compressed per request. Brotli is ≈ 25 % smaller than gzip
on Streamlit's Plotly bundle (1.06 against 1.42 MB)."""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

COMPRESSIBLE = {".js", ".css", ".json", ".map", ".svg", ".ttf", ".otf", ".txt", ".html", ".wasm"}
MIN_BYTES = 1024


def streamlit_assets() -> Path:
    """The installed Streamlit's `static/static` folder (what it serves under /static/)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("streamlit is not installed")
    return Path(spec.origin).parent / "static" / "static"


def brotli_binary() -> str | None:
    return shutil.which("brotli")


def _compress(path: Path, brotli: str | None) -> None:
    data = path.read_bytes()
    with open(f"{path}.gz", "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
    if brotli:
        subprocess.run([brotli, "-q", "11", "-f", "-o", f"{path}.br", str(path)], check=True)


def mirror(root: Path) -> Path:
    """The compressed copy under `root` (made once per Streamlit version, atomically); returns the folder that
    nginx uses as `root` for /static/ (it holds `static/…`)."""
    out = root / f"streamlit-{importlib.metadata.version('streamlit')}"
    if (out / "complete").exists():
        return out
    tmp = root / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(streamlit_assets(), tmp / "static")
    files = [p for p in (tmp / "static").rglob("*")
             if p.is_file() and p.suffix in COMPRESSIBLE and p.stat().st_size >= MIN_BYTES]
    brotli = brotli_binary()
    # largest first, on every core: brotli -q 11 of the 4.7 MB Plotly bundle alone takes ≈ 8 s
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(lambda p: _compress(p, brotli), sorted(files, key=lambda p: -p.stat().st_size)))
    (tmp / "complete").write_text("brotli\n" if brotli else "gzip\n", encoding="utf-8")
    try:
        os.replace(tmp, out)
    except OSError:              # made meanwhile by another process: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def brotli_module() -> Path | None:
    """Debian's libnginx-mod-http-brotli-static, when installed."""
    path = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
    return path if path.exists() else None
