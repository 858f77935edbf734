"""The quarterly meeting's agenda generated from the plan: actions due this quarter, overdue actions, goals off
target, camera findings since the previous quarterly meeting and the previous held meeting's decisions; a pure read.
The helpers here are shared by the other quarterly tests."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.cameras.checks import template_for
from app.cameras.models import Camera, CameraNetwork, CameraType, CheckScore, QualityCheck, Score
from app.extensions import db as _db
from app.meetings.models import Meeting, MeetingDecision, MeetingKind
from app.meetings.quarterly import NOTE_LIMIT, generated_agenda
from app.parks.services import active_cycle
from app.plans.models import ActionStatus, Direction, Goal, Theme
from tests.factories import make_park
from tests.plans.test_tracking import make_action, make_plan, make_stakeholder

TODAY = date(2027, 5, 10)  # 2027-Q2: quarter 6 of a plan that starts in 2026-Q1
PLAN_START = date(2026, 1, 1)


def continuing(park, *, step: int = 8):
    """The park's active cycle, 2026-2027, at `step` (default: continuation)."""
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on, cycle.current_step = PLAN_START, date(2027, 12, 31), step
    _db.session.flush()
    return cycle


def make_meeting(
    cycle,
    starts_at: datetime,
    *,
    kind: MeetingKind = MeetingKind.QUARTERLY,
    title: str = "Kwartaaloverleg",
    held: bool = False,
    cancelled: bool = False,
    decisions: list[tuple[str, object]] = (),
) -> Meeting:
    """A meeting written directly; `held`: its minutes recorded; `decisions`: (text, action or None)."""
    meeting = Meeting(
        cycle=cycle,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        uid=secrets.token_hex(16),
        minutes="Notulen" if held else "",
        minutes_at=starts_at + timedelta(days=1) if held else None,
        cancelled_at=starts_at - timedelta(days=3) if cancelled else None,
    )
    for position, (text, action) in enumerate(decisions, start=1):
        meeting.decisions.append(MeetingDecision(position=position, text=text, action=action))
    _db.session.add(meeting)
    _db.session.flush()
    return meeting


def make_network(park) -> CameraNetwork:
    network = CameraNetwork(park=park, name=f"Camera's {park.name}")
    network.cameras.append(Camera(code="C1", type=CameraType.FIXED, lat=52.07, lon=5.07))
    _db.session.add(network)
    _db.session.flush()
    return network


def make_check(network, done_on: date, findings: dict[str, tuple[Score, str]], *, remarks: str = "") -> QualityCheck:
    """A done check written directly: every criterion OK except `findings` (key -> (score, note))."""
    criteria = template_for(network)
    check = QualityCheck(network=network, due_on=done_on, done_on=done_on, criteria=criteria, remarks=remarks)
    for criterion in criteria:
        score, note = findings.get(criterion["key"], (Score.OK, ""))
        check.scores.append(CheckScore(criterion=criterion["key"], score=score, note=note))
    _db.session.add(check)
    _db.session.flush()
    return check


def make_goal(cycle, title: str, *, target: float, latest: float | None, direction=Direction.UP, unit="%") -> Goal:
    goal = Goal(
        cycle=cycle,
        theme=Theme.VEILIG,
        title=title,
        indicator=title,
        direction=direction,
        unit=unit,
        baseline=40,
        target=target,
        deadline=date(2027, 12, 31),
        latest_value=latest,
        latest_on=date(2027, 4, 1) if latest is not None else None,
    )
    _db.session.add(goal)
    _db.session.flush()
    return goal


def at(day: date, hour: int = 17) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 2, tzinfo=UTC)  # Dutch summer time


@pytest.fixture
def world(db, park, other_park):
    """Lage Weide in continuation with a plan, goals, a camera network with checks before and after the previous
    quarterly meeting (15 February 2027, held, with decisions), and a planned meeting later; Papendorp, another
    park, with a later held meeting of its own."""
    cycle = continuing(park)
    plan = make_plan(park, starts_on=PLAN_START)
    police = make_stakeholder(park, "Politie Midden-Nederland")
    make_action(plan, "Camerabeelden evalueren", quarter=6, owners=[police])
    make_action(plan, "Schouw herhalen", quarter=6, status=ActionStatus.DONE)
    make_action(plan, "Vervallen voorlichting", quarter=6, status=ActionStatus.DROPPED)
    lights = make_action(plan, "Verlichting herstellen", quarter=5, status=ActionStatus.DELAYED, owners=[police])
    make_action(plan, "Nieuwsbrief", quarter=4, status=ActionStatus.DONE)
    make_action(plan, "Bebording plaatsen", quarter=7)
    make_goal(cycle, "Veiliger in het donker", target=60, latest=45)
    make_goal(cycle, "Minder inbraken", target=5, latest=4, direction=Direction.DOWN, unit="inbraken")
    make_goal(cycle, "Meer meldingen", target=80, latest=None)
    network = make_network(park)
    make_check(network, date(2027, 1, 20), {"signage": (Score.MAJOR, "Bord bij de ingang weg")})
    make_check(
        network,
        date(2027, 4, 12),
        {"signage": (Score.MINOR, "Bord scheef"), "image_night": (Score.MAJOR, "Lamp bij C1 defect")},
    )
    make_meeting(
        cycle,
        at(date(2026, 11, 10)),
        title="Werksessie najaar",
        kind=MeetingKind.WORKING,
        held=True,
        decisions=[("Oud besluit", None)],
    )
    make_meeting(
        cycle,
        at(date(2027, 2, 15)),
        held=True,
        decisions=[("Gemeente vraagt extra verlichting aan", lights), ("Nieuwsbrief in juni", None)],
    )
    make_meeting(cycle, at(date(2027, 5, 20)), title="Kwartaaloverleg juni")  # planned, not held
    make_meeting(continuing(other_park), at(date(2027, 4, 1)), held=True, decisions=[("Besluit van Papendorp", None)])
    return {"park": park, "cycle": cycle, "plan": plan}


