"""Signed-in sessions: how a sign-in (by password, second factor or an identity provider) becomes a session, how
long it lasts, and how it ends.

Each signed-in browser has a `UserSession` row; its token travels in the (signed) session cookie. A session ends
when the user signs out, after the absolute lifetime (PERMANENT_SESSION_LIFETIME) since the sign-in, or after being
idle longer than the user's idle timeout: SESSION_IDLE_TIMEOUT_PRIVILEGED for admins and camera officers (they reach
the footage log), SESSION_IDLE_TIMEOUT for everyone else. "Sign out everywhere" ends them all, as do a new password
and blocking the account (User.session_key, which every session cookie also carries, is replaced).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import delete, select, update

from app import audit
from app.auth.models import TrustedDevice, User, UserSession, new_session_key
from app.auth.policy import reaches_footage_log
from app.clock import local_day
from app.errors import NotAllowed
from app.extensions import db

#: the session cookie's key for the session's token
SESSION_FIELD = "sid"
#: last_seen_at is written at most this often: a page view rarely writes, and idle times are this precise
TOUCH_INTERVAL = timedelta(minutes=1)

METHODS = {
    "password": _l("Wachtwoord"),
    "totp": _l("Wachtwoord en code uit de app"),
    "recovery_code": _l("Wachtwoord en herstelcode"),
    "remembered_device": _l("Wachtwoord op een onthouden apparaat"),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def start(user: User, *, method: str) -> None:
    """Sign `user` in on this request, by `method` ("password", "totp", "recovery_code", "oidc:<provider>"), and
    commit.

    The session starts fresh: nothing from before the sign-in survives but the chosen language (session fixation).
    """
    now = _now()
    _end_expired(user, now)
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user=user,
            token_hash=hash_token(token),
            method=method[:80],
            started_at=now,
            last_seen_at=now,
            user_agent=request.user_agent.string[:400],
            ip=request.remote_addr,
        )
    )
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[SESSION_FIELD] = token
    session.permanent = True  # the cookie lasts the absolute lifetime; the row decides sooner
    login_user(user)
    db.session.commit()


def idle_timeout(user: User) -> timedelta:
    """How long a session of `user` may be idle: shorter for who reaches the footage log."""
    privileged = reaches_footage_log(user, local_day(_now()))
    return current_app.config["SESSION_IDLE_TIMEOUT_PRIVILEGED" if privileged else "SESSION_IDLE_TIMEOUT"]


def _expired(user_session: UserSession, now: datetime) -> bool:
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    return now - user_session.started_at > lifetime or now - user_session.last_seen_at > idle_timeout(user_session.user)


def current(user: User) -> UserSession | None:
    """The live session of this request's cookie for `user`, touched; None (and the row gone) once it has ended.

    Called when the user is loaded, before the view runs: the touch is committed on its own, with nothing else
    pending.
    """
    token = session.get(SESSION_FIELD)
    if not isinstance(token, str):
        return None
    user_session = db.session.scalar(
        select(UserSession).where(UserSession.token_hash == hash_token(token), UserSession.user_id == user.id)
    )
    if user_session is None:
        return None
    now = _now()
    if _expired(user_session, now):
        db.session.delete(user_session)
        db.session.commit()
        session.pop(SESSION_FIELD)
        flash(_("U was een tijd niet actief en bent daarom uitgelogd. Log opnieuw in."), "info")
        return None
    if now - user_session.last_seen_at >= TOUCH_INTERVAL:
        db.session.execute(update(UserSession).where(UserSession.id == user_session.id).values(last_seen_at=now))
        db.session.commit()
    return user_session


@dataclass(frozen=True)
class Listed:
    """A session as the user's sessions page shows it."""

    id: int
    device: str
    method: str
    ip: str | None
    started_at: datetime
    last_seen_at: datetime
    is_this: bool


def method_label(method: str) -> str:
    kind, _colon, provider = method.partition(":")
    if kind == "oidc":
        return _("Via %(provider)s", provider=provider)
    return str(METHODS.get(kind, kind))


