"""The benchmark prints only its own lines: Streamlit logs a warning ("No runtime found", "missing
ScriptRunContext") each time a cached function or a script element is used outside a server, thousands
of times in one run. Errors still show."""

from __future__ import annotations

import logging
import os


def quiet_streamlit_logs() -> None:
    # the config option (read when Streamlit parses its config, also by the servers the bench starts,
    # whose output goes to their log file) and the loggers Streamlit has already created
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    import streamlit.logger

    streamlit.logger.set_log_level(logging.ERROR)
