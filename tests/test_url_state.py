"""AppTest: choices that travel between pages, URL values in other spellings, bad URL values reported,
locality pickers that diacritic-free typing finds, the share link, and a region-filtered Rankings named by
its region. The database is the session-scoped build (tests/conftest.py)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.registry import Registry
from tests.support.apptest import open_app
from ui import spellings

pytestmark = pytest.mark.usefixtures("app_env")


def opened(page: str | None = None, **params) -> AppTest:
    """Open the app as a copied URL would (tests.support.apptest.open_app)."""
    return open_app(page, **params)


def infos(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.info]


# ------------------------------------------------------------------------------ choices that travel
def test_year_and_indicator_picked_on_overview_carry_to_rankings_and_back():
    at = opened()
    at.selectbox(key="indicator").set_value("pci").run()
    at.selectbox(key="year").set_value(2018).run()
    assert (at.selectbox(key="indicator").value, at.selectbox(key="year").value) == ("pci", 2018)
    at.switch_page("pages/rankings.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="r_ind").value == "pci"
    assert at.selectbox(key="r_year").value == 2018
    at.selectbox(key="r_year").set_value(2016).run()
    at.switch_page("pages/overview.py").run()
    assert at.selectbox(key="year").value == 2016


def test_a_year_the_next_page_lacks_is_not_forced_on_it():
    at = opened()
    at.selectbox(key="year").set_value(2012).run()  # PAR INDEX starts in 2012
    at.switch_page("pages/reorganisation.py").run()  # PCI there: 2012 is a PCI year too, any valid year will do
    years = at.selectbox(key="g_year").options
    assert at.selectbox(key="g_year").value in [int(y.split(" · ")[0]) for y in years]  # "2012 · 63/63"


def test_a_link_value_wins_over_the_carried_choice():
    at = opened()
    at.selectbox(key="year").set_value(2018).run()
    at.switch_page("pages/rankings.py")
    at.query_params["r_year"] = "2020"
    at.run()
    assert at.selectbox(key="r_year").value == 2020


def test_locality_picked_on_profile_carries_to_within():
    at = opened("pages/profile.py", p_unit="Hà Nội")
    assert at.selectbox(key="p_unit").value == "old-p-01"
    at.switch_page("pages/within.py").run()
    assert at.selectbox(key="w_prov").value == "old-p-01"


# ------------------------------------------------------------------------------ URL values
def test_bad_year_in_the_url_says_what_was_asked_and_what_is_shown():
    at = opened(year="2030")
    shown = at.selectbox(key="year").value
    notes = [n for n in infos(at) if "2030" in n]
    assert notes and str(shown) in notes[0], infos(at)


def test_english_indicator_label_is_accepted_without_lang_en():
    at = opened(indicator="IT application")
    assert at.selectbox(key="indicator").value == "mic_it_app"
    assert not [n for n in infos(at) if "IT application" in n]


def test_home_spelled_without_diacritics_is_accepted():
    at = opened(home="Ha Noi")
    assert at.selectbox(key="home").value == "old-p-01"
    assert not [n for n in infos(at) if "Ha Noi" in n]


def test_unknown_locality_in_the_url_is_reported():
    at = opened("pages/profile.py", p_unit="Atlantis")
    notes = [n for n in infos(at) if "Atlantis" in n]
    assert notes, infos(at)
    assert "“Bình Dương”" in notes[0]  # the home locality is shown instead, named without search spellings


@pytest.mark.parametrize("typed,unit_id", [
    ("binh duong", "old-p-74"), ("tp hcm", "old-p-79"), ("hcm", "old-p-79"), ("Ho Chi Minh", "old-p-79"),
    ("Ha Noi", "old-p-01"),
])
def test_profile_url_accepts_the_spellings_the_registry_resolves(typed, unit_id):
    at = opened("pages/profile.py", p_unit=typed)
    assert at.selectbox(key="p_unit").value == unit_id
    assert not [n for n in infos(at) if typed in n]


def test_old_district_name_without_diacritics_in_the_url():
    reg = Registry.from_package()
    tdm = reg.resolve("thu dau mot", level="district")
    at = opened("pages/profile.py", p_unit="thu dau mot")
    assert at.selectbox(key="p_unit").value == tdm.unit_id


def test_compare_url_accepts_spellings():
    at = opened("pages/compare.py", c_units=["binh duong", "tp hcm"])
    assert at.multiselect(key="c_units").value == ["old-p-74", "old-p-79"]


# ------------------------------------------------------------------------------ search as people type
def _fuzzy(typed: str, label: str) -> bool:
    """Streamlit's default selectbox filter: the typed text as an in-order, case-insensitive subsequence."""
    it = iter(label.lower())
    return all(ch in it for ch in typed.lower())


