"""Helpers shared by the import tests (not a test module): DB copies, export snapshots, file builders."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from analytics.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data" / "examples"
SOURCE_2017 = "http://baubang.binhduong.gov.vn/Default.aspx?tabid=175&ID=1881"

# Real figures: Bình Dương district PAR index 2017 (data/observations/binh_duong_local.csv).
BD_2017 = [
    ("Thành phố Thủ Dầu Một", "84.58", 1), ("Thị xã Tân Uyên", "82.00", 2), ("Huyện Bàu Bàng", "80.27", 3),
    ("Thị xã Thuận An", "79.04", 4), ("Thị xã Dĩ An", "78.06", 5), ("Thị xã Bến Cát", "77.83", 6),
    ("Huyện Dầu Tiếng", "76.22", 7), ("Huyện Phú Giáo", "76.03", 8), ("Huyện Bắc Tân Uyên", "71.46", 9),
]
LONG_HEADER = ["indicator", "locality", "year", "value", "official_rank", "source_url"]


def copy_db(src: Path, dest_dir: Path) -> Path:
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / "chiso.duckdb"
    shutil.copyfile(src, dest)
    return dest


def export_bytes(db: Path, tmp: Path) -> bytes:
    out = tmp / f"export-{db.stat().st_mtime_ns}-{len(list(tmp.glob('export-*')))}.csv"
    assert main(["--db", str(db), "export", "--out", str(out)]) == 0
    data = out.read_bytes()
    out.unlink()
    return data


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def long_rows(rows=None) -> list[list[str]]:
    rows = BD_2017 if rows is None else rows
    return [["bd_par_district", name, "2017", value, str(rank), SOURCE_2017] for name, value, rank in rows]


def csv_bytes(rows: list[list[str]], header: list[str] | None = None, *, encoding: str = "utf-8",
              delimiter: str = ",", lineterminator: str = "\n") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    if header is not False:
        w.writerow(header or LONG_HEADER)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], *, merges: list[str] = (), title: str | None = None,
               number_formats: dict[str, str] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title or "Sheet1"
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    for ref, fmt in (number_formats or {}).items():
        ws[ref].number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def remove_2017_district_table(db: Path) -> None:
    """A database that lacks the 2017 Bình Dương district table (to import it from the examples)."""
    from analytics.store import refresh_derived, writable_snapshot

    with writable_snapshot(db) as con:
        con.execute("DELETE FROM observations WHERE indicator_id LIKE 'bd_par_district%' AND year = 2017")
        refresh_derived(con)


def to_cp1258(text: str) -> bytes:
    """Encode like Excel's 'CSV' on a Vietnamese Windows PC: base letters + combining tone marks."""
    import unicodedata

    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = [m for m in d[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", d[0] + "".join(m for m in d[1:] if m not in tones))
        out += base.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)
