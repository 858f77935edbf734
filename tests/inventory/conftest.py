"""Fixtures of the inventory tests: a park with an area, its stakeholders, members per role and test images."""

from __future__ import annotations

from datetime import date

import pytest

from app.auth.models import Role
from app.extensions import db as _db
from app.inventory.models import Finding, FindingCategory, Inspection, Light, Severity
from app.parks.services import active_cycle
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_organisation

TODAY = date(2026, 3, 2)
#: a rectangle of about 1.4 x 1.2 km around (52.105, 5.07): lon 5.060-5.080, lat 52.100-52.110
AREA = {
    "type": "Polygon",
    "coordinates": [[[5.06, 52.1], [5.08, 52.1], [5.08, 52.11], [5.06, 52.11], [5.06, 52.1]]],
}
INSIDE = (52.105, 5.07)


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


@pytest.fixture
def with_area(park):
    park.area = AREA
    _db.session.flush()
    return park


def add_stakeholder(park, name: str, type: OrganisationType, role: PpsRole, **fields) -> Stakeholder:
    stakeholder = Stakeholder(organisation=make_organisation(name=name, type=type), role=role, **fields)
    active_cycle(park).stakeholders.append(stakeholder)
    _db.session.flush()
    return stakeholder


@pytest.fixture
def police(park) -> Stakeholder:
    return add_stakeholder(park, "Politie Midden-Nederland", OrganisationType.POLITIE, PpsRole.POLITIE)


@pytest.fixture
def entrepreneurs(park) -> Stakeholder:
    return add_stakeholder(
        park, "Ondernemersvereniging Lage Weide", OrganisationType.ONDERNEMERSVERENIGING, PpsRole.ONDERNEMERS
    )


def make_inspection(park, **fields) -> Inspection:
    values = {"held_on": date(2026, 2, 20), "light": Light.DARK, "participants": "Peter Politie"} | fields
    inspection = Inspection(cycle=active_cycle(park), **values)
    _db.session.add(inspection)
    _db.session.flush()
    return inspection


def make_finding(inspection: Inspection, **fields) -> Finding:
    values = {
        "category": FindingCategory.VERLICHTING,
        "severity": Severity.HIGH,
        "description": "Lantaarnpaal kapot bij de ingang",
        "suggested_action": "Melden bij de gemeente en vervangen",
        "lat": INSIDE[0],
        "lon": INSIDE[1],
    } | fields
    finding = Finding(**values)
    inspection.findings.append(finding)
    _db.session.flush()
    return finding
