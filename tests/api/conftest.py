"""Fixtures of the API tests: tokens for users and a client that sends a bearer token (and no cookies)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.api import tokens
from app.api.models import ApiScope
from app.extensions import db as _db


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
    """make_token(user, scope=READ) -> the secret of a new token of `user`."""

    def make(user, scope: ApiScope = ApiScope.READ) -> str:
        created = tokens.create_token(user, name=f"Koppeling {scope.value}", scope=scope, now=datetime.now(UTC))
        _db.session.commit()
        return created.secret

    return make


@pytest.fixture
def api_as(app, make_token):
    """api_as(user, scope=READ) -> an ApiClient with a new token of `user`."""

    def client(user, scope: ApiScope = ApiScope.READ) -> ApiClient:
        return ApiClient(app, make_token(user, scope))

    return client
