"""Chỉ số — entry point: navigation and shared chrome only (language, home locality, presentation view).

Run with ``streamlit run app.py``. Pages live in ``pages/`` and are registered here with ``st.navigation``;
their titles follow the language chosen in the sidebar (``?lang=en``).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analytics.i18n import t
from ui import auth, state, url_state
from ui.nav import PAGES

st.set_page_config(page_title="Chỉ số", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide")

lang, home, presentation = state.chrome()
if presentation:
    st.set_page_config(initial_sidebar_state="collapsed")

pages = [
    st.Page(p.path, title=t(f"page.{p.id}.title", lang), icon=p.icon, url_path=p.url_path or None,
            default=p.default, help=t(f"page.{p.id}.help", lang))
    for p in PAGES
]
if auth.is_editor():  # editors only: viewers get neither the menu entry nor the URL (st.navigation routes only these)
    pages.append(st.Page("app_pages/import_data.py", title=t("page.import.title", lang), icon=":material/upload_file:",
                         url_path="nhap-du-lieu", help=t("page.import.help", lang)))
page = st.navigation(pages, position="hidden" if presentation else "top")
url_state.arrive(page.url_path)

st.title(page.title, anchor=False)
if not presentation:
    st.caption(t("app.tagline", lang))
page.run()
if not presentation:
    url_state.share_box(lang)
    auth.sidebar_control(lang)  # editor sign-in / sign-out (nothing when no editors are configured)
