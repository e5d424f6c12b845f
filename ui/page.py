"""The page guard: every page body runs inside it, so no traceback reaches a user."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import streamlit as st

from analytics.i18n import t
from ui import cache, state

log = logging.getLogger("chiso.ui")


def run_page(render: Callable[[], None]) -> None:
    """Run a page body; an unexpected error shows a friendly message instead of a traceback.

    With ``CHISO_DEBUG=1`` (tests, development) the error is re-raised so it is never hidden."""
    lg = state.lang()
    if not cache.db_available():
        st.error(t("app.no_database", lg), icon=":material/database:")
        return
    try:
        render()
    except Exception:
        log.exception("page failed")
        if os.environ.get("CHISO_DEBUG"):
            raise
        st.error(t("app.error_unexpected", lg), icon=":material/error:")
