"""The quarterly meeting jobs: in the first week of a quarter the chair and the secretary of a park in continuation
hear in their digest to plan the quarterly meeting; six weeks in, with none planned, the chair gets a required
reminder. Once per cycle, quarter and user; delivered by mail through the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import DigestFrequency, Role
from app.awards.models import Award
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail.jobs import deliver_due
from app.meetings import jobs
from app.meetings.models import MeetingKind
from app.notifications.models import Notification
from app.parks.models import CycleStatus, ParkStatus
from app.parks.services import active_cycle
from tests.factories import make_member, make_park
from tests.mail.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture
from tests.meetings.test_quarterly_agenda import at, continuing, make_meeting

FIRST_DAY = datetime(2027, 4, 1, 4, 20, tzinfo=UTC)  # 06:20 in Amsterdam, the first day of 2027-Q2
SIX_WEEKS = datetime(2027, 5, 13, 4, 25, tzinfo=UTC)  # 1 April + 6 weeks


def _working_group(park, prefix: str):
    chair = make_member(Role.ENTREPRENEUR, park, name=f"{prefix} Voorzitter", email=f"{prefix.lower()}.vz@example.nl")
    secretary = make_member(
        Role.ENTREPRENEUR, park, name=f"{prefix} Secretaris", email=f"{prefix.lower()}.secr@example.nl"
    )
    cycle = active_cycle(park)
    cycle.chair_id, cycle.secretary_id = chair.id, secretary.id
    return chair, secretary


@pytest.fixture
def world(db, park):
    """Lage Weide in continuation (step 8) with a quarterly meeting last quarter only; De Hoef at step 7 with its
    award granted; Papendorp at step 7 without an award; Cartesiusweg at step 8 with this quarter's meeting
    planned; Nieuw Overvecht at step 8 whose only meeting this quarter was cancelled. Each has a chair and a
    secretary; Lage Weide also an advisor and an entrepreneur who hold no role in the working group."""
    parks = {"lage_weide": park}
    continuing(park)
    make_meeting(active_cycle(park), at(date(2027, 2, 15)))
    make_member(Role.ADVISOR, park, name="Anouk Adviseur")
    make_member(Role.ENTREPRENEUR, park, name="Eva Ondernemer")
    parks["de_hoef"] = make_park(name="De Hoef")
    db.session.add(Award(cycle=continuing(parks["de_hoef"], step=7), awarded_on=date(2027, 3, 1)))
    parks["papendorp"] = make_park(name="Papendorp")
    continuing(parks["papendorp"], step=7)
    db.session.add(Award(cycle=active_cycle(parks["papendorp"])))  # requested, not granted
    parks["cartesiusweg"] = make_park(name="Cartesiusweg")
    make_meeting(continuing(parks["cartesiusweg"]), at(date(2027, 6, 10)))
    parks["overvecht"] = make_park(name="Nieuw Overvecht")
    make_meeting(continuing(parks["overvecht"]), at(date(2027, 6, 10)), cancelled=True)
    people = {name: _working_group(p, name.title()) for name, p in parks.items()}
    db.session.commit()
    return {"parks": parks, "people": people}


def _notifications(db, kind: str) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)))


def _recipients(world, names) -> set[int]:
    return {user.id for name in names for user in world["people"][name]}


def test_the_proposal_goes_to_chair_and_secretary_of_parks_in_continuation_once(db, world):
    assert execute(JOBS["meetings.quarterly_proposal"], now=FIRST_DAY).done == 6
    notes = _notifications(db, "meetings.quarterly_proposal")
    assert {n.user_id for n in notes} == _recipients(world, ["lage_weide", "de_hoef", "overvecht"])
    assert not any(n.required for n in notes)
    lage_weide = world["parks"]["lage_weide"]
    note = next(n for n in notes if n.park_id == lage_weide.id)
    assert note.heading == "Kwartaaloverleg plannen"
    assert note.text == (
        "Lage Weide: plan het kwartaaloverleg van 2e kw. 2027 met de werkgroep; de agenda wordt uit het plan gemaakt."
    )
    assert note.path == f"/parken/{lage_weide.id}/vergaderingen/nieuw?soort=kwartaal"
    # the next days of the first week: nothing new
    assert execute(JOBS["meetings.quarterly_proposal"], now=FIRST_DAY + timedelta(days=1)).done == 0
    assert len(_notifications(db, "meetings.quarterly_proposal")) == 6


def test_the_proposal_only_in_the_first_week_of_the_quarter(db, world):
    assert execute(JOBS["meetings.quarterly_proposal"], now=FIRST_DAY + timedelta(days=7)).done == 0
    assert execute(JOBS["meetings.quarterly_proposal"], now=FIRST_DAY - timedelta(days=1)).done == 0  # 2027-Q1
    # the first day of the next quarter: a new proposal for the new quarter
    assert execute(JOBS["meetings.quarterly_proposal"], now=datetime(2027, 7, 1, 4, 20, tzinfo=UTC)).done == 8


def test_a_meeting_planned_after_the_proposal_was_found_leaves_it_out(app, db, world):
    items = jobs.proposals_due(FIRST_DAY)
    lage_weide = world["parks"]["lage_weide"]
    make_meeting(active_cycle(lage_weide), at(date(2027, 4, 20)))
    with app.test_request_context():
        handled = {item.cycle.park_id: jobs.propose_quarterly(item) for item in items}
    assert handled[lage_weide.id] is False and handled[world["parks"]["de_hoef"].id] is True


def test_a_closed_or_chairless_cycle_gets_nothing(db, world):
    active_cycle(world["parks"]["de_hoef"]).status = CycleStatus.CLOSED
    cycle = active_cycle(world["parks"]["overvecht"])
    cycle.chair_id = cycle.secretary_id = None
    db.session.commit()
    execute(JOBS["meetings.quarterly_proposal"], now=FIRST_DAY)
    notes = _notifications(db, "meetings.quarterly_proposal")
    assert {n.user_id for n in notes} == _recipients(world, ["lage_weide"])


def test_the_reminder_goes_to_the_chair_six_weeks_in_required_and_once(db, world):
    assert execute(JOBS["meetings.quarterly_reminder"], now=SIX_WEEKS - timedelta(days=1)).done == 0
    assert execute(JOBS["meetings.quarterly_reminder"], now=SIX_WEEKS).done == 3
    notes = _notifications(db, "meetings.quarterly_reminder")
    chairs = {world["people"][name][0].id for name in ("lage_weide", "de_hoef", "overvecht")}
    assert {n.user_id for n in notes} == chairs
    assert all(n.required for n in notes)
    assert notes[0].text == (
        "Lage Weide: er is nog geen kwartaaloverleg gepland in 2e kw. 2027. Plan het overleg met de werkgroep."
    )
    assert execute(JOBS["meetings.quarterly_reminder"], now=SIX_WEEKS + timedelta(days=10)).done == 0
    assert len(_notifications(db, "meetings.quarterly_reminder")) == 3


def test_no_reminder_once_a_quarterly_meeting_is_planned(db, world):
    for name in ("lage_weide", "de_hoef"):
        make_meeting(active_cycle(world["parks"][name]), at(date(2027, 6, 2)))
    # another kind of meeting in the quarter is no quarterly meeting
    make_meeting(active_cycle(world["parks"]["overvecht"]), at(date(2027, 6, 2)), kind=MeetingKind.WORKING)
    db.session.commit()
    execute(JOBS["meetings.quarterly_reminder"], now=SIX_WEEKS)
    notes = _notifications(db, "meetings.quarterly_reminder")
    assert [n.user_id for n in notes] == [world["people"]["overvecht"][0].id]


def test_the_chair_without_a_digest_gets_the_reminder_by_mail_not_the_proposal(app, db, world, smtp_server):  # noqa: F811
    chair, secretary = world["people"]["lage_weide"]
    chair.digest_frequency = DigestFrequency.NONE
    secretary.digest_frequency = DigestFrequency.DAILY
    db.session.commit()
    execute(JOBS["meetings.quarterly_proposal"], now=FIRST_DAY)
    execute(JOBS["notifications.daily_digest"], now=FIRST_DAY + timedelta(minutes=40))
    execute(JOBS["meetings.quarterly_reminder"], now=SIX_WEEKS)
    monday = datetime(2027, 5, 17, 5, 0, tzinfo=UTC)  # 07:00 in Amsterdam
    execute(JOBS["notifications.weekly_digest"], now=monday)
    deliver_due(monday + timedelta(minutes=1))
    messages = {message["To"]: message for message in smtp_server.inbox.messages}
    to_chair = messages[chair.email].get_body(("plain",)).get_content()
    assert "Nog geen kwartaaloverleg gepland" in to_chair
    assert "er is nog geen kwartaaloverleg gepland in 2e kw. 2027" in to_chair
    assert "Kwartaaloverleg plannen" not in to_chair
    park_id = world["parks"]["lage_weide"].id
    assert f"/parken/{park_id}/vergaderingen/nieuw?soort=kwartaal" in to_chair
    to_secretary = messages[secretary.email].get_body(("plain",)).get_content()
    assert "plan het kwartaaloverleg van 2e kw. 2027 met de werkgroep" in to_secretary


def test_a_paused_park_gets_no_proposal_or_reminder(db, world):
    world["parks"]["lage_weide"].status = ParkStatus.PAUSED
    world["parks"]["overvecht"].status = ParkStatus.STOPPED
    db.session.commit()
    assert {item.cycle.park.name for item in jobs.proposals_due(FIRST_DAY)} == {"De Hoef"}
    assert {item.cycle.park.name for item in jobs.reminders_due(SIX_WEEKS)} == {"De Hoef"}
