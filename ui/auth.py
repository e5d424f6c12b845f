"""Who is an editor: the sign-in for the editors' import page.

Two ways, chosen by ``.streamlit/secrets.toml`` (never committed; see docs/EDITORS.md):

* **OIDC** — when an ``[auth]`` section is configured, editors sign in with ``st.login()`` at the
  identity provider. Being signed in is not enough: the provider must vouch for the e-mail
  (``email_verified = true``, or the claims of ``[editors] trusted_claims``, e.g. the organisation's
  tenant ``tid``), and the account must be on the editors' list (``emails`` / ``domains``), or that
  section must say ``allow_all_signed_in = true`` (only for a private provider).
* **Accounts** — otherwise, one account per editor in the accounts file (``chiso editors add NAME``;
  argon2 hashes, ``analytics.editors``). Failed attempts are throttled (``ui.signin_throttle``): this
  session backs off, other sessions at the same address or on the same account only slow attempts down.
  The old shared password (``password_hash`` / ``password_sha256`` in secrets) is refused with a message
  saying how to create accounts instead.

The audit log's actor comes from the sign-in: ``password:<account>`` or ``oidc:<verified e-mail>``.
Without either way configured, nobody is an editor and no sign-in control is shown.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import editors as accounts_store
from analytics.i18n import t
from ui import page_text
from ui.nav import PAGE_PATH
from ui.signin_throttle import Throttle, Ticket, client_address

log = logging.getLogger("chiso.auth")

MAX_PASSWORD_CHARS = accounts_store.MAX_PASSWORD_CHARS
MAX_NAME_CHARS = 64
DEFAULT_SESSION_MINUTES = 480
LEGACY_KEYS = ("password_hash", "password_sha256")

THROTTLE = Throttle()


def fingerprint(stored: str) -> str:
    """A short tag of an account's hash: a session signed in under another hash is no longer valid."""
    return hashlib.sha256(("chiso-editor:" + str(stored).strip()).encode("utf-8")).hexdigest()[:16]


# ================================================================================== one attempt
@dataclass
class Attempt:
    ok: bool
    reason: str = ""        # '' | 'locked' | 'busy' | 'wrong' | 'no_name' | 'legacy' | 'not_configured'
    wait: float = 0.0
    account: str = ""
    message: str = ""       # 'legacy': what the administrator must do


def check_password_attempt(name: str, password: str, accounts: dict[str, accounts_store.Account],
                           keys: list[str], *, throttle: Throttle | None = None,
                           sleep: Callable[[float], None] = time.sleep, where: str = "the editors file") -> Attempt:
    """One sign-in attempt: reserved in the throttle first, slowed down when the account, the address or
    the server has seen many failures, refused unchecked while this session backs off."""
    th = throttle or THROTTLE
    if not accounts:
        return Attempt(False, "not_configured")
    account = accounts_store.normalise_name(name)
    if not account:
        return Attempt(False, "no_name")
    ticket: Ticket = th.reserve([*keys, f"account:{account[:MAX_NAME_CHARS]}"])
    if not ticket.ok:
        return Attempt(False, ticket.reason, ticket.wait)
    ok: bool | None = False
    try:
        if ticket.delay > 0:
            sleep(ticket.delay)
        who = accounts_store.verify(accounts, account, str(password or ""), where=where)
        ok = who is not None
    except accounts_store.LegacyHashError as e:
        ok = None                       # a configuration problem, not a guess: nothing counted
        log.error("editor sign-in: %s", e)
        return Attempt(False, "legacy", account=account, message=str(e))
    finally:
        th.settle(ticket, ok)
    if ok:
        return Attempt(True, account=account)
    log.warning("editor sign-in refused (wrong account or password)")
    return Attempt(False, "wrong", th.wait(keys))


# ================================================================================== configuration
def _section(name: str) -> dict[str, Any]:
    """A secrets section as a plain dict ({} when there is no secrets file or no such section)."""
    try:
        sec = st.secrets
        if not sec.load_if_toml_exists():
            return {}
        value = sec.get(name)
    except Exception:  # noqa: BLE001 - an unreadable secrets file means: not configured
        return {}
    if value is None or not hasattr(value, "items"):
        return {}
    return {k: (dict(v.items()) if hasattr(v, "items") else v) for k, v in value.items()}


def _oidc_configured(auth: dict[str, Any]) -> bool:
    if not auth:
        return False
    if auth.get("client_id") and auth.get("server_metadata_url"):
        return True
    return any(isinstance(v, dict) and v.get("client_id") for v in auth.values())


def _provider(auth: dict[str, Any], editors: dict[str, Any]) -> str | None:
    """The provider name for ``st.login``: ``[editors] provider``, else None for a flat ``[auth]``,
    else the first ``[auth.<name>]`` section."""
    if editors.get("provider"):
        return str(editors["provider"])
    if auth.get("client_id"):
        return None
    return next((k for k, v in auth.items() if isinstance(v, dict) and v.get("client_id")), None)