def live_sessions(user: User, now: datetime) -> list[Listed]:
    """The user's sessions that have not ended, this one first, then the most recently used."""
    token = session.get(SESSION_FIELD)
    this = hash_token(token) if isinstance(token, str) else None
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.last_seen_at.desc())
    )
    listed = [
        Listed(
            id=row.id,
            device=describe_device(row.user_agent),
            method=method_label(row.method),
            ip=row.ip,
            started_at=row.started_at,
            last_seen_at=row.last_seen_at,
            is_this=row.token_hash == this,
        )
        for row in rows
        if not _expired(row, now)
    ]
    return sorted(listed, key=lambda row: not row.is_this)


def end_this(user: User) -> None:
    """Sign out of this browser only: its session row goes, the user's other sessions go on."""
    token = session.get(SESSION_FIELD)
    if isinstance(token, str):
        db.session.execute(
            delete(UserSession).where(UserSession.token_hash == hash_token(token), UserSession.user_id == user.id)
        )
    audit.record(user, "auth.logout", user)
    db.session.flush()


def own_session(user: User, session_id: int) -> UserSession | None:
    """One of the user's own sessions by its id; None for anyone else's, so that ids reveal nothing."""
    user_session = db.session.get(UserSession, session_id)
    return user_session if user_session is not None and user_session.user_id == user.id else None


def end_one(user: User, user_session: UserSession) -> None:
    """End one of the user's own sessions (another browser or device)."""
    if user_session.user_id != user.id:
        raise NotAllowed(_("Dit is niet uw sessie."))
    audit.record(user, "auth.session_ended", user, details={"device": describe_device(user_session.user_agent)})
    db.session.delete(user_session)
    db.session.flush()


def sign_out_everywhere(user: User) -> None:
    """The user ends every session of theirs, on every device, this one included; their remembered devices ask for
    the second factor again (a lost phone or laptop is the reason to do this)."""
    end_all(user)
    db.session.execute(delete(TrustedDevice).where(TrustedDevice.user_id == user.id))
    audit.record(user, "auth.signed_out_everywhere", user)
    db.session.flush()


def end_all(user: User) -> None:
    """End every session of `user`, this one included: every cookie's session key stops working.

    Used for "sign out everywhere", a new password and a blocked account.
    """
    user.session_key = new_session_key()
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()


def _end_expired(user: User, now: datetime) -> None:
    for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        if _expired(row, now):
            db.session.delete(row)


def purge_expired(now: datetime) -> int:
    """Delete the sessions past the absolute lifetime, or idle beyond the longest idle timeout (shorter idle
    timeouts end at the next request or sign-in), and the remembered devices past their 30 days (the scheduler's
    hourly job); returns how many rows went."""
    config = current_app.config
    longest_idle = max(config["SESSION_IDLE_TIMEOUT"], config["SESSION_IDLE_TIMEOUT_PRIVILEGED"])
    sessions = db.session.execute(
        delete(UserSession).where(
            (UserSession.started_at < now - config["PERMANENT_SESSION_LIFETIME"])
            | (UserSession.last_seen_at < now - longest_idle)
        )
    )
    devices = db.session.execute(delete(TrustedDevice).where(TrustedDevice.expires_at <= now))
    return (sessions.rowcount or 0) + (devices.rowcount or 0)


# In this order: Edge's user agent names Chrome and Safari too, Chrome's names Safari, iOS's names Mac OS X.
_BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    (re.compile(r"iPhone|iPad"), "iOS"),
    (re.compile(r"Android"), "Android"),
    (re.compile(r"Windows"), "Windows"),
    (re.compile(r"Mac OS X|Macintosh"), "macOS"),
    (re.compile(r"Linux|X11"), "Linux"),
)


def describe_device(user_agent: str) -> str:
    """A user agent in words a user recognises their device by: "Firefox op Windows"."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for pattern, name in _SYSTEMS if pattern.search(user_agent)), None)
    if browser and system:
        return _("%(browser)s op %(system)s", browser=browser, system=system)
    return browser or system or _("Onbekend apparaat")
