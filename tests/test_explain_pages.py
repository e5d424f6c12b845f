"""Issue pages for "why did my rank move" and "what it takes": the sentences and numbers on the profile
and the overview in both languages, the locality at a glance, similar localities on Compare, and the
brief button (AppTest; the brief's files themselves are checked in tests/test_brief.py)."""

from __future__ import annotations

import pytest
from test_app_pages import label, run
from test_app_pages import texts as _texts

pytestmark = pytest.mark.usefixtures("app_env")

PROFILE = "pages/profile.py"


def texts(at) -> str:
    """Visible text with markdown escapes removed (sentences are escaped for st.markdown)."""
    return _texts(at).replace("\\", "")


def test_profile_pci_why_and_gap_vi():
    at = run(PROFILE, p_unit=label("old-p-74"), p_ind="PCI")
    body = texts(at)
    assert "Vì sao thứ hạng thay đổi" in body and "Cần gì để lên hạng" in body
    # PCI 2021 is the latest edition with Bình Dương: compared with 2020 across the 2021 method revision
    assert "Không so sánh được 2020 với 2021: phương pháp đã thay đổi (gãy chuỗi)." in body
    assert "Cần thêm" in body


def test_profile_pci_2018_numbers_en():
    # the sentences follow the latest year of the chosen indicator; PCI 2018 is checked through the brief's
    # analytics in test_explain_text.py — here the English page shows the same kind of sentences
    at = run(PROFILE, lang="en", p_unit=label("old-p-74"), p_ind="PCI")
    body = texts(at)
    assert "Why the rank moved" in body and "What it takes to move up" in body
    assert "more points would reach" in body


def test_profile_at_a_glance_rows():
    at = run(PROFILE, p_unit=label("old-p-74"))
    glance = at.dataframe[0].value
    assert "Thứ hạng qua các năm" in glance.columns and "Vị trí trong cả nước" in glance.columns
    par = glance.loc[glance.iloc[:, 0] == "PAR INDEX"].iloc[0]
    assert par["Năm"] == "2024" and par["Hạng"] == "23/63"
    assert "gãy chuỗi 2016, 2022" in par["Ghi chú"]
    assert len(par["Thứ hạng qua các năm"]) == 5


def test_profile_brief_button_is_there():
    at = run(PROFILE, p_unit=label("old-p-74"), p_ind="PAR INDEX")
    assert any(b.label == "Bản tin một trang (PDF, PNG)" for b in at.button)


def test_overview_what_it_takes_par_2020_vi_and_en():
    vi = texts(run(indicator="PAR INDEX", year="2020"))
    assert "Cần gì để lên hạng" in vi
    assert "Cần thêm 3,07 điểm để vào nhóm A (từ 90,00%)." in vi
    assert "bảng không đầy đủ, không phải thứ hạng chính thức" in vi
    en = texts(run(lang="en", indicator="PAR INDEX", year="2020"))
    assert "3.07 more points would reach band A (90.00% or more)." in en


def test_compare_similar_localities_can_be_added():
    at = run("pages/compare.py", c_units=[label("old-p-74"), label("old-p-79")])
    body = texts(at)
    assert "Vì sao tương đồng" in body
    add = [b for b in at.button if b.key == "c_add_similar"]
    assert add
    add[0].click().run()
    assert len(at.multiselect(key="c_units").value) > 2
