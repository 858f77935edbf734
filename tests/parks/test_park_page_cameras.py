"""The camera layer of the park page map and the city overview map: camera positions only for users with
`cameras.view` on the park (never in the embedded JSON for entrepreneurs or partners)."""

from __future__ import annotations

import json
import re

import pytest

from app.auth.models import Role
from app.cameras.models import Camera, CameraNetwork, CameraStatus, CameraType
from app.extensions import db as _db
from tests.factories import make_member, make_membership, make_user


def add_cameras(park, *codes_and_statuses) -> CameraNetwork:
    network = CameraNetwork(park=park, name=f"Netwerk {park.name}")
    for code, status, lat in codes_and_statuses:
        network.cameras.append(Camera(code=code, type=CameraType.ANPR, lat=lat, lon=5.07, status=status))
    _db.session.add(network)
    _db.session.flush()
    return network


def map_json(response, block_id: str) -> dict:
    body = response.get_data(as_text=True)
    match = re.search(rf'<script type="application/json" id="{block_id}">(.*?)</script>', body, re.S)
    assert match, block_id
    return json.loads(match.group(1))


@pytest.fixture
def cameras(park):
    return add_cameras(
        park,
        ("KW-01", CameraStatus.ACTIVE, 52.1051),
        ("KW-02", CameraStatus.DEFECT, 52.1052),
        ("KW-03", CameraStatus.REMOVED, 52.1053),
    )


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER])
def test_park_page_hides_camera_positions(login_as, db, park, cameras, role):
    response = login_as(make_member(role, park)).get(f"/parken/{park.id}")
    assert response.status_code == 200
    data = map_json(response, "park-map-data")
    assert "cameras" not in data
    body = response.get_data(as_text=True)
    assert "KW-01" not in body and "52.1051" not in body


@pytest.mark.parametrize("role", [Role.CAMERA_OFFICER, Role.MUNICIPALITY, Role.ADVISOR])
def test_park_page_shows_cameras_not_removed(login_as, db, park, cameras, role):
    data = map_json(login_as(make_member(role, park)).get(f"/parken/{park.id}"), "park-map-data")
    assert [(c["code"], c["status"], c["type"]) for c in data["cameras"]] == [
        ("KW-01", "Actief", "Kentekencamera (ANPR)"),
        ("KW-02", "Defect", "Kentekencamera (ANPR)"),
    ]
    assert data["cameras"][0]["lat"] == 52.1051 and data["camera_layer"]
    # the marker's shape and colour: type and state now (defect as recorded; offline while an outage is open)
    assert [(c["kind"], c["state"], c["label"]) for c in data["cameras"]] == [
        ("anpr", "online", "KW-01 · Kentekencamera (ANPR) · Online"),
        ("anpr", "defect", "KW-02 · Kentekencamera (ANPR) · Defect"),
    ]
    assert [kind for kind, _label, _shape in data["camera_legend"]["types"]] == ["vast", "flexibel", "anpr"]
    page = login_as(make_member(role, park)).get(f"/parken/{park.id}").get_data(as_text=True)
    assert 'data-testid="camera-legend"' in page and "js/camera-markers.js" in page


def test_a_camera_with_an_open_outage_is_offline_on_the_park_map(login_as, db, park, cameras):
    from datetime import UTC, datetime

    from sqlalchemy import select

    from app.cameras.models import CameraOutage

    first = db.session.scalar(select(Camera).where(Camera.code == "KW-01"))
    db.session.add(CameraOutage(camera=first, started_at=datetime(2026, 3, 1, tzinfo=UTC)))
    db.session.commit()
    data = map_json(login_as(make_member(Role.CAMERA_OFFICER, park)).get(f"/parken/{park.id}"), "park-map-data")
    assert [c["state"] for c in data["cameras"]] == ["offline", "defect"]


def test_city_map_camera_layer_only_for_permitted_parks(login_as, db, park, other_park, cameras):
    add_cameras(other_park, ("PD-01", CameraStatus.ACTIVE, 52.09))
    for p in (park, other_park):
        p.area_lat, p.area_lon = 52.1, 5.07
    advisor = make_member(Role.ADVISOR, park)
    make_membership(advisor, Role.ENTREPRENEUR, park=other_park)
    data = map_json(login_as(advisor).get("/parken/"), "city-map-data")
    assert [p["name"] for p in data["parks"]] == [park.name]
    assert [c["code"] for c in data["cameras"]] == ["KW-01", "KW-02"]
    assert {c["park_id"] for c in data["cameras"]} == {park.id}
    # filtering the overview filters the camera layer too
    data = map_json(login_as(advisor).get("/parken/?q=zzz"), "city-map-data")
    assert data["cameras"] == []


def test_city_map_camera_layer_for_municipality(login_as, db, park, cameras):
    user = make_user()
    make_membership(user, Role.MUNICIPALITY, municipality=park.municipality)
    data = map_json(login_as(user).get("/parken/"), "city-map-data")
    assert [c["code"] for c in data["cameras"]] == ["KW-01", "KW-02"]
