"""Who is an editor: the sign-in for the editors' import page.

Two ways, chosen by ``.streamlit/secrets.toml`` (never committed; see docs/EDITORS.md):

* **OIDC** — when an ``[auth]`` section is configured, editors sign in with ``st.login()`` at the
  identity provider. Being signed in is not enough: the account must be on the editors' list of the
  ``[editors]`` section (``emails = [...]`` and/or ``domains = [...]``), or that section must say
  ``allow_all_signed_in = true`` (only for a private provider such as an organisation's own tenant).
  An account whose provider says ``email_verified = false`` is refused.
* **Local password** — otherwise, when ``[editors]`` holds ``password_hash`` (PBKDF2-SHA256 or scrypt,
  salted; make one with ``python -m ui.auth hash-password``) or ``password_sha256`` (hex SHA-256 of the
  password, simplest, unsalted). The typed password is hashed and compared with ``hmac.compare_digest``;
  failed attempts are rate-limited per browser session, per client address and globally, with an
  exponential back-off. The password is never stored, logged or echoed; an editor session expires after
  ``session_minutes`` (default 480) and ends when the configured hash changes.

Without either, nobody is an editor and no sign-in control is shown: the public dashboard is read-only.

The hashing and throttling helpers at the top are plain Python (tested without Streamlit).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets as _secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("chiso.auth")

PBKDF2_ITERATIONS = 600_000
SCRYPT_PARAMS = (2**15, 8, 1)           # n, r, p
MAX_PASSWORD_CHARS = 256
MAX_NAME_CHARS = 80
DEFAULT_SESSION_MINUTES = 480


# ================================================================================== password hashes
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def hash_password(password: str, scheme: str = "pbkdf2_sha256", *, iterations: int = PBKDF2_ITERATIONS,
                  salt: bytes | None = None) -> str:
    """A salted hash to paste into secrets (``password_hash = "..."``).

    ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` or ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``."""
    salt = salt or _secrets.token_bytes(16)
    pw = password.encode("utf-8")
    if scheme == "pbkdf2_sha256":
        dk = hashlib.pbkdf2_hmac("sha256", pw, salt, iterations)
        return f"pbkdf2_sha256${iterations}${_b64(salt)}${_b64(dk)}"
    if scheme == "scrypt":
        n, r, p = SCRYPT_PARAMS
        dk = hashlib.scrypt(pw, salt=salt, n=n, r=r, p=p, maxmem=128 * n * r * 2, dklen=32)
        return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(dk)}"
    if scheme == "sha256":
        return hashlib.sha256(pw).hexdigest()
    raise ValueError(f"unknown scheme {scheme!r} (pbkdf2_sha256, scrypt or sha256)")


_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


def parse_stored(stored: str) -> tuple[str, tuple, bytes, bytes] | None:
    """(scheme, parameters, salt, digest) of a stored hash; None when it is not a supported format."""
    s = str(stored or "").strip()
    try:
        if _HEX64.match(s):
            return "sha256", (), b"", bytes.fromhex(s)
        parts = s.split("$")
        if parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            it = int(parts[1])
            if not 1_000 <= it <= 10_000_000:
                return None
            salt, dk = _unb64(parts[2]), _unb64(parts[3])
            return ("pbkdf2_sha256", (it,), salt, dk) if salt and len(dk) >= 16 else None
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
            if n < 2 or n & (n - 1) or n > 2**20 or not 1 <= r <= 32 or not 1 <= p <= 16:
                return None
            salt, dk = _unb64(parts[4]), _unb64(parts[5])
            return ("scrypt", (n, r, p), salt, dk) if salt and len(dk) >= 16 else None
    except (ValueError, TypeError):
        return None
    return None


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches ``stored`` (constant-time comparison of the derived bytes)."""
    parsed = parse_stored(stored)
    if parsed is None or not isinstance(password, str) or len(password) > MAX_PASSWORD_CHARS:
        return False
    scheme, params, salt, expected = parsed
    pw = password.encode("utf-8")
    if scheme == "sha256":
        got = hashlib.sha256(pw).digest()
    elif scheme == "pbkdf2_sha256":
        got = hashlib.pbkdf2_hmac("sha256", pw, salt, params[0], dklen=len(expected))
    else:
        n, r, p = params
        got = hashlib.scrypt(pw, salt=salt, n=n, r=r, p=p, maxmem=128 * n * r * 2 + 1024 * 1024,
                             dklen=len(expected))
    return hmac.compare_digest(got, expected)


def fingerprint(stored: str) -> str:
    """A short tag of the configured hash: a session signed in under another hash is no longer valid."""
    return hashlib.sha256(("chiso-editor:" + str(stored).strip()).encode("utf-8")).hexdigest()[:16]


# ================================================================================== rate limiting
@dataclass
class Rule:
    free: int            # failures allowed before any wait
    base: float          # seconds of the first wait; doubles with every further failure
    cap: float           # longest wait
    window: float        # a key is forgotten this long after its last failure


@dataclass
class Throttle:
    """Failed sign-in attempts by key ('session:…', 'ip:…', 'global') with exponential back-off.

    Thread-safe (all sessions of the server share one instance); ``clock`` is injectable for tests."""

    rules: dict[str, Rule] = field(default_factory=lambda: {
        "session": Rule(free=5, base=5.0, cap=900.0, window=3600.0),
        "ip": Rule(free=10, base=5.0, cap=900.0, window=3600.0),
        "global": Rule(free=30, base=2.0, cap=300.0, window=900.0),
    })
    clock: Callable[[], float] = time.monotonic
    max_keys: int = 10_000
    _fails: dict[str, tuple[int, float]] = field(default_factory=dict)   # key -> (failures, last failure)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _rule(self, key: str) -> Rule:
        return self.rules[key.split(":", 1)[0]]

    def _prune(self, now: float) -> None:
        for k, (_, last) in list(self._fails.items()):
            if now - last > self._rule(k).window:
                del self._fails[k]

    def wait(self, keys: list[str]) -> float:
        """Seconds until another attempt is allowed for all of ``keys`` (0 = now)."""
        now = self.clock()
        with self._lock:
            self._prune(now)
            out = 0.0
            for k in keys:
                n, last = self._fails.get(k, (0, now))
                rule = self._rule(k)
                if n >= rule.free:
                    delay = min(rule.cap, rule.base * 2 ** (n - rule.free))
                    out = max(out, last + delay - now)
            return max(0.0, out)

    def failure(self, keys: list[str]) -> None:
        now = self.clock()
        with self._lock:
            if len(self._fails) >= self.max_keys:
                self._prune(now)
                if len(self._fails) >= self.max_keys:       # a flood of sessions: drop the oldest
                    for k in sorted(self._fails, key=lambda k: self._fails[k][1])[: self.max_keys // 10]:
                        if k != "global":
                            del self._fails[k]
            for k in keys:
                n, _ = self._fails.get(k, (0, now))
                self._fails[k] = (n + 1, now)

    def success(self, keys: list[str]) -> None:
        with self._lock:
            for k in keys:
                if k != "global":
                    self._fails.pop(k, None)

    def failures(self, key: str) -> int:
        with self._lock:
            return self._fails.get(key, (0, 0.0))[0]

    def reset(self) -> None:
        with self._lock:
            self._fails.clear()


THROTTLE = Throttle()


@dataclass
class Attempt:
    ok: bool
    reason: str = ""        # '' | 'locked' | 'wrong' | 'no_name' | 'not_configured'
    wait: float = 0.0


def check_password_attempt(password: str, stored: str | None, keys: list[str], *, name: str = "",
                           throttle: Throttle | None = None) -> Attempt:
    """One sign-in attempt: refused without checking while throttled; a failure is counted on every key."""
    th = throttle or THROTTLE
    if not stored or parse_stored(stored) is None:
        return Attempt(False, "not_configured")
    wait = th.wait(keys)
    if wait > 0:
        return Attempt(False, "locked", wait)
    if not name.strip():
        return Attempt(False, "no_name")
    if verify_password(password, stored):
        th.success(keys)
        return Attempt(True)
    th.failure(keys)
    log.warning("editor sign-in refused (wrong password); failures this session: %d",
                th.failures(next((k for k in keys if k.startswith("session:")), "global")))
    return Attempt(False, "wrong", th.wait(keys))


# ================================================================================== configuration
def _section(name: str) -> dict[str, Any]:
    """A secrets section as a plain dict ({} when there is no secrets file or no such section)."""
    import streamlit as st

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


def _stored_password(editors: dict[str, Any]) -> str | None:
    for k in ("password_hash", "password_sha256"):
        v = editors.get(k)
        if v and parse_stored(str(v)) is not None:
            return str(v).strip()
    if editors.get("password_hash") or editors.get("password_sha256"):
        log.error("[editors] password hash in secrets is not in a supported format; password sign-in is off")
    return None


def mode() -> str | None:
    """'oidc' when [auth] is configured, 'password' when an editor password hash is, else None."""
    if _oidc_configured(_section("auth")):
        return "oidc"
    if _stored_password(_section("editors")):
        return "password"
    return None


# ================================================================================== the session
SESSION_KEY = "_chiso_editor"


def _user() -> dict[str, Any]:
    import streamlit as st

    try:
        return dict(st.user.to_dict())
    except Exception:  # noqa: BLE001 - no script context / no user info
        return {}


def oidc_identity() -> str | None:
    """The signed-in account (email, else name/subject) when it is an editor under OIDC, else None."""
    editors = _section("editors")
    u = _user()
    if u.get("is_logged_in") is not True:
        return None
    if u.get("email_verified") is False:
        return None
    email = str(u.get("email") or "").strip().lower()
    emails = {str(e).strip().lower() for e in (editors.get("emails") or [])}
    domains = {str(d).strip().lower().lstrip("@") for d in (editors.get("domains") or [])}
    allowed = bool(editors.get("allow_all_signed_in") is True)
    if email and (email in emails or email.rsplit("@", 1)[-1] in domains):
        allowed = True
    if not allowed:
        return None
    return email or str(u.get("name") or u.get("sub") or "signed-in user")


def _password_session() -> dict[str, Any] | None:
    import streamlit as st

    s = st.session_state.get(SESSION_KEY)
    if not isinstance(s, dict):
        return None
    editors = _section("editors")
    stored = _stored_password(editors)
    if not stored or s.get("fp") != fingerprint(stored):
        return None
    try:
        minutes = float(editors.get("session_minutes", DEFAULT_SESSION_MINUTES))
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
    """Who the audit log records for this session's imports and reverts (None for a viewer)."""
    m = mode()
    if m == "oidc":
        who = oidc_identity()
        return f"oidc:{who}" if who else None
    if m == "password":
        s = _password_session()
        return f"password:{s['name']}" if s else None
    return None


def _throttle_keys() -> list[str]:
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    keys = [f"session:{ctx.session_id if ctx else 'none'}"]
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001
        ip = None
    if ip:
        keys.append(f"ip:{ip}")
    keys.append("global")
    return keys


def password_sign_in(name: str, password: str) -> Attempt:
    """Check a password typed in the sign-in form; on success the session becomes an editor session."""
    import streamlit as st

    stored = _stored_password(_section("editors"))
    name = " ".join(str(name or "").split())[:MAX_NAME_CHARS]
    result = check_password_attempt(str(password or ""), stored, _throttle_keys(), name=name)
    if result.ok and stored:
        st.session_state[SESSION_KEY] = {"name": name, "since": time.time(), "fp": fingerprint(stored)}
    return result


def sign_out() -> None:
    import streamlit as st

    st.session_state.pop(SESSION_KEY, None)
    if mode() == "oidc" and _user().get("is_logged_in") is True:
        st.logout()


# ================================================================================== UI
def sidebar_control(lang: str) -> None:
    """The sign-in / sign-out control at the bottom of the sidebar (nothing when no editors are configured)."""
    import streamlit as st

    from analytics.i18n import t

    m = mode()
    if m is None:
        return
    sb = st.sidebar
    if is_editor():
        who = oidc_identity() if m == "oidc" else (_password_session() or {}).get("name", "")
        sb.caption(t("auth.signed_in_as", lang, name=_md(who)))
        if sb.button(t("auth.sign_out", lang), key="auth_sign_out", icon=":material/logout:"):
            sign_out()
            _to_home()
        return
    if m == "oidc":
        u = _user()
        if u.get("is_logged_in") is True:
            sb.caption(t("auth.not_an_editor", lang, name=_md(u.get("email") or u.get("name") or "")))
            if sb.button(t("auth.sign_out", lang), key="auth_sign_out", icon=":material/logout:"):
                st.logout()
            return
        if sb.button(t("auth.sign_in_oidc", lang), key="auth_sign_in", icon=":material/login:"):
            st.login(_provider(_section("auth"), _section("editors")))
        return
    with sb.expander(t("auth.editor_sign_in", lang), icon=":material/lock:",
                     expanded=bool(st.session_state.get("_auth_msg"))):
        with st.form("auth_form", clear_on_submit=True, border=False):
            name = st.text_input(t("auth.your_name", lang), key="auth_name", max_chars=MAX_NAME_CHARS,
                                 help=t("auth.your_name_help", lang))
            password = st.text_input(t("auth.password", lang), type="password", key="auth_password",
                                     max_chars=MAX_PASSWORD_CHARS)
            submitted = st.form_submit_button(t("auth.sign_in", lang), key="auth_submit")
        if submitted:
            result = password_sign_in(name, password)
            if result.ok:
                st.session_state.pop("_auth_msg", None)
                st.rerun()
            st.session_state["_auth_msg"] = result.reason
        reason = st.session_state.get("_auth_msg")
        if reason:
            wait = THROTTLE.wait(_throttle_keys())
            if wait > 0:
                st.error(t("auth.locked", lang, seconds=max(1, int(wait + 0.999))), icon=":material/timer:")
            elif reason == "no_name":
                st.warning(t("auth.name_required", lang))
            elif reason == "wrong":
                st.error(t("auth.wrong_password", lang), icon=":material/key_off:")


def _to_home() -> None:
    """After signing out: the Overview (the editors' page, if open, is gone from the navigation)."""
    import streamlit as st
    from streamlit.errors import StreamlitAPIException

    from ui.nav import PAGE_PATH

    try:
        st.switch_page(PAGE_PATH["overview"])
    except (StreamlitAPIException, KeyError):
        st.rerun()


def _md(text: Any) -> str:
    from ui.components import md

    return md(text)


# ================================================================================== CLI
def _cli(argv: list[str] | None = None) -> int:
    """``python -m ui.auth hash-password [--scheme pbkdf2_sha256|scrypt|sha256]``: prompt twice, print
    the secrets line. The password is read with getpass (never echoed, never an argument)."""
    import argparse
    import getpass
    import sys

    p = argparse.ArgumentParser(prog="python -m ui.auth")
    sub = p.add_subparsers(dest="cmd", required=True)
    hp = sub.add_parser("hash-password", help="print a password hash for .streamlit/secrets.toml [editors]")
    hp.add_argument("--scheme", choices=["pbkdf2_sha256", "scrypt", "sha256"], default="pbkdf2_sha256")
    args = p.parse_args(argv)
    pw = os.environ.get("CHISO_EDITOR_PASSWORD") or getpass.getpass("Editor password: ")
    if not os.environ.get("CHISO_EDITOR_PASSWORD") and getpass.getpass("Again: ") != pw:
        print("the two passwords differ", file=sys.stderr)
        return 1
    if len(pw) < 12:
        print("warning: a password of fewer than 12 characters is easy to guess", file=sys.stderr)
    h = hash_password(pw, args.scheme)
    key = "password_sha256" if args.scheme == "sha256" else "password_hash"
    print("[editors]")
    print(f'{key} = "{h}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(_cli())
