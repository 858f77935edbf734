"""Cameras, their health figures and the quality checks through the API: per-park permissions, filters, health
written through the import's rules (all or nothing), and health written through the API on the web page."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.api.models import ApiScope
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cameras import checks, networks
from app.cameras.models import CameraHealth, CameraOutage, CameraStatus, Score
from app.extensions import db as _db
from tests.api.test_access import assert_problem
from tests.cameras.conftest import AREA, NETWORK_VALUES, camera_values
from tests.factories import make_member

VIEWERS = {Role.ADVISOR, Role.MUNICIPALITY, Role.CAMERA_OFFICER, Role.AUDITOR}
EDITORS = {Role.CAMERA_OFFICER, Role.MUNICIPALITY}
PERIOD = {
    "camera": "C01",
    "start": "2026-03-01T00:00",
    "end": "2026-03-02T00:00",
    "uptime": 87.5,
    "gaps": [
        {"start": "2026-03-01T02:00", "end": "2026-03-01T02:30"},
        {"start": "2026-03-01T21:00", "end": "2026-03-02T00:00"},
    ],
}


@pytest.fixture
def officer(park):
    return make_member(Role.CAMERA_OFFICER, park, name="Carla Camera")


@pytest.fixture
def network(db, park, officer):
    park.area = AREA
    network = networks.save_network(officer, park, NETWORK_VALUES)
    networks.save_camera(officer, network, camera_values())
    networks.save_camera(officer, network, camera_values(code="C02", type="anpr", direction=""))
    _db.session.commit()
    return network


def _url(park, suffix=""):
    return f"/api/v1/parks/{park.id}/cameras{suffix}"


# Cameras ------------------------------------------------------------------------------------------------------


def test_cameras_with_type_status_position_and_dates(api_as, park, network):
    body = api_as(make_member(Role.AUDITOR, park)).get(_url(park)).get_json()
    assert [c["code"] for c in body] == ["C01", "C02"]
    assert body[0] | {"id": 0} == {
        "id": 0,
        "code": "C01",
        "type": "vast",
        "type_label": "Vaste camera",
        "status": "actief",
        "status_label": "Actief",
        "lat": 52.105,
        "lon": 5.07,
        "direction": 90,
        "coverage_note": "Kruising bij de ingang",
        "installed_on": "2025-06-01",
        "removed_on": None,
        "last_maintenance_on": None,
    }
    assert body[1]["type"] == "anpr" and body[1]["direction"] is None


def test_cameras_filter_by_status_and_paginate(api_as, park, network, officer):
    network.cameras[1].status = CameraStatus.DEFECT
    _db.session.commit()
    api = api_as(officer)
    assert [c["code"] for c in api.get(_url(park, "?status=defect")).get_json()] == ["C02"]
    response = api.get(_url(park, "?page=2&page_size=1"))
    assert [c["code"] for c in response.get_json()] == ["C02"]
    assert json.loads(response.headers["X-Pagination"])["total"] == 2
    assert_problem(api.get(_url(park, "?status=kapot")), 422)


@pytest.mark.parametrize("role", list(Role))
def test_cameras_follow_cameras_view(api_as, park, network, role):
    api = api_as(make_member(role, park))
    for suffix in ("", "/health", "/checks"):
        assert api.get(_url(park, suffix)).status_code == (200 if role in VIEWERS else 403)


def test_another_parks_cameras_are_404(api_as, park, other_park, network):
    stranger = api_as(make_member(Role.CAMERA_OFFICER, other_park), ApiScope.WRITE)
    for suffix in ("", "/health", "/checks"):
        assert_problem(stranger.get(_url(park, suffix)), 404)
        assert stranger.get(_url(other_park, suffix)).get_json() == []
    assert_problem(stranger.post(_url(park, "/health"), json={"periods": [PERIOD]}), 404)
    assert _db.session.scalar(select(CameraHealth)) is None


# Health -------------------------------------------------------------------------------------------------------


def test_health_written_through_the_api_shows_on_the_health_page(api_as, login_as, park, network, officer):
    response = api_as(officer, ApiScope.WRITE).post(_url(park, "/health"), json={"periods": [PERIOD]})
    assert response.status_code == 200
    assert response.get_json() == {"periods": 1, "outages": 2}
    page = login_as(officer).get(f"/parken/{park.id}/cameras/gezondheid/").get_data(as_text=True)
    assert "Uptime 87,5%" in page and "210 minuten zonder opname" in page and "nog offline" in page
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cameras.health_imported"))
    assert event.details == {"periods": 1, "outages": 2, "file": "API"}


def test_health_imported_on_the_web_shows_in_the_api(api_as, login_as, park, network, officer):
    import io

    csv = "camera;van;tot;uptime;onderbrekingen\nC02;2026-03-01T00:00;2026-03-02T00:00;100;\n"
    response = login_as(officer).post(
        f"/parken/{park.id}/cameras/gezondheid/importeren",
        data={"file": (io.BytesIO(csv.encode()), "rapport.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    body = api_as(make_member(Role.ADVISOR, park)).get(_url(park, "/health")).get_json()
    assert [(h["camera"], h["uptime_percent"], h["gap_minutes"]) for h in body] == [("C02", 100.0, 0)]
    # naive times are Dutch time: 00:00 in March is 23:00 UTC the day before
    assert datetime.fromisoformat(body[0]["period_start"]) == datetime(2026, 2, 28, 23, 0, tzinfo=UTC)


def test_health_is_replaced_per_camera_and_period_and_filtered(api_as, park, network, officer):
    api = api_as(officer, ApiScope.WRITE)
    second = PERIOD | {"start": "2026-03-02T00:00", "end": "2026-03-03T00:00", "uptime": 100, "gaps": []}
    assert api.post(_url(park, "/health"), json={"periods": [PERIOD, second]}).status_code == 200
    assert api.post(_url(park, "/health"), json={"periods": [PERIOD | {"uptime": 99, "gaps": []}]}).status_code == 200
    body = api.get(_url(park, "/health")).get_json()
    assert [(h["period_start"][:10], h["uptime_percent"]) for h in body] == [
        ("2026-03-01", 100.0),
        ("2026-02-28", 99.0),
    ]
    assert [h["uptime_percent"] for h in api.get(_url(park, "/health?since=2026-03-02")).get_json()] == [100.0]
    assert [h["uptime_percent"] for h in api.get(_url(park, "/health?until=2026-03-01")).get_json()] == [99.0]
    assert api.get(_url(park, "/health?camera=C02")).get_json() == []


def test_health_rules_are_the_imports_all_or_nothing(api_as, park, network, officer):
    api = api_as(officer, ApiScope.WRITE)
    periods = [
        PERIOD,
        PERIOD | {"camera": "C99"},
        PERIOD | {"camera": "C02", "uptime": 120},
        PERIOD | {"camera": "C02", "start": "2026-03-03T00:00"},
        PERIOD | {"camera": "C02", "start": "gisteren"},
    ]
    body = assert_problem(api.post(_url(park, "/health"), json={"periods": periods}), 422)
    assert [(e["location"], e["field"]) for e in body["errors"]] == [("json", f"periods.{n}") for n in (1, 2, 3, 4)]
    details = [e["detail"] for e in body["errors"]]
    assert details[0] == "Het netwerk heeft geen camera met de code C99."
    assert details[1] == "De uptime is een percentage van 0 tot en met 100."
    assert "eindigt niet na haar begin" in details[2] and "gisteren" in details[3]
    assert "er is niets ingelezen" in body["detail"]
    assert _db.session.scalar(select(CameraHealth)) is None and _db.session.scalar(select(CameraOutage)) is None
    missing = assert_problem(api.post(_url(park, "/health"), json={"periods": [{"camera": "C01"}]}), 422)
    assert {e["field"] for e in missing["errors"]} == {"periods.0.start", "periods.0.end", "periods.0.uptime"}
    assert_problem(api.post(_url(park, "/health"), json={"periods": []}), 422)


def test_writing_health_follows_cameras_edit(api_as, park, network):
    for role in Role:
        response = api_as(make_member(role, park), ApiScope.WRITE).post(
            _url(park, "/health"), json={"periods": [PERIOD]}
        )
        assert response.status_code == (200 if role in EDITORS else 403), role


def test_a_read_token_may_not_write_health(api_as, park, network, officer):
    assert_problem(api_as(officer).post(_url(park, "/health"), json={"periods": [PERIOD]}), 403)
    assert _db.session.scalar(select(CameraHealth)) is None


def test_health_for_a_park_without_a_network_is_refused(api_as, park):
    api = api_as(make_member(Role.CAMERA_OFFICER, park), ApiScope.WRITE)
    body = assert_problem(api.post(_url(park, "/health"), json={"periods": [PERIOD]}), 422)
    assert "cameranetwerk" in body["detail"]


# Quality checks -----------------------------------------------------------------------------------------------


def test_done_checks_with_scores_per_criterion_without_photos(api_as, park, network, officer):
    planned = checks.plan_check(network, due_on=date(2026, 1, 15))
    check = checks.open_check(network, today=date(2026, 1, 20))
    assert check is planned
    scores = {c["key"]: (Score.OK, "") for c in check.criteria} | {"masking": (Score.MINOR, "Masker verschoven")}
    checks.record_check(officer, check, scores, remarks="Goed onderhouden.", today=date(2026, 1, 20))
    checks.plan_check(network, due_on=date(2026, 4, 20))  # planned, not done: not listed
    _db.session.commit()
    body = api_as(make_member(Role.MUNICIPALITY, park)).get(_url(park, "/checks")).get_json()
    assert len(body) == 1
    done = body[0]
    assert (done["due_on"], done["done_on"], done["remarks"]) == ("2026-01-15", "2026-01-20", "Goed onderhouden.")
    assert [s["criterion"] for s in done["scores"]] == [c["key"] for c in check.criteria]
    masking = next(s for s in done["scores"] if s["criterion"] == "masking")
    assert masking == {
        "criterion": "masking",
        "label": "Privacymaskering aanwezig",
        "score": "klein",
        "score_label": "Kleine afwijking",
        "note": "Masker verschoven",
        "action_id": None,
    }
    assert "photo" not in json.dumps(body)


def test_checks_filter_by_day(api_as, park, network, officer):
    for day in (date(2026, 1, 20), date(2026, 4, 20)):
        check = checks.open_check(network, today=day)
        checks.record_check(officer, check, {c["key"]: (Score.OK, "") for c in check.criteria}, today=day)
    _db.session.commit()
    api = api_as(officer)
    assert [c["done_on"] for c in api.get(_url(park, "/checks")).get_json()] == ["2026-04-20", "2026-01-20"]
    assert [c["done_on"] for c in api.get(_url(park, "/checks?since=2026-02-01")).get_json()] == ["2026-04-20"]
    assert [c["done_on"] for c in api.get(_url(park, "/checks?until=2026-01-20")).get_json()] == ["2026-01-20"]
