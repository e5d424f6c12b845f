"""Editors' sign-in (ui.auth) through the whole app with AppTest: a viewer never gets the import page (menu,
switch_page, URL path, the page file run on its own); per-editor accounts sign in, are throttled, record
their account as the import's actor; the old shared password is refused with the fix; OIDC needs a
verified e-mail (or the configured tenant claim) on the list; the import audit on Data & sources as a
viewer shows dates, hashes and counts only.
"""

from __future__ import annotations

import hashlib
import os
import re

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from analytics import editors
from analytics import imports as importer
from tests.import_support import csv_bytes, long_rows
from ui import auth

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "app.py")
IMPORT_PAGE = "app_pages/import_data.py"
DATA_PAGE = "pages/data_sources.py"
PASSWORD = "đúng-mật-khẩu-2025"
OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "cid",
        "client_secret": "secret", "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration"}


pytestmark = pytest.mark.usefixtures("app_env")  # tests/conftest.py: apptest_env


@pytest.fixture(autouse=True)
def fresh_throttle():
    auth.THROTTLE.reset()
    yield
    auth.THROTTLE.reset()


@pytest.fixture(autouse=True)
def accounts_file(tmp_path, monkeypatch):
    """An accounts file with the editor 'lan' (argon2id with small costs: fast, same code path)."""
    monkeypatch.setattr(editors, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setenv("CHISO_EDITORS_FILE", str(tmp_path / "no-accounts.json"))   # the default: none
    path = tmp_path / "editors.json"
    editors.add("lan", PASSWORD, path)
    return path


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


def sign_in(at: AppTest, password: str, name: str = "lan") -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password)
    at.form_submit_button(key="auth_submit").click()
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def password_secrets(accounts_file):
    return {"editors": {"accounts_file": str(accounts_file)}}


# ------------------------------------------------------------------------------------ viewers
def test_viewer_without_any_editor_configuration():
    at = app()
    assert not has_import_page(at)
    assert not import_widgets(at)
    assert not [w for w in at.text_input if str(w.key or "").startswith("auth_")]   # no sign-in form either
    assert not [b for b in at.button if str(b.key or "").startswith("auth_")]
    with pytest.raises(ValueError):
        at.switch_page(IMPORT_PAGE)


def test_viewer_cannot_reach_the_page_by_url_path(password_secrets):
    at = app(password_secrets)
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


def test_the_page_file_run_on_its_own_shows_only_the_sign_in_notice(accounts_file):
    at = AppTest.from_file(os.path.join(ROOT, IMPORT_PAGE), default_timeout=60)
    at.secrets["editors"] = {"accounts_file": str(accounts_file)}
    at.run()
    assert not at.exception
    assert not import_widgets(at) and not at.dataframe
    assert "biên tập viên" in at.warning[0].value


# ------------------------------------------------------------------------------------ password accounts
def test_wrong_password_is_refused_and_this_session_backs_off(monkeypatch, password_secrets):
    # the real rule allows 5 failures per session (tests/test_signin_throttle.py); 2 keeps this test short
    monkeypatch.setitem(auth.THROTTLE.rules, "session", auth.Throttle().rules["session"].__class__(
        free=2, base=30.0, cap=900.0, window=3600.0, hard=True))
    at = app(password_secrets)
    sign_in(at, "sai-mật-khẩu")
    assert not has_import_page(at)
    assert any("Sai mật khẩu" in e.value for e in at.error)
    assert "sai-mật-khẩu" not in all_text(at)
    sign_in(at, "sai-mật-khẩu")
    assert any(re.search(r"Quá nhiều lần thử.*\d+ giây", e.value) for e in at.error)
    sign_in(at, PASSWORD)                     # even the right password is refused while this session waits
    assert not has_import_page(at)
    assert auth.THROTTLE.failures("global") == 2
    # another session at the same address is not locked out (AppTest gives every run one session id)
    monkeypatch.setattr(auth, "_session_id", lambda: "another browser session")
    other = app(password_secrets)
    sign_in(other, PASSWORD)
    assert has_import_page(other)


def test_account_signs_in_and_sign_out_hides_the_page(password_secrets):
    at = app(password_secrets)
    sign_in(at, PASSWORD, name="")
    assert not has_import_page(at)
    assert any("tài khoản" in w.value for w in at.warning)
    sign_in(at, PASSWORD, name="nobody")      # an unknown account: the same refusal as a wrong password
    assert not has_import_page(at) and any("Sai mật khẩu" in e.value for e in at.error)
    sign_in(at, PASSWORD, name="LAN")         # account names are case-insensitive
    assert has_import_page(at)
    assert any("lan" in c.value for c in at.caption)
    assert auth.THROTTLE.failures(f"session:{auth._session_id()}") == 0   # success forgives this session's failures
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception
    assert at.file_uploader(key="imp_file_0") is not None
    assert at.title[0].value == "Nhập dữ liệu"
    at.button(key="auth_sign_out").click().run()
    assert not at.exception
    assert not has_import_page(at)
    assert not import_widgets(at)