def _agenda(app, cycle, today=TODAY) -> dict[str, str]:
    with app.test_request_context():
        return {item["title"]: item["note"] for item in generated_agenda(cycle, today=today)}


def test_the_headings_in_order(app, world):
    with app.test_request_context():
        agenda = generated_agenda(world["cycle"], today=TODAY)
    assert [item["title"] for item in agenda] == [
        "Acties van K6 (2e kw. 2027)",
        "Acties over de datum",
        "Doelen die achterblijven",
        "Bevindingen van de cameracontroles",
        "Besluiten van het vorige overleg",
    ]


def test_actions_due_this_quarter_with_owners_date_and_status(app, world):
    note = _agenda(app, world["cycle"])["Acties van K6 (2e kw. 2027)"]
    assert note.split("\n") == [
        "Camerabeelden evalueren — Politie Midden-Nederland — uiterlijk 30 juni 2027 (gepland)",
        "Schouw herhalen — nog geen eigenaar — uiterlijk 30 juni 2027 (gereed)",
    ]


def test_the_actions_are_those_of_the_quarter_the_meeting_is_held_in(app, world):
    # prepared in May (K6) for a meeting on 8 July: the actions of K7, not of the quarter it was prepared in
    with app.test_request_context():
        agenda = generated_agenda(world["cycle"], today=TODAY, on=date(2027, 7, 8))
    assert agenda[0] == {
        "title": "Acties van K7 (3e kw. 2027)",
        "note": "Bebording plaatsen — nog geen eigenaar — uiterlijk 30 september 2027 (gepland)",
    }


def test_overdue_actions_are_open_and_due_before_today(app, world):
    note = _agenda(app, world["cycle"])["Acties over de datum"]
    assert note == "Verlichting herstellen — Politie Midden-Nederland — uiterlijk 31 maart 2027 (vertraagd)"


def test_goals_off_target_leave_out_goals_on_target_and_unmeasured(app, world):
    note = _agenda(app, world["cycle"])["Doelen die achterblijven"]
    assert note == "Veiliger in het donker (Veilig): 45\u00a0% op 1 april 2027, streefwaarde 60\u00a0%"


def test_camera_findings_since_the_previous_quarterly_meeting(app, world):
    note = _agenda(app, world["cycle"])["Bevindingen van de cameracontroles"]
    assert note.split("\n") == [
        "12 april 2027, Beeldkwaliteit 's nachts: grote afwijking — Lamp bij C1 defect",
        "12 april 2027, Bebording aanwezig: kleine afwijking — Bord scheef",
    ]


def test_without_a_previous_quarterly_meeting_findings_since_the_cycle_began(app, db, world):
    for meeting in db.session.scalars(select(Meeting).where(Meeting.kind == MeetingKind.QUARTERLY)):
        meeting.cancelled_at = meeting.starts_at - timedelta(days=1)
    db.session.flush()
    note = _agenda(app, world["cycle"])["Bevindingen van de cameracontroles"]
    assert "Bord bij de ingang weg" in note and "Lamp bij C1 defect" in note


def test_decisions_of_the_previous_held_meeting_of_the_park(app, world):
    note = _agenda(app, world["cycle"])["Besluiten van het vorige overleg"]
    assert note.split("\n") == [
        "Kwartaaloverleg van 15 februari 2027:",
        "Gemeente vraagt extra verlichting aan (actie: Verlichting herstellen)",
        "Nieuwsbrief in juni",
    ]


def test_a_park_without_plan_goals_network_or_meetings_gets_geen_everywhere(app, db):
    cycle = continuing(make_park(name="De Hoef"))
    assert set(_agenda(app, cycle).values()) == {"Geen"}


def test_a_held_meeting_without_decisions_gives_geen(app, world):
    make_meeting(world["cycle"], at(date(2027, 4, 20)), title="Werksessie", kind=MeetingKind.WORKING, held=True)
    assert _agenda(app, world["cycle"])["Besluiten van het vorige overleg"] == "Geen"


def test_the_agenda_only_reads(app, db, world):
    db.session.commit()
    written = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            written.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        _agenda(app, world["cycle"])
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert written == []


def test_a_long_section_is_cut_off_within_the_note_limit(app, db):
    park = make_park(name="De Hoef")
    cycle = continuing(park)
    plan = make_plan(park, starts_on=PLAN_START)
    for number in range(60):
        make_action(plan, f"Achterstallige actie nummer {number:02d} met een flink lange titel", quarter=2)
    note = _agenda(app, cycle)["Acties over de datum"]
    lines = note.split("\n")
    assert len(note) <= NOTE_LIMIT
    assert lines[0].startswith("Achterstallige actie nummer 00")
    assert lines[-1] == f"… en nog {60 - (len(lines) - 1)}"
    assert 10 < len(lines) < 60
