"""Fixtures of the API tests: tokens for users and a client that sends a bearer token (and no cookies)."""

from __future__ import annotations

import pytest

from app.api.models import ApiScope
from app.extensions import db as _db
from tests.factories import make_api_token


class ApiClient:
    """Calls the API with `Authorization: Bearer <secret>` on a fresh test client (no session cookie)."""

    def __init__(self, app, secret: str | None) -> None:
        self.client = app.test_client()
        self.secret = secret

    def open(self, method: str, url: str, *, headers: dict | None = None, **kwargs):
        sent = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return self.client.open(url, method=method, headers={**sent, **(headers or {})}, csrf=False, **kwargs)

    def get(self, url: str, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.open("POST", url, **kwargs)


@pytest.fixture
def make_token(db):
    """make_token(user, scope=READ) -> the secret of a new token of `user` (`factories.make_api_token`: also a
    write token of a user whose roles no longer allow one)."""

    def make(user, scope: ApiScope = ApiScope.READ) -> str:
        secret = make_api_token(user, scope, name=f"Koppeling {scope.value}")
        _db.session.commit()
        return secret

    return make


@pytest.fixture
def api_as(app, make_token):
    """api_as(user, scope=READ) -> an ApiClient with a new token of `user`."""

    def client(user, scope: ApiScope = ApiScope.READ) -> ApiClient:
        return ApiClient(app, make_token(user, scope))

    return client
