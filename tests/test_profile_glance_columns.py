"""The Profile's table at a glance as the page sends it (AppTest): the position among all localities in
whole percent, a format without a decimal mark (Streamlit's "percent" format would write "64.52%" in
Vietnamese too), and columns narrow enough to fit 1440 px (the browser check is
tests/test_browser_profile_glance.py)."""

from __future__ import annotations

import json

import pytest
from test_app_pages import label, run

pytestmark = pytest.mark.usefixtures("app_env")


@pytest.mark.parametrize("lang,position", [("vi", "Vị trí trong cả nước"), ("en", "Position among all")])
def test_glance_position_in_whole_percent(lang, position):
    at = run("pages/profile.py", lang=lang, p_unit=label("old-p-74"))
    table = at.dataframe[0]
    par = table.value.loc[table.value.iloc[:, 0] == "PAR INDEX"].iloc[0]
    assert par[position] == pytest.approx(64.52, abs=0.01)  # 64.52 % of the 63 provinces rank behind it
    config = json.loads(table.proto.columns)[position]["type_config"]
    assert config["format"] == "%.0f%%" and config["max_value"] == 100
    columns = json.loads(table.proto.columns)
    widths = [columns[c].get("width") for c in table.value.columns if c in columns]
    assert len(widths) == table.value.shape[1] and sum(widths) <= 1007  # the main area at 1440 px
