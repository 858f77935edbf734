"""The rules about one object in app.auth.policy, each as a table of who against what it answers.

The objects are plain stand-ins: the predicates read only their attributes, so that views, services and the API
can ask them of whatever they loaded.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from app.auth.models import Role
from app.auth.policy import (
    may_edit_inspection,
    may_sign_award,
    may_update_action,
    may_write_scan,
    owns_action,
    owns_token,
    results_shown,
    runs_meetings,
    signs_for,
    speaks_for,
)
from app.parks.models import CycleStatus
from app.surveys.models import SurveyStatus
from tests.factories import make_member, make_membership, make_organisation, make_user

OWN, OTHER, REPRESENTATIVE, NOBODY = 1, 2, 7, 8


def _user(user_id: int, organisation_id: int | None) -> SimpleNamespace:
    return SimpleNamespace(id=user_id, organisation_id=organisation_id)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (_user(NOBODY, OWN), True),  # of the stakeholder's organisation
        (_user(REPRESENTATIVE, None), True),  # its representative, of no organisation
        (_user(REPRESENTATIVE, OTHER), True),  # its representative, of another organisation
        (_user(NOBODY, OTHER), False),
        (_user(NOBODY, None), False),
    ],
)
def test_speaks_for(user, expected):
    stakeholder = SimpleNamespace(organisation_id=OWN, representative_user_id=REPRESENTATIVE)
    assert speaks_for(user, stakeholder) is expected


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (_user(NOBODY, OWN), True),
        (_user(REPRESENTATIVE, OTHER), False),  # a representative signs only for their own organisation
        (_user(REPRESENTATIVE, None), False),
        (_user(NOBODY, OTHER), False),
        (_user(NOBODY, None), False),
    ],
)
def test_signs_for(user, expected):
    stakeholder = SimpleNamespace(organisation_id=OWN, representative_user_id=REPRESENTATIVE)
    assert signs_for(user, stakeholder) is expected


@pytest.mark.parametrize(
    ("owners", "expected"),
    [
        ([(OTHER, None), (OWN, None)], True),  # one of the owners is the user's organisation
        ([(OTHER, REPRESENTATIVE)], True),  # the user represents an owner
        ([(OTHER, None)], False),  # another organisation, without a representative
        ([], False),
    ],
)
def test_owns_action(owners, expected):
    action = SimpleNamespace(owners=[SimpleNamespace(organisation_id=o, representative_user_id=r) for o, r in owners])
    assert owns_action(_user(REPRESENTATIVE, OWN), action) is expected


@pytest.mark.parametrize(
    ("status", "period", "expected"),
    [
        (SurveyStatus.DRAFT, 0, False),
        (SurveyStatus.OPEN, 1, False),  # the first period runs
        (SurveyStatus.CLOSED, 1, True),
        (SurveyStatus.OPEN, 2, True),  # opened again: the first period has closed
        (SurveyStatus.CLOSED, 2, True),
    ],
)
def test_results_shown(status, period, expected):
    assert results_shown(SimpleNamespace(status=status, period=period)) is expected


@pytest.mark.parametrize(("token_user", "expected"), [(NOBODY, True), (OTHER, False)])
def test_owns_token(token_user, expected):
    assert owns_token(_user(NOBODY, None), SimpleNamespace(user_id=token_user)) is expected


# The predicates that also ask the role table: real users with memberships on a real park ---------------------


@pytest.fixture
def people(db, park):
    """Users by label: every role on `park`, of the stakeholder's organisation ("own") or another; its
    representative; the working group's chair; an admin, a member of another park, and the anonymous (None)."""
    own, other = make_organisation(), make_organisation()
    people = {
        f"{role.value} {side}": make_member(role, park, organisation=organisation)
        for role in Role
        for side, organisation in (("own", own), ("other", other))
    }
    people["entrepreneur representative"] = make_member(Role.ENTREPRENEUR, park, organisation=other)
    people["entrepreneur chair"] = make_member(Role.ENTREPRENEUR, park, organisation=other)
    people["municipality wide"] = make_user(organisation=other)
    make_membership(people["municipality wide"], Role.MUNICIPALITY, municipality=park.municipality)
    people["advisor ended"] = make_user(organisation=own)
    make_membership(people["advisor ended"], Role.ADVISOR, park=park, ends_on=date.today() - timedelta(days=1))
    people["admin"] = make_user(is_admin=True)
    people["stranger own"] = make_user(organisation=own)
    people[None] = None
    return SimpleNamespace(
        users=people,
        stakeholder=SimpleNamespace(
            organisation_id=own.id,
            representative_user_id=people["entrepreneur representative"].id,
            cycle=SimpleNamespace(park=park, status=CycleStatus.ACTIVE),
        ),
    )


MANAGING = {"advisor own", "advisor other", "municipality own", "municipality other", "municipality wide"}
#: who speaks for the stakeholder (its organisation or its representative), by role
SPEAKING = {"partner own", "entrepreneur own", "entrepreneur representative"}

# every label of `people`: the cases below name the ones a predicate allows, every other one must be refused
LABELS = [
    *(f"{role.value} {side}" for role in Role for side in ("own", "other")),
    "entrepreneur representative",
    "entrepreneur chair",
    "municipality wide",
    "advisor ended",
    "admin",
    "stranger own",
    None,
]


@pytest.mark.parametrize("label", LABELS)
def test_may_update_action(people, label):
    action = SimpleNamespace(
        owners=[people.stakeholder],
        plan=SimpleNamespace(cycle=people.stakeholder.cycle),
    )
    assert may_update_action(people.users[label], action) is (label in MANAGING | SPEAKING | {"admin"})


@pytest.mark.parametrize("label", LABELS)
def test_runs_meetings(people, label):
    cycle = SimpleNamespace(
        park=people.stakeholder.cycle.park,
        chair_id=people.users["entrepreneur chair"].id,
        # a secretary who is no entrepreneur on the park does not pass `meetings.edit`
        secretary_id=people.users["partner own"].id,
    )
    assert runs_meetings(people.users[label], cycle) is (label in MANAGING | {"admin", "entrepreneur chair"})


@pytest.mark.parametrize("label", LABELS)
def test_may_write_scan(people, label):
    assert may_write_scan(people.users[label], people.stakeholder) is (label in MANAGING | SPEAKING | {"admin"})


@pytest.mark.parametrize("label", ["advisor own", "admin", "partner own"])
def test_nobody_writes_the_scan_of_a_closed_cycle(people, label):
    people.stakeholder.cycle.status = CycleStatus.CLOSED
    assert not may_write_scan(people.users[label], people.stakeholder)


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("status", [CycleStatus.ACTIVE, CycleStatus.CLOSED])
def test_may_edit_inspection(people, label, status):
    walkers = {f"{role} {side}" for role in ("partner", "entrepreneur") for side in ("own", "other")}
    walkers |= MANAGING | {"admin", "entrepreneur representative", "entrepreneur chair"}
    inspection = SimpleNamespace(cycle=SimpleNamespace(park=people.stakeholder.cycle.park, status=status))
    expected = status == CycleStatus.ACTIVE and label in walkers
    assert may_edit_inspection(people.users[label], inspection) is expected


@pytest.mark.parametrize("label", LABELS)
def test_may_sign_award(people, park, label):
    # every current role but the auditor's, whichever organisation; the admin bypass does not sign
    signers = {name for name in LABELS if name is not None and name.split()[0] in {r.value for r in Role}}
    signers -= {"auditor own", "auditor other", "advisor ended"}
    assert may_sign_award(people.users[label], park) is (label in signers)
