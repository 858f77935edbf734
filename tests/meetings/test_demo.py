"""The demo meetings: each demo park gets the meetings of its step, the step criteria hold where the park is past
them, and seeding twice adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.auth.models import User
from app.demo.seed import seed_demo_data
from app.meetings.demo import seed_demo
from app.meetings.models import Meeting, MeetingKind
from app.parks import steps
from app.parks.models import Park
from app.parks.services import active_cycle

KICKOFF = "Er is een kick-off gehouden (met verslag)"
RESULTS = "De resultaten zijn gepresenteerd in een vergadering (uitnodigingen verstuurd, verslag vastgelegd)"


def _met(park, step: int, label: str) -> bool:
    return {str(c.label): c.met for c in steps.evaluate(active_cycle(park), step)}[label]


def test_the_demo_parks_get_the_meetings_of_their_step(db):
    now = datetime.now(UTC)
    seed_demo_data(now=now)
    parks = {park.name: park for park in db.session.scalars(select(Park))}
    users = {user.email: user for user in db.session.scalars(select(User))}
    seed_demo(parks, users, now=now)
    count = db.session.scalar(select(func.count()).select_from(Meeting))
    seed_demo(parks, users, now=now)
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == count

    def kinds(name):
        meetings = db.session.scalars(select(Meeting).where(Meeting.cycle_id == active_cycle(parks[name]).id))
        return {(m.kind, m.minutes_at is not None) for m in meetings}

    assert kinds("Papendorp") == set()  # step 1
    assert kinds("De Hoef") == {(MeetingKind.KICKOFF, False)}  # step 2: the kick-off is planned
    assert kinds("Lage Weide") == {(MeetingKind.KICKOFF, True), (MeetingKind.WORKING, False)}
    assert {(MeetingKind.KICKOFF, True), (MeetingKind.RESULTS, True)} <= kinds("Cartesiusweg")
    assert _met(parks["Lage Weide"], 2, KICKOFF) and not _met(parks["De Hoef"], 2, KICKOFF)
    assert _met(parks["Cartesiusweg"], 5, RESULTS)

    results = db.session.scalar(select(Meeting).where(Meeting.kind == MeetingKind.RESULTS))
    assert results.minutes and results.attendees and all(a.attended is not None for a in results.attendees)
    assert any(a.attended is False for a in results.attendees)  # someone sent apologies
    linked = [d for d in results.decisions if d.action is not None]
    assert [d.action.catalogue_key for d in linked] == ["alertavond"]
    assert all(m.starts_at < m.ends_at and len(m.uid) == 32 for m in db.session.scalars(select(Meeting)))
