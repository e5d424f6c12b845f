"""AppTest: what pages say over partial tables. Every page opens on a view with data, its year picker
labelled with coverage while the URL keeps the plain year; cards and findings compare against the same
edition; no empty chart; names in their time."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.apptest import open_app

NO_DATA = ("Không có số liệu", "No data")
pytestmark = pytest.mark.usefixtures("app_env")


def opened(page: str | None = None, **params) -> AppTest:
    """The page as a reader opening its address sees it (AppTest starts on the Overview: the choices it
    would carry to the next page are dropped, as on a direct visit)."""
    return open_app(page, timeout=90, direct_visit=True, **params)


def texts(at: AppTest) -> list[str]:
    """Every sentence a reader sees outside tables: notices, markdown, captions, cards."""
    out = [str(e.value) for kind in (at.info, at.warning, at.markdown, at.caption) for e in kind]
    out += [f"{m.label}: {m.value} {m.delta or ''}" for m in at.metric]
    return out


def no_data_lines(at: AppTest) -> list[str]:
    # the coverage page's legend ("● value · ◐ rank only · — no data") names the status, it is no notice
    return [x for x in texts(at) if any(w in x for w in NO_DATA) and "●" not in x]


# ------------------------------------------------------------------------------ default views have data
@pytest.mark.parametrize("page,key", [(None, "year"), ("pages/rankings.py", "r_year"),
                                      ("pages/within.py", "w_year"), ("pages/reorganisation.py", "g_year")])
def test_default_view_has_data_and_its_year_says_its_coverage(page, key):
    at = opened(page)
    assert not no_data_lines(at), no_data_lines(at)
    box = at.selectbox(key=key)
    year = box.value
    # every year's label carries its coverage ("2023 · 31/63"); the URL holds only the year
    assert box.options and all(" · " in o and "/" in o for o in box.options), box.options
    assert f"{year} · " in box.options[box.index]
    assert at.query_params.get(key) in (None, [], [str(year)], str(year))


def test_overview_opens_on_a_par_index_year_with_the_home_figure():
    at = opened()
    assert at.selectbox(key="indicator").value == "par_index"
    ranks = [m for m in at.metric if m.label in ("Thứ hạng", "Rank")]
    assert ranks and ranks[0].value not in ("—", ""), [m.value for m in at.metric]


def test_url_keeps_the_plain_year_and_a_picked_year_goes_into_it():
    at = opened("pages/rankings.py", r_ind="PCI", r_year="2018")
    assert at.selectbox(key="r_year").value == 2018
    assert not [x for x in texts(at) if "2018" in x and ("không" in x.lower() and "khớp" in x.lower())]
    at.selectbox(key="r_year").set_value(2016).run()
    assert not at.exception
    assert at.query_params.get("r_year") in ("2016", ["2016"])


@pytest.mark.parametrize("page", ["pages/profile.py", "pages/compare.py", "pages/coverage.py",
                                  "pages/data_sources.py"])
def test_other_pages_open_without_a_no_data_notice(page):
    at = opened(page)
    assert not no_data_lines(at), no_data_lines(at)


# ------------------------------------------------------------------------------ cards and findings agree
@pytest.mark.parametrize("indicator,year,prev", [("PAR INDEX", 2019, 2016), ("SIPAS", 2024, 2022)])
def test_cards_and_findings_compare_against_the_same_edition(indicator, year, prev):
    # Bình Dương has no figure in the editions just before: both compare with its own previous figure
    at = opened(indicator=indicator, year=str(year))
    assert at.selectbox(key="year").value == year
    card = [m for m in at.metric if m.label == "Thay đổi thứ hạng"][0]
    assert card.value not in ("—", "") and f"so với {prev}" in str(card.delta), (card.value, card.delta)
    lines = [str(e.value) for e in at.markdown if "Bình Dương xếp thứ" in str(e.value)]
    assert lines and f"so với năm {prev}" in lines[0], lines
    # the same number of places both ways
    places = card.value.split()[1]
    assert f" {places} bậc" in lines[0], (card.value, lines[0])


# ------------------------------------------------------------------------------ no empty chart
def test_a_2025_profile_without_par_figures_shows_what_exists_not_an_empty_chart():
    at = opened("pages/profile.py", p_unit="TP. Hồ Chí Minh (2025)", p_ind="PAR INDEX")
    assert at.selectbox(key="p_ind").value == "par_index"
    notes = [str(e.value) for e in at.info if "PAR INDEX" in str(e.value) and "không vẽ biểu đồ" in str(e.value)]
    assert notes, [str(e.value) for e in at.info]
    assert "DTI" in notes[0]          # what this locality does have (DTI on the 34 provinces, 2024)
    assert not [k for k in at.session_state if str(k).startswith("pf_derived")], "no export row for no chart"
    charts = at.get("plotly_chart")
    assert all("PAR INDEX" not in str(getattr(c, "proto", "")) for c in charts)


def test_a_2025_profile_opens_on_a_headline_index_it_has():
    at = opened("pages/profile.py", p_unit="TP. Hồ Chí Minh (2025)")
    assert at.selectbox(key="p_ind").value == "dti_34"
    assert not no_data_lines(at), no_data_lines(at)


# ------------------------------------------------------------------------------ names in their time
def test_tan_uyen_is_a_thi_xa_in_2017_on_the_within_page():
    at = opened("pages/within.py", w_prov="Bình Dương", w_ind="bd_par_district", w_year="2017")
    assert at.selectbox(key="w_year").value == 2017
    table = at.dataframe[0].value          # the 2017 ranking of the districts
    names = set(table["Địa phương"])
    assert "Thị xã Tân Uyên" in names and "Thành phố Tân Uyên" not in names, names
    assert "Thị xã Dĩ An" in names and "Thị xã Thuận An" in names


# ------------------------------------------------------------------------------ x/N everywhere
def test_papi_2022_rank_without_a_published_n_says_so():
    at = opened(indicator="PAPI", year="2022")
    rank = [m for m in at.metric if m.label == "Thứ hạng"][0]
    assert rank.value == "2 (không công bố tổng số)", rank.value
    lines = [str(e.value).replace("\\", "") for e in at.markdown if "Bình Dương xếp thứ" in str(e.value)]
    assert lines and "thứ 2 (không công bố tổng số)" in lines[0], lines


def test_listing_order_ranks_are_labelled_in_the_rankings_table():
    at = opened("pages/rankings.py", r_ind="PAPI", r_year="2022")
    table = at.dataframe[0].value
    kinds = dict(zip(table["Địa phương"], table["Nguồn thứ hạng"], strict=True))
    assert kinds["Thanh Hóa"] == "Công bố (theo thứ tự công bố)", kinds["Thanh Hóa"]
    ranks = dict(zip(table["Địa phương"], table["Hạng"], strict=True))
    assert ranks["Bình Dương"] == "2 (không công bố tổng số)"


# ------------------------------------------------------------------------------ publishers, not hosts
def test_source_links_read_as_their_publisher():
    at = opened(indicator="PAR INDEX", year="2020")
    links = [str(e.value).replace("\\", "") for e in at.markdown if str(e.value).startswith(("- Liên kết", "- [Liên kết"))]
    assert links, [str(e.value) for e in at.markdown][:20]
    # the copy on a bare IP names MOFCOM citing Báo Đầu tư, and is not linked
    mofcom = [x for x in links if "MOFCOM" in x]
    assert mofcom and "Báo Đầu tư" in mofcom[0] and "](" not in mofcom[0]
    for x in links:
        label = x.split("](")[0].split(": ", 1)[1]
        assert not label.replace(".", "").isdigit() and not label.endswith((".vn", ".com", ".org")), x


# ------------------------------------------------------------------------------ 2025 units
def test_reorganisation_shows_the_published_34_unit_figure_first_and_labels_the_derived_rank():
    at = opened("pages/reorganisation.py", g_new="Đà Nẵng (2025)", g_ind="DTI", g_year="2024")
    labels = [m.label for m in at.metric]
    pub = next(i for i, x in enumerate(labels) if "Công bố" in x)
    der = next(i for i, x in enumerate(labels) if "Số liệu quy đổi" in x)
    assert pub < der, labels
    caps = [str(c.value) for c in at.caption]
    assert any("thứ 2 trong 2 đơn vị có số liệu quy đổi" in c for c in caps), caps
    assert any("theo cách cơ quan công bố tính" in c for c in caps), caps


@pytest.mark.parametrize("page,params", [(None, {"indicator": "ICT Index", "year": "2018"}),
                                         ("pages/rankings.py", {"r_ind": "ICT Index", "r_year": "2018"})])
def test_a_ranks_only_year_draws_no_chart_and_names_the_years_with_scores(page, params):
    # ICT Index 2018: seven published ranks, no score
    at = opened(page, **params)
    notes = [str(e.value) for e in at.info if "chỉ có thứ hạng công bố" in str(e.value)]
    assert notes and "2016" in notes[0] and "2018" not in notes[0].split("Các năm có điểm:")[1], notes
    assert not at.get("plotly_chart")
    assert at.dataframe, "the ranks stay readable as a table"


# ------------------------------------------------------------------------------ component ranks
def test_component_ranks_over_a_partial_table_read_among_n_in_the_profile_table():
    # PAR INDEX 2020 parts: 10 provinces have them; Bình Dương's are places among those 10, not x/63 or x/10
    at = opened("pages/profile.py", p_unit="Bình Dương", p_ind="PAR INDEX", p_year="2020")
    assert at.selectbox(key="p_year").value == 2020
    assert "2020 · 10/63" in at.selectbox(key="p_year").options   # the component year says its coverage
    assert at.query_params.get("p_year") in ("2020", ["2020"])
    tables = [df.value for df in at.dataframe if "Thành phần" in df.value.columns]
    assert tables, [list(df.value.columns) for df in at.dataframe]
    ranks = list(tables[0]["Hạng"])
    assert ranks and all("trong 10 địa phương có điểm công bố" in r for r in ranks if r != "—"), ranks
    assert not any(r.endswith("/10*") or r.endswith("/10") for r in ranks), ranks


def test_the_page_counts_its_year_the_way_its_picker_does():
    """PAR INDEX 2020: the picker's "14/63" is the 11 scores and the 3 published ranks without a score that
    the caption names; the two never disagree."""
    at = opened(indicator="PAR INDEX", year="2020")
    picker = at.selectbox(key="year")
    label = picker.format_func(picker.value)
    assert label == "2020 · 14/63"
    shown = " ".join(texts(at)).replace("\\", "")
    assert "11/63 địa phương có điểm · 3 chỉ có thứ hạng công bố" in shown
