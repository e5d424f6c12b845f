"""Regenerate the example import files from the committed data (real figures only).

    .venv/bin/python data/examples/make_examples.py

Every figure comes from data/observations/binh_duong_local.csv (Bình Dương district PAR index 2017,
published by UBND tỉnh Bình Dương, news of 06/08/2018 on the Bàu Bàng district portal).
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "observations" / "binh_duong_local.csv"
SOURCE = "http://baubang.binhduong.gov.vn/Default.aspx?tabid=175&ID=1881"


def district_2017() -> list[dict]:
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    by_unit: dict[str, dict] = {}
    for r in rows:
        if r["year"] != "2017" or not r["indicator_id"].startswith("bd_par_district"):
            continue
        d = by_unit.setdefault(r["unit_id"], {})
        part = r["indicator_id"].split(".")[1] if "." in r["indicator_id"] else "total"
        d[part] = r["value"]
        if part == "total":
            d["rank"] = int(r["official_rank"])
            d["name"] = r["locality_in_source"]
    return sorted(by_unit.values(), key=lambda d: d["rank"])


def write_long_csv(table: list[dict]) -> None:
    with (HERE / "bd_par_district_2017_long.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["indicator", "component", "locality", "year", "value", "official_rank", "source_url", "note"])
        for d in table:
            w.writerow(["bd_par_district", "", d["name"], 2017, d["total"], d["rank"], SOURCE,
                        "Chỉ số CCHC 2017 cấp huyện, UBND tỉnh Bình Dương"])
        for part in ("appraisal", "survey"):
            for d in table:
                w.writerow(["bd_par_district", part, d["name"], 2017, d[part], "", SOURCE, ""])


def write_long_csv_vi(table: list[dict]) -> None:
    """The same figures as Excel saves them on a Vietnamese-locale PC: ';' separator, decimal commas,
    Vietnamese headers, UTF-8 with BOM."""
    with (HERE / "bd_par_district_2017_long_vi.csv").open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(["Chỉ số", "Địa phương", "Năm", "Giá trị", "Xếp hạng", "Nguồn"])
        for d in table:
            w.writerow(["BD_PAR_DISTRICT", d["name"], 2017, d["total"].replace(".", ",") + "%", d["rank"], SOURCE])


def write_wide_xlsx(table: list[dict]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Cấp huyện 2017"
    bold = Font(bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells("A1:C1")
    ws["A1"] = "UBND TỈNH BÌNH DƯƠNG"
    ws.merge_cells("D1:F1")
    ws["D1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("D2:F2")
    ws["D2"] = "Độc lập - Tự do - Hạnh phúc"
    for c in ("A1", "D1", "D2"):
        ws[c].font = bold
        ws[c].alignment = center
    ws.merge_cells("A4:F4")
    ws["A4"] = ("KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2017 "
                "CỦA UBND CÁC HUYỆN, THỊ XÃ, THÀNH PHỐ")
    ws["A4"].font = Font(bold=True, size=13)
    ws["A4"].alignment = center
    ws.merge_cells("A5:F5")
    ws["A5"] = f"(Nguồn: {SOURCE})"
    ws["A5"].alignment = center
    # two-row header with merged cells
    ws.merge_cells("A7:A8")
    ws["A7"] = "STT"
    ws.merge_cells("B7:B8")
    ws["B7"] = "Đơn vị"
    ws.merge_cells("C7:E7")
    ws["C7"] = "Điểm đạt được"
    ws["C8"] = "Điểm thẩm định (tối đa 65)"
    ws["D8"] = "Điểm điều tra XHH (tối đa 35)"
    ws["E8"] = "Chỉ số CCHC (%)"
    ws.merge_cells("F7:F8")
    ws["F7"] = "Xếp hạng"
    for i, t in enumerate(["(1)", "(2)", "(3)", "(4)", "(5)=(3)+(4)", "(6)"]):
        ws.cell(row=9, column=i + 1, value=t).alignment = center
    for row in ws.iter_rows(min_row=7, max_row=9, max_col=6):
        for cell in row:
            cell.font = bold
            cell.alignment = center
            cell.border = box
    for i, d in enumerate(table):
        r = 10 + i
        ws.cell(row=r, column=1, value=i + 1)
        ws.cell(row=r, column=2, value=d["name"])
        ws.cell(row=r, column=3, value=float(d["appraisal"])).number_format = "0.00"
        ws.cell(row=r, column=4, value=float(d["survey"])).number_format = "0.00"
        ws.cell(row=r, column=5, value=float(d["total"])).number_format = "0.00"
        ws.cell(row=r, column=6, value=d["rank"])
        for c in range(1, 7):
            ws.cell(row=r, column=c).border = box
    r = 10 + len(table)
    ws.cell(row=r, column=2, value="Trung bình").font = bold
    ws.cell(row=r, column=5, value="78,39")          # the published average, as text with a decimal comma
    ws.merge_cells(start_row=r + 2, start_column=1, end_row=r + 2, end_column=6)
    ws.cell(row=r + 2, column=1, value="Ghi chú: Chỉ số CCHC tối đa 100% = điểm thẩm định (tối đa 65) "
            "+ điểm điều tra xã hội học (tối đa 35).")
    ws.merge_cells(start_row=r + 3, start_column=1, end_row=r + 3, end_column=6)
    ws.cell(row=r + 3, column=1, value="Nguồn: UBND tỉnh Bình Dương; tin đăng trên Cổng thông tin điện tử "
            "huyện Bàu Bàng ngày 06/08/2018.")
    ws.column_dimensions["B"].width = 28
    for col in "CDE":
        ws.column_dimensions[col].width = 16
    # a fixed creation date keeps the file byte-stable between regenerations
    import datetime as dt

    wb.properties.created = wb.properties.modified = dt.datetime(2018, 8, 6)
    wb.save(HERE / "bd_par_district_2017_wide.xlsx")


if __name__ == "__main__":
    t = district_2017()
    assert len(t) == 9
    write_long_csv(t)
    write_long_csv_vi(t)
    write_wide_xlsx(t)
    print("written:", ", ".join(p.name for p in sorted(HERE.glob("bd_par_district_2017_*"))))
