"""Signed-in sessions: how a sign-in (by password, second factor or an identity provider) becomes a session."""

from __future__ import annotations

from flask import session
from flask_login import login_user

from app.auth.models import User
from app.extensions import db


def start(user: User, *, method: str) -> None:
    """Sign `user` in on this request, by `method` ("password", "totp", "oidc:<provider>"), and commit.

    The session starts fresh: nothing from before the sign-in survives but the chosen language (session fixation).
    """
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    db.session.commit()
