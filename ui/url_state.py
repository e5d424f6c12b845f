"""What the URL asks of the pickers, the choices carried from page to page, and the link that reproduces
the view on screen (the pickers themselves are in ui/state.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from analytics.i18n import DEFAULT_LANG, t
from ui import spellings

LANG_KEY = "lang"  # the language's URL parameter (?lang=en; Vietnamese, the default, leaves none)


def _new_url_value(key: str) -> str | None:
    """The URL's value for ``key`` when it is new to this session (a link, an edited address), else None: a
    value already seen is left to the widget, which may have changed since."""
    raw = st.query_params.get(key)
    seen_key = f"_url_seen_{key}"
    new = raw is not None and raw != st.session_state.get(seen_key)
    st.session_state[seen_key] = raw
    return raw if new else None


def from_url(key: str, labels: dict[Any, str], resolve: Callable[[str], Any] | None,
             follow_links: bool) -> str | None:
    """Before a bound widget renders, read what the URL asks for ``key``. A value that is an option's label
    is left to Streamlit (or adopted, with ``follow_links``, when a link to the page on screen changed it).
    Any other value is resolved (another spelling, the other language) and adopted, or, when nothing
    matches, returned so the page can say what was asked and what it shows instead."""
    raw = _new_url_value(key)
    if raw is None:
        return None
    by_label = {lab: o for o, lab in labels.items()}
    if raw in by_label:
        if follow_links and key in st.session_state:
            st.session_state[key] = by_label[raw]
        return None
    hit = resolve(raw) if resolve is not None else None
    if hit is None or hit not in labels:
        return raw
    st.session_state[key] = hit
    return None


def adopt_from_url(key: str, url_labels: dict[Any, str], resolve: Callable[[str], Any] | None) -> str | None:
    """``from_url`` for a picker whose URL value is not its displayed label (a year shown as "2023 · 30/63"
    is "2023" in the URL): the widget is not bound, so a new URL value is adopted here. Returns what the URL
    asked when nothing matches."""
    raw = _new_url_value(key)
    if raw is None:
        return None
    hit = {lab: o for o, lab in url_labels.items()}.get(raw)
    if hit is None and resolve is not None:
        hit = resolve(raw)
    if hit is None or hit not in url_labels:
        return raw
    st.session_state[key] = hit
    return None


def write_url(key: str, value: str | None) -> None:
    """Keep an unbound picker's URL value (``None``: its default, left out of the address bar as Streamlit
    does for bound ones)."""
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value
    st.session_state[f"_url_seen_{key}"] = value
    st.session_state.setdefault("_url_own", {})[key] = st.session_state.get("_page")


def multi_from_url(key: str, labels: dict[Any, str], resolve: Callable[[str], Any] | None) -> list[str]:
    """``from_url`` for a list: every item resolved; the items nothing matches are returned."""
    raw = st.query_params.get_all(key)
    seen_key = f"_url_seen_{key}"
    if not raw or raw == st.session_state.get(seen_key):
        st.session_state[seen_key] = raw
        return []
    st.session_state[seen_key] = raw
    by_label = {lab: o for o, lab in labels.items()}
    if all(r in by_label for r in raw):
        return []
    hits, missed = [], []
    for r in raw:
        hit = by_label.get(r)
        if hit is None and resolve is not None:
            hit = resolve(r)
        if hit is not None and hit in labels and hit not in hits:
            hits.append(hit)
        elif hit is None:
            missed.append(r)
    if hits:
        st.session_state[key] = hits
    return missed


def arrive(page_id: str) -> None:
    """Called by app.py with the page about to run: notes whether the user has just come from another page.
    Leaving a page drops the URL values its unbound pickers wrote (Streamlit drops a bound widget's
    parameter when the widget is gone), so the next page starts from its own link or the carried choice."""
    arrived = st.session_state.get("_page") != page_id
    st.session_state["_arrived"] = arrived
    st.session_state["_page"] = page_id
    own = st.session_state.get("_url_own", {})
    if arrived:
        for key, page in list(own.items()):
            if page != page_id:
                if key in st.query_params and st.query_params.get(key) == st.session_state.get(f"_url_seen_{key}"):
                    del st.query_params[key]   # only what this app wrote, not a value a link brought
                st.session_state.pop(f"_url_seen_{key}", None)
                del own[key]


def carry_in(key: str, carry: str | None, options: Sequence[Any]) -> None:
    """Arriving on a page whose URL names no value for ``key``: start from the choice of the same kind made
    on the page before (year, indicator, locality), when it is an option here. (Back restores a page from its
    own URL: Streamlit seeds bound widgets from a history entry over this.)"""
    if carry is None or not st.session_state.get("_arrived") or st.query_params.get(key) is not None:
        return
    value = st.session_state.get(f"_carry_{carry}")
    if value is not None and value in options:
        st.session_state[key] = value


def remember(key: str, label: str | list[str] | None) -> None:
    """The URL value of every picker shown this run, for the share link (a value equal to its default is
    left out of the address bar by Streamlit, but a shared link must not depend on the reader's defaults)."""
    if label is not None:
        st.session_state.setdefault("_share", {})[key] = label


def share_box(lg: str) -> None:
    """The link to the view on screen, in the sidebar: a code box, whose copy button puts it on the
    clipboard (Streamlit's own; no script of ours)."""
    parts = urlsplit(st.context.url or "")
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(share_query(lg), doseq=True), ""))
    st.sidebar.caption(t("app.share_link", lg))
    st.sidebar.code(url, language=None, wrap_lines=False)  # one line: the copy button takes it whole


def share_query(lg: str) -> dict[str, str | list[str]]:
    """The query parameters that reproduce the view on screen: language and every picker shown this run,
    defaults included, with locality labels cleaned of their search spellings."""
    out: dict[str, str | list[str]] = {}
    if lg != DEFAULT_LANG:
        out[LANG_KEY] = lg
    for key, value in st.session_state.get("_share", {}).items():
        out[key] = [spellings.clean_label(v) for v in value] if isinstance(value, list) else spellings.clean_label(value)
    return out
