"""Fixtures of the camera tests: a park with an area, its camera network, a camera and members per role.
(Other camera test modules may append their fixtures at the end of this file.)"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.auth.models import Role
from app.cameras import networks
from app.cameras.models import CameraType
from app.extensions import db as _db
from tests.factories import make_member

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
#: a rectangle of about 1.4 x 1.2 km around (52.105, 5.07): lon 5.060-5.080, lat 52.100-52.110
AREA = {
    "type": "Polygon",
    "coordinates": [[[5.06, 52.1], [5.08, 52.1], [5.08, 52.11], [5.06, 52.11], [5.06, 52.1]]],
}
INSIDE = (52.105, 5.07)
#: about 33 m south of the southern edge (lat 52.1): inside the 50 m margin
NEAR_EDGE = (52.0997, 5.07)
#: about 110 m south of the southern edge: outside the margin
OUTSIDE = (52.099, 5.07)

NETWORK_VALUES = {
    "name": "Camerasysteem Lage Weide",
    "owner_name": "Stichting Beveiliging Lage Weide",
    "operator_id": None,
    "operator_contact": "Piet Beheer",
    "operator_email": "beheer@example.nl",
    "operator_phone": "030 123 45 67",
    "monitoring_party": "Meldkamer Midden",
    "contract_starts_on": date(2025, 1, 1),
    "contract_ends_on": date(2027, 12, 31),
    "funding": "Ondernemersfonds",
    "purpose": "Bescherming van eigendommen van de ondernemers.",
    "public_contact": "info@example.nl",
    "retention_days": "28",
    "check_interval_months": "3",
}


def camera_values(**overrides):
    values = {
        "code": "C01",
        "type": CameraType.FIXED.value,
        "lat": str(INSIDE[0]),
        "lon": str(INSIDE[1]),
        "direction": "90",
        "coverage_note": "Kruising bij de ingang",
        "installed_on": date(2025, 6, 1),
        "last_maintenance_on": None,
    }
    values.update(overrides)
    return values


@pytest.fixture
def with_area(park):
    park.area = AREA
    _db.session.flush()
    return park


@pytest.fixture
def camera_officer(park):
    return make_member(Role.CAMERA_OFFICER, park, name="Carla Camera")


@pytest.fixture
def network(with_area, camera_officer):
    return networks.save_network(camera_officer, with_area, NETWORK_VALUES)


@pytest.fixture
def camera(network, camera_officer):
    return networks.save_camera(camera_officer, network, camera_values())
