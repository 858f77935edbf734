from __future__ import annotations

from datetime import date, timedelta

import pytest
from werkzeug.exceptions import NotFound

from app.auth.models import Role
from app.auth.policy import PERMISSIONS, can, ensure_can, ensure_can_or_404, roles_on
from app.errors import NotAllowed
from tests.factories import make_membership, make_park, make_user

TODAY = date(2026, 11, 23)

MANAGERS = {Role.ADVISOR, Role.MUNICIPALITY}
EXPECTED = {
    # action: roles that may do it on their own park
    "park.view": set(Role),
    "park.members.view": MANAGERS | {Role.AUDITOR},
    "park.area.edit": MANAGERS,
    "companies.view": MANAGERS | {Role.AUDITOR},
    "companies.edit": MANAGERS,
    "steps.complete": MANAGERS,
    "stakeholders.view": set(Role),
    "stakeholders.edit": MANAGERS,
    "parks.overview": MANAGERS,
    "surveys.manage": MANAGERS,
    "surveys.results": MANAGERS | {Role.PARTNER, Role.AUDITOR},
    "surveys.raw": {Role.ADVISOR},
    "inventory.view": set(Role),
    "figures.edit": MANAGERS | {Role.PARTNER},
    "scan.edit": MANAGERS | {Role.PARTNER, Role.ENTREPRENEUR},
    "inspections.edit": MANAGERS | {Role.PARTNER, Role.ENTREPRENEUR},
    "goals.edit": MANAGERS,
    "plans.view": set(Role),
    "plans.edit": MANAGERS,
    "plans.adopt": MANAGERS,
    "actions.update": MANAGERS | {Role.PARTNER, Role.ENTREPRENEUR},
    "calendar.edit": MANAGERS,
    "calendar.subscribe": set(Role) - {Role.AUDITOR},
    "plans.overview": MANAGERS,
    "cameras.summary": set(Role),
    "cameras.view": MANAGERS | {Role.CAMERA_OFFICER, Role.AUDITOR},
    "cameras.edit": {Role.CAMERA_OFFICER, Role.MUNICIPALITY},
    "cameras.checks": {Role.CAMERA_OFFICER},
    "cameras.evaluate": {Role.CAMERA_OFFICER, Role.MUNICIPALITY},
    "cameras.footage": {Role.CAMERA_OFFICER},
    "cameras.overview": MANAGERS | {Role.CAMERA_OFFICER},
    "meetings.view": set(Role),
    "meetings.edit": MANAGERS | {Role.ENTREPRENEUR},
    "awards.view": set(Role),
    "awards.manage": MANAGERS,
    "awards.sign": set(Role) - {Role.AUDITOR},
    "cycles.recalibrate": MANAGERS,
    "cycles.recalibration_undo": set(),
    "park.pause": MANAGERS,
    "parks.create": MANAGERS,
    "stakeholders.create_organisation": MANAGERS,
    "dashboard.view": MANAGERS,
    "dossier.view": MANAGERS | {Role.AUDITOR},
    "audit.view": MANAGERS,
    "admin.manage": set(),
}


def test_every_action_is_declared_here():
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_role_matrix_on_own_and_other_park(db, role, action):
    park, other = make_park(), make_park()
    user = make_user()
    make_membership(user, role, park=park, ends_on=TODAY + timedelta(days=10) if role == Role.AUDITOR else None)
    assert can(user, action, park, today=TODAY) is (role in EXPECTED[action])
    assert can(user, action, other, today=TODAY) is False
    assert can(user, action, None, today=TODAY) is False


def test_municipality_wide_membership_covers_every_park_of_that_municipality(db):
    park = make_park()
    sibling = make_park(municipality=park.municipality)
    elsewhere = make_park()
    officer = make_user()
    make_membership(officer, Role.MUNICIPALITY, municipality=park.municipality)
    assert can(officer, "audit.view", park, today=TODAY)
    assert can(officer, "audit.view", sibling, today=TODAY)
    assert not can(officer, "park.view", elsewhere, today=TODAY)


def test_membership_ends_after_its_last_day(db):
    park = make_park()
    auditor = make_user()
    make_membership(auditor, Role.AUDITOR, park=park, ends_on=TODAY)
    assert roles_on(auditor, park, today=TODAY) == {Role.AUDITOR}
    assert roles_on(auditor, park, today=TODAY + timedelta(days=1)) == set()
    assert not can(auditor, "park.view", park, today=TODAY + timedelta(days=1))


def test_admin_may_do_everything_and_blocked_users_nothing(db):
    park = make_park()
    admin = make_user(is_admin=True)
    assert all(can(admin, action, park, today=TODAY) for action in EXPECTED)
    assert can(admin, "admin.manage", today=TODAY)
    admin.is_active = False
    assert not can(admin, "park.view", park, today=TODAY)


def test_anonymous_may_do_nothing(db):
    assert not can(None, "park.view", make_park(), today=TODAY)


def test_unknown_action_is_a_programming_error(db):
    with pytest.raises(KeyError):
        can(make_user(), "park.fly", make_park())


def test_ensure_can_raises_not_allowed(db):
    with pytest.raises(NotAllowed):
        ensure_can(make_user(), "park.view", make_park())


def test_a_park_one_may_not_see_is_not_found_and_one_one_sees_is_forbidden(db):
    park = make_park()
    stranger, expired, entrepreneur, advisor = make_user(), make_user(), make_user(), make_user()
    make_membership(expired, Role.ADVISOR, park=park, ends_on=TODAY - timedelta(days=1))
    make_membership(entrepreneur, Role.ENTREPRENEUR, park=park)
    make_membership(advisor, Role.ADVISOR, park=park)
    for hidden in (None, stranger, expired):
        with pytest.raises(NotFound):
            ensure_can_or_404(hidden, "companies.edit", park, today=TODAY)
    with pytest.raises(NotAllowed):
        ensure_can_or_404(entrepreneur, "companies.edit", park, today=TODAY)
    ensure_can_or_404(advisor, "companies.edit", park, today=TODAY)