@pytest.mark.parametrize("typed,unit_id", [
    ("binh duong", "old-p-74"), ("Ho Chi Minh", "old-p-79"), ("tp hcm", "old-p-79"), ("hcm", "old-p-79"),
])
def test_locality_picker_labels_match_diacritic_free_typing(typed, unit_id):
    at = opened("pages/profile.py")
    sb = at.selectbox(key="p_unit")
    uid_labels = dict(zip(sb.options, sb.options, strict=True))
    target = next(lab for lab in uid_labels if spellings.clean_label(lab) in ("Bình Dương", "TP. Hồ Chí Minh")
                  and unit_id in ("old-p-74", "old-p-79") and _is_unit(lab, unit_id))
    assert _fuzzy(typed, target), target


def _is_unit(label: str, unit_id: str) -> bool:
    reg = Registry.from_package()
    return reg.units_by_id[unit_id].short_name == spellings.clean_label(label)


def test_thu_dau_mot_typed_without_diacritics_is_offered():
    at = opened("pages/profile.py")
    hits = [o for o in at.selectbox(key="p_unit").options if _fuzzy("thu dau mot", o)]
    assert any(spellings.clean_label(h).startswith("Thành phố Thủ Dầu Một") for h in hits), hits[:5]


def test_diacritic_free_labels_are_not_added_to_plain_ascii_names():
    assert spellings.search_tail("x", "PAR INDEX") == ""


# ------------------------------------------------------------------------------ share link, tabs, scope
def test_share_link_reproduces_the_view():
    at = opened("pages/rankings.py", lang="en", r_ind="PCI", r_year="2018")
    link = [c.value for c in at.code if "r_ind=" in c.value]
    assert link, [c.value for c in at.code]
    assert "r_year=2018" in link[0] and "r_ind=PCI" in link[0] and "lang=en" in link[0]
    assert "+%C2%B7+" not in link[0]  # search spellings are not part of a shared link
    assert "r_missing=true" in link[0]  # defaults too: the link must not depend on the reader's defaults


def test_compare_tab_is_in_the_url():
    at = opened("pages/compare.py", lang="en", c_tab="Comparison table")
    assert not at.exception
    assert at.session_state["c_tab"] == "Comparison table"


def test_rankings_filtered_to_a_region_name_the_region():
    at = opened("pages/rankings.py", r_ind="PAR INDEX", r_year="2020", r_region="Đông Nam Bộ")
    caps = [str(c.value) for c in at.caption]
    assert any("Đông Nam Bộ" in c for c in caps), caps
    assert not any("Toàn quốc" in c for c in caps), caps
    # the downloads' file names are given only when clicked: see tests/test_browser_url_state.py


def test_a_spelling_several_places_share_is_not_guessed():
    at = opened("pages/profile.py", p_unit="Thanh")  # Thanh Hóa, Thanh Hoá's towns, every "Thành phố …"
    assert at.selectbox(key="p_unit").value == "old-p-74"  # the home locality
    assert [n for n in infos(at) if "Thanh" in n], infos(at)


def test_a_former_name_typed_without_diacritics_finds_the_province():
    at = opened("pages/profile.py", p_unit="thua thien hue")
    assert at.selectbox(key="p_unit").value == "old-p-46"
    hits = [o for o in at.selectbox(key="p_unit").options if _fuzzy("thua thien hue", o)]
    assert hits and spellings.clean_label(hits[0]) == "Huế", hits[:3]
