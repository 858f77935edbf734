"""The second factor of local accounts: a TOTP authenticator app, single-use recovery codes, remembered devices, and
who must use it (admins, camera officers, and the roles an admin chooses per organisation).

Functions take `now` explicitly, flush and never commit: the caller commits once. Mails about a change are queued
in the same transaction (app.auth.mails).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import date, datetime, timedelta

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from sqlalchemy import delete, func, select

from app import audit
from app.auth import mails
from app.auth.models import LoginThrottle, RecoveryCode, Role, SecondFactor, TrustedDevice, TwoFactorRequirement, User
from app.auth.policy import ensure_can, reaches_footage_log
from app.auth.services import LoginLocked, ThrottlePolicy, _count_failure, clear_failures, normalise_email
from app.errors import DomainError
from app.extensions import db
from app.stakeholders.models import Organisation

ISSUER = "Veilig Bedrijventerrein"
#: admins are required by their flag; these roles on any park, whatever their organisation says
RECOVERY_CODE_COUNT = 10
#: how long a remembered device skips the code
TRUSTED_DEVICE_DAYS = 30
#: codes of the step before and after the current one are accepted too (a phone's clock may drift a little)
VALID_WINDOW = 1
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper without doubt


# Secrets ------------------------------------------------------------------------------------------


def _fernet(secret_key: str) -> Fernet:
    # A key of its own per purpose, derived from SECRET_KEY: rotating SECRET_KEY means every user enrols again.
    digest = hashlib.sha256(f"vb-totp-secret:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(secret: str, *, secret_key: str) -> str:
    return _fernet(secret_key).encrypt(secret.encode()).decode()


def decrypt(token: str, *, secret_key: str) -> str | None:
    """The secret, or None when the token was not made with this SECRET_KEY (or was tampered with)."""
    try:
        return _fernet(secret_key).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> Markup:
    """The QR code of `uri` as inline SVG markup (the CSP allows no inline style; segno uses none)."""
    return Markup(segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", title=title))  # noqa: S704 - segno's own markup of a URI we made


def grouped(secret: str) -> str:
    """The secret in groups of four, as typed into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_counter(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is, within VALID_WINDOW of `now`, or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for counter in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


# Who must use it -----------------------------------------------------------------------------------


def factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def required_roles(organisation: Organisation) -> set[Role]:
    """The roles whose holders in `organisation` must use a second factor (set by an admin)."""
    return set(
        db.session.scalars(
            select(TwoFactorRequirement.role).where(TwoFactorRequirement.organisation_id == organisation.id)
        )
    )


def is_required(user: User, today: date) -> bool:
    """Whether `user` must use a second factor: an admin, a camera officer (they reach the footage log), or a user
    holding (today) a role that their organisation requires it for."""
    if reaches_footage_log(user, today):
        return True
    roles = {m.role for m in user.memberships if m.is_current(today)}
    return user.organisation is not None and bool(roles & required_roles(user.organisation))


def set_required_roles(actor: User, organisation: Organisation, roles: set[Role]) -> None:
    """Set the roles for which `organisation`'s users must use a second factor. Admins only. It takes effect at
    each user's next sign-in (they then set it up before they get in)."""
    ensure_can(actor, "admin.manage")
    before = required_roles(organisation)
    if before == roles:
        return
    db.session.execute(delete(TwoFactorRequirement).where(TwoFactorRequirement.organisation_id == organisation.id))
    db.session.add_all(TwoFactorRequirement(organisation_id=organisation.id, role=role) for role in roles)
    audit.record(
        actor,
        "auth.two_factor_roles_set",
        organisation,
        details={"roles": sorted(role.value for role in roles)},
    )
    db.session.flush()


# Enrolment, recovery codes, disabling ------------------------------------------------------------


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones; the codes themselves are returned once
    and only their hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _i in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    return codes


def _hash(text: str) -> str:
    # The codes are random (about 49 bits each) and single use, so a plain SHA-256 suffices; no salt needed.
    return hashlib.sha256(text.encode()).hexdigest()


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def confirm_enrolment(
    user: User, secret: str, code: str, *, now: datetime, policy: ThrottlePolicy, secret_key: str
) -> list[str]:
    """Store `secret` as the user's authenticator once `code` shows that their app produces its codes; return the
    new recovery codes (shown once). A wrong code counts as a failed sign-in (lock-out) and is refused; a user who
    already has an authenticator must disable it first. Audited and mailed to the user."""
    _ensure_not_locked(user, now)
    if factor_of(user) is not None:
        raise DomainError(_("Tweestapsverificatie is al ingesteld voor dit account."))
    counter = _matching_counter(secret, _normalised(code), now)
    if counter is None:
        _fail(user, now=now, policy=policy, details={"step": "enrolment"})
    db.session.add(
        SecondFactor(
            user_id=user.id,
            secret_encrypted=encrypt(secret, secret_key=secret_key),
            enrolled_at=now,
            last_counter=counter,
        )
    )
    codes = _new_recovery_codes(user)
    audit.record(user, "auth.two_factor_enrolled", user)
    mails.queue_two_factor_notice(user, mails.TWO_FACTOR_ENROLLED)
    db.session.flush()
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes for an enrolled user; the old ones stop working. Audited and mailed."""
    if factor_of(user) is None:
        raise DomainError(_("Stel eerst tweestapsverificatie in."))
    codes = _new_recovery_codes(user)
    audit.record(user, "auth.recovery_codes_regenerated", user)
    mails.queue_two_factor_notice(user, mails.RECOVERY_CODES_REGENERATED)
    db.session.flush()
    return codes


def _remove(user: User) -> None:
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TrustedDevice).where(TrustedDevice.user_id == user.id))
    db.session.expire_all()


def disable(user: User, *, today: date) -> None:
    """The user turns their second factor off (authenticator, recovery codes and remembered devices go); refused
    when it is required for them. Audited and mailed."""
    if is_required(user, today):
        raise DomainError(_("Tweestapsverificatie is verplicht voor uw account; u kunt haar niet uitzetten."))
    if factor_of(user) is None:
        raise DomainError(_("Tweestapsverificatie staat al uit."))
    _remove(user)
    audit.record(user, "auth.two_factor_disabled", user)
    mails.queue_two_factor_notice(user, mails.TWO_FACTOR_DISABLED)
    db.session.flush()


def reset(actor: User, user: User) -> None:
    """An admin removes a user's second factor (a lost phone): authenticator, recovery codes and remembered devices
    go; where it is required the user sets it up again at the next sign-in. Admins only; audited and mailed."""
    ensure_can(actor, "admin.manage")
    if factor_of(user) is None:
        raise DomainError(_("Deze gebruiker heeft geen tweestapsverificatie ingesteld."))
    _remove(user)
    audit.record(actor, "auth.two_factor_reset", user)
    mails.queue_two_factor_notice(user, mails.TWO_FACTOR_RESET)
    db.session.flush()


# Signing in --------------------------------------------------------------------------------------

TOTP = "totp"
RECOVERY_CODE = "recovery_code"


def _ensure_not_locked(user: User, now: datetime) -> None:
    throttle = db.session.get(LoginThrottle, normalise_email(user.email))
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        raise LoginLocked(throttle.locked_until, now)


def _fail(user: User, *, now: datetime, policy: ThrottlePolicy, details: dict) -> None:
    """Count a wrong code in the same lock-out as a wrong password, audit it, and raise."""
    locked_until = _count_failure(normalise_email(user.email), now=now, policy=policy)
    audit.record(user, "auth.two_factor_failed", user, details=details)
    db.session.flush()
    if locked_until is not None:
        raise LoginLocked(locked_until, now)
    raise DomainError(_("Deze code klopt niet. Controleer de code in uw app en probeer het opnieuw."))


def verify(user: User, code: str, *, now: datetime, policy: ThrottlePolicy, secret_key: str) -> str:
    """Check the code a user gives after their password: a code of their authenticator app (six digits, not one
    accepted before: no replay) or one of their unused recovery codes (then used up, audited and mailed with the
    number left). Returns the method, TOTP or RECOVERY_CODE.

    A wrong code counts as a failed sign-in for the address (LoginThrottle): after the policy's number of failures
    it is locked, for the password too (LoginLocked). The caller commits also when this raises, so the failure
    counts."""
    _ensure_not_locked(user, now)
    factor = factor_of(user)
    given = _normalised(code)
    if factor is None:
        raise DomainError(_("Voor dit account is geen tweestapsverificatie ingesteld."))
    if given.isdigit():
        secret = decrypt(factor.secret_encrypted, secret_key=secret_key)
        counter = _matching_counter(secret, given, now) if secret is not None else None
        if counter is None or (factor.last_counter is not None and counter <= factor.last_counter):
            _fail(user, now=now, policy=policy, details={"method": TOTP})
        factor.last_counter = counter
        method = TOTP
    else:
        recovery = db.session.scalar(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(given), RecoveryCode.used_at.is_(None)
            )
        )
        if recovery is None:
            _fail(user, now=now, policy=policy, details={"method": RECOVERY_CODE})
        recovery.used_at = now
        left = recovery_codes_left(user)
        audit.record(user, "auth.recovery_code_used", user, details={"left": left})
        mails.queue_two_factor_notice(user, mails.RECOVERY_CODE_USED, left=left)
        method = RECOVERY_CODE
    clear_failures(user.email)
    audit.record(user, "auth.two_factor_passed", user, details={"method": method})
    db.session.flush()
    return method


def recovery_codes_left(user: User) -> int:
    db.session.flush()
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


# Remembered devices -----------------------------------------------------------------------------

DEVICE_COOKIE = "vb_device"


def _device_serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="vb-trusted-device")


def remember_device(user: User, *, label: str, now: datetime, secret_key: str) -> str:
    """Remember this browser for TRUSTED_DEVICE_DAYS; returns the signed cookie value. Only the hash of its random
    device id is stored, so the row can be revoked but not turned back into a cookie."""
    device_id = secrets.token_urlsafe(32)
    db.session.add(
        TrustedDevice(
            user_id=user.id,
            device_hash=_hash(device_id),
            label=label[:200] or "?",
            created_at=now,
            expires_at=now + timedelta(days=TRUSTED_DEVICE_DAYS),
        )
    )
    audit.record(user, "auth.device_remembered", user)
    db.session.flush()
    return _device_serializer(secret_key).dumps({"u": user.id, "d": device_id})


def trusted_device(user: User, cookie: str | None, *, now: datetime, secret_key: str) -> TrustedDevice | None:
    """The remembered device the cookie names, when it is `user`'s, not revoked and not expired (its last use is
    then set to `now`); else None."""
    if not cookie:
        return None
    try:
        data = _device_serializer(secret_key).loads(cookie)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.id or not isinstance(data.get("d"), str):
        return None
    device = db.session.scalar(
        select(TrustedDevice).where(TrustedDevice.user_id == user.id, TrustedDevice.device_hash == _hash(data["d"]))
    )
    if device is None or device.expires_at <= now:
        return None
    device.last_used_at = now
    db.session.flush()
    return device


def devices_of(user: User, *, now: datetime) -> list[TrustedDevice]:
    """The user's remembered devices that have not expired, the newest first."""
    return list(
        db.session.scalars(
            select(TrustedDevice)
            .where(TrustedDevice.user_id == user.id, TrustedDevice.expires_at > now)
            .order_by(TrustedDevice.created_at.desc(), TrustedDevice.id.desc())
        )
    )


def revoke_device(user: User, device: TrustedDevice) -> None:
    """Forget one of the user's remembered devices: it asks for the code again. Only the user's own (else 404)."""
    if device.user_id != user.id:
        raise DomainError(_("Dit apparaat bestaat niet (meer)."))
    db.session.delete(device)
    audit.record(user, "auth.device_revoked", user)
    db.session.flush()
