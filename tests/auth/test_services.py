from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth import services
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.stakeholders.models import OrganisationType
from tests.factories import PASSWORD, make_organisation, make_park, make_user

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
POLICY = services.ThrottlePolicy(max_failures=3, lock_duration=timedelta(minutes=15))
SECRET = "s3cret-for-tokens"


def _login(email, password, now=NOW):
    return services.authenticate(email, password, now=now, policy=POLICY, ip="127.0.0.1")


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_right_password_logs_in_and_is_audited(db):
    user = make_user(email="olga@example.nl")
    assert _login(" Olga@Example.NL ", PASSWORD) is user
    assert user.last_login_at == NOW
    assert _actions(db) == ["auth.login"]


@pytest.mark.parametrize("email", ["olga@example.nl", "nobody@example.nl"])
def test_wrong_password_or_unknown_address_gives_one_message(db, email):
    make_user(email="olga@example.nl")
    with pytest.raises(DomainError) as error:
        _login(email, "wrong password!")
    assert "horen niet bij elkaar" in error.value.message
    assert _actions(db) == ["auth.login_failed"]


def test_unknown_addresses_are_throttled_like_known_ones(db):
    for _ in range(POLICY.max_failures - 1):
        with pytest.raises(DomainError):
            _login("ghost@example.nl", "guess")
    with pytest.raises(services.LoginLocked):
        _login("ghost@example.nl", "guess")


def test_inactive_user_and_invited_user_cannot_log_in(db):
    blocked = make_user(email="blocked@example.nl")
    blocked.is_active = False
    make_user(email="invited@example.nl", password=None)
    for email in ("blocked@example.nl", "invited@example.nl"):
        with pytest.raises(DomainError):
            _login(email, PASSWORD)


def test_set_password_requires_length_and_ends_other_sessions(db):
    user = make_user()
    old_key = user.session_key
    with pytest.raises(DomainError):
        services.set_password(user, "short")
    services.set_password(user, "a much longer passphrase")
    assert user.session_key != old_key
    assert _login(user.email, "a much longer passphrase") is user
    assert user.password_hash.startswith("scrypt:")


def test_invite_user_is_admin_only_and_refuses_duplicates(db):
    admin = make_user(is_admin=True)
    advisor = make_user()
    with pytest.raises(NotAllowed):
        services.invite_user(advisor, email="x@example.nl", name="X", organisation=None, locale="nl")
    user = services.invite_user(admin, email=" New@Example.nl ", name="Nieuw", organisation=None, locale="en")
    assert user.email == "new@example.nl"
    assert not user.has_password
    with pytest.raises(DomainError, match="bestaat al"):
        services.invite_user(admin, email="new@example.nl", name="Again", organisation=None, locale="nl")
    assert "auth.user_invited" in _actions(db)


def test_admin_cannot_demote_or_block_themselves(db):
    admin = make_user(is_admin=True)
    with pytest.raises(DomainError):
        services.update_user(admin, admin, name="A", organisation=None, is_admin=False, is_active=True)
    with pytest.raises(DomainError):
        services.update_user(admin, admin, name="A", organisation=None, is_admin=True, is_active=False)


def test_blocking_a_user_ends_their_sessions(db):
    admin = make_user(is_admin=True)
    user = make_user()
    old_key = user.session_key
    services.update_user(admin, user, name="U", organisation=None, is_admin=False, is_active=False)
    assert user.session_key != old_key


class TestMemberships:
    def test_park_membership_is_granted_and_audited(self, db):
        admin, user, park = make_user(is_admin=True), make_user(), make_park()
        membership = services.add_membership(admin, user, role=Role.ADVISOR, park=park, today=date(2026, 1, 1))
        assert membership in user.memberships
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.role_granted")).one()
        assert event.park_id == park.id
        assert event.details["role"] == "advisor"

    def test_scope_must_be_exactly_one(self, db):
        admin, user, park = make_user(is_admin=True), make_user(), make_park()
        with pytest.raises(DomainError):
            services.add_membership(admin, user, role=Role.ADVISOR, today=date(2026, 1, 1))
        with pytest.raises(DomainError):
            services.add_membership(
                admin, user, role=Role.ADVISOR, park=park, municipality=park.municipality, today=date(2026, 1, 1)
            )

    def test_municipality_scope_needs_a_municipality(self, db):
        admin, user = make_user(is_admin=True), make_user()
        police = make_organisation(type=OrganisationType.POLITIE)
        with pytest.raises(DomainError, match="gemeente"):
            services.add_membership(admin, user, role=Role.MUNICIPALITY, municipality=police, today=date(2026, 1, 1))

    def test_auditor_needs_a_future_end_date(self, db):
        admin, user, park = make_user(is_admin=True), make_user(), make_park()
        with pytest.raises(DomainError, match="einddatum"):
            services.add_membership(admin, user, role=Role.AUDITOR, park=park, today=date(2026, 1, 1))
        with pytest.raises(DomainError, match="verleden"):
            services.add_membership(
                admin, user, role=Role.AUDITOR, park=park, ends_on=date(2025, 12, 31), today=date(2026, 1, 1)
            )
        services.add_membership(
            admin, user, role=Role.AUDITOR, park=park, ends_on=date(2026, 3, 31), today=date(2026, 1, 1)
        )

    def test_the_same_role_twice_is_refused(self, db):
        admin, user, park = make_user(is_admin=True), make_user(), make_park()
        services.add_membership(admin, user, role=Role.PARTNER, park=park, today=date(2026, 1, 1))
        with pytest.raises(DomainError, match="al"):
            services.add_membership(admin, user, role=Role.PARTNER, park=park, today=date(2026, 1, 1))

    def test_removal_is_audited(self, db):
        admin, user, park = make_user(is_admin=True), make_user(), make_park()
        membership = services.add_membership(admin, user, role=Role.PARTNER, park=park, today=date(2026, 1, 1))
        services.remove_membership(admin, membership)
        assert user.memberships == []
        assert "auth.role_revoked" in _actions(db)

    def test_only_admins_manage_memberships(self, db):
        user, park = make_user(), make_park()
        with pytest.raises(NotAllowed):
            services.add_membership(user, user, role=Role.ADVISOR, park=park, today=date(2026, 1, 1))
