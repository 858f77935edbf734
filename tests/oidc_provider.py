"""An OpenID Connect provider for the single sign-on tests and for trying sign-in locally: a real HTTP process on the
loopback address (werkzeug, tokens signed with joserfc), with control endpoints a test uses to make it misbehave.

Run it by hand: `python -m tests.oidc_provider --port 9400` (the demo's "Test-inlogdienst" expects that port).

It implements discovery, JWKS, the authorization endpoint (it signs in its current user at once: there is no login
form), the token endpoint (authorization code with PKCE S256 required, every code usable once, client secret by
HTTP Basic or in the form) and RP-initiated logout. Control (POST JSON, GET for /control/stats):
  /control/user      the claims of whoever signs in next (sub, email, email_verified, name, groups)
  /control/rotate    a new signing key replaces the old one in the JWKS
  /control/next      {"mode": "bad_signature" | "expired" | "wrong_issuer"}: the next ID token only
  /control/reset     back to the first user, no pending mode, counters at zero (the key stays)
  /control/stats     how often discovery and JWKS were fetched, the logouts received
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "vb-test"
CLIENT_SECRET = "vb-test-secret"
DEFAULT_USER = {
    "sub": "test-user-1",
    "email": "sso.gemeente@example.nl",
    "email_verified": True,
    "name": "Sanne SSO",
    "groups": ["vb-gemeente"],
}
LOOPBACK = {"127.0.0.1", "localhost"}


def _new_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"})


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json", headers={"Cache-Control": "no-store"})


class Provider:
    """The provider's state and its WSGI application."""

    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = _new_key()
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.user: dict[str, Any] = dict(DEFAULT_USER)
        self.mode: str | None = None
        self.codes: dict[str, dict[str, Any]] = {}
        self.stats: dict[str, Any] = {"discovery": 0, "jwks": 0, "logouts": []}

    def __call__(self, environ, start_response):
        request = Request(environ)
        routes = {
            "/.well-known/openid-configuration": self.discovery,
            "/jwks": self.jwks,
            "/authorize": self.authorize,
            "/token": self.token,
            "/logout": self.logout,
            "/control/user": self.control_user,
            "/control/rotate": self.control_rotate,
            "/control/next": self.control_next,
            "/control/reset": self.control_reset,
            "/control/stats": lambda _request: _json(self.stats),
        }
        handler = routes.get(request.path)
        with self.lock:
            response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def discovery(self, _request: Request) -> Response:
        self.stats["discovery"] += 1
        return _json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "end_session_endpoint": f"{self.issuer}/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"],
            }
        )

    def jwks(self, _request: Request) -> Response:
        self.stats["jwks"] += 1
        return _json(KeySet([self.key]).as_dict(private=False))

    def authorize(self, request: Request) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri", "")
        if args.get("client_id") != self.client_id or urlsplit(redirect_uri).hostname not in LOOPBACK:
            return Response("unknown client or redirect_uri", status=400)
        if args.get("response_type") != "code" or "openid" not in args.get("scope", "").split():
            return Response("response_type code and scope openid required", status=400)
        if args.get("code_challenge_method") != "S256" or not args.get("code_challenge"):
            return Response("PKCE S256 required", status=400)
        code = secrets.token_urlsafe(24)
        self.codes[code] = {
            "redirect_uri": redirect_uri,
            "challenge": args["code_challenge"],
            "nonce": args.get("nonce"),
            "claims": dict(self.user),
            "used": False,
        }
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response(status=302, headers={"Location": f"{redirect_uri}?{query}"})

    def _client_ok(self, request: Request) -> bool:
        auth = request.authorization
        if auth is not None and auth.type == "basic":
            return auth.username == self.client_id and auth.password == self.client_secret
        return request.form.get("client_id") == self.client_id and request.form.get("client_secret") == (
            self.client_secret
        )

    def token(self, request: Request) -> Response:
        if request.method != "POST":
            return _json({"error": "invalid_request"}, 405)
        if not self._client_ok(request):
            return _json({"error": "invalid_client"}, 401)
        form = request.form
        grant = self.codes.get(form.get("code", ""))
        if form.get("grant_type") != "authorization_code" or grant is None:
            return _json({"error": "invalid_grant", "error_description": "unknown code"}, 400)
        if grant["used"]:
            return _json({"error": "invalid_grant", "error_description": "code already used"}, 400)
        grant["used"] = True
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant", "error_description": "redirect_uri differs"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE verifier mismatch"}, 400)
        mode, self.mode = self.mode, None
        now = int(time.time())
        claims = {
            **grant["claims"],
            "iss": "http://127.0.0.1:1/een-andere-uitgever" if mode == "wrong_issuer" else self.issuer,
            "aud": self.client_id,
            "iat": now - 1200 if mode == "expired" else now,
            "exp": now - 600 if mode == "expired" else now + 300,
        }
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        # a bad signature: a key with the published kid that is not the published key
        key = RSAKey.generate_key(2048, parameters={"kid": self.key.kid}) if mode == "bad_signature" else self.key
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)
        return _json(
            {"access_token": secrets.token_urlsafe(24), "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        )

    def logout(self, request: Request) -> Response:
        self.stats["logouts"].append(dict(request.args))
        target = request.args.get("post_logout_redirect_uri", "")
        if urlsplit(target).hostname in LOOPBACK:
            return Response(status=302, headers={"Location": target})
        return Response("signed out", mimetype="text/plain")

    def control_user(self, request: Request) -> Response:
        self.user = {**DEFAULT_USER, **request.get_json()}
        return _json(self.user)

    def control_rotate(self, _request: Request) -> Response:
        self.key = _new_key()
        return _json({"kid": self.key.kid})

    def control_next(self, request: Request) -> Response:
        self.mode = request.get_json()["mode"]
        return _json({"mode": self.mode})

    def control_reset(self, _request: Request) -> Response:
        self.reset()
        return _json({})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OidcProvider:
    """`python -m tests.oidc_provider` as a child process on a free loopback port; `issuer` is its address."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> OidcProvider:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.stats()
                return self
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the test OpenID Connect provider did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    __enter__ = start

    def __exit__(self, *exc) -> None:
        self.stop()

    def _call(self, path: str, data: dict | None = None) -> Any:
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(  # noqa: S310 (loopback)
            f"{self.issuer}{path}", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
            return json.load(response)

    def set_user(self, **claims: Any) -> None:
        self._call("/control/user", claims)

    def rotate_key(self) -> str:
        return self._call("/control/rotate", {})["kid"]

    def misbehave_next(self, mode: str) -> None:
        self._call("/control/next", {"mode": mode})

    def reset(self) -> None:
        self._call("/control/reset", {})

    def stats(self) -> dict[str, Any]:
        return self._call("/control/stats")


def main() -> None:
    parser = argparse.ArgumentParser(description="A test OpenID Connect provider on the loopback address.")
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--client-id", default=CLIENT_ID)
    parser.add_argument("--client-secret", default=CLIENT_SECRET)
    options = parser.parse_args()
    provider = Provider(f"http://127.0.0.1:{options.port}", options.client_id, options.client_secret)
    make_server("127.0.0.1", options.port, provider, threaded=True).serve_forever()


if __name__ == "__main__":
    main()
