"""The camera pages of a park: summary for everyone, list and map for viewers, forms for editors, CSV, and the
public register."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.cameras.models import Camera, CameraNetwork, CameraStatus
from app.extensions import db as _db
from tests.cameras.conftest import INSIDE, NETWORK_VALUES, OUTSIDE
from tests.factories import make_member

VIEWERS = {Role.ADVISOR, Role.MUNICIPALITY, Role.CAMERA_OFFICER, Role.AUDITOR}
EDITORS = {Role.CAMERA_OFFICER, Role.MUNICIPALITY}


def _url(park, suffix=""):
    return f"/parken/{park.id}/cameras/{suffix}"


def _network_form(**overrides):
    data = {key: ("" if value is None else str(value)) for key, value in NETWORK_VALUES.items()}
    data.update(overrides)
    return data


def test_pages_by_role(login_as, park, other_park, network, camera, role):
    client = login_as(make_member(role, park))
    for suffix, allowed in [
        ("", set(Role)),
        ("netwerk", EDITORS),
        ("nieuw", EDITORS),
        (f"{camera.id}", EDITORS),
        ("cameras.csv", VIEWERS),
        ("importeren", EDITORS),
    ]:
        assert client.get(_url(park, suffix)).status_code == (200 if role in allowed else 403), suffix
    # another park: the member has no role there, so it looks like a park that does not exist (404)
    for suffix in ("", "netwerk", "nieuw", "importeren"):
        assert client.get(_url(other_park, suffix)).status_code == 404, suffix
    assert client.get(_url(other_park, f"{camera.id}")).status_code == 404


def test_entrepreneur_sees_only_the_summary(login_as, park, network, camera):
    page = login_as(make_member(Role.ENTREPRENEUR, park)).get(_url(park)).get_data(as_text=True)
    assert "Meldkamer Midden" in page and "28 dagen" in page
    assert "Bescherming van eigendommen" in page
    assert "C01" not in page and "camera-map-data" not in page and "52.105" not in page
    assert "Piet Beheer" not in page


def test_viewer_sees_the_list_and_the_map(login_as, park, network, camera):
    page = login_as(make_member(Role.AUDITOR, park)).get(_url(park)).get_data(as_text=True)
    assert "C01" in page and "Kruising bij de ingang" in page
    data = json.loads(re.search(r'id="camera-map-data">(.*?)</script>', page, re.S).group(1))
    assert data["points"][0]["lat"] == INSIDE[0] and data["points"][0]["url"] is None
    assert data["area"]["type"] == "Polygon"
    assert "Camera toevoegen" not in page


def test_camera_officer_of_park_a_cannot_see_park_b(login_as, park, other_park, network, camera):
    client = login_as(make_member(Role.CAMERA_OFFICER, other_park))
    assert client.get(_url(park)).status_code == 404
    assert client.get(_url(park, "cameras.csv")).status_code == 404
    assert client.get(_url(park, f"{camera.id}")).status_code == 404
    assert client.get(_url(other_park, f"{camera.id}")).status_code == 404
    assert client.post(_url(other_park, f"{camera.id}/status"), data={"status": "defect"}).status_code == 404


def test_posts_by_readers_are_refused(login_as, park, network, camera):
    client = login_as(make_member(Role.AUDITOR, park))
    for suffix, data in [
        ("netwerk", _network_form(retention_days="7")),
        ("nieuw", {"code": "C09", "type": "vast", "lat": "52.105", "lon": "5.07"}),
        (f"{camera.id}", {"code": "X", "type": "vast", "lat": "52.105", "lon": "5.07"}),
        (f"{camera.id}/status", {"status": "verwijderd"}),
        ("importeren", {}),
    ]:
        assert client.post(_url(park, suffix), data=data).status_code == 403, suffix
    _db.session.expire_all()
    assert _db.session.scalar(select(CameraNetwork)).retention_days == 28
    assert [c.code for c in _db.session.scalars(select(Camera))] == ["C01"]


def test_network_and_camera_through_the_pages(login_as, park, with_area):
    client = login_as(make_member(Role.MUNICIPALITY, park))
    page = client.get(_url(park)).get_data(as_text=True)
    assert "Cameranetwerk vastleggen" in page
    # without a network there is nothing to add cameras to
    assert client.get(_url(park, "nieuw")).status_code == 302
    response = client.post(_url(park, "netwerk"), data=_network_form(retention_days="30"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "hoogstens 28 dagen" in page and 'value="30"' in page
    assert client.post(_url(park, "netwerk"), data=_network_form()).status_code == 302
    form = client.get(_url(park, "nieuw")).get_data(as_text=True)
    assert 'data-lat-field="lat"' in form and 'id="camera-map-data"' in form
    response = client.post(
        _url(park, "nieuw"), data={"code": "C01", "type": "anpr", "lat": str(OUTSIDE[0]), "lon": str(OUTSIDE[1])}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "50 meter buiten het park" in page and f'value="{OUTSIDE[0]}"' in page
    response = client.post(
        _url(park, "nieuw"), data={"code": "C01", "type": "anpr", "lat": "52,105", "lon": "5,07", "direction": "45"}
    )
    assert response.status_code == 302
    camera = _db.session.scalar(select(Camera))
    assert camera.lat == INSIDE[0] and camera.direction == 45
    page = client.get(_url(park)).get_data(as_text=True)
    assert "C01" in page and "Kentekencamera" in page
    edit = client.get(_url(park, f"{camera.id}")).get_data(as_text=True)
    assert 'value="C01"' in edit and "Markeren als verwijderd" in edit
    asked = client.post(_url(park, f"{camera.id}/status"), data={"status": "verwijderd"})
    assert asked.status_code == 200 and "Ja, camera C01 verwijderen" in asked.text
    assert 'name="status" value="verwijderd"' in asked.text and 'name="confirmed" value="1"' in asked.text
    _db.session.expire_all()
    assert _db.session.get(Camera, camera.id).status == CameraStatus.ACTIVE
    response = client.post(_url(park, f"{camera.id}/status"), data={"status": "verwijderd", "confirmed": "1"})
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Camera, camera.id).status == CameraStatus.REMOVED
    assert client.post(_url(park, f"{camera.id}/status"), data={"status": "kapot"}).status_code == 400
    # marking it active or defect again is no removal: at once
    assert client.post(_url(park, f"{camera.id}/status"), data={"status": "defect"}).status_code == 302


def test_csv_export_and_import(login_as, park, network, camera):
    client = login_as(make_member(Role.CAMERA_OFFICER, park))
    response = client.get(_url(park, "cameras.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert "C01;Vaste camera" in text
    bad = text + f"C02;vast;{OUTSIDE[0]};{OUTSIDE[1]}\r\nC03;vast;52.105;5.071\r\n"
    response = client.post(_url(park, "importeren"), data={"file": (io.BytesIO(bad.encode()), "cameras.csv")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Geweigerde regels" in page and "50 meter" in page and "niets ingelezen" in page
    _db.session.expire_all()
    assert len(_db.session.scalars(select(Camera)).all()) == 1
    good = text + "C03;vast;52.105;5.071\r\n"
    response = client.post(_url(park, "importeren"), data={"file": (io.BytesIO(good.encode()), "cameras.csv")})
    assert response.status_code == 302
    assert sorted(c.code for c in _db.session.scalars(select(Camera))) == ["C01", "C03"]


def test_export_without_network_is_404(login_as, park):
    assert login_as(make_member(Role.AUDITOR, park)).get(_url(park, "cameras.csv")).status_code == 404


@pytest.mark.parametrize("logged_in", [False, True])
def test_public_register_shows_no_positions(app, login_as, park, network, camera, logged_in):
    client = login_as(make_member(Role.ENTREPRENEUR, park)) if logged_in else app.test_client()
    response = client.get("/cameraregister/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert park.name in page and "Stichting Beveiliging Lage Weide" in page and "28 dagen" in page
    assert "info@example.nl" in page
    assert "C01" not in page and "52.105" not in page and "5.07" not in page and "Meldkamer Midden" not in page
    assert "beheer@example.nl" not in page


def test_public_register_without_cameras(app, db):
    page = app.test_client().get("/cameraregister/").get_data(as_text=True)
    assert "nog geen cameranetwerken" in page


def test_posting_a_camera_before_the_network_exists_is_refused(login_as, park, with_area):
    client = login_as(make_member(Role.CAMERA_OFFICER, park))
    response = client.post(_url(park, "nieuw"), data={"code": "C01", "type": "vast", "lat": "52.105", "lon": "5.07"})
    assert response.status_code == 422
    assert "Leg eerst het cameranetwerk vast" in response.get_data(as_text=True)
    assert _db.session.scalar(select(Camera)) is None


# The markers on the map: type by shape, state by colour and sign, with a legend in words --------------------------


def test_the_map_markers_carry_type_and_state_and_the_page_has_a_legend(login_as, park, network, camera):
    from datetime import UTC, datetime

    from app.cameras import networks
    from app.cameras.models import CameraOutage, CameraType
    from tests.cameras.conftest import camera_values

    officer = make_member(Role.CAMERA_OFFICER, park)
    anpr = networks.save_camera(officer, network, camera_values(code="K01", type=CameraType.ANPR.value))
    flexible = networks.save_camera(officer, network, camera_values(code="F01", type=CameraType.FLEXIBLE.value))
    gone = networks.save_camera(officer, network, camera_values(code="X01"))
    gone.status = CameraStatus.REMOVED
    flexible.status = CameraStatus.DEFECT
    _db.session.add(CameraOutage(camera=anpr, started_at=datetime(2026, 3, 1, tzinfo=UTC)))
    _db.session.add(
        CameraOutage(
            camera=camera, started_at=datetime(2026, 2, 1, tzinfo=UTC), ended_at=datetime(2026, 2, 2, tzinfo=UTC)
        )
    )
    _db.session.commit()
    page = login_as(officer).get(_url(park)).get_data(as_text=True)
    data = json.loads(re.search(r'id="camera-map-data">(.*?)</script>', page, re.S).group(1))
    markers = {point["code"]: (point["kind"], point["state"], point["label"]) for point in data["points"]}
    assert markers == {
        "C01": ("vast", "online", "C01 · Vaste camera · Online"),
        "K01": ("anpr", "offline", "K01 · Kentekencamera (ANPR) · Offline"),
        "F01": ("flexibel", "defect", "F01 · Flexibele camera · Defect"),
        "X01": ("vast", "verwijderd", "X01 · Vaste camera · Verwijderd"),
    }
    assert 'data-testid="camera-legend"' in page and "js/camera-markers.js" in page
    assert page.count("nu offline") == 1  # K01 in the table: its outage is open
    for words in (
        "Vaste camera: rondje",
        "Flexibele camera: ruit",
        "Kentekencamera (ANPR): vierkant",
        "Online: groen met een vinkje",
        "Offline: rood met een uitroepteken",
        "Defect: oranje met een kruisje",
    ):
        assert words in page, words
    assert "<style" not in page and " style=" not in page  # the CSP allows no inline style


def test_camera_tables_scroll_inside_their_own_region(login_as, park, network, camera):
    page = login_as(make_member(Role.CAMERA_OFFICER, park)).get(_url(park)).get_data(as_text=True)
    region = re.search(r'<div class="utrecht-table-container vb-table-scroll"([^>]*)>\s*<table', page)
    assert region and 'role="region"' in region.group(1) and 'tabindex="0"' in region.group(1)
    assert 'aria-labelledby="cameras-heading"' in region.group(1)
