"""The camera health page: who sees it, what it shows, and the import form (all or nothing, 422 with the rows)."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.auth.models import Role
from app.cameras import networks
from app.cameras.models import CameraHealth
from tests.cameras.conftest import camera_values
from tests.factories import make_member

VIEWERS = {Role.ADVISOR, Role.MUNICIPALITY, Role.CAMERA_OFFICER, Role.AUDITOR}
EDITORS = {Role.CAMERA_OFFICER, Role.MUNICIPALITY}
GOOD = (
    "camera;van;tot;uptime;onderbrekingen\n"
    "C01;2026-03-01T00:00;2026-03-02T00:00;87,5;2026-03-01T02:00/2026-03-01T02:30|2026-03-01T21:00/2026-03-02T00:00\n"
)


def _url(park, suffix=""):
    return f"/parken/{park.id}/cameras/gezondheid/{suffix}"


def _post(client, park, text: str):
    data = {"file": (io.BytesIO(text.encode("cp1252")), "rapport.csv")}
    return client.post(_url(park, "importeren"), data=data, content_type="multipart/form-data")


def test_page_and_import_by_role(login_as, park, other_park, network, camera, role):
    client = login_as(make_member(role, park))
    assert client.get(_url(park)).status_code == (200 if role in VIEWERS else 403)
    response = _post(client, park, GOOD)
    assert response.status_code == (302 if role in EDITORS else 403)
    # another park: no role there, so it looks like a park that does not exist
    assert client.get(_url(other_park)).status_code == 404
    assert _post(client, other_park, GOOD).status_code == 404


def test_officer_of_another_park_is_refused(login_as, park, other_park, network, camera):
    client = login_as(make_member(Role.CAMERA_OFFICER, other_park))
    assert client.get(_url(park)).status_code == 404


def test_a_park_without_a_network_has_no_health_page(login_as, other_park):
    assert login_as(make_member(Role.CAMERA_OFFICER, other_park)).get(_url(other_park)).status_code == 404


def test_the_page_shows_uptime_and_outages_newest_first(login_as, park, network, camera, camera_officer):
    networks.save_camera(camera_officer, network, camera_values(code="C02"))
    client = login_as(camera_officer)
    response = _post(client, park, GOOD)
    assert response.headers["Location"].endswith(_url(park))
    page = client.get(_url(park)).get_data(as_text=True)
    assert "Uptime 87,5%" in page
    assert "210 minuten zonder opname" in page
    assert "nog offline" in page and "30 minuten" in page
    assert page.index("nog offline") < page.index("30 minuten")  # newest first
    assert "Camera C02" in page and "Nog geen rapport ingelezen." in page
    assert 'action="' + _url(park, "importeren") + '"' in page


def test_viewers_do_not_see_the_import_form(login_as, park, network, camera):
    page = login_as(make_member(Role.AUDITOR, park)).get(_url(park)).get_data(as_text=True)
    assert "importeren" not in page


def test_a_bad_file_lists_the_rows_and_writes_nothing(db, login_as, park, network, camera, camera_officer):
    client = login_as(camera_officer)
    bad = GOOD + "C77;2026-03-01T00:00;2026-03-02T00:00;100;\nC01;2026-03-02T00:00;2026-03-03T00:00;120;\n"
    response = _post(client, park, bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "2 regels van het bestand zijn geweigerd" in page
    assert "geen camera met de code C77" in page and "uptime is een percentage" in page
    assert db.session.scalars(select(CameraHealth)).all() == []
    assert _post(client, park, "").status_code == 422


def test_the_import_needs_a_csrf_token(db, login_as, park, network, camera, camera_officer):
    data = {"file": (io.BytesIO(GOOD.encode()), "rapport.csv")}
    response = login_as(camera_officer).post(
        _url(park, "importeren"), data=data, content_type="multipart/form-data", csrf=False
    )
    assert response.status_code == 400
    assert db.session.scalars(select(CameraHealth)).all() == []


def test_an_import_for_a_park_without_a_network_is_refused(login_as, other_park):
    response = _post(login_as(make_member(Role.CAMERA_OFFICER, other_park)), other_park, GOOD)
    assert response.status_code == 422
    assert "Leg eerst het cameranetwerk vast" in response.get_data(as_text=True)