def accounts_path(editors: dict[str, Any] | None = None) -> str:
    editors = _section("editors") if editors is None else editors
    return str(editors.get("accounts_file") or accounts_store.default_path())


def _accounts(editors: dict[str, Any] | None = None) -> dict[str, accounts_store.Account]:
    try:
        return accounts_store.load(accounts_path(editors))
    except accounts_store.EditorsError as e:
        log.error("editor accounts unreadable, password sign-in is off: %s", e)
        return {}


def legacy_problem(editors: dict[str, Any] | None = None) -> str | None:
    """The administrator's fix when secrets still hold the old shared password hash (never accepted)."""
    editors = _section("editors") if editors is None else editors
    if any(editors.get(k) for k in LEGACY_KEYS):
        return accounts_store.legacy_message(".streamlit/secrets.toml [editors]")
    return None


def mode(auth: dict[str, Any] | None = None, editors: dict[str, Any] | None = None) -> str | None:
    """'oidc' when [auth] is configured, 'password' when the accounts file holds an account, else None.

    The sections default to the app's secrets; passing them is for callers that hold them already."""
    if _oidc_configured(_section("auth") if auth is None else auth):
        return "oidc"
    if _accounts(editors):
        return "password"
    return None


# ================================================================================== the session
SESSION_KEY = "_chiso_editor"


def _user() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict())
    except Exception:  # noqa: BLE001 - no script context / no user info
        return {}


def _claim_matches(value: Any, wanted: Any) -> bool:
    allowed = wanted if isinstance(wanted, list | tuple) else [wanted]
    return value is not None and str(value) in {str(w) for w in allowed}


def email_vouched(u: dict[str, Any], editors: dict[str, Any]) -> bool:
    """The provider vouches for the e-mail: ``email_verified`` is true, or every claim configured in
    ``[editors] trusted_claims`` (e.g. ``{tid = "<tenant id>"}``) has its configured value. A provider that
    sends neither is not trusted: anyone can put any address on an account of a public provider."""
    if u.get("email_verified") is True:
        return True
    claims = editors.get("trusted_claims")
    if isinstance(claims, dict) and claims:
        return all(_claim_matches(u.get(k), v) for k, v in claims.items())
    return False


def oidc_identity(user: dict[str, Any] | None = None, editors: dict[str, Any] | None = None) -> str | None:
    """The signed-in account's e-mail when it is an editor under OIDC, else None. ``user`` (the provider's
    claims) and ``editors`` (the secrets section) default to this session's."""
    editors = _section("editors") if editors is None else editors
    u = _user() if user is None else user
    if u.get("is_logged_in") is not True or not email_vouched(u, editors):
        return None
    email = str(u.get("email") or "").strip().lower()
    if not email:
        return None
    emails = {str(e).strip().lower() for e in (editors.get("emails") or [])}
    domains = {str(d).strip().lower().lstrip("@") for d in (editors.get("domains") or [])}
    if editors.get("allow_all_signed_in") is True or email in emails or email.rsplit("@", 1)[-1] in domains:
        return email
    return None


def _password_session() -> dict[str, Any] | None:
    s = st.session_state.get(SESSION_KEY)
    if not isinstance(s, dict):
        return None
    acc = _accounts().get(str(s.get("name", "")))
    if acc is None or s.get("fp") != fingerprint(acc.hash):     # removed, or its password changed
        return None
    try:
        minutes = float(_section("editors").get("session_minutes", DEFAULT_SESSION_MINUTES))
    except (TypeError, ValueError):
        minutes = DEFAULT_SESSION_MINUTES
    if time.time() - float(s.get("since", 0)) > minutes * 60:
        return None
    return s


def is_editor() -> bool:
    """True when this browser session belongs to an editor (checked on every run)."""
    m = mode()
    if m == "oidc":
        return oidc_identity() is not None
    if m == "password":
        return _password_session() is not None
    return False


def actor() -> str | None:
    """Who the audit log records for this session's imports and reverts (None for a viewer): always taken
    from the sign-in, never from anything the user types."""
    m = mode()
    if m == "oidc":
        who = oidc_identity()
        return f"oidc:{who}" if who else None
    if m == "password":
        s = _password_session()
        return f"password:{s['name']}" if s else None
    return None


