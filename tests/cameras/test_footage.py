"""The footage-request log: the written-demand and retention rules, refusals with a reason, access and auditing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import NotAllowed
from app.cameras import footage
from app.cameras.models import Camera, CameraNetwork, CameraType, FootageDecision, FootageRequest, RequesterKind
from app.errors import DomainError
from tests import factories

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def network(db, park):
    network = CameraNetwork(park=park, name="Netwerk Lage Weide", retention_days=28)
    network.cameras.append(Camera(code="C1", type=CameraType.FIXED, lat=52.1, lon=5.1))
    network.cameras.append(Camera(code="C2", type=CameraType.ANPR, lat=52.1, lon=5.1))
    db.session.add(network)
    db.session.flush()
    return network


@pytest.fixture
def officer(db, park):
    return factories.make_member(Role.CAMERA_OFFICER, park, name="Carla Camera")


def justice(network, **overrides):
    values = dict(
        received_on=date(2026, 5, 30),
        requester_kind=RequesterKind.JUSTICE,
        authority="Politie Midden-Nederland",
        demand_reference="PL0900-2026-123",
        demand_date=date(2026, 5, 30),
        cameras=network.cameras[:1],
        window_start=NOW - timedelta(days=3),
        window_end=NOW - timedelta(days=2),
        decision=FootageDecision.PROVIDED,
        now=NOW,
    )
    return values | overrides


def audit_rows(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_justice_with_a_written_demand_within_retention_gets_the_footage(db, network, officer):
    request = footage.record_request(officer, network, **justice(network))
    assert request.decision == FootageDecision.PROVIDED
    assert request.handed_over_by == "Carla Camera" and request.handed_over_at == NOW
    assert [camera.code for camera in request.cameras] == ["C1"]
    (event,) = audit_rows(db, "cameras.footage_recorded")
    assert event.details["decision"] == "verstrekt" and event.details["demand_reference"] == "PL0900-2026-123"


@pytest.mark.parametrize(
    "overrides",
    [
        {"demand_reference": None},
        {"demand_reference": "   "},
        {"demand_date": None},
        {"requester_kind": RequesterKind.MEMBER},
        {"requester_kind": RequesterKind.OTHER},
    ],
)
def test_footage_goes_only_to_justice_on_a_written_demand(db, network, officer, overrides):
    with pytest.raises(DomainError, match="alleen verstrekt op een schriftelijke vordering van justitie"):
        footage.record_request(officer, network, **justice(network, **overrides))
    assert db.session.scalars(select(FootageRequest)).all() == []


def test_footage_older_than_the_retention_period_no_longer_exists(db, network, officer):
    inside = justice(network, window_start=NOW - timedelta(days=28), window_end=NOW - timedelta(days=27))
    assert footage.record_request(officer, network, **inside).decision == FootageDecision.PROVIDED
    partly_gone = justice(network, window_start=NOW - timedelta(days=28, minutes=1))
    with pytest.raises(DomainError, match="beelden bestaan niet meer"):
        footage.record_request(officer, network, **partly_gone)
    network.retention_days = 7
    with pytest.raises(DomainError, match="beelden bestaan niet meer"):
        footage.record_request(officer, network, **justice(network, window_start=NOW - timedelta(days=8)))


def test_a_window_in_the_future_or_reversed_is_refused(db, network, officer):
    with pytest.raises(DomainError, match="toekomst"):
        footage.record_request(officer, network, **justice(network, window_end=NOW + timedelta(hours=1)))
    with pytest.raises(DomainError, match="vóór het einde"):
        footage.record_request(
            officer,
            network,
            **justice(network, window_start=NOW - timedelta(days=1), window_end=NOW - timedelta(days=2)),
        )


def test_other_requests_are_recorded_as_refused_with_a_reason(db, network, officer):
    values = justice(
        network,
        requester_kind=RequesterKind.MEMBER,
        authority="Bakkerij de Korf",
        demand_reference=None,
        demand_date=None,
        decision=FootageDecision.REFUSED,
    )
    with pytest.raises(DomainError, match="reden"):
        footage.record_request(officer, network, **values)
    request = footage.record_request(officer, network, **values | {"reason": "Geen vordering van justitie."})
    assert request.decision == FootageDecision.REFUSED and request.reason == "Geen vordering van justitie."
    assert request.handed_over_at is None and request.handed_over_by is None
    assert audit_rows(db, "cameras.footage_recorded")[0].details["decision"] == "geweigerd"


def test_cameras_must_belong_to_the_network(db, network, officer, other_park):
    other = CameraNetwork(park=other_park, name="Ander netwerk")
    other.cameras.append(Camera(code="X1", type=CameraType.FIXED, lat=52.0, lon=5.0))
    db.session.add(other)
    db.session.flush()
    with pytest.raises(DomainError, match="dit netwerk"):
        footage.record_request(officer, network, **justice(network, cameras=other.cameras))
    with pytest.raises(DomainError, match="camera"):
        footage.record_request(officer, network, **justice(network, cameras=[]))


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.ADVISOR, Role.MUNICIPALITY, Role.PARTNER, Role.AUDITOR])
def test_only_the_camera_officer_records_or_reads(db, network, park, role):
    user = factories.make_member(role, park)
    with pytest.raises(NotAllowed):
        footage.record_request(user, network, **justice(network))
    with pytest.raises(NotAllowed):
        footage.view_log(user, park)


# --- views ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.ADVISOR, Role.MUNICIPALITY, Role.PARTNER, Role.AUDITOR])
def test_the_log_is_forbidden_to_every_other_role(db, login_as, park, network, officer, role):
    request = footage.record_request(officer, network, **justice(network))
    client = login_as(factories.make_member(role, park))
    assert client.get(f"/parken/{park.id}/cameras/vorderingen/").status_code == 403
    assert client.get(f"/parken/{park.id}/cameras/vorderingen/nieuw").status_code == 403
    assert client.get(f"/parken/{park.id}/cameras/vorderingen/{request.id}").status_code == 403
    assert audit_rows(db, "cameras.footage_log_viewed") == []


def test_a_camera_officer_of_another_park_is_forbidden(db, login_as, park, other_park, network):
    stranger = factories.make_member(Role.CAMERA_OFFICER, other_park)
    assert login_as(stranger).get(f"/parken/{park.id}/cameras/vorderingen/").status_code == 404
    assert login_as(stranger).get(f"/parken/{other_park.id}/cameras/vorderingen/").status_code == 200


def test_a_request_of_another_park_is_a_404(db, login_as, park, other_park, network, officer):
    request = footage.record_request(officer, network, **justice(network))
    factories.make_membership(officer, Role.CAMERA_OFFICER, park=other_park)
    assert login_as(officer).get(f"/parken/{other_park.id}/cameras/vorderingen/{request.id}").status_code == 404


def test_every_view_of_the_log_is_audited(db, login_as, park, network, officer, admin):
    request = footage.record_request(officer, network, **justice(network))
    client = login_as(officer)
    page = client.get(f"/parken/{park.id}/cameras/vorderingen/")
    assert page.status_code == 200 and "Politie Midden-Nederland" in page.text
    detail = client.get(f"/parken/{park.id}/cameras/vorderingen/{request.id}")
    assert detail.status_code == 200 and "PL0900-2026-123" in detail.text
    assert login_as(admin).get(f"/parken/{park.id}/cameras/vorderingen/").status_code == 200
    rows = audit_rows(db, "cameras.footage_log_viewed")
    assert [(row.actor_id, row.subject_type) for row in rows] == [
        (officer.id, "camera_networks"),
        (officer.id, "footage_requests"),
        (admin.id, "camera_networks"),
    ]


def test_record_through_the_form(db, login_as, park, network, officer):
    client = login_as(officer)
    start = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    end = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    base = {
        "received_on": date.today().isoformat(),
        "authority": "Bakkerij de Korf",
        "cameras": [str(network.cameras[0].id)],
        "window_start": start,
        "window_end": end,
    }
    refused = client.post(
        f"/parken/{park.id}/cameras/vorderingen/nieuw",
        data=base | {"requester_kind": "deelnemer", "decision": "verstrekt"},
    )
    assert refused.status_code == 422 and "schriftelijke vordering van justitie" in refused.text
    assert db.session.scalars(select(FootageRequest)).all() == []
    done = client.post(
        f"/parken/{park.id}/cameras/vorderingen/nieuw",
        data=base | {"requester_kind": "deelnemer", "decision": "geweigerd", "reason": "Geen vordering."},
    )
    assert done.status_code == 302
    stranger_camera = client.post(
        f"/parken/{park.id}/cameras/vorderingen/nieuw",
        data=base | {"cameras": ["99999"], "requester_kind": "deelnemer", "decision": "geweigerd", "reason": "x"},
    )
    assert stranger_camera.status_code == 422
    bad_choice = client.post(
        f"/parken/{park.id}/cameras/vorderingen/nieuw",
        data=base | {"requester_kind": "hacker", "decision": "geweigerd", "reason": "x"},
    )
    assert bad_choice.status_code == 422
    (request,) = db.session.scalars(select(FootageRequest)).all()
    assert request.decision == FootageDecision.REFUSED and request.recorded_by_id == officer.id


def test_a_park_without_a_network_shows_an_empty_log(db, login_as, park, officer):
    page = login_as(officer).get(f"/parken/{park.id}/cameras/vorderingen/")
    assert page.status_code == 200 and "nog geen cameranetwerk" in page.text
    assert login_as(officer).get(f"/parken/{park.id}/cameras/vorderingen/nieuw").status_code == 404


def test_posting_without_a_token_is_refused(db, login_as, park, network, admin):
    response = login_as(admin).post(f"/parken/{park.id}/cameras/vorderingen/nieuw", data={}, csrf=False)
    assert response.status_code == 400
    assert db.session.scalars(select(FootageRequest)).all() == []


def test_a_demand_dated_today_in_the_netherlands_is_taken_after_midnight_there(db, network, officer):
    # 22:30 UTC on 1 June is 00:30 on 2 June in the Netherlands: a demand of 2 June is today's, not the future's
    late = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)
    request = footage.record_request(
        officer, network, **justice(network, received_on=date(2026, 6, 2), demand_date=date(2026, 6, 2), now=late)
    )
    assert request.demand_date == date(2026, 6, 2)
    with pytest.raises(DomainError, match="toekomst"):
        footage.record_request(officer, network, **justice(network, demand_date=date(2026, 6, 3), now=late))
