"""Fixtures of the meeting tests: a park whose active cycle runs 2026-2027 with the core stakeholders (the police
represented by a user who reads English, the others by name and email), an advisor, the working group's chair and
secretary, and helpers that schedule a meeting through the service. (Other fixtures may be appended below.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from app.auth.models import Role
from app.extensions import db as _db
from app.meetings import services
from app.meetings.models import MeetingKind
from app.parks.services import active_cycle
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_organisation, make_user

#: "now" of the service tests: a Monday in the first plan quarter
NOW = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
AGENDA = [
    {"title": "Opening en mededelingen", "note": ""},
    {"title": "Resultaten van de schouw", "note": "Toelichting door de wijkagent\nFoto's van de Atoomweg"},
    {"title": "Rondvraag", "note": ""},
]


def values(**overrides) -> services.MeetingValues:
    """A working session on Thursday 12 March 2026, 19:30-21:00 Amsterdam time (18:30-20:00 UTC)."""
    fields = {
        "kind": MeetingKind.WORKING,
        "title": "Werksessie veiligheid",
        "on": date(2026, 3, 12),
        "starts_at": time(19, 30),
        "ends_at": time(21, 0),
        "location": "Kantine Van Hal Transport, Atoomweg 50",
        "agenda": AGENDA,
    } | overrides
    return services.MeetingValues(**fields)


def schedule(actor, cycle, *, now=NOW, **overrides):
    return services.schedule_meeting(actor, cycle, values(**overrides))


@pytest.fixture
def cycle(park):
    """The park's active cycle, from 2026-01-01 to 2027-12-31."""
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on = date(2026, 1, 1), date(2027, 12, 31)
    _db.session.flush()
    return cycle


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur", email="anouk@pvo.example")


@pytest.fixture
def core(cycle, park) -> dict[PpsRole, Stakeholder]:
    """The municipality, police, fire brigade and entrepreneurs' association as stakeholders, by role. The police's
    representative is a user whose language is English; the others are a name with an email address."""
    police_user = make_user(name="Wendy Wijkagent", email="wendy@politie.example", locale="en")
    kinds = {
        PpsRole.GEMEENTE: (park.municipality, None, ("Gerrit Gemeente", "gerrit@utrecht.example")),
        PpsRole.POLITIE: (None, ("Politie Midden-Nederland", OrganisationType.POLITIE), None),
        PpsRole.BRANDWEER: (
            None,
            ("Veiligheidsregio Utrecht", OrganisationType.BRANDWEER),
            ("Bram Brand", "bram@vru.example"),
        ),
        PpsRole.ONDERNEMERS: (
            None,
            ("Ondernemersvereniging Lage Weide", OrganisationType.ONDERNEMERSVERENIGING),
            ("Kees van Hal", "kees@vanhal.example"),
        ),
    }
    stakeholders = {}
    for role, (organisation, new, contact) in kinds.items():
        organisation = organisation or make_organisation(name=new[0], type=new[1])
        stakeholder = Stakeholder(organisation=organisation, role=role)
        if contact is None:
            stakeholder.representative_user = police_user
        else:
            stakeholder.representative_name, stakeholder.representative_email = contact
        cycle.stakeholders.append(stakeholder)
        stakeholders[role] = stakeholder
    _db.session.flush()
    return stakeholders


@pytest.fixture
def chair(park, cycle):
    """The working group's chair (an entrepreneur); the secretary is another."""
    chair = make_member(Role.ENTREPRENEUR, park, name="Olga Ondernemer")
    secretary = make_member(Role.ENTREPRENEUR, park, name="Sanne Secretaris")
    cycle.chair_id, cycle.secretary_id = chair.id, secretary.id
    _db.session.flush()
    return chair
