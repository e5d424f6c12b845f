"""A small OpenID Connect provider for the sign-in tests (not a test module): discovery, an authorisation
page where the browser picks one of the test accounts, the code-for-token exchange (client secret, PKCE
when the client sends a challenge, one use per code) and RS256-signed ID tokens (joserfc, Authlib's own
JOSE library) carrying the account's ``email_verified`` claim. Serves on 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass(frozen=True)
class IdpAccount:
    sub: str
    email: str
    email_verified: bool
    name: str


class Provider:
    def __init__(self, accounts: list[IdpAccount], client_id: str, client_secret: str):
        self.accounts = {a.sub: a for a in accounts}
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ------------------------------------------------------------------ protocol
    def metadata(self) -> dict:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "scopes_supported": ["openid", "email", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "code_challenge_methods_supported": ["S256"], "claims_supported": ["sub", "email", "email_verified",
                                                                                   "name"]}

    def authorize_page(self, q: dict[str, str]) -> str:
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in q.items())
        buttons = "".join(f'<button name="account" value="{html.escape(a.sub)}">{html.escape(a.email)}</button><br>'
                          for a in self.accounts.values())
        return f"<!doctype html><title>Test provider</title><form method='get' action='/approve'>{hidden}{buttons}</form>"

    def approve(self, q: dict[str, str]) -> str:
        if q.get("client_id") != self.client_id or q.get("account") not in self.accounts:
            raise ValueError("unknown client or account")
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {"account": q["account"], "nonce": q.get("nonce"), "redirect_uri": q["redirect_uri"],
                                "challenge": q.get("code_challenge"), "expires": time.time() + 60}
        sep = "&" if "?" in q["redirect_uri"] else "?"
        return q["redirect_uri"] + sep + urlencode({"code": code, "state": q.get("state", "")})

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        cid, secret = basic or (form.get("client_id"), form.get("client_secret"))
        if (cid, secret) != (self.client_id, self.client_secret):
            raise PermissionError("invalid_client")
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)        # one use only
        if not grant or grant["expires"] < time.time() or grant["redirect_uri"] != form.get("redirect_uri"):
            raise PermissionError("invalid_grant")
        if grant["challenge"]:
            verifier = form.get("code_verifier", "").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            if digest != grant["challenge"]:
                raise PermissionError("invalid_grant")
        a = self.accounts[grant["account"]]
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": a.sub, "aud": self.client_id, "iat": now, "exp": now + 300,
                  "email": a.email, "email_verified": a.email_verified, "name": a.name}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        return {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300,
                "scope": "openid email profile", "id_token": id_token}

    # ------------------------------------------------------------------ HTTP
    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):        # quiet test output
                pass

            def _send(self, status: int, body: str, ctype: str = "application/json", headers: dict | None = None):
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                try:
                    if url.path == "/.well-known/openid-configuration":
                        self._send(200, json.dumps(provider.metadata()))
                    elif url.path == "/jwks":
                        self._send(200, json.dumps({"keys": [provider.key.as_dict(private=False)]}))
                    elif url.path == "/authorize":
                        self._send(200, provider.authorize_page(q), "text/html; charset=utf-8")
                    elif url.path == "/approve":
                        self._send(302, "", "text/plain", {"Location": provider.approve(q)})
                    else:
                        self._send(404, "{}")
                except (KeyError, ValueError) as e:
                    self._send(400, json.dumps({"error": "invalid_request", "error_description": str(e)}))

            def do_POST(self):
                if urlsplit(self.path).path != "/token":
                    return self._send(404, "{}")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                basic = None
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    user, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
                    basic = (unquote_plus(user), unquote_plus(pw))
                try:
                    self._send(200, json.dumps(provider.token(form, basic)))
                except PermissionError as e:
                    self._send(400 if str(e) == "invalid_grant" else 401, json.dumps({"error": str(e)}))

        return Handler