def test_session_ends_when_the_account_is_removed_or_its_password_changes(password_secrets, accounts_file):
    at = app(password_secrets)
    sign_in(at, PASSWORD)
    assert has_import_page(at)
    editors.add("lan", "another password!", accounts_file, replace=True)
    at.run()
    assert not has_import_page(at)
    sign_in(at, "another password!")
    assert has_import_page(at)
    editors.remove("lan", accounts_file)
    editors.add("minh", PASSWORD, accounts_file)
    at.run()
    assert not has_import_page(at)


def test_the_old_shared_password_is_refused_with_the_fix(tmp_path):
    sha = hashlib.sha256(PASSWORD.encode()).hexdigest()
    at = app({"editors": {"password_sha256": sha, "accounts_file": str(tmp_path / "none.json")}})
    assert not [w for w in at.text_input if str(w.key or "").startswith("auth_")]     # nothing to sign in with
    shown = [w.value.replace("\\", "") for w in at.sidebar.warning]           # markdown-escaped
    assert any("chiso editors add" in w and "password_sha256" in w for w in shown), shown
    assert not has_import_page(at)


def test_an_old_scheme_account_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "old.json"
    path.write_text('{"accounts": {"lan": {"hash": "' + hashlib.sha256(PASSWORD.encode()).hexdigest() + '"}}}')
    at = app({"editors": {"accounts_file": str(path)}})
    sign_in(at, PASSWORD)
    assert not has_import_page(at)
    shown = [e.value.replace("\\", "") for e in at.error]                      # markdown-escaped
    assert any("chiso editors remove lan && chiso editors add lan" in e for e in shown), shown
    assert str(tmp_path) not in all_text(at)                 # no server path shown to whoever tries


