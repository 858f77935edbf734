"""The API's demo tokens: created once for the demo accounts, without usable secrets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.api.demo import DEMO_TOKENS, seed_demo
from app.api.models import ApiToken
from app.demo import DEMO_DOMAIN
from tests.factories import make_user

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def test_seed_demo_is_idempotent(db):
    users = {f"{a}@{DEMO_DOMAIN}": make_user(email=f"{a}@{DEMO_DOMAIN}") for a in ("gemeente", "politie", "camera")}
    created = seed_demo(users, now=NOW)
    assert len(created) == len(DEMO_TOKENS)
    assert seed_demo(users, now=NOW) == []
    assert db.session.scalar(select(func.count(ApiToken.id))) == len(DEMO_TOKENS)
    revoked = [t.name for t in created if t.revoked_at is not None]
    assert revoked == ["Proefkoppeling (oud)"]


def test_seed_demo_skips_missing_accounts(db):
    assert seed_demo({}, now=NOW) == []
