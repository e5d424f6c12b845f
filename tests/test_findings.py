"""Plain-language findings in Vietnamese and English, from the numbers."""

from __future__ import annotations

import pytest

from analytics.findings import findings


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", [
        "Năm 2020, Hai xếp thứ 3/6 về Chỉ số Thử (IDX), đạt 80,00%, giảm 1 bậc so với năm 2019.",
        "Điểm giảm từ 85,00% (năm 2019) xuống 80,00%.",
        "Hai thuộc nhóm B (từ 80% đến dưới 90%).",
        "Kết quả này cao hơn mức trung bình cả nước (79,50%, số liệu công bố).",
        "Mạnh nhất: TP A (hạng 1/6); yếu nhất: TP C (hạng 6/6).",
    ]),
    ("en", [
        "In 2020, Hai ranked 3/6 on the IDX with 80.00%, down 1 place from 2019.",
        "The score fell from 85.00% in 2019 to 80.00%.",
        "Hai is in band B (80% to under 90%).",
        "This is above the national average (79.50%, as published).",
        "Strongest component: Comp. A (rank 1/6); weakest: Comp. C (rank 6/6).",
    ]),
])
def test_position_change_band_average(handmade, lang, expected):
    con, cat, reg = handmade
    assert findings(con, cat, reg, "old-p-02", "idx", 2020, lang) == expected


def test_name_in_that_year(handmade):
    con, cat, reg = handmade
    assert findings(con, cat, reg, "old-p-03", "idx", 2019, "vi")[0].startswith("Năm 2019, Ba Cũ xếp thứ 2/6")
    assert findings(con, cat, reg, "old-p-03", "idx", 2020, "en")[0].startswith("In 2020, Ba ranked 2/6")


def test_listing_order(handmade):
    con, cat, reg = handmade
    vi = findings(con, cat, reg, "old-p-02", "idx", 2021, "vi")[0]
    en = findings(con, cat, reg, "old-p-02", "idx", 2021, "en")[0]
    assert "xếp thứ 2/6 (theo thứ tự liệt kê trong nguồn)" in vi and "tăng 1 bậc so với năm 2020" in vi
    assert "ranked 2/6 (by listing order in the source)" in en and "up 1 place from 2020" in en


def test_series_break(handmade):
    con, cat, reg = handmade
    vi = findings(con, cat, reg, "old-p-02", "idx", 2022, "vi")
    en = findings(con, cat, reg, "old-p-02", "idx", 2022, "en")
    assert "không so sánh được do thay đổi phương pháp" in vi[1] and "Bộ tiêu chí mới" in vi[1]
    assert "bậc" not in vi[0]
    assert "not comparable because the method changed" in en[1] and "New criteria" in en[1]


def test_change_of_n(handmade):
    con, cat, reg = handmade
    vi = findings(con, cat, reg, "old-p-02", "idx", 2023, "vi")
    en = findings(con, cat, reg, "old-p-02", "idx", 2023, "en")
    assert vi[0] == "Năm 2023, Hai xếp thứ 2/5 về Chỉ số Thử (IDX), đạt 70,00%."
    assert "Điểm giảm từ 90,00% (năm 2022) xuống 70,00%." in vi
    assert any("số địa phương được xếp hạng thay đổi (6 → 5)" in s for s in vi)
    assert any("a different number of localities was ranked (6 → 5)" in s for s in en)


def test_missing_data_yields_no_sentence(handmade):
    con, cat, reg = handmade
    assert findings(con, cat, reg, "old-p-06", "idx", 2021, "vi") == []
    assert findings(con, cat, reg, "old-p-06", "idx", 2023, "en") == []


def test_rank_without_score(handmade):
    con, cat, reg = handmade
    # a published rank with no published score: position, change and quartile, no score sentence
    assert findings(con, cat, reg, "old-p-04", "idx", 2021, "en") == [
        "In 2021, Bon ranked 5/6 on the IDX, down 1 place from 2020.", "Bon is in the bottom quarter."]


def test_computed_rank_and_lower_is_better(handmade):
    con, cat, reg = handmade
    vi = findings(con, cat, reg, "old-p-02", "low", 2020, "vi")[0]
    assert vi == "Năm 2020, Hai xếp thứ 1/4 (thứ hạng tính lại từ điểm công bố) về Chỉ số low, đạt 1,00 điểm."
    en = findings(con, cat, reg, "old-d-102", "dist", 2020, "en")[0]
    assert en.startswith("In 2020, Tây (rural district) ranked 2/4 (rank computed from the published scores)")


def test_conflicting_sources_are_mentioned(handmade):
    con, cat, reg = handmade
    assert findings(con, cat, reg, "old-p-01", "idx", 2020, "en")[-1] == \
        "Note: another source gives a different figure for Mot in 2020."


def test_unknown_language(handmade):
    con, cat, reg = handmade
    with pytest.raises(KeyError):
        findings(con, cat, reg, "old-p-02", "idx", 2020, "fr")


# ------------------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def real_registry(con):
    from analytics.store.reads import registry_from_db

    return registry_from_db(con)


def test_binh_duong_par_index_2020(con, catalog, real_registry):
    vi = findings(con, catalog, real_registry, "old-p-74", "par_index", 2020, "vi")
    en = findings(con, catalog, real_registry, "old-p-74", "par_index", 2020, "en")
    assert vi[0] == ("Năm 2020, Bình Dương xếp thứ 4/63 về Chỉ số cải cách hành chính (PAR INDEX), đạt 86,93%, "
                     "tăng 13 bậc so với năm 2019.")
    assert en[0] == "In 2020, Binh Duong ranked 4/63 on the PAR INDEX with 86.93%, up 13 places from 2019."
    assert "Điểm tăng từ 82,30% (năm 2019) lên 86,93%." in vi
    assert "Bình Dương thuộc nhóm B (từ 80% đến dưới 90%)." in vi


def test_published_average_2024(con, catalog, real_registry):
    vi = findings(con, catalog, real_registry, "old-p-74", "par_index", 2024, "vi")
    assert "Kết quả này cao hơn mức trung bình cả nước (88,37%, số liệu công bố)." in vi


def test_hue_name_in_2018(con, catalog, real_registry):
    en = findings(con, catalog, real_registry, "old-p-46", "pci", 2018, "en")
    assert en[0].startswith("In 2018, Thua Thien Hue ranked")