def test_the_import_records_the_signed_in_account_and_the_audit_shows_viewers_no_people(
        db_without_2017, tmp_path, monkeypatch, password_secrets):
    monkeypatch.setenv("CHISO_DB", str(db_without_2017))
    monkeypatch.delenv("CHISO_IMPORTS_DIR", raising=False)
    at = app(password_secrets)
    sign_in(at, PASSWORD)
    at.switch_page(IMPORT_PAGE).run()
    at.file_uploader[0].set_value(("bd.csv", csv_bytes(long_rows()), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert not [w for w in at.text_input if "name" in str(w.label).lower() or w.key == "auth_name"]
    at.button(key="imp_commit").click().run()
    assert not at.exception, at.exception
    recs = importer.list_imports(db_without_2017)
    assert len(recs) == 1 and recs[0].actor == "password:lan"
    sha = recs[0].sha256

    viewer = app()                                      # no editors configured: an anonymous viewer
    viewer.switch_page(DATA_PAGE).run()
    assert not viewer.exception
    audit = next(d.value for d in viewer.dataframe if "SHA-256" in d.value.columns)
    assert list(audit.columns) == ["Thời điểm", "SHA-256", "Dòng thêm", "Dòng thay thế", "Dòng không đổi"]
    assert audit["SHA-256"].tolist() == [sha] and audit["Dòng thêm"].tolist() == [9]
    shown = "\n".join(d.value.to_csv() for d in viewer.dataframe) + all_text(viewer)
    for secret in ("password:lan", "bd.csv", str(tmp_path), "archived", "cli:"):
        assert secret not in shown, secret

    at.switch_page(DATA_PAGE).run()                     # the signed-in editor sees who and which file
    assert not at.exception
    audit = next(d.value for d in at.dataframe if "SHA-256" in d.value.columns)
    assert audit["Người nhập"].tolist() == ["password:lan"] and audit["Tệp"].tolist() == ["bd.csv"]
    assert not any(str(tmp_path) in str(v) for v in audit.to_numpy().ravel())


# ------------------------------------------------------------------------------------ OIDC
def oidc_secrets(accounts_file, **editors) -> dict:
    return {"auth": dict(OIDC), "editors": {"accounts_file": str(accounts_file), **editors}}


def test_oidc_editor_on_the_list_sees_the_page(accounts_file):
    at = app(oidc_secrets(accounts_file, emails=["Lan@Example.org"]),
             user={"is_logged_in": True, "email": "lan@example.org", "email_verified": True, "name": "Lan"})
    assert has_import_page(at)
    assert not [w for w in at.text_input if str(w.key or "").startswith("auth_")]   # OIDC wins over accounts
    at.switch_page(IMPORT_PAGE).run()
    assert not at.exception
    assert at.file_uploader(key="imp_file_0") is not None


def test_oidc_unverified_email_on_the_list_is_refused(accounts_file):
    at = app(oidc_secrets(accounts_file, emails=["lan@example.org"]),
             user={"is_logged_in": True, "email": "lan@example.org", "name": "Lan"})   # no email_verified
    assert not has_import_page(at)
    assert any("chưa xác minh" in c.value for c in at.caption)
    assert at.button(key="auth_sign_out") is not None


def test_oidc_rules():
    assert auth.mode(dict(OIDC), {}) == "oidc"

    def editor(u: dict, **editors) -> bool:
        return auth.oidc_identity(u, editors) is not None

    ok = {"is_logged_in": True, "email": "a@sonoivu.gov.vn", "email_verified": True}
    assert editor(ok, domains=["sonoivu.gov.vn"])
    assert editor(ok, domains=["@SoNoiVu.gov.vn"])
    assert editor(ok, emails=["A@sonoivu.gov.vn"])
    assert not editor({**ok, "email_verified": False}, domains=["sonoivu.gov.vn"])
    assert not editor({**ok, "email_verified": "true"}, domains=["sonoivu.gov.vn"])   # a string is not true
    unvouched = {"is_logged_in": True, "email": "a@sonoivu.gov.vn"}                   # the provider says nothing
    assert not editor(unvouched, domains=["sonoivu.gov.vn"])
    assert not editor(unvouched, allow_all_signed_in=True)
    tenant = {"tid": "9188040d-6c67-4c5b-b112-36a304b66dad"}
    assert editor({**unvouched, **tenant}, domains=["sonoivu.gov.vn"], trusted_claims=tenant)
    assert not editor({**unvouched, "tid": "another-tenant"}, domains=["sonoivu.gov.vn"], trusted_claims=tenant)
    assert not editor(unvouched, domains=["sonoivu.gov.vn"], trusted_claims=tenant)          # claim missing
    assert editor({**unvouched, "hd": "sonoivu.gov.vn"}, domains=["sonoivu.gov.vn"],
                  trusted_claims={"hd": ["sonoivu.gov.vn", "other.gov.vn"]})
    assert not editor({**ok, "email": "a@gmail.com"}, domains=["sonoivu.gov.vn"])
    assert not editor({**ok, "email": "a@evil-sonoivu.gov.vn"}, domains=["sonoivu.gov.vn"])
    assert not editor({**ok, "is_logged_in": False}, domains=["sonoivu.gov.vn"])
    assert not editor({"email": "a@sonoivu.gov.vn", "email_verified": True}, domains=["sonoivu.gov.vn"])
    assert not editor(ok)                                     # signed in is not enough without a list …
    assert editor(ok, allow_all_signed_in=True)               # … unless every account of the provider is an editor
    assert not editor(ok, allow_all_signed_in="yes")
    assert auth.oidc_identity({**ok, "email": "A@SoNoiVu.gov.vn"}, {"emails": ["a@sonoivu.gov.vn"]}) == "a@sonoivu.gov.vn"
    # named providers: [auth.microsoft] → st.login("microsoft")
    assert auth._provider({"redirect_uri": "x", "microsoft": {"client_id": "c"}}, {}) == "microsoft"
    assert auth._provider(dict(OIDC), {}) is None
    assert auth._oidc_configured({"redirect_uri": "x", "cookie_secret": "y"}) is False


def test_password_configuration_rules(accounts_file, tmp_path):
    assert auth.mode({}, {"accounts_file": str(tmp_path / "absent.json")}) is None    # nothing configured
    legacy = {"password_sha256": hashlib.sha256(PASSWORD.encode()).hexdigest(),
              "accounts_file": str(tmp_path / "absent.json")}
    assert auth.mode({}, legacy) is None                      # the old shared password turns nothing on …
    assert "chiso editors add" in auth.legacy_problem(legacy)  # … and says what to do
    editors = {"accounts_file": str(accounts_file)}
    assert auth.mode({}, editors) == "password" and auth.legacy_problem(editors) is None
    bad = tmp_path / "bad.json"
    bad.write_text("{broken")
    assert auth.mode({}, {"accounts_file": str(bad)}) is None  # an unreadable file turns sign-in off, not open
    assert auth.mode({"redirect_uri": "x"}, editors) == "password"   # an incomplete [auth] is not OIDC


def test_oidc_signed_in_but_not_an_editor_and_signed_out(accounts_file):
    at = app(oidc_secrets(accounts_file, emails=["lan@example.org"]),
             user={"is_logged_in": True, "email": "mallory@example.org", "email_verified": True})
    assert not has_import_page(at)
    assert any("không có quyền biên tập" in c.value for c in at.caption)
    with pytest.raises(ValueError):
        at.switch_page(IMPORT_PAGE)
    out = app(oidc_secrets(accounts_file, emails=["lan@example.org"]), user={"is_logged_in": False})
    assert not has_import_page(out)
    assert out.button(key="auth_sign_in") is not None
