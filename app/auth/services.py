"""Accounts: passwords, the login throttle, invitations, password resets and profiles.

Functions take `now` explicitly, flush and never commit: the caller commits once.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit
from app.auth import sessions
from app.auth.models import DigestFrequency, LoginThrottle, Membership, Role, SecondFactor, User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Park
from app.stakeholders.models import Organisation, OrganisationType

MIN_PASSWORD_LENGTH = 12
#: how long an auditor's (the certifying body's) access to a park may last at most
AUDITOR_MAX_MONTHS = 6
PASSWORD_METHOD = "scrypt"  # noqa: S105 - the hash algorithm, not a password
# A real scrypt hash, so that a login for an unknown address costs as much time as one for a known address.
_DUMMY_HASH = generate_password_hash("not-a-password-of-anyone", method=PASSWORD_METHOD)


class LoginLocked(DomainError):
    """Too many failed logins for this address; `until` says when it may try again."""

    status_code = 429

    def __init__(self, until: datetime, now: datetime) -> None:
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
        super().__init__(_("Te veel mislukte pogingen. Probeer het over %(minutes)s minuten opnieuw.", minutes=minutes))
        self.until = until


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def set_password(user: User, password: str) -> None:
    """Hash and store a new password; every session of the user ends (its session key changes)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_PASSWORD_LENGTH))
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    sessions.end_all(user)
    audit.record(user, "auth.password_set", user)
    db.session.flush()


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    lock_duration: timedelta

    @classmethod
    def from_config(cls, config) -> ThrottlePolicy:
        return cls(config["LOGIN_MAX_FAILURES"], config["LOGIN_LOCK_DURATION"])


def authenticate(email: str, password: str, *, now: datetime, policy: ThrottlePolicy, ip: str | None) -> User:
    """Return the user whose email and password match, or raise.

    After `policy.max_failures` consecutive failures for an address (known or not) the address is locked
    for `policy.lock_duration`: LoginLocked, also for the right password. Every failure is audited.
    A wrong address and a wrong password give the same message, so the form reveals no accounts. The failures
    are forgotten on success, except for a user with a second factor: then when the code is right too
    (`two_factor.verify`), since wrong codes count in the same lock-out.
    """
    key = normalise_email(email)
    throttle = db.session.get(LoginThrottle, key)
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        raise LoginLocked(throttle.locked_until, now)

    user = find_user_by_email(key)
    password_ok = check_password_hash(
        user.password_hash if user is not None and user.password_hash else _DUMMY_HASH, password
    )
    if user is None or not user.is_active or not user.has_password or not password_ok:
        locked_until = _count_failure(key, now=now, policy=policy)
        audit.record(user, "auth.login_failed", user, details={"email": key[:254], "ip": ip})
        db.session.flush()
        if locked_until is not None:
            raise LoginLocked(locked_until, now)
        raise DomainError(_("Dit e-mailadres en wachtwoord horen niet bij elkaar."))

    if not password_login_allowed(user):
        audit.record(user, "auth.password_login_off", user, details={"ip": ip})
        db.session.flush()
        raise DomainError(
            _(
                "%(organisation)s logt in via de eigen inlogdienst: gebruik de knop “Inloggen met …” hieronder.",
                organisation=user.organisation.name,
            )
        )
    # With a second factor the failures count on until the code is right: a known password does not buy new tries
    if throttle is not None and db.session.get(SecondFactor, user.id) is None:
        db.session.delete(throttle)
    user.last_login_at = now
    audit.record(user, "auth.login", user, details={"ip": ip})
    db.session.flush()
    return user


def password_login_allowed(user: User) -> bool:
    """Whether the user may sign in with a password: not when an admin switched it off for their organisation
    (they sign in through its identity provider), except entrepreneurs, who always keep their password."""
    if user.organisation is None or user.organisation.password_login:
        return True
    return any(membership.role == Role.ENTREPRENEUR for membership in user.memberships)


def _count_failure(key: str, *, now: datetime, policy: ThrottlePolicy) -> datetime | None:
    """Add one failure for the address atomically; return the lock end if this failure locks it."""
    if db.session.get(LoginThrottle, key) is None:
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(email=key, failures=0))
        except IntegrityError:
            pass  # another request created the row first; the increment below is atomic either way
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.email == key)
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
    )
    throttle = db.session.get(LoginThrottle, key, populate_existing=True)
    if throttle.failures >= policy.max_failures:
        throttle.failures = 0
        throttle.locked_until = now + policy.lock_duration
        return throttle.locked_until
    return None


