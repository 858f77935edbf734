"""Fixtures of the plan tests: a park whose active cycle runs 2026-2027, with the four core stakeholders, a plan
starting in 2026-Q1, and users per role. (Other fixtures may be appended below.)"""

from __future__ import annotations

from datetime import date

import pytest

from app.auth.models import Role
from app.extensions import db as _db
from app.goals import services as goals
from app.parks.services import active_cycle
from app.plans.models import Direction, Goal, GoalSource, Plan, Theme
from app.plans.services import plan_for
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_organisation

TODAY = date(2026, 3, 10)
#: a goal counted by hand: fewer burglaries, from 12 to 5 a year by the end of 2027
BURGLARIES = {
    "theme": Theme.VEILIG,
    "title": "Minder inbraken",
    "indicator": "Inbraken per jaar",
    "source": GoalSource.MANUAL,
    "direction": Direction.DOWN,
    "target": 5,
    "baseline": 12,
    "deadline": date(2027, 12, 31),
}


def set_goal(actor, cycle, *, today=TODAY, **overrides) -> Goal:
    """A goal of the cycle set by the service: BURGLARIES with the overrides."""
    return goals.create_goal(actor, cycle, goals.GoalFields(**(BURGLARIES | overrides)), today=today)


@pytest.fixture
def cycle(park):
    """The park's active cycle, from 2026-01-01 to 2027-12-31."""
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on = date(2026, 1, 1), date(2027, 12, 31)
    _db.session.flush()
    return cycle


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


@pytest.fixture
def core(cycle, park) -> dict[PpsRole, Stakeholder]:
    """The municipality, police, fire brigade and entrepreneurs' association as stakeholders, by role."""
    kinds = {
        PpsRole.GEMEENTE: (park.municipality, None),
        PpsRole.POLITIE: (None, ("Politie Midden-Nederland", OrganisationType.POLITIE)),
        PpsRole.BRANDWEER: (None, ("Veiligheidsregio Utrecht", OrganisationType.BRANDWEER)),
        PpsRole.ONDERNEMERS: (None, ("Ondernemersvereniging Lage Weide", OrganisationType.ONDERNEMERSVERENIGING)),
    }
    stakeholders = {}
    for role, (organisation, new) in kinds.items():
        organisation = organisation or make_organisation(name=new[0], type=new[1])
        stakeholder = Stakeholder(organisation=organisation, role=role, representative_name=f"Contact {role.value}")
        cycle.stakeholders.append(stakeholder)
        stakeholders[role] = stakeholder
    _db.session.flush()
    return stakeholders


@pytest.fixture
def plan(cycle) -> Plan:
    """The cycle's plan, quarter 1 being 2026-Q1."""
    return plan_for(cycle, today=TODAY)


@pytest.fixture
def police_officer(park, core):
    """A partner user of the police organisation that owns police actions."""
    return make_member(Role.PARTNER, park, name="Peter Politie", organisation=core[PpsRole.POLITIE].organisation)


@pytest.fixture
def entrepreneur(park, core):
    """An entrepreneur of the association that owns the entrepreneurs' actions."""
    return make_member(
        Role.ENTREPRENEUR, park, name="Olga Ondernemer", organisation=core[PpsRole.ONDERNEMERS].organisation
    )
