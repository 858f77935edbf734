"""The step criteria that need a meeting: step 2 a held kick-off, step 5 a held presentation of the results."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.errors import DomainError
from app.meetings import services
from app.meetings.models import MeetingKind
from app.parks import steps
from tests.meetings.conftest import NOW, schedule

AFTER = datetime(2026, 3, 12, 21, 30, tzinfo=UTC)
KICKOFF = "Er is een kick-off gehouden (met verslag)"
RESULTS = "De resultaten zijn gepresenteerd in een vergadering (uitnodigingen verstuurd, verslag vastgelegd)"


def check(cycle, step: int, label: str):
    return {str(c.label): c for c in steps.evaluate(cycle, step)}[label]


def test_the_kickoff_counts_once_held_with_minutes(db, cycle, advisor):
    step, label, kind = 2, KICKOFF, MeetingKind.KICKOFF
    result = check(cycle, step, label)
    assert (result.met, result.detail, result.fix) == (False, "nog niet gepland", "meetings.index")
    # another kind of meeting, even held, does not count
    other = schedule(advisor, cycle, kind=MeetingKind.WORKING)
    services.record_minutes(advisor, other, "Verslag", now=AFTER)
    meeting = schedule(advisor, cycle, kind=kind, title="")
    result = check(cycle, step, label)
    assert not result.met and result.detail == f"{kind.label} heeft nog geen verslag"
    services.record_minutes(advisor, meeting, "Verslag van de bijeenkomst", now=AFTER)
    result = check(cycle, step, label)
    assert result.met and result.detail == f"{kind.label} op 12 maart 2026"


def test_the_results_meeting_counts_only_with_invitations_sent_and_minutes(db, cycle, advisor):
    result = check(cycle, 5, RESULTS)
    assert (result.met, result.detail, result.fix) == (False, "nog niet gepland", "meetings.index")
    meeting = schedule(advisor, cycle, kind=MeetingKind.RESULTS, title="Presentatie")
    result = check(cycle, 5, RESULTS)
    assert not result.met
    assert result.detail == "Presentatie: de uitnodigingen zijn niet verstuurd en er is geen verslag"
    services.record_minutes(advisor, meeting, "Verslag van de bijeenkomst", now=AFTER)
    result = check(cycle, 5, RESULTS)
    # minutes alone no longer count: nobody was invited
    assert not result.met and result.detail == "Presentatie: de uitnodigingen zijn niet verstuurd"
    meeting.invitations_sent_at = NOW
    result = check(cycle, 5, RESULTS)
    assert result.met and result.detail == "Presentatie op 12 maart 2026"
    meeting.invitations_sent_at, meeting.minutes_at = NOW, None
    assert check(cycle, 5, RESULTS).detail == "Presentatie: er is geen verslag"


def test_a_cancelled_meeting_does_not_count(db, cycle, advisor):
    meeting = schedule(advisor, cycle, kind=MeetingKind.KICKOFF)
    services.cancel_meeting(advisor, meeting, now=NOW)
    result = check(cycle, 2, KICKOFF)
    assert not result.met and result.detail == "nog niet gepland"


def test_the_kickoff_holds_step_2_until_it_is_held(db, park, cycle, advisor):
    cycle.current_step = 2
    with pytest.raises(DomainError, match="Stap 2 kan nog niet worden afgerond"):
        steps.complete_step(advisor, cycle, now=NOW)
    assert KICKOFF in [str(c.label) for c in steps.evaluate(cycle, 2) if not c.met]
