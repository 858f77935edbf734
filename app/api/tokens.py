"""Personal API tokens: creating one (the secret is shown once), revoking it, and finding the token of a request."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.api.models import ApiScope, ApiToken
from app.auth.models import User
from app.auth.policy import can_anywhere, owns_token
from app.errors import DomainError, NotAllowed
from app.extensions import db

#: every secret starts with this, so that a leaked one is recognised (by secret scanners too)
SECRET_PREFIX = "vbt_"  # noqa: S105 - a marker, not a secret
#: characters of the secret kept in the clear, so that the user can tell tokens apart
SHOWN_CHARS = 12
#: a token's last use is written at most this often, so that reading stays cheap
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_NAME = 100
#: control characters (NUL among them, which PostgreSQL cannot store) count as spaces in a name
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: a user may hold this many tokens that are not revoked
MAX_ACTIVE_TOKENS = 20
#: the policy actions of the API's write operations, added by their routes (app.api.setup.Blueprint.route)
WRITE_ACTIONS: set[str] = set()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    #: the secret: shown to the user once and never stored
    secret: str


def hash_secret(secret: str) -> str:
    """The SHA-256 of a secret, hex: what the database keeps."""
    return hashlib.sha256(secret.encode()).hexdigest()


def may_write(user: User) -> bool:
    """Whether `user` may make a token that writes: only when one of their roles, on any park, allows one of the
    API's writes (an auditor's never does)."""
    return can_anywhere(user, WRITE_ACTIONS)


def create_token(actor: User, *, name: str, scope: ApiScope, now: datetime) -> NewToken:
    """Create a personal token for `actor` (every active user may: a token never has more rights than its user).

    Only the secret's SHA-256 and its first characters are stored (`new_token`). Refused (DomainError) without a
    name, with a name over 100 characters, when the user already holds 20 tokens that are not revoked, or for a
    token that writes when no role of the user could write through the API (`may_write`). Audited as
    `api.token_created`. Flushes, never commits.
    """
    if scope == ApiScope.WRITE and not may_write(actor):
        raise DomainError(
            _("Uw rollen geven u nergens het recht om via de API iets te wijzigen. Maak een sleutel die alleen leest.")
        )
    name = " ".join(_CONTROL.sub(" ", name or "").split())
    if not name:
        raise DomainError(_("Geef de sleutel een naam, zodat u later weet waarvoor hij is."))
    if len(name) > MAX_NAME:
        raise DomainError(_("De naam is ten hoogste %(n)s tekens lang.", n=MAX_NAME))
    if len(active_tokens(actor)) >= MAX_ACTIVE_TOKENS:
        raise DomainError(_("U heeft al %(n)s actieve sleutels. Trek er eerst een in.", n=MAX_ACTIVE_TOKENS))
    created = new_token(actor, name=name, scope=scope, now=now)
    db.session.add(created.token)
    db.session.flush()
    audit.record(actor, "api.token_created", created.token, details={"name": name, "scope": scope.value})
    db.session.flush()
    return created


def new_token(user: User, *, name: str, scope: ApiScope, now: datetime) -> NewToken:
    """A token of `user` with a new secret, not yet in the session; `create_token` checks the rules first. The
    secret is `vbt_` plus 32 random bytes (URL-safe base64); the token keeps its SHA-256 and its first characters.
    """
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, token_hash=hash_secret(secret), prefix=secret[:SHOWN_CHARS], scope=scope, created_at=now
    )
    return NewToken(token, secret)


def revoke_token(actor: User, token: ApiToken, *, now: datetime) -> None:
    """Revoke a token: only its own user may (NotAllowed otherwise); revoking it again changes nothing.
    Audited as `api.token_revoked`. Flushes, never commits."""
    if not owns_token(actor, token):
        raise NotAllowed(_("U kunt alleen uw eigen sleutels intrekken."))
    if token.revoked_at is not None:
        return
    token.revoked_at = now
    audit.record(actor, "api.token_revoked", token, details={"name": token.name, "prefix": token.prefix})
    db.session.flush()


def user_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included (they show as revoked)."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def active_tokens(user: User) -> list[ApiToken]:
    return [token for token in user_tokens(user) if token.revoked_at is None]


def authenticate(secret: str | None, *, now: datetime) -> ApiToken | None:
    """The token that `secret` belongs to, if it is not revoked and its user is active; else None.

    The token is found by the SHA-256 of the secret (an indexed, unique column) and the hashes are compared in
    constant time. Its last use is recorded, at most once a minute (a flush; the request commits it).
    """
    if not secret or not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.flush()
    return token
