"""Editors' sign-in (ui.auth): password hashes, rate limiting, and — through the whole app with AppTest —
that a viewer never gets the import page (menu, switch_page, URL path, the page file run on its own), that a
wrong password is refused and rate-limited, and that the right password or an allowed OIDC account gets it.
"""

from __future__ import annotations

import hashlib
import os
import re

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ui import auth

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "app.py")
IMPORT_PAGE = "app_pages/import_data.py"
PASSWORD = "đúng-mật-khẩu-2025"
FAST_HASH = auth.hash_password(PASSWORD, "pbkdf2_sha256", iterations=1_000)
OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "cid",
        "client_secret": "secret", "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}


pytestmark = pytest.mark.usefixtures("app_env")  # tests/conftest.py: apptest_env


@pytest.fixture(autouse=True)
def fresh_throttle():
    auth.THROTTLE.reset()
    yield
    auth.THROTTLE.reset()


def app(secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, at.exception
    return at


def nav_paths(at: AppTest) -> set[str]:
    """Script paths of the pages st.navigation registered in the last run."""
    return {str(info.get("script_path", "")).replace(os.sep, "/") for info in at._registered_pages.values()}


def has_import_page(at: AppTest) -> bool:
    return any(p.endswith(IMPORT_PAGE) for p in nav_paths(at))


def import_widgets(at: AppTest) -> list:
    return list(at.file_uploader) + [b for b in at.button if str(b.key or "").startswith("imp_")]


def all_text(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "text", "title", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def sign_in(at: AppTest, password: str, name: str = "Nguyễn Thị Lan") -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.form_submit_button(key="auth_submit").click()
    at.run()
    assert not at.exception, at.exception
    return at


def password_secrets(stored: str = FAST_HASH) -> dict:
    return {"editors": {"password_hash": stored}}


# ------------------------------------------------------------------------------------ hashes
@pytest.mark.parametrize("scheme", ["pbkdf2_sha256", "scrypt", "sha256"])
def test_hash_and_verify(scheme):
    stored = auth.hash_password(PASSWORD, scheme, iterations=2_000)
    assert auth.verify_password(PASSWORD, stored)
    assert not auth.verify_password(PASSWORD + " ", stored)
    assert not auth.verify_password("", stored)
    assert PASSWORD not in stored
    if scheme != "sha256":      # salted: the same password hashes differently every time
        assert stored != auth.hash_password(PASSWORD, scheme, iterations=2_000)


def test_plain_sha256_from_secrets_and_malformed_hashes():
    hexdigest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    assert auth.verify_password(PASSWORD, hexdigest)
    assert auth.verify_password(PASSWORD, hexdigest.upper())
    for bad in ("", "plaintext-password", "pbkdf2_sha256$10$c2FsdA==$AAAA", "pbkdf2_sha256$x$y$z",
                "scrypt$3$8$1$c2FsdA==$" + "A" * 44, "md5$abc", hexdigest[:-1], None):
        assert auth.parse_stored(bad) is None, bad
        assert not auth.verify_password(PASSWORD, bad)
    assert not auth.verify_password("x" * (auth.MAX_PASSWORD_CHARS + 1), hexdigest)


# ------------------------------------------------------------------------------------ throttle
class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_throttle_backs_off_per_session_and_forgets_after_success():
    clock = Clock()
    th = auth.Throttle(clock=clock)
    keys = ["session:a", "global"]
    for _ in range(5):
        assert th.wait(keys) == 0
        th.failure(keys)
    assert th.wait(keys) == pytest.approx(5.0)        # 6th attempt: wait 5 s
    clock.now += 5
    assert th.wait(keys) == 0
    th.failure(keys)
    assert th.wait(keys) == pytest.approx(10.0)       # then 10 s, 20 s, … (capped)
    for _ in range(20):
        th.failure(keys)
    assert th.wait(keys) == pytest.approx(900.0)
    assert th.wait(["session:b", "global"]) == 0      # another session is not locked by this one …
    th.success(keys)
    assert th.wait(keys) == 0 and th.failures("global") == 26   # … and success does not clear the global count


def test_throttle_global_limit_across_sessions_and_ip():
    clock = Clock()
    th = auth.Throttle(clock=clock)
    for i in range(10):           # one address, new session every time
        th.failure([f"session:{i}", "ip:10.0.0.9", "global"])
    assert th.wait(["session:new", "ip:10.0.0.9", "global"]) > 0
    assert th.wait(["session:new", "ip:10.0.0.8", "global"]) == 0
    for i in range(20):           # many addresses
        th.failure([f"session:x{i}", f"ip:10.1.0.{i}", "global"])
    assert th.wait(["session:fresh", "ip:192.168.1.1", "global"]) > 0
    clock.now += 3600 + 1         # forgotten after the window
    assert th.wait(["session:fresh", "ip:10.0.0.9", "global"]) == 0


def test_attempt_is_refused_unchecked_while_locked():
    th = auth.Throttle(clock=Clock())
    keys = ["session:s", "global"]
    for _ in range(5):
        assert auth.check_password_attempt("wrong", FAST_HASH, keys, name="A", throttle=th).reason == "wrong"
    locked = auth.check_password_attempt(PASSWORD, FAST_HASH, keys, name="A", throttle=th)
    assert not locked.ok and locked.reason == "locked" and locked.wait > 0
    assert auth.check_password_attempt(PASSWORD, None, keys, name="A", throttle=th).reason == "not_configured"


# ------------------------------------------------------------------------------------ viewers
def test_viewer_without_any_editor_configuration():
    at = app()
    assert not has_import_page(at)
    assert not import_widgets(at)
    assert not [w for w in at.text_input if str(w.key or "").startswith("auth_")]   # no sign-in form either
    assert not [b for b in at.button if str(b.key or "").startswith("auth_")]
    with pytest.raises(ValueError):
        at.switch_page(IMPORT_PAGE)


def test_viewer_cannot_reach_the_page_by_url_path():
    at = app(password_secrets())
    assert at.text_input(key="auth_password") is not None     # a sign-in form, nothing else
    assert not has_import_page(at)
    with pytest.raises(ValueError):
        at.switch_page(IMPORT_PAGE)
    # What a browser sends for /nhap-du-lieu: the url path's page hash. st.navigation falls back to the
    # default page because the import page is not in its list for a viewer.
    at._page_hash = calc_hash("nhap-du-lieu")
    at.run()
    assert not at.exception
    assert not import_widgets(at)
    assert at.title[0].value in ("Tổng quan", "Overview")


def test_the_page_file_run_on_its_own_shows_only_the_sign_in_notice():
    at = AppTest.from_file(os.path.join(ROOT, IMPORT_PAGE), default_timeout=60)
    at.secrets["editors"] = {"password_hash": FAST_HASH}
    at.run()
    assert not at.exception
    assert not import_widgets(at) and not at.dataframe
    assert "biên tập viên" in at.warning[0].value


# ------------------------------------------------------------------------------------ password
def test_wrong_password_is_refused_and_attempts_are_rate_limited(monkeypatch):
    # the real rule allows 5 failures per session (unit-tested above); 2 keeps this test short
    monkeypatch.setitem(auth.THROTTLE.rules, "session", auth.Rule(free=2, base=30.0, cap=900.0, window=3600.0))
    at = app(password_secrets())
    sign_in(at, "sai-mật-khẩu")
    assert not has_import_page(at)
    assert any("Sai mật khẩu" in e.value for e in at.error)
    assert "sai-mật-khẩu" not in all_text(at)
    sign_in(at, "sai-mật-khẩu")
    assert any(re.search(r"Quá nhiều lần thử.*\d+ giây", e.value) for e in at.error)
    sign_in(at, PASSWORD)                     # even the right password is refused while locked
    assert not has_import_page(at)
    assert auth.THROTTLE.failures("global") == 2


def test_right_password_shows_the_page_and_sign_out_hides_it():
    at = app(password_secrets())
    sign_in(at, PASSWORD, name="")          # a name is required (it goes into the audit log)
    assert not has_import_page(at)
    assert any("họ tên" in w.value for w in at.warning)
    sign_in(at, PASSWORD)
    assert has_import_page(at)
    assert any("Nguyễn Thị Lan" in c.value for c in at.caption)
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception
    assert at.file_uploader(key="imp_file_0") is not None
    assert at.title[0].value == "Nhập dữ liệu"
    at.button(key="auth_sign_out").click().run()
    assert not at.exception
    assert not has_import_page(at)
    assert not import_widgets(at)


def test_password_session_ends_when_the_configured_hash_changes():
    at = app(password_secrets())
    sign_in(at, PASSWORD)
    assert has_import_page(at)
    at.secrets["editors"] = {"password_hash": auth.hash_password("another password!", iterations=1_000)}
    at.run()
    assert not has_import_page(at)


# ------------------------------------------------------------------------------------ OIDC
def oidc_secrets(**editors) -> dict:
    return {"auth": dict(OIDC), "editors": {"password_hash": FAST_HASH, **editors}}


def test_oidc_editor_on_the_list_sees_the_page():
    at = app(oidc_secrets(emails=["Lan@Example.org"]),
             user={"is_logged_in": True, "email": "lan@example.org", "name": "Lan"})
    assert has_import_page(at)
    assert not [w for w in at.text_input if str(w.key or "").startswith("auth_")]   # OIDC wins over password
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception
    assert at.file_uploader(key="imp_file_0") is not None


def test_oidc_rules(monkeypatch):
    sections = {"auth": dict(OIDC), "editors": {}}
    user: dict = {}
    monkeypatch.setattr(auth, "_section", lambda name: sections.get(name, {}))
    monkeypatch.setattr(auth, "_user", lambda: dict(user))
    assert auth.mode() == "oidc"

    def editor(u: dict, **editors) -> bool:
        user.clear()
        user.update(u)
        sections["editors"] = editors
        return auth.is_editor()

    ok = {"is_logged_in": True, "email": "a@sonoivu.gov.vn"}
    assert editor(ok, domains=["sonoivu.gov.vn"])
    assert editor(ok, domains=["@SoNoiVu.gov.vn"])
    assert editor(ok, emails=["A@sonoivu.gov.vn"])
    assert not editor({**ok, "email_verified": False}, domains=["sonoivu.gov.vn"])
    assert not editor({"is_logged_in": True, "email": "a@gmail.com"}, domains=["sonoivu.gov.vn"])
    assert not editor({"is_logged_in": True, "email": "a@evil-sonoivu.gov.vn"}, domains=["sonoivu.gov.vn"])
    assert not editor({"is_logged_in": False, "email": "a@sonoivu.gov.vn"}, domains=["sonoivu.gov.vn"])
    assert not editor({"email": "a@sonoivu.gov.vn"}, domains=["sonoivu.gov.vn"])     # no is_logged_in claim
    assert not editor(ok)                                     # signed in is not enough without a list …
    assert editor(ok, allow_all_signed_in=True)               # … unless every account of the provider is an editor
    assert not editor(ok, allow_all_signed_in="yes")
    assert editor(ok, emails=["a@sonoivu.gov.vn"]) and auth.actor() == "oidc:a@sonoivu.gov.vn"
    # named providers: [auth.microsoft] → st.login("microsoft")
    assert auth._provider({"redirect_uri": "x", "microsoft": {"client_id": "c"}}, {}) == "microsoft"
    assert auth._provider(dict(OIDC), {}) is None
    assert auth._oidc_configured({"redirect_uri": "x", "cookie_secret": "y"}) is False


def test_password_configuration_rules(monkeypatch):
    sections: dict = {}
    monkeypatch.setattr(auth, "_section", lambda name: sections.get(name, {}))
    assert auth.mode() is None and not auth.is_editor() and auth.actor() is None
    sections["editors"] = {"password_sha256": hashlib.sha256(PASSWORD.encode()).hexdigest()}
    assert auth.mode() == "password"
    sections["editors"] = {"password_hash": "not a hash"}
    assert auth.mode() is None                                # a malformed hash turns sign-in off, not open
    sections["auth"] = {"redirect_uri": "x"}                  # an incomplete [auth] is not OIDC
    sections["editors"] = {"password_hash": FAST_HASH}
    assert auth.mode() == "password"


def test_oidc_signed_in_but_not_an_editor_and_signed_out():
    at = app(oidc_secrets(emails=["lan@example.org"]), user={"is_logged_in": True, "email": "mallory@example.org"})
    assert not has_import_page(at)
    assert any("không có quyền biên tập" in c.value for c in at.caption)
    with pytest.raises(ValueError):
        at.switch_page(IMPORT_PAGE)
    out = app(oidc_secrets(emails=["lan@example.org"]), user={"is_logged_in": False})
    assert not has_import_page(out)
    assert out.button(key="auth_sign_in") is not None