def clear_failures(email: str) -> None:
    """Forget the failed sign-ins of an address: a sign-in completed."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.email == normalise_email(email)))


# Signed links -------------------------------------------------------------------------------------

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"  # noqa: S105 - a link purpose


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"vb-{purpose}")


def _fingerprint(user: User) -> str:
    # The link is bound to the current password hash, so it stops working once it has been used.
    return hashlib.sha256((user.password_hash or "no-password").encode()).hexdigest()[:16]


def make_token(user: User, purpose: str, *, secret_key: str) -> str:
    return _serializer(secret_key, purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(token: str, purpose: str, *, secret_key: str, max_age: timedelta) -> User:
    """The user a signed link was made for, or DomainError when it is forged, expired or used."""
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise DomainError(_("Deze link is verlopen. Vraag een nieuwe aan.")) from None
    except BadSignature:
        raise DomainError(_("Deze link is ongeldig.")) from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(user):
        raise DomainError(_("Deze link is al gebruikt of niet meer geldig. Vraag een nieuwe aan."))
    return user


# Users, organisations and memberships (admin) ------------------------------------------------------


def invite_user(
    actor: User, *, email: str, name: str, organisation: Organisation | None, locale: str, is_admin: bool = False
) -> User:
    """Create an account without a password; the caller mails the invitation link. Admins only."""
    ensure_can(actor, "admin.manage")
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise DomainError(_("Er bestaat al een account met dit e-mailadres."))
    user = User(email=email, name=name.strip(), organisation=organisation, locale=locale, is_admin=is_admin)
    db.session.add(user)
    audit.record(actor, "auth.user_invited", user, details={"email": email, "is_admin": is_admin})
    db.session.flush()
    return user


def reinvite(actor: User, user: User) -> None:
    """Allow a new invitation mail for a user who has not set a password yet. Admins only."""
    ensure_can(actor, "admin.manage")
    if user.has_password or not user.is_active:
        raise DomainError(_("Deze gebruiker heeft al een wachtwoord of is geblokkeerd."))
    audit.record(actor, "auth.invitation_resent", user)
    db.session.flush()


def update_user(
    actor: User, user: User, *, name: str, organisation: Organisation | None, is_admin: bool, is_active: bool
) -> None:
    """Change a user's name, organisation, admin flag or active state. Admins only; not their own flags."""
    ensure_can(actor, "admin.manage")
    if user.id == actor.id and (not is_admin or not is_active):
        raise DomainError(_("U kunt uw eigen beheerrechten niet intrekken of uw eigen account blokkeren."))
    changes = {}
    if user.is_admin != is_admin:
        changes["is_admin"] = is_admin
    if user.is_active != is_active:
        changes["is_active"] = is_active
        if not is_active:
            sessions.end_all(user)
    user.name = name.strip()
    user.organisation = organisation
    user.is_admin = is_admin
    user.is_active = is_active
    audit.record(actor, "auth.user_updated", user, details=changes)
    db.session.flush()


def update_profile(user: User, *, name: str, locale: str, digest_frequency: DigestFrequency | None = None) -> None:
    """The user changes their own name, language and (when given) how often they get a digest by mail."""
    user.name = name.strip()
    user.locale = locale
    if digest_frequency is not None:
        user.digest_frequency = digest_frequency
    audit.record(user, "auth.profile_updated", user)
    db.session.flush()


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later (the month's last day when that day does not exist)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def auditor_latest_end(today: date) -> date:
    """The last end date an auditor's access may have: AUDITOR_MAX_MONTHS calendar months after `today`."""
    return months_after(today, AUDITOR_MAX_MONTHS)


def add_membership(
    actor: User,
    user: User,
    *,
    role: Role,
    park: Park | None = None,
    municipality: Organisation | None = None,
    ends_on=None,
    today,
) -> Membership:
    """Give `user` a role on one park or on every park of a municipality. Admins only.

    Exactly one of park and municipality; an auditor needs one park and an end date at most AUDITOR_MAX_MONTHS
    ahead; an end date lies today or later; the same role on the same scope twice is refused.
    """
    ensure_can(actor, "admin.manage")
    if (park is None) == (municipality is None):
        raise DomainError(_("Kies een park of een gemeente, niet allebei."))
    if municipality is not None and municipality.type != OrganisationType.GEMEENTE:
        raise DomainError(_("Een gemeentebreed lidmaatschap hoort bij een organisatie van het type gemeente."))
    if role == Role.AUDITOR and ends_on is None:
        raise DomainError(_("Een auditor krijgt alleen tijdelijk toegang: vul een einddatum in."))
    if role == Role.AUDITOR and park is None:
        raise DomainError(_("Een auditor krijgt toegang tot één park, niet tot alle parken van een gemeente."))
    if role == Role.AUDITOR and ends_on > auditor_latest_end(today):
        raise DomainError(
            _(
                "Een auditor krijgt hoogstens %(months)s maanden toegang: kies een einddatum uiterlijk %(date)s.",
                months=AUDITOR_MAX_MONTHS,
                date=format_date(auditor_latest_end(today), "long"),
            )
        )
    if ends_on is not None and ends_on < today:
        raise DomainError(_("De einddatum ligt in het verleden."))
    for existing in user.memberships:
        if existing.role == role and existing.park == park and existing.municipality == municipality:
            raise DomainError(_("Deze gebruiker heeft deze rol hier al."))
    membership = Membership(user=user, role=role, park=park, municipality=municipality, ends_on=ends_on)
    db.session.add(membership)
    audit.record(
        actor,
        "auth.role_granted",
        user,
        park=park,
        details={
            "role": role.value,
            "park_id": park.id if park else None,
            "municipality_id": municipality.id if municipality else None,
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    db.session.flush()
    return membership


def remove_membership(actor: User, membership: Membership) -> None:
    """Take a role away. Admins only."""
    ensure_can(actor, "admin.manage")
    audit.record(
        actor,
        "auth.role_revoked",
        membership.user,
        park=membership.park,
        details={
            "role": membership.role.value,
            "park_id": membership.park_id,
            "municipality_id": membership.municipality_id,
        },
    )
    membership.user.memberships.remove(membership)
    db.session.flush()
