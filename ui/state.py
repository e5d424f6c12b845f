"""Shared state: the app chrome (language, home locality, presentation flag) and URL-bound pickers.

Every picker is a widget with ``key=`` and ``bind="query-params"``, so the page's choices live in the
URL and a copied link reproduces the view. Streamlit writes a bound widget's *displayed label* into the
URL, so option labels here are chosen to be stable: indicator short names, years, and locality names
in Vietnamese (proper names, the same in both languages; a locality's label also carries its spellings
without diacritics, ui/spellings.py, so that the picker's filter finds them). Keys are distinct per page
(``r_…`` on Rankings, ``p_…`` on the profile …) because query parameters are app-wide; a year, indicator or
locality still follows the user to the next page (ui/url_state.py), and a URL value in another spelling or
language is resolved, or reported when nothing matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import streamlit as st

from analytics.fmt import vi_sort_key
from analytics.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, t
from analytics.registry import Unit
from ui import cache, spellings, url_state
from ui.url_state import LANG_KEY

HOME_KEY = "home"
PRESENTATION_KEY = "presentation"
DEFAULT_HOME = "old-p-74"  # Bình Dương


# ------------------------------------------------------------------------------------ labels
_LABELS: tuple = (None, {})  # (registry, unit_id → label): labels of the current registry's units


def unit_label(u: Unit, reg=None) -> str:
    """A language-independent, unambiguous label (also the URL value of locality pickers). Loops over many
    units pass the registry (`reg`) rather than looking it up once per unit."""
    global _LABELS
    reg = reg if reg is not None else cache.registry()
    memo_reg, memo = _LABELS
    if memo_reg is not reg:
        memo = {}
        _LABELS = (reg, memo)
    if reg.units_by_id.get(u.unit_id) is u:
        label = memo.get(u.unit_id)
        if label is None:
            label = memo[u.unit_id] = _unit_label(reg, u)
        return label
    return _unit_label(reg, u)


def _unit_label(reg, u: Unit) -> str:
    prov = None
    if u.province_id and u.province_id != u.unit_id and u.province_id in reg.units_by_id:
        prov = reg.units_by_id[u.province_id].short_name
    if u.level == "province":
        return f"{u.short_name} (2025)" if u.vintage == "2025" else u.short_name
    if u.level == "district":
        return f"{u.name} ({prov})" if prov else u.name
    if u.level == "commune":
        parent = reg.units_by_id.get(u.parent_id) if u.parent_id else None
        if u.vintage == "2025":
            return f"{u.name} ({prov}, 2025)" if prov else f"{u.name} (2025)"
        if parent is not None and parent.level == "district":
            return f"{u.name} ({parent.name}, {prov})"
        return f"{u.name} ({prov})" if prov else u.name
    return u.name


def unit_labels(unit_ids: Sequence[str]) -> dict[str, str]:
    """unit_id → label, made unique by appending the code where two labels collide."""
    ids = tuple(unit_ids)
    return dict(cache.per_version("unit_labels", lambda: _unit_labels(ids), ids))


def _unit_labels(unit_ids: Sequence[str]) -> dict[str, str]:
    reg = cache.registry()
    labels = {uid: unit_label(reg.units_by_id[uid], reg) for uid in unit_ids if uid in reg.units_by_id}
    seen: dict[str, int] = {}
    for lab in labels.values():
        seen[lab] = seen.get(lab, 0) + 1
    for uid, lab in list(labels.items()):
        if seen[lab] > 1:
            labels[uid] = f"{lab} [{reg.units_by_id[uid].code}]"
    return labels


def sort_units(unit_ids: Sequence[str]) -> list[str]:
    """Provinces (legacy, then 2025) before districts, communes and agencies; Vietnamese order within."""
    ids = tuple(unit_ids)
    return list(cache.per_version("sort_units", lambda: _sort_units(ids), ids))


@lru_cache(maxsize=65536)
def _label_sort_key(label: str) -> tuple:
    """Vietnamese sort key of a label, kept: the collation is pure Python (~40 µs a label), and the labels of
    14,000 localities stay the same across imports, so a re-sort after an import reuses them."""
    return vi_sort_key(label, ignore_type_prefix=True)


def _sort_units(unit_ids: Sequence[str]) -> list[str]:
    reg = cache.registry()
    order = {"province": 0, "district": 1, "commune": 2, "agency": 3}

    def key(uid: str):
        u = reg.units_by_id[uid]
        return (order.get(u.level, 9), u.vintage != "legacy", _label_sort_key(unit_label(u, reg)))

    return sorted([u for u in unit_ids if u in reg.units_by_id], key=key)


def indicator_label(indicator_id: str, lang: str) -> str:
    """Short label of an indicator; stable across languages for the main indices."""
    ind = cache.catalog().get(indicator_id)
    return ind.label(lang, short=True)


# ------------------------------------------------------------------------------------ state
def lang() -> str:
    value = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def home() -> str:
    value = st.session_state.get(HOME_KEY, DEFAULT_HOME)
    return value if value in cache.registry().units_by_id else DEFAULT_HOME


def presentation() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))


BOUND_KEYS: set[str] = set()  # every URL-bound widget key (names only; values live in session state)


def _guard(key: str, options: Sequence[Any], default: Any) -> None:
    """Before a widget renders: a session value that is no longer an option falls back to the default."""
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = default


def _url_notice(label: str, asked: str, shown: str) -> None:
    lg = lang()
    st.info(t("notice.url_value", lg, what=label.lower(), asked=asked, shown=shown), icon=":material/link_off:")


def select(label: str, options: Sequence[Any], *, key: str, default: Any = None,
           format_func: Callable[[Any], str] = str, help: str | None = None, container=None,
           follow_links: bool = False, resolve: Callable[[str], Any] | None = None,
           carry: str | None = None, placeholder: str | None = None,
           url_value: Callable[[Any], str] | None = None) -> Any:
    """A URL-bound selectbox whose value is always one of ``options`` (``default`` when the URL or the
    session hold something else). ``follow_links``: a link to this page with another value wins.
    ``resolve``: other spellings a URL may hold; ``carry``: a kind of choice ("year", "indicator",
    "locality") that follows the user from page to page. ``url_value``: the URL holds this instead of the
    displayed label (a label that changes with the data, "2023 · 30/63", would break shared links)."""
    options = list(options)
    BOUND_KEYS.add(key)
    if not options:
        return None
    if default not in options:
        default = options[0]
    labels = {o: format_func(o) for o in options}
    if url_value is not None:
        return _select_url_value(label, options, key=key, default=default, labels=labels, url_value=url_value,
                                 help=help, container=container, resolve=resolve, carry=carry,
                                 placeholder=placeholder)
    asked = url_state.from_url(key, labels, resolve, follow_links)
    url_state.carry_in(key, carry, options)
    _guard(key, options, default)
    where = container if container is not None else st.sidebar
    value = where.selectbox(label, options, index=options.index(default), format_func=lambda o: labels[o], key=key,
                            help=help, bind="query-params",
                            placeholder=placeholder or t("picker.placeholder", lang()))
    value = value if value in options else default
    if asked is not None:
        _url_notice(label, asked, spellings.clean_label(labels[value]))
    if carry is not None:
        st.session_state[f"_carry_{carry}"] = value
    url_state.remember(key, labels[value])
    return value


def _select_url_value(label: str, options: list, *, key: str, default: Any, labels: dict, url_value: Callable,
                      help: str | None, container, resolve, carry: str | None, placeholder: str | None) -> Any:
    """``select`` with the URL value spelt apart from the label: Streamlit binds a widget by its label, so
    this one is not bound; the URL is read before it renders and written after."""
    url_labels = {o: url_value(o) for o in options}
    asked = url_state.adopt_from_url(key, url_labels, resolve)
    url_state.carry_in(key, carry, options)
    _guard(key, options, default)
    if key not in st.session_state:
        st.session_state[key] = default   # the session value, not ``index``: no "set twice" warning
    where = container if container is not None else st.sidebar

    def picked() -> None:   # a reader's choice goes into the URL (one history entry, as a bound widget's)
        chosen = st.session_state.get(key)
        url_state.write_url(key, None if chosen == default else url_labels.get(chosen))

    value = where.selectbox(label, options, format_func=lambda o: labels[o], key=key, help=help,
                            on_change=picked, placeholder=placeholder or t("picker.placeholder", lang()))
    value = value if value in options else default
    if asked is not None:
        _url_notice(label, asked, spellings.clean_label(labels[value]))
    if carry is not None:
        st.session_state[f"_carry_{carry}"] = value
    if key in st.query_params and st.query_params.get(key) != url_labels[value]:
        # the URL names a year this view no longer offers (another indicator): it says what is shown
        url_state.write_url(key, None if value == default else url_labels[value])
    url_state.remember(key, url_labels[value])
    return value


def multiselect(label: str, options: Sequence[Any], *, key: str, default: Sequence[Any] = (),
                format_func: Callable[[Any], str] = str, max_selections: int | None = None,
                help: str | None = None, container=None, resolve: Callable[[str], Any] | None = None,
                placeholder: str | None = None) -> list:
    options = list(options)
    BOUND_KEYS.add(key)
    default = [d for d in default if d in options]
    labels = {o: format_func(o) for o in options}
    asked = url_state.multi_from_url(key, labels, resolve)
    if key in st.session_state:
        cur = [v for v in (st.session_state[key] or []) if v in options]
        if cur != list(st.session_state[key] or []):
            st.session_state[key] = cur
    where = container if container is not None else st.sidebar
    value = where.multiselect(label, options, default=default, format_func=lambda o: labels[o], key=key,
                              help=help, max_selections=max_selections, bind="query-params",
                              placeholder=placeholder or t("picker.placeholder", lang()))
    value = [v for v in value if v in options]
    if asked:
        _url_notice(label, ", ".join(asked), ", ".join(spellings.clean_label(labels[v]) for v in value))
    url_state.remember(key, [labels[v] for v in value])
    return value


def toggle(label: str, *, key: str, default: bool = False, help: str | None = None, container=None) -> bool:
    BOUND_KEYS.add(key)
    where = container if container is not None else st.sidebar
    value = bool(where.toggle(label, value=default, key=key, help=help, bind="query-params"))
    if key != PRESENTATION_KEY:  # a shared link opens the full view; presentation is the sharer's own
        url_state.remember(key, str(value).lower())
    return value


# ------------------------------------------------------------------------------------ chrome
def locality_options() -> list[str]:
    """Units a locality picker offers: every province (63 and 34), every unit with a figure, and the
    successors/former units of those (so boundary-change links always land on a valid choice)."""
    opts = tuple(cache.per_version_on_disk("locality_options", _locality_options, "ui.state", "analytics.fmt",
                                           "analytics.registry", "analytics.registry_build", "analytics.registry_model"))
    cache.per_version("sort_units", lambda: opts, opts)  # already in order: a picker need not sort it again
    return list(opts)


def _locality_options() -> list[str]:
    reg = cache.registry()
    have = set(cache.units_with_data())
    ids = {u.unit_id for u in reg.units(level="province")} | (have & set(reg.units_by_id))
    succ, pred = cache.succession()
    for uid in list(ids):
        ids.update(succ.get(uid, []))
        if reg.units_by_id[uid].level != "province":
            ids.update(pred.get(uid, []))
    return sort_units(list(ids))


def home_options() -> list[str]:
    return list(cache.per_version("home_options", lambda: sort_units(
        [u.unit_id for u in cache.registry().units(level="province")])))


def _resync_bound() -> None:
    """After a language switch, write every bound picker's value back to session state: Streamlit then
    rewrites its URL parameter with the label in the new language, so a copied link still works."""
    for key in BOUND_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def chrome() -> tuple[str, str, bool]:
    """Language, home locality and presentation flag, at the top of the sidebar. Returns their values.

    The language is kept in the URL as ``?lang=en`` (Vietnamese, the default, leaves no parameter). It is
    synced explicitly rather than with ``bind=``, because a bound selectbox writes its displayed label
    ("English") into the URL and ``?lang=en`` is the documented form.
    """
    if LANG_KEY not in st.session_state:
        raw = st.query_params.get(LANG_KEY)
        by_name = {v: k for k, v in LANG_NAMES.items()}
        st.session_state[LANG_KEY] = raw if raw in LANGS else by_name.get(raw, DEFAULT_LANG)
    sb = st.sidebar
    sb.selectbox("Ngôn ngữ · Language" if lang() == "vi" else "Language · Ngôn ngữ", list(LANGS),
                 format_func=lambda code: LANG_NAMES[code], key=LANG_KEY, on_change=_resync_bound,
                 placeholder=t("picker.placeholder", lang()))
    lg = lang()
    if lg != DEFAULT_LANG:
        if st.query_params.get(LANG_KEY) != lg:
            st.query_params[LANG_KEY] = lg
    elif LANG_KEY in st.query_params:
        del st.query_params[LANG_KEY]
    st.session_state["_share"] = {}
    options = home_options()
    labels = spellings.search_labels(options, unit_labels(options))
    select(t("picker.home_locality", lg), options, key=HOME_KEY, default=DEFAULT_HOME,
           format_func=lambda uid: labels.get(uid, uid), help=t("picker.help.locality", lg),
           resolve=spellings.locality_resolver(options, labels),
           placeholder=t("picker.placeholder_search", lg))
    toggle(t("app.presentation_view", lg), key=PRESENTATION_KEY, help=t("app.presentation_help", lg))
    sb.divider()
    return lg, home(), presentation()


def page_header(lg: str) -> None:
    """The heading of the page choices in the sidebar."""
    st.sidebar.caption(t("app.page_settings", lg))


# ------------------------------------------------------------------------------------ pickers
def indicator_options(*, levels: Sequence[str] = ("province",), vintages: Sequence[str] | None = None,
                      kinds: Sequence[str] = ("index",), with_data: bool = True) -> list[str]:
    """Root indicators of the given levels that have at least one figure, in catalog order."""
    have = cache.indicators_with_data() if with_data else None
    out = []
    for ind in cache.catalog().roots():
        if ind.kind not in kinds or ind.levels[0] not in levels:
            continue
        if vintages is not None and ind.vintage not in vintages:
            continue
        if have is not None and ind.id not in have:
            continue
        out.append(ind.id)
    return out


def indicator_picker(key: str, lg: str, options: Sequence[str], default: str = "par_index",
                     container=None) -> str:
    labels = {iid: indicator_label(iid, lg) for iid in options}
    return select(t("picker.indicator", lg), options, key=key, default=default,
                  format_func=lambda iid: labels.get(iid, iid), container=container,
                  resolve=spellings.indicator_resolver(options, indicator_label), carry="indicator")


def year_picker(key: str, lg: str, years: Sequence[int], default: int | None = None, container=None,
                labels: dict[int, str] | None = None) -> int | None:
    """A year picker; with ``labels`` (``analytics.coverage.year_labels``) each year says its coverage
    ("2023 · 30/63") while the URL keeps the plain year."""
    years = sorted({int(y) for y in years}, reverse=True)
    if not years:
        return None
    if labels is None:
        return select(t("picker.year", lg), years, key=key, default=default if default in years else years[0],
                      format_func=str, container=container, resolve=spellings.year_resolver(years), carry="year")
    return select(t("picker.year", lg), years, key=key, default=default if default in years else years[0],
                  format_func=lambda y: labels.get(y, str(y)), container=container,
                  resolve=spellings.year_resolver(years), carry="year", url_value=str)


def unit_picker(key: str, lg: str, options: Sequence[str], default: str, *, label: str | None = None,
                container=None) -> str:
    options = sort_units(options)
    labels = spellings.search_labels(options, unit_labels(options))
    return select(label or t("picker.locality", lg), options, key=key, default=default,
                  format_func=lambda uid: labels.get(uid, uid), help=t("picker.help.locality", lg),
                  container=container, follow_links=True, resolve=spellings.locality_resolver(options, labels),
                  carry="locality", placeholder=t("picker.placeholder_search", lg))


def vintage_home(home_id: str, vintage: str) -> list[str]:
    """The home locality expressed in an indicator's unit list: itself, its 2025 successor, or its
    former units (a 2025 province seen on a legacy indicator)."""
    reg = cache.registry()
    u = reg.units_by_id.get(home_id)
    if u is None:
        return []
    if u.vintage == vintage:
        return [home_id]
    if vintage == "2025":
        succ = reg.successors_of(home_id)
        default = [s.unit_id for s, d, _ in succ if d] or [s.unit_id for s, _, _ in succ]
        return default[:1]
    return [p.unit_id for p, _, _ in reg.predecessors_of(home_id) if p.level == u.level]
