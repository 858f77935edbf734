"""Meetings through the API: what everyone on the park sees (no invitees, no addresses), filters by kind and day,
per-park permissions, and a meeting planned on the web showing in the API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from app.api.models import ApiScope
from app.auth.models import Role
from app.extensions import db as _db
from app.meetings import services
from app.meetings.models import MeetingAttendee, MeetingKind
from app.parks.services import active_cycle
from tests.api.test_access import assert_problem
from tests.factories import make_member
from tests.meetings.conftest import AGENDA, NOW, values


@pytest.fixture
def meetings(db, park):
    """A working session on 12 March 2026 (with an invitee), a cancelled kick-off on 2 March and a held quarterly
    meeting on 9 April."""
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on = date(2026, 1, 1), date(2027, 12, 31)
    advisor = make_member(Role.ADVISOR, park, name="Anouk Adviseur")
    working = services.schedule_meeting(advisor, cycle, values())
    working.attendees.append(MeetingAttendee(name="Kees van Hal", email="kees@vanhal.example"))
    kickoff = services.schedule_meeting(
        advisor, cycle, values(kind=MeetingKind.KICKOFF, title="Kick-off", on=date(2026, 3, 2), agenda=[])
    )
    services.cancel_meeting(advisor, kickoff, now=NOW)
    quarterly = services.schedule_meeting(
        advisor, cycle, values(kind=MeetingKind.QUARTERLY, title="Kwartaaloverleg", on=date(2026, 4, 9))
    )
    services.record_minutes(advisor, quarterly, "Alles besproken.", now=datetime(2026, 4, 10, tzinfo=UTC))
    _db.session.commit()
    return {"working": working, "kickoff": kickoff, "quarterly": quarterly}


def _url(park, query=""):
    return f"/api/v1/parks/{park.id}/meetings{query}"


def test_meetings_with_time_place_state_and_agenda_but_no_invitees(api_as, park, meetings):
    response = api_as(make_member(Role.ENTREPRENEUR, park)).get(_url(park))
    body = response.get_json()
    assert [m["title"] for m in body] == ["Kick-off", "Werksessie veiligheid", "Kwartaaloverleg"]
    kickoff, working, quarterly = body
    assert working | {"id": 0} == {
        "id": 0,
        "cycle_number": 1,
        "kind": "werksessie",
        "kind_label": "Werksessie",
        "title": "Werksessie veiligheid",
        "starts_at": "2026-03-12T18:30:00+00:00",
        "ends_at": "2026-03-12T20:00:00+00:00",
        "location": "Kantine Van Hal Transport, Atoomweg 50",
        "held": False,
        "cancelled": False,
        "cancelled_at": None,
        "agenda": AGENDA,
    }
    assert kickoff["cancelled"] is True and kickoff["cancelled_at"] is not None and kickoff["agenda"] == []
    assert quarterly["held"] is True and quarterly["kind"] == "kwartaal"
    text = response.get_data(as_text=True)
    assert "kees@vanhal.example" not in text and "Kees van Hal" not in text and "Alles besproken" not in text


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("?kind=kwartaal", ["Kwartaaloverleg"]),
        ("?since=2026-03-12", ["Werksessie veiligheid", "Kwartaaloverleg"]),
        ("?until=2026-03-12", ["Kick-off", "Werksessie veiligheid"]),
        ("?since=2026-03-03&until=2026-04-08", ["Werksessie veiligheid"]),
        ("?page=2&page_size=2", ["Kwartaaloverleg"]),
    ],
)
def test_meeting_filters_and_pages(api_as, park, meetings, query, titles):
    response = api_as(make_member(Role.PARTNER, park)).get(_url(park, query))
    assert [m["title"] for m in response.get_json()] == titles
    total = 3 if "page=" in query else len(titles)
    assert json.loads(response.headers["X-Pagination"])["total"] == total


def test_meeting_filters_refuse_wrong_values(api_as, park, meetings):
    api = api_as(make_member(Role.PARTNER, park))
    assert_problem(api.get(_url(park, "?kind=borrel")), 422)
    assert_problem(api.get(_url(park, "?since=12-03-2026")), 422)


@pytest.mark.parametrize("role", list(Role))
def test_everyone_on_the_park_sees_the_meetings(api_as, park, meetings, role):
    assert api_as(make_member(role, park)).get(_url(park)).status_code == 200


def test_another_parks_meetings_are_404(api_as, park, other_park, meetings):
    stranger = api_as(make_member(Role.ADVISOR, other_park), ApiScope.WRITE)
    assert_problem(stranger.get(_url(park)), 404)
    assert stranger.get(_url(other_park)).get_json() == []
    # read-only: no method writes meetings
    assert_problem(stranger.post(_url(other_park), json={}), 405)


def test_a_meeting_planned_on_the_web_shows_in_the_api(api_as, login_as, park):
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on = date(2026, 1, 1), date(2027, 12, 31)
    advisor = make_member(Role.ADVISOR, park)
    response = login_as(advisor).post(
        f"/parken/{park.id}/vergaderingen/nieuw",
        data={
            "meeting-kind": "informatie",
            "meeting-title": "Informatieavond camera's",
            "meeting-on": "2030-05-20",
            "meeting-starts_at": "19:00",
            "meeting-ends_at": "21:00",
            "meeting-location": "Gemeentehuis",
            "meeting-agenda": "Welkom\nCamera's",
        },
    )
    assert response.status_code == 302
    body = api_as(advisor).get(_url(park)).get_json()
    assert [(m["title"], m["kind"], m["starts_at"]) for m in body] == [
        ("Informatieavond camera's", "informatie", "2030-05-20T17:00:00+00:00")
    ]
