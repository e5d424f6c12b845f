"""The benchmark prints only its own lines: Streamlit logs a warning ("No runtime found", "missing
ScriptRunContext") each time a cached function or a script element is used outside a server, thousands
of times in one run. Errors still show."""

from __future__ import annotations

import logging


def quiet_streamlit_logs() -> None:
    from streamlit import config
    from streamlit import logger as st_logger

    config.get_option("logger.level")            # parse the config files now (parsing resets the level) ...
    config.set_option("logger.level", "error")   # ... and keep "error" should anything parse them again
    st_logger.set_log_level(logging.ERROR)       # the loggers that exist already and every later one
