"""Placeholder (being built)."""

import streamlit as st

from analytics.i18n import t
from ui import components as C
from ui import state


def render() -> None:
    st.caption(t("label.findings_none", state.lang()))


C.run_page(render)
