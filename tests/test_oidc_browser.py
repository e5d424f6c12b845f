"""The real OIDC sign-in: `streamlit run app.py` configured (through a secrets file of its own) against a
local OpenID Connect provider (tests/oidc_provider.py), `st.login` driven in Debian's Chromium. An account on
the editors' list with a verified e-mail gets the import page; an account not on the list, and an account
on the list whose provider says ``email_verified = false``, are signed in at the provider but get no page.
Run: ``.venv/bin/python -m pytest -m browser tests/test_oidc_browser.py``.
"""

from __future__ import annotations

import os

import pytest

from deploy.replicas import free_port
from tests.support.app_server import app_server
from tests.support.browser import chromium, why_no_browser

pytestmark = pytest.mark.browser

CLIENT_ID, CLIENT_SECRET = "chiso-test", "s3cret-for-tests-only"
EDITOR = "lan@sonoivu.example.vn"
OUTSIDER = "mallory@mail.example.com"
UNVERIFIED = "minh@sonoivu.example.vn"


@pytest.fixture(scope="module")
def provider():
    pytest.importorskip("joserfc")  # the provider signs with joserfc (Authlib's JOSE library): skip without
    from tests.oidc_provider import IdpAccount, Provider

    accounts = [IdpAccount("u-lan", EDITOR, True, "Nguyễn Thị Lan"),
                IdpAccount("u-mallory", OUTSIDER, True, "Mallory"),
                IdpAccount("u-minh", UNVERIFIED, False, "Trần Minh")]
    with Provider(accounts, CLIENT_ID, CLIENT_SECRET) as p:
        yield p


@pytest.fixture(scope="module")
def server(built_db, provider, tmp_path_factory):
    if why := why_no_browser():
        pytest.skip(why)
    port = free_port()  # the redirect URI in the secrets names it before the server starts
    url = f"http://127.0.0.1:{port}"
    secrets_file = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets_file.write_text(f"""
[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "{os.urandom(24).hex()}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{provider.metadata_url}"

[editors]
emails = ["{EDITOR}"]
domains = ["sonoivu.example.vn"]
accounts_file = "{secrets_file.parent / 'no-accounts.json'}"
""", encoding="utf-8")
    with app_server(built_db, args=["--secrets.files", str(secrets_file)], debug=False, port=port,
                    log=secrets_file.parent / "server.log"):
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def sign_in_as(browser, server: str, email: str):
    """A fresh browser (no cookies): open the app, press the sidebar's sign-in button, pick the account at
    the provider, come back signed in. Returns the page."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    page = ctx.new_page()
    page.goto(server + "/", wait_until="domcontentloaded")
    button = page.get_by_role("button", name="Đăng nhập biên tập viên")
    button.wait_for(timeout=60_000)
    button.click()
    page.wait_for_url(lambda u: not u.startswith(server), timeout=30_000)      # at the provider
    page.get_by_role("button", name=email).click()                    # the provider's account chooser
    page.wait_for_url(lambda u: u.startswith(server), timeout=30_000)
    page.get_by_text("Tổng quan").first.wait_for(timeout=60_000)
    return page


def test_an_editor_on_the_list_gets_the_import_page(browser, server):
    page = sign_in_as(browser, server, EDITOR)
    page.get_by_text(f"Biên tập viên: {EDITOR}").wait_for(timeout=60_000)
    page.goto(server + "/nhap-du-lieu", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Nhập dữ liệu", exact=True).wait_for(timeout=60_000)
    page.locator("[data-testid='stFileUploader']").wait_for(timeout=60_000)
    page.context.close()


@pytest.mark.parametrize("email, says", [(OUTSIDER, "không có quyền biên tập"), (UNVERIFIED, "chưa xác minh")])
def test_a_refused_account_is_signed_in_but_gets_no_page(browser, server, email, says):
    page = sign_in_as(browser, server, email)
    page.get_by_text(says, exact=False).wait_for(timeout=60_000)
    assert page.get_by_text(f"Biên tập viên: {email}").count() == 0
    page.goto(server + "/nhap-du-lieu", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Tổng quan", exact=True).wait_for(timeout=60_000)      # the URL falls back to Overview
    page.get_by_text(says, exact=False).wait_for(timeout=60_000)                # the run has finished
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    assert page.get_by_role("link", name="Nhập dữ liệu").count() == 0
    page.context.close()
