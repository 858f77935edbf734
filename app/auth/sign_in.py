"""Signing in with a password and, where it applies, a second factor: the half-done sign-in between the two steps
is a short-lived marker in the (not yet signed-in) session."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _

from app.auth import sessions, two_factor
from app.auth.models import User
from app.auth.services import clear_failures
from app.clock import local_today
from app.extensions import db

#: the session key of a sign-in whose password was right and whose second factor is still to come
PENDING = "vb_2fa_pending"


def secret_key() -> str:
    return current_app.config["SECRET_KEY"]


def continue_sign_in(user: User, next_url: str | None):
    """After the right password: sign in at once when no second factor is needed (or this browser is remembered);
    else remember the half-done sign-in in the session (not signed in yet) and ask for the code, or have the
    authenticator set up first where it is required."""
    now = datetime.now(UTC)
    has_factor = two_factor.factor_of(user) is not None
    if not has_factor and not two_factor.is_required(user, local_today()):
        sessions.start(user, method="password")
        return redirect(next_url or url_for("main.home"))
    if has_factor and two_factor.trusted_device(
        user, request.cookies.get(two_factor.DEVICE_COOKIE), now=now, secret_key=secret_key()
    ):
        clear_failures(user.email)
        sessions.start(user, method="remembered_device")
        return redirect(next_url or url_for("main.home"))
    db.session.commit()  # the password's audit row
    session[PENDING] = {"user": user.id, "at": now.timestamp(), "next": next_url}
    return redirect(url_for("two_factor.code" if has_factor else "two_factor.enrol_at_sign_in"))


def pending_user() -> User | None:
    """The user of the half-done sign-in in this session, while it is younger than TWO_FACTOR_PENDING_TIME."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    age = datetime.now(UTC).timestamp() - float(pending.get("at", 0))
    if not 0 <= age <= current_app.config["TWO_FACTOR_PENDING_TIME"].total_seconds():
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.is_active else None


def sign_in_expired():
    session.pop(PENDING, None)
    flash(_("Uw inlogpoging is verlopen of niet begonnen. Log opnieuw in."), "info")
    return redirect(url_for("auth.login"))
