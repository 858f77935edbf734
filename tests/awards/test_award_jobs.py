"""The renewal reminder: the park's advisors and municipality officers hear six and three months before the award
runs out (the second time required), once each, through their digest and a real SMTP server."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.auth.models import DigestFrequency, Role
from app.awards.models import Award
from app.extensions import db as _db
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail.jobs import deliver_due
from app.notifications.models import Notification
from app.parks.models import CycleStatus, ParkStatus
from app.parks.services import start_cycle
from tests.awards.support import grant, make_world
from tests.factories import make_member, make_membership
from tests.mail.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

JOB = "awards.expiring"


def at(day: date) -> datetime:
    """05:00 UTC: 06:00 or 07:00 in Amsterdam, the same day."""
    return datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)


def lines() -> list[Notification]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(Notification).where(Notification.kind == JOB).order_by(Notification.id)))


def test_the_managers_hear_at_six_and_at_three_months_once_each(db):
    world = make_world()
    grant(world)  # valid until 1 March 2029
    # a partner and an advisor whose membership has ended hear nothing
    make_member(Role.PARTNER, world.park)
    make_membership(make_member(Role.ENTREPRENEUR, world.park), Role.ADVISOR, park=world.park, ends_on=date(2028, 1, 1))
    # another park's award that runs out at the same time goes to that park's managers only
    other = make_world(name="Papendorp")
    grant(other)
    _db.session.commit()
    job = JOBS[JOB]

    assert execute(job, now=at(date(2028, 8, 27))).done == 0
    assert execute(job, now=at(date(2028, 8, 28))).done == 4
    first = lines()
    assert {(n.user_id, n.park_id) for n in first} == {
        (world.advisor.id, world.park.id),
        (world.officer.id, world.park.id),
        (other.advisor.id, other.park.id),
        (other.officer.id, other.park.id),
    }
    assert not any(n.required for n in first)
    assert first[0].path == f"/parken/{first[0].park_id}/waardering/"
    assert "de waardering is geldig tot en met 28 februari 2029" in first[0].text
    assert "herijking" in first[0].text

    # the scheduler runs every day: nothing new until three months before
    for day in (date(2028, 8, 28), date(2028, 10, 15), date(2028, 11, 27)):
        assert execute(job, now=at(day)).done == 0
    assert execute(job, now=at(date(2028, 11, 28))).done == 4
    second = lines()[4:]
    assert len(second) == 4 and all(n.required for n in second)
    assert execute(job, now=at(date(2028, 11, 29))).done == 0
    assert execute(job, now=at(date(2029, 4, 1))).done == 0  # run out: told already


def test_a_renewed_award_silences_the_old_one(db):
    world = make_world()
    grant(world)
    world.cycle.status = CycleStatus.CLOSED
    new_cycle = start_cycle(world.park, number=2, today=date(2028, 10, 1), now=at(date(2028, 10, 1)))
    _db.session.add(Award(cycle=new_cycle, awarded_on=date(2028, 11, 1), valid_until=date(2030, 11, 1)))
    _db.session.commit()
    assert execute(JOBS[JOB], now=at(date(2028, 12, 1))).done == 0
    assert lines() == []


def test_the_reminder_arrives_by_mail_and_a_rerun_sends_nothing(app, db, smtp_server):  # noqa: F811
    world = make_world()
    grant(world)
    world.advisor.digest_frequency = DigestFrequency.DAILY
    world.officer.digest_frequency = DigestFrequency.NONE  # the three-month line is required: it still arrives
    _db.session.commit()
    assert deliver_due(at(date(2027, 3, 2))) == 5  # the links to three signatories and the news of the grant (2)
    smtp_server.inbox.messages.clear()

    def run(day: date) -> tuple[list[int], int]:
        now = at(day)
        done = [
            execute(JOBS[JOB], now=now).done,
            execute(JOBS["notifications.daily_digest"], now=now + timedelta(hours=1)).done,
            execute(JOBS["notifications.weekly_digest"], now=now + timedelta(hours=1)).done,
        ]
        return done, deliver_due(now + timedelta(hours=1, minutes=1))

    assert run(date(2028, 9, 1)) == ([2, 1, 0], 1)  # the officer chose no digest: the six-month line waits
    advisor_mail = smtp_server.inbox.messages[-1]
    assert advisor_mail["To"] == world.advisor.email
    body = advisor_mail.get_body(("plain",)).get_content()
    assert "Waarderingen die aflopen" in body
    assert "Lage Weide: de waardering is geldig tot en met 28 februari 2029." in body
    assert f"http://127.0.0.1:5000/parken/{world.park.id}/waardering/" in body

    assert run(date(2028, 12, 4)) == ([2, 1, 1], 2)  # a Monday: the weekly mail carries the required line
    officer_mail = next(m for m in smtp_server.inbox.messages if m["To"] == world.officer.email)
    officer_body = officer_mail.get_body(("plain",)).get_content()
    assert "Lage Weide: de waardering is geldig tot en met 28 februari 2029." in officer_body
    assert run(date(2028, 12, 5)) == ([0, 0, 0], 0)


def test_a_paused_park_hears_nothing_of_its_award_running_out(db):
    world = make_world()
    grant(world)
    world.park.status = ParkStatus.PAUSED
    _db.session.commit()
    assert execute(JOBS[JOB], now=at(date(2028, 12, 1))).done == 0
    assert lines() == []
