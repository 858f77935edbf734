"""The rules of the camera network and its cameras (app/cameras/networks.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cameras import networks
from app.cameras.models import Camera, CameraStatus, CameraType
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.parks.geometry import metres_outside, within_metres
from tests.cameras.conftest import AREA, INSIDE, NEAR_EDGE, NETWORK_VALUES, OUTSIDE, TODAY, camera_values
from tests.factories import make_member


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_geometry_margin():
    assert metres_outside(AREA, *INSIDE) == 0
    assert 25 < metres_outside(AREA, *NEAR_EDGE) < 40
    assert within_metres(AREA, *NEAR_EDGE, 50)
    assert not within_metres(AREA, *OUTSIDE, 50)


def test_create_and_update_network(with_area, camera_officer):
    network = networks.save_network(camera_officer, with_area, NETWORK_VALUES)
    assert network.park_id == with_area.id
    assert network.retention_days == 28
    assert network.monitoring_party == "Meldkamer Midden"
    again = networks.save_network(camera_officer, with_area, {**NETWORK_VALUES, "retention_days": "14"})
    assert again.id == network.id  # one network per park
    assert again.retention_days == 14
    assert _actions() == ["cameras.network_saved", "cameras.network_saved"]
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.details["changed"] == ["retention_days"]


@pytest.mark.parametrize("days", ["29", "100", "0", "-1", "veertien", ""])
def test_retention_outside_range_refused(with_area, camera_officer, days):
    with pytest.raises(DomainError) as refused:
        networks.save_network(camera_officer, with_area, {**NETWORK_VALUES, "retention_days": days})
    assert "dag" in refused.value.message
    assert networks.network_of(with_area) is None


def test_retention_above_28_names_the_limit(with_area, camera_officer):
    with pytest.raises(DomainError, match="hoogstens 28 dagen"):
        networks.save_network(camera_officer, with_area, {**NETWORK_VALUES, "retention_days": "29"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": " "}, "naam"),
        ({"check_interval_months": "13"}, "12 maanden"),
        ({"contract_ends_on": NETWORK_VALUES["contract_starts_on"].replace(year=2024)}, "eindigt"),
        ({"operator_id": 999_999}, "organisatie"),
    ],
)
def test_network_refusals(with_area, camera_officer, change, message):
    with pytest.raises(DomainError, match=message):
        networks.save_network(camera_officer, with_area, {**NETWORK_VALUES, **change})


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.ADVISOR, Role.PARTNER, Role.AUDITOR])
def test_only_camera_editors_save(with_area, role):
    with pytest.raises(NotAllowed):
        networks.save_network(make_member(role, with_area), with_area, NETWORK_VALUES)


def test_municipality_may_save(with_area):
    member = make_member(Role.MUNICIPALITY, with_area)
    assert networks.save_network(member, with_area, NETWORK_VALUES).name


def test_add_camera(network, camera_officer):
    camera = networks.save_camera(camera_officer, network, camera_values(lat="52,105", lon="5,07"))
    assert (camera.lat, camera.lon) == INSIDE
    assert camera.type == CameraType.FIXED
    assert camera.status == CameraStatus.ACTIVE
    assert camera.direction == 90
    assert "cameras.camera_added" in _actions()


def test_camera_within_50_metres_of_the_edge_accepted(network, camera_officer):
    camera = networks.save_camera(camera_officer, network, camera_values(lat=str(NEAR_EDGE[0]), lon=str(NEAR_EDGE[1])))
    assert camera.lat == NEAR_EDGE[0]


def test_camera_outside_the_margin_refused(network, camera_officer):
    with pytest.raises(DomainError, match="50 meter buiten het park"):
        networks.save_camera(camera_officer, network, camera_values(lat=str(OUTSIDE[0]), lon=str(OUTSIDE[1])))
    assert db.session.scalar(select(Camera)) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lat": "", "lon": ""}, "kaart"),
        ({"lat": "abc"}, "kaart"),
        ({"lat": "48.0", "lon": "2.0"}, "Nederland"),
        ({"direction": "360"}, "359"),
        ({"direction": "-1"}, "359"),
        ({"direction": "oost"}, "359"),
        ({"type": "drone"}, "soort"),
        ({"code": ""}, "code"),
    ],
)
def test_camera_refusals(network, camera_officer, change, message):
    with pytest.raises(DomainError, match=message):
        networks.save_camera(camera_officer, network, camera_values(**change))


def test_code_unique_per_network(camera, network, camera_officer, other_park):
    with pytest.raises(DomainError, match="al een camera met de code C01"):
        networks.save_camera(camera_officer, network, camera_values())
    # updating the camera itself keeps its code
    networks.save_camera(camera_officer, network, camera_values(direction="180"), camera=camera)
    assert camera.direction == 180
    # another park's network may use the same code
    officer = make_member(Role.CAMERA_OFFICER, other_park)
    other = networks.save_network(officer, other_park, NETWORK_VALUES)
    assert networks.save_camera(officer, other, camera_values()).code == "C01"


def test_status_removed_records_the_day(camera, camera_officer):
    networks.set_camera_status(camera_officer, camera, CameraStatus.REMOVED, today=TODAY)
    assert camera.removed_on == TODAY
    assert networks.summary(camera.network.park).active == 0
    networks.set_camera_status(camera_officer, camera, CameraStatus.ACTIVE, today=TODAY)
    assert camera.removed_on is None
    with pytest.raises(DomainError):
        networks.set_camera_status(camera_officer, camera, CameraStatus.ACTIVE, today=TODAY)
    assert _actions().count("cameras.camera_status") == 2


def test_summary_counts_active_cameras_by_type(network, camera_officer):
    networks.save_camera(camera_officer, network, camera_values(code="A1", type="anpr"))
    networks.save_camera(camera_officer, network, camera_values(code="A2", type="anpr"))
    defect = networks.save_camera(camera_officer, network, camera_values(code="V1"))
    networks.set_camera_status(camera_officer, defect, CameraStatus.DEFECT, today=TODAY)
    summary = networks.summary(network.park)
    assert summary.active == 2
    assert summary.by_type == [(str(CameraType.ANPR.label), 2)]


def test_public_register_lists_parks_with_cameras_without_positions(network, camera, other_park):
    entries = networks.public_register()
    assert len(entries) == 1
    entry = entries[0]
    assert entry.park_name == network.park.name
    assert entry.cameras == 1
    assert entry.retention_days == 28
    assert entry.owner == "Stichting Beveiliging Lage Weide"
    assert not {"lat", "lon", "code"} & set(vars(entry))


def test_csv_round_trip(camera, network, camera_officer):
    data = networks.export_csv(network)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Code;Soort;Breedtegraad;Lengtegraad")
    assert "C01;Vaste camera;52.105000;5.070000;90" in text
    added = text + "C02;Kentekencamera (ANPR);52,1050;5,0750;;Ingang noord;01-02-2026;;Actief\r\n"
    result = networks.import_csv(camera_officer, network, "cameras.csv", added.encode())
    assert (result.added, result.updated) == (1, 1)
    codes = {c.code: c for c in network.cameras}
    assert codes["C02"].type == CameraType.ANPR
    assert codes["C02"].installed_on.isoformat() == "2026-02-01"
    assert "cameras.imported" in _actions()


def test_import_writes_nothing_when_a_row_is_refused(network, camera_officer):
    text = (
        "Code;Soort;Breedtegraad;Lengtegraad\r\n"
        "C10;vast;52.105;5.07\r\n"
        f"C11;vast;{OUTSIDE[0]};{OUTSIDE[1]}\r\n"
        "C10;vast;52.105;5.07\r\n"
        "C12;drone;52.105;5.07\r\n"
    )
    with pytest.raises(networks.ImportRefused) as refused:
        networks.import_csv(camera_officer, network, "cameras.csv", text.encode())
    rows = dict(refused.value.errors)
    assert set(rows) == {3, 4, 5}
    assert "50 meter" in rows[3]
    assert "twee keer" in rows[4]
    db.session.rollback()
    assert db.session.scalar(select(Camera)) is None


def test_import_refuses_a_file_without_the_columns(network, camera_officer):
    with pytest.raises(DomainError):
        networks.import_csv(camera_officer, network, "cameras.csv", b"Naam;Plaats\r\nx;y\r\n")
