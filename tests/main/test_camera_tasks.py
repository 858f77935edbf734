"""What waits for the camera officer: checks due, cameras offline, legal-frame items, evaluations, footage."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.cameras.models import (
    CameraOutage,
    CameraStatus,
    FootageDecision,
    FootageRequest,
    QualityCheck,
    RequesterKind,
)
from app.extensions import db as _db
from app.main.camera_tasks import camera_tasks

TODAY = date(2026, 12, 5)
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def _tasks(user):
    return camera_tasks(user, today=TODAY, now=NOW)


def test_a_network_never_checked_is_due_today_and_one_overdue_is_listed(network, camera_officer):
    [check] = _tasks(camera_officer).checks
    assert (check.park, check.due_on, check.status) == (network.park, TODAY, "due")
    _db.session.add(QualityCheck(network=network, due_on=TODAY - timedelta(days=3), criteria=[]))
    _db.session.flush()
    assert _tasks(camera_officer).checks[0].status == "overdue"


def test_a_check_done_recently_is_not_due(network, camera_officer):
    done = TODAY - timedelta(days=10)
    _db.session.add(QualityCheck(network=network, due_on=done, done_on=done, criteria=[]))
    _db.session.flush()
    assert _tasks(camera_officer).checks == []


def test_cameras_marked_defect_or_with_an_open_outage_are_offline(camera, camera_officer):
    assert _tasks(camera_officer).offline == []
    _db.session.add(CameraOutage(camera=camera, started_at=NOW - timedelta(hours=5)))
    _db.session.flush()
    [item] = _tasks(camera_officer).offline
    assert (item.camera, item.since.replace(tzinfo=UTC)) == (camera, NOW - timedelta(hours=5))
    camera.status = CameraStatus.REMOVED
    _db.session.flush()
    assert _tasks(camera_officer).offline == []


def test_an_old_dpia_and_an_ending_contract_are_legal_items(network, camera_officer):
    network.dpia_on = date(2023, 1, 10)
    network.contract_ends_on = TODAY + timedelta(days=30)
    _db.session.flush()
    labels = {item.label: item.status_label for item in _tasks(camera_officer).legal}
    assert labels["DPIA"] == "Te laat"
    assert labels["Contract met de meldkamer loopt af"] == "Binnenkort nodig"
    assert labels["Convenant met de gemeente"] == "Ontbreekt"


def test_the_evaluation_of_the_last_half_year_is_due_once_the_network_existed_then(camera, network, camera_officer):
    assert _tasks(camera_officer).evaluations == []  # the network was made after that half-year
    network.created_at = datetime(2026, 1, 1, tzinfo=UTC)
    _db.session.flush()
    [item] = _tasks(camera_officer).evaluations
    assert (item.start, item.end, item.overdue) == (date(2026, 1, 1), date(2026, 6, 30), True)


def test_footage_requests_within_the_retention_period_are_counted(network, camera_officer):
    for days in (3, 40):
        _db.session.add(
            FootageRequest(
                network=network,
                received_on=TODAY - timedelta(days=days),
                requester_kind=RequesterKind.MEMBER,
                authority="Ondernemer",
                window_start=NOW - timedelta(days=days + 1),
                window_end=NOW - timedelta(days=days),
                decision=FootageDecision.REFUSED,
            )
        )
    _db.session.flush()
    [item] = _tasks(camera_officer).footage
    assert item.count == 1


def test_other_roles_see_no_camera_tasks(network, park):
    from app.auth.models import Role
    from tests.factories import make_member

    assert _tasks(make_member(Role.ENTREPRENEUR, park)).checks == []
