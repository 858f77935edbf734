"""The reminder of half-yearly evaluations: once the half-year has ended, in the camera officers' digests, once per
network, half-year and officer; once more, required, when it is still open three months later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.cameras.models import CameraStatus
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.notifications.models import Notification
from tests.cameras.test_checks import make_network
from tests.cameras.test_evaluations import evaluate
from tests.factories import make_member, make_park

#: 06:50 in Amsterdam on the second day after the half-year 2027-01-01 .. 2027-06-30
NOW = datetime(2027, 7, 2, 4, 50, tzinfo=UTC)
JOB = "cameras.evaluations_due"


@pytest.fixture
def world(db, park):
    carla = make_member(Role.CAMERA_OFFICER, park, name="Carla Camera", email="carla@example.nl")
    make_member(Role.ADVISOR, park, name="Anouk", email="anouk@example.nl")
    network = make_network(park)
    network.created_at = datetime(2026, 11, 1, tzinfo=UTC)
    db.session.commit()
    return {"park": park, "network": network, "carla": carla}


def _notifications(db) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def test_an_ended_half_year_is_reported_to_the_officers_once(db, world):
    assert execute(JOBS[JOB], now=NOW).done == 1
    [note] = _notifications(db)
    assert note.user == world["carla"] and note.kind == JOB and not note.required
    assert "evalueer het cameratoezicht over 1 januari 2027 tot en met 30 juni 2027" in note.text
    assert note.path == f"/parken/{world['park'].id}/cameras/evaluaties/"
    assert execute(JOBS[JOB], now=NOW + timedelta(days=1)).done == 0


def test_three_months_later_an_open_evaluation_is_reported_again_as_required(db, world):
    execute(JOBS[JOB], now=NOW)
    assert execute(JOBS[JOB], now=NOW + timedelta(days=89)).done == 0
    assert execute(JOBS[JOB], now=NOW + timedelta(days=91)).done == 1
    assert [n.required for n in _notifications(db)] == [False, True]


def test_a_recorded_evaluation_is_not_reported(db, world):
    evaluate(world["carla"], world["network"])
    db.session.commit()
    assert execute(JOBS[JOB], now=NOW).done == 0
    assert _notifications(db) == []


def test_networks_that_did_not_watch_during_the_half_year_are_not_reported(db, world):
    world["network"].created_at = datetime(2027, 7, 1, tzinfo=UTC)
    other = make_network(make_park(name="De Hoef"))
    other.created_at = datetime(2026, 1, 1, tzinfo=UTC)
    for camera in other.cameras:
        camera.status = CameraStatus.REMOVED
    make_member(Role.CAMERA_OFFICER, other.park, name="Bert")
    db.session.commit()
    assert execute(JOBS[JOB], now=NOW).done == 0
