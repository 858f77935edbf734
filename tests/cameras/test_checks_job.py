"""The daily reminder of camera quality checks: due within a week or overdue, to the park's camera officers'
digests, once per check, due date and officer, and delivered by mail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import DigestFrequency, Role
from app.cameras import checks
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail.jobs import deliver_due
from app.notifications.models import Notification
from tests.cameras.test_checks import all_ok, make_network
from tests.factories import make_member, make_park
from tests.mail.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

NOW = datetime(2027, 5, 10, 4, 45, tzinfo=UTC)  # 06:45 in Amsterdam
TODAY = date(2027, 5, 10)


@pytest.fixture
def world(db, park):
    """Lage Weide's network, last checked on 15 February (due 15 May), with two officers; a second park whose
    network was checked recently; a third whose officer's role ended."""
    carla = make_member(Role.CAMERA_OFFICER, park, name="Carla Camera", email="carla@example.nl")
    kees = make_member(Role.CAMERA_OFFICER, park, name="Kees Camera", email="kees@example.nl")
    make_member(Role.ADVISOR, park, name="Anouk", email="anouk@example.nl")
    network = make_network(park)
    check = checks.open_check(network, today=date(2027, 2, 15))
    checks.record_check(carla, check, all_ok(check), today=date(2027, 2, 15))
    fresh_park = make_park(name="De Hoef")
    fresh = make_network(fresh_park)
    bert = make_member(Role.CAMERA_OFFICER, fresh_park, name="Bert", email="bert@example.nl")
    check = checks.open_check(fresh, today=date(2027, 5, 1))
    checks.record_check(bert, check, all_ok(check), today=date(2027, 5, 1))
    db.session.commit()
    return {"park": park, "network": network, "carla": carla, "kees": kees, "bert": bert}


def _notifications(db) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def test_officers_hear_of_a_check_due_within_a_week_once(db, world):
    assert execute(JOBS["cameras.checks_due"], now=NOW).done == 2
    notes = _notifications(db)
    assert {n.user.name for n in notes} == {"Carla Camera", "Kees Camera"}
    assert all(n.kind == "cameras.checks_due" and not n.required for n in notes)
    assert "controle uiterlijk 15 mei 2027" in notes[0].text
    assert notes[0].path == f"/parken/{world['park'].id}/cameras/controles/"
    assert execute(JOBS["cameras.checks_due"], now=NOW + timedelta(days=1)).done == 0
    assert len(_notifications(db)) == 2


def test_an_overdue_check_is_reported_again_only_after_a_new_due_date(db, world):
    execute(JOBS["cameras.checks_due"], now=NOW)
    later = NOW + timedelta(days=10)  # 20 May: overdue
    assert execute(JOBS["cameras.checks_due"], now=later).done == 0
    planned = checks.planned_check(world["network"])
    checks.record_check(world["carla"], planned, all_ok(planned), today=date(2027, 5, 20))
    db.session.commit()
    # the next check is due 20 August: nothing until a week before (only De Hoef's, due 1 August, to Bert)
    assert execute(JOBS["cameras.checks_due"], now=datetime(2027, 8, 12, 4, 45, tzinfo=UTC)).done == 1
    assert _notifications(db)[-1].user_id == world["bert"].id
    assert execute(JOBS["cameras.checks_due"], now=datetime(2027, 8, 22, 4, 45, tzinfo=UTC)).done == 2
    overdue = _notifications(db)[-1]
    assert overdue.required and "had uiterlijk 20 augustus 2027 moeten gebeuren" in overdue.text


def test_a_network_never_checked_is_due_the_first_day_and_stays_put(db, world):
    network = make_network(make_park(name="Cartesiusweg"))
    officer = make_member(Role.CAMERA_OFFICER, network.park, name="Olle")
    db.session.commit()
    execute(JOBS["cameras.checks_due"], now=NOW)
    assert checks.planned_check(network).due_on == TODAY
    assert execute(JOBS["cameras.checks_due"], now=NOW + timedelta(days=3)).done == 0
    assert [n.user_id for n in _notifications(db)].count(officer.id) == 1


def test_the_digest_mail_arrives(app, db, world, smtp_server):  # noqa: F811
    world["carla"].digest_frequency = DigestFrequency.DAILY
    db.session.commit()
    assert execute(JOBS["cameras.checks_due"], now=NOW).done == 2
    execute(JOBS["notifications.daily_digest"], now=NOW + timedelta(minutes=30))
    assert deliver_due(NOW + timedelta(minutes=31)) == 1
    [message] = smtp_server.inbox.messages
    assert message["To"] == "carla@example.nl"
    body = message.get_body(("plain",)).get_content()
    assert "Kwaliteitscontroles van cameranetwerken" in body and "controle uiterlijk 15 mei 2027" in body
