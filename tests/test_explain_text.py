"""Sentences of "why the rank moved" and "what it takes" in both languages, on the real data."""

import pytest

from analytics import explain
from analytics.explain_text import gap_sentences, why_sentences
from analytics.registry import Registry


@pytest.fixture(scope="module")
def reg():
    return Registry.from_package()


def test_pci_2018_binh_duong_gap_sentences(con, catalog, reg):
    g = explain.gap(con, catalog, "pci", "old-p-74", 2018)
    vi, en = gap_sentences(catalog, reg, g, "vi"), gap_sentences(catalog, reg, g, "en")
    assert "Cần thêm 1,56 điểm để lên hạng 5 (ngang Đà Nẵng)." in vi
    assert "Cần thêm 4,27 điểm để đứng đầu (Quảng Ninh, 70,36 điểm)." in vi
    assert "1.56 more points would reach rank 5 (level with Da Nang)." in en
    assert any("Cạnh tranh bình đẳng" in s and "2,55" in s for s in vi)


def test_pci_2018_binh_duong_why_sentences(con, catalog, reg):
    mv, _, _ = explain.movement(con, catalog, "pci", "old-p-74", 2018)
    vi, en = why_sentences(catalog, reg, mv, "vi"), why_sentences(catalog, reg, mv, "en")
    assert vi[0].startswith("Từ 2017 đến 2018, Bình Dương chuyển từ hạng 14 sang hạng 6.")
    assert "+8 bậc" in vi[0]
    assert "+0,82 điểm ở Tính năng động" in vi[1]
    assert en[1].startswith("Change by component (each in its own points, unweighted): +0.82 points on Proactivity")


def test_partial_table_is_said_before_the_targets(con, catalog, reg):
    g = explain.gap(con, catalog, "par_index", "old-p-74", 2020)
    vi = gap_sentences(catalog, reg, g, "vi")
    assert vi[0].startswith(f"Trong {g.n} địa phương có điểm công bố năm 2020 (bảng không đầy đủ")
    assert not any("nhóm 10" in s for s in vi)          # no "top 10" from a table of 11 scores
    assert "Cần thêm 3,07 điểm để vào nhóm A (từ 90,00%)." in vi


def test_series_break_is_said(con, catalog, reg):
    mv, _, _ = explain.movement(con, catalog, "dti", "old-p-74", 2022)
    assert why_sentences(catalog, reg, mv, "en") == [
        "2021 and 2022 cannot be compared: the method changed (series break)."]
