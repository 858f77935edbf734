"""Demo data for the API: a few personal tokens, so that the profile's token page of the demo users is not empty.

Their secrets are random and never shown (a newcomer makes a token of their own to try the API): demo data must
not open the API to anyone who reads the code."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from app.api.models import ApiScope, ApiToken
from app.api.tokens import new_token
from app.auth.models import User
from app.demo import DEMO_DOMAIN
from app.extensions import db

#: (demo account, token name, scope, days since created, days since last used or None, revoked)
DEMO_TOKENS = (
    ("gemeente", "Dashboard gemeenteraad", ApiScope.READ, 60, 0, False),
    ("politie", "Koppeling politiecijfers", ApiScope.WRITE, 120, 2, False),
    ("politie", "Proefkoppeling (oud)", ApiScope.WRITE, 300, 200, True),
    ("camera", "Uitlezen camerastatus", ApiScope.READ, 20, None, False),
)


def seed_demo(users_by_email: Mapping[str, User], *, now: datetime) -> list[ApiToken]:
    """Give the demo municipality, police and camera accounts the tokens of DEMO_TOKENS (written directly, without
    audit rows: they are demo history). A user's token with the same name is left as it is, so running it twice
    changes nothing; a missing demo account is skipped. Returns the tokens it created."""
    created: list[ApiToken] = []
    for account, name, scope, age, used, revoked in DEMO_TOKENS:
        user = users_by_email.get(f"{account}@{DEMO_DOMAIN}")
        if user is None:
            continue
        exists = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.name == name))
        if exists is not None:
            continue
        token = new_token(user, name=name, scope=scope, now=now - timedelta(days=age)).token
        token.last_used_at = None if used is None else now - timedelta(days=used, hours=3)
        token.revoked_at = now - timedelta(days=used or 0) if revoked else None
        db.session.add(token)
        created.append(token)
    db.session.flush()
    return created