def visitor_address(editors: dict[str, Any] | None = None) -> str:
    """The visitor's address: the peer, or behind a trusted proxy (``[editors] trusted_proxies``) the
    address the proxy forwarded. Streamlit reports a loopback peer as None."""
    try:
        peer = st.context.ip_address or "127.0.0.1"
        forwarded = st.context.headers.get("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no script context
        peer, forwarded = "127.0.0.1", None
    editors = _section("editors") if editors is None else editors
    trusted = editors.get("trusted_proxies") or []
    return client_address(peer, forwarded, trusted if isinstance(trusted, list) else [trusted]) or peer


def _session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "none"


def throttle_keys() -> list[str]:
    return [f"session:{_session_id()}", f"ip:{visitor_address()}", "global"]


def password_sign_in(name: str, password: str) -> Attempt:
    """Check an account and password typed in the sign-in form; on success the session becomes an
    editor session of that account."""
    accounts = _accounts()
    # the message names no server path (it is shown to whoever tries); the log has it
    result = check_password_attempt(str(name or "")[:MAX_NAME_CHARS], str(password or ""), accounts,
                                    throttle_keys(), where="the editors' accounts file")
    if result.reason == "legacy":
        log.error("editor sign-in: old-scheme account %r in %s", result.account, accounts_path())
    if result.ok:
        st.session_state[SESSION_KEY] = {"name": result.account, "since": time.time(),
                                         "fp": fingerprint(accounts[result.account].hash)}
    return result


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if mode() == "oidc" and _user().get("is_logged_in") is True:
        st.logout()


# ================================================================================== UI
def sidebar_control(lang: str) -> None:
    """The sign-in / sign-out control at the bottom of the sidebar (nothing when no editors are configured)."""
    m = mode()
    sb = st.sidebar
    legacy = legacy_problem() if m != "oidc" else None
    if legacy:
        log.error("editor sign-in: %s", legacy)
        sb.warning(t("auth.legacy_config", lang, fix=page_text.md(legacy)), icon=":material/key_off:")
    if m is None:
        return
    if is_editor():
        who = oidc_identity() if m == "oidc" else (_password_session() or {}).get("name", "")
        sb.caption(t("auth.signed_in_as", lang, name=page_text.md(who)))
        if sb.button(t("auth.sign_out", lang), key="auth_sign_out", icon=":material/logout:"):
            sign_out()
            _to_home()
        return
    if m == "oidc":
        _oidc_control(lang)
        return
    with sb.expander(t("auth.editor_sign_in", lang), icon=":material/lock:",
                     expanded=bool(st.session_state.get("_auth_msg"))):
        with st.form("auth_form", clear_on_submit=True, border=False):
            name = st.text_input(t("auth.account", lang), key="auth_name", max_chars=MAX_NAME_CHARS,
                                 help=t("auth.account_help", lang))
            password = st.text_input(t("auth.password", lang), type="password", key="auth_password",
                                     max_chars=MAX_PASSWORD_CHARS)
            submitted = st.form_submit_button(t("auth.sign_in", lang), key="auth_submit")
        if submitted:
            with st.spinner(t("auth.checking", lang)):
                result = password_sign_in(name, password)
            if result.ok:
                st.session_state.pop("_auth_msg", None)
                st.rerun()
            st.session_state["_auth_msg"] = (result.reason, result.wait, result.message)
        _attempt_message(lang)


def _attempt_message(lang: str) -> None:
    msg = st.session_state.get("_auth_msg")
    if not msg:
        return
    reason, wait, fix = msg
    wait = max(wait, THROTTLE.wait(throttle_keys())) if reason in ("locked", "wrong") else wait
    seconds = max(1, int(wait + 0.999))
    if reason == "locked" or (reason == "wrong" and wait > 0):
        st.error(t("auth.locked", lang, seconds=seconds), icon=":material/timer:")
    elif reason == "busy":
        st.error(t("auth.busy", lang, seconds=seconds), icon=":material/timer:")
    elif reason == "no_name":
        st.warning(t("auth.account_required", lang))
    elif reason == "legacy":
        st.error(t("auth.legacy_account", lang, fix=page_text.md(fix)), icon=":material/key_off:")
    elif reason == "wrong":
        st.error(t("auth.wrong_password", lang), icon=":material/key_off:")


def _oidc_control(lang: str) -> None:
    sb = st.sidebar
    u = _user()
    if u.get("is_logged_in") is True:
        key = "auth.not_an_editor" if email_vouched(u, _section("editors")) else "auth.email_not_verified"
        sb.caption(t(key, lang, name=page_text.md(u.get("email") or u.get("name") or "")))
        if sb.button(t("auth.sign_out", lang), key="auth_sign_out", icon=":material/logout:"):
            st.logout()
        return
    if sb.button(t("auth.sign_in_oidc", lang), key="auth_sign_in", icon=":material/login:"):
        st.login(_provider(_section("auth"), _section("editors")))


def _to_home() -> None:
    """After signing out: the Overview (the editors' page, if open, is gone from the navigation)."""
    try:
        st.switch_page(PAGE_PATH["overview"])
    except (StreamlitAPIException, KeyError):
        st.rerun()
