"""The second factor's rules: who must use it, enrolment, codes (replay, window, lock-out), recovery codes,
remembered devices, disabling and the admin's reset."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth import two_factor
from app.auth.models import LoginThrottle, RecoveryCode, Role, SecondFactor, TrustedDevice
from app.auth.services import LoginLocked, ThrottlePolicy, authenticate
from app.errors import DomainError, NotAllowed
from tests.factories import PASSWORD, make_membership, make_organisation, make_park, make_user

KEY = "testing-secret-key"
NOW = datetime(2026, 12, 6, 9, 0, 15, tzinfo=UTC)
POLICY = ThrottlePolicy(max_failures=3, lock_duration=timedelta(minutes=15))
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_at(moment: datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(moment)


def enrol(user, *, now: datetime = NOW) -> list[str]:
    return two_factor.confirm_enrolment(user, SECRET, code_at(now), now=now, policy=POLICY, secret_key=KEY)


def verify(user, code: str, *, now: datetime = NOW) -> str:
    return two_factor.verify(user, code, now=now, policy=POLICY, secret_key=KEY)


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# Who must use it


def test_required_for_admins_camera_officers_and_the_roles_the_organisation_chooses(db, admin):
    park = make_park()
    organisation = make_organisation()
    today = date(2026, 12, 6)
    assert two_factor.is_required(admin, today)
    camera = make_user()
    make_membership(camera, Role.CAMERA_OFFICER, park=park)
    assert two_factor.is_required(camera, today)
    advisor = make_user(organisation=organisation)
    make_membership(advisor, Role.ADVISOR, park=park)
    assert not two_factor.is_required(advisor, today)

    two_factor.set_required_roles(admin, organisation, {Role.ADVISOR})
    assert two_factor.is_required(advisor, today)
    assert "auth.two_factor_roles_set" in actions(db)
    outsider = make_user(organisation=make_organisation())
    make_membership(outsider, Role.ADVISOR, park=park)
    assert not two_factor.is_required(outsider, today)  # another organisation
    ended = make_user()
    make_membership(ended, Role.CAMERA_OFFICER, park=park, ends_on=date(2026, 12, 5))
    assert not two_factor.is_required(ended, today)


def test_only_admins_choose_the_required_roles(db):
    with pytest.raises(NotAllowed):
        two_factor.set_required_roles(make_user(), make_organisation(), {Role.PARTNER})


# Enrolment


def test_enrolment_stores_the_secret_encrypted_and_ten_hashed_recovery_codes(db, outbox):
    user = make_user()
    codes = enrol(user)
    factor = db.session.get(SecondFactor, user.id)
    assert SECRET not in factor.secret_encrypted
    assert two_factor.decrypt(factor.secret_encrypted, secret_key=KEY) == SECRET
    assert two_factor.decrypt(factor.secret_encrypted, secret_key="another-key") is None
    assert len(codes) == len(set(codes)) == 10
    hashes = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(hashes) == 10 and not any(code.replace("-", "") in hashes for code in codes)
    assert "auth.two_factor_enrolled" in actions(db)
    assert [mail.subject for mail in outbox()] == ["Tweestapsverificatie ingesteld"]


def test_a_wrong_enrolment_code_stores_nothing_and_counts_as_a_failure(db, outbox):
    user = make_user()
    with pytest.raises(DomainError, match="Deze code klopt niet"):
        two_factor.confirm_enrolment(
            user, SECRET, code_at(NOW - timedelta(hours=1)), now=NOW, policy=POLICY, secret_key=KEY
        )
    assert db.session.get(SecondFactor, user.id) is None
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    assert db.session.get(LoginThrottle, user.email).failures == 1
    assert outbox() == []


def test_enrolling_twice_is_refused(db):
    user = make_user()
    enrol(user)
    with pytest.raises(DomainError, match="al ingesteld"):
        enrol(user, now=NOW + timedelta(minutes=1))


# Codes at sign-in


def test_a_code_is_accepted_once_and_one_step_either_side(db):
    user = make_user()
    enrol(user, now=NOW - timedelta(minutes=5))
    assert verify(user, code_at(NOW)) == two_factor.TOTP
    with pytest.raises(DomainError):
        verify(user, code_at(NOW))  # replay of the same step
    assert verify(user, code_at(NOW + timedelta(seconds=30))) == two_factor.TOTP  # the phone runs a step ahead
    with pytest.raises(DomainError):
        verify(user, code_at(NOW + timedelta(seconds=90)))  # two steps ahead
    assert (
        verify(
            user,
            " ".join([code_at(NOW + timedelta(minutes=1))[:3], code_at(NOW + timedelta(minutes=1))[3:]]),
            now=NOW + timedelta(minutes=1),
        )
        == two_factor.TOTP
    )
    assert "auth.two_factor_passed" in actions(db)
    assert "auth.two_factor_failed" in actions(db)


def test_wrong_codes_lock_the_address_like_wrong_passwords(db):
    user = make_user()
    enrol(user, now=NOW - timedelta(minutes=5))
    for _ in range(POLICY.max_failures - 1):
        with pytest.raises(DomainError, match="Deze code klopt niet"):
            verify(user, "000000" if code_at(NOW) != "000000" else "111111")
    with pytest.raises(LoginLocked):
        verify(user, "abcde-fghij")
    with pytest.raises(LoginLocked):
        verify(user, code_at(NOW))  # the right code too, while locked
    with pytest.raises(LoginLocked):
        authenticate(user.email, PASSWORD, now=NOW, policy=POLICY, ip=None)  # and the password
    later = NOW + POLICY.lock_duration + timedelta(minutes=1)
    assert verify(user, code_at(later), now=later) == two_factor.TOTP
    assert db.session.get(LoginThrottle, user.email) is None  # a completed sign-in forgets the failures


def test_the_right_password_does_not_forget_wrong_codes(db):
    user = make_user()
    enrol(user, now=NOW - timedelta(minutes=5))
    with pytest.raises(DomainError):
        verify(user, "abcde-fghij")
    authenticate(user.email, PASSWORD, now=NOW, policy=POLICY, ip=None)
    assert db.session.get(LoginThrottle, user.email).failures == 1


def test_a_recovery_code_works_once_and_is_mailed_with_the_number_left(db, outbox):
    user = make_user(locale="en")
    codes = enrol(user, now=NOW - timedelta(minutes=5))
    assert verify(user, codes[0].upper()) == two_factor.RECOVERY_CODE
    with pytest.raises(DomainError):
        verify(user, codes[0])
    assert two_factor.recovery_codes_left(user) == 9
    assert "auth.recovery_code_used" in actions(db)
    assert "9" in outbox()[-1].text_body


def test_new_recovery_codes_replace_the_old_ones(db, outbox):
    user = make_user()
    old = enrol(user, now=NOW - timedelta(minutes=5))
    new = two_factor.regenerate_recovery_codes(user)
    with pytest.raises(DomainError):
        verify(user, old[0])
    assert verify(user, new[0]) == two_factor.RECOVERY_CODE
    assert outbox()[1].subject == "Nieuwe herstelcodes aangemaakt"


# Remembered devices


def test_a_remembered_device_is_bound_to_its_user_expires_and_can_be_revoked(db):
    user, other = make_user(), make_user()
    cookie = two_factor.remember_device(user, label="Firefox op Linux", now=NOW, secret_key=KEY)
    assert two_factor.trusted_device(user, cookie, now=NOW + timedelta(days=29), secret_key=KEY) is not None
    assert two_factor.trusted_device(user, cookie, now=NOW + timedelta(days=31), secret_key=KEY) is None
    assert two_factor.trusted_device(other, cookie, now=NOW, secret_key=KEY) is None
    assert two_factor.trusted_device(user, cookie + "x", now=NOW, secret_key=KEY) is None
    assert two_factor.trusted_device(user, cookie, now=NOW, secret_key="another-key") is None
    (device,) = two_factor.devices_of(user, now=NOW)
    with pytest.raises(DomainError):
        two_factor.revoke_device(other, device)
    two_factor.revoke_device(user, device)
    assert two_factor.trusted_device(user, cookie, now=NOW, secret_key=KEY) is None


# Disabling and resetting


def test_disabling_is_refused_where_required_and_removes_everything_elsewhere(db, admin, outbox):
    enrol(admin)
    with pytest.raises(DomainError, match="verplicht"):
        two_factor.disable(admin, today=NOW.date())
    user = make_user()
    enrol(user)
    two_factor.remember_device(user, label="Chrome", now=NOW, secret_key=KEY)
    two_factor.disable(user, today=NOW.date())
    assert two_factor.factor_of(user) is None
    assert db.session.scalar(select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id)) == 0
    assert db.session.scalar(select(func.count(TrustedDevice.id))) == 0
    assert outbox()[-1].subject == "Tweestapsverificatie uitgezet"


def test_an_admin_resets_a_users_second_factor(db, admin, outbox):
    user = make_user()
    enrol(user)
    with pytest.raises(NotAllowed):
        two_factor.reset(make_user(), user)
    two_factor.reset(admin, user)
    assert two_factor.factor_of(user) is None
    assert "auth.two_factor_reset" in actions(db)
    assert outbox()[-1].subject == "Tweestapsverificatie gereset door een beheerder"
    with pytest.raises(DomainError):
        two_factor.reset(admin, user)
