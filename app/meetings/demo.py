"""Demo meetings: every demo park gets the meetings that fit the step its cycle is at (a held kick-off past step 2,
a held presentation of the results past step 5, planned meetings ahead), with attendance, minutes and decisions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.clock import LOCAL_TIME, local_day, working_day_from
from app.demo import DEMO_DOMAIN
from app.extensions import db
from app.meetings.models import Meeting, MeetingAttendee, MeetingDecision, MeetingKind
from app.parks.models import Cycle, CycleStatus, Park
from app.plans.models import PlanAction
from app.plans.services import find_plan
from app.stakeholders.models import OrganisationType, Stakeholder


@dataclass(frozen=True)
class DemoMeeting:
    kind: MeetingKind
    title: str
    #: days from today (negative: in the past); the meeting runs from `start` to `end`, Dutch time
    days: int
    start: time
    end: time
    location: str
    agenda: tuple[str, ...]
    #: the minutes (held meetings only); empty: not held yet
    minutes: str = ""
    #: (text, catalogue key of the plan's action it became, or None)
    decisions: tuple[tuple[str, str | None], ...] = ()
    #: the invitations went out (planned meetings)
    invited: bool = True


KICKOFF = DemoMeeting(
    MeetingKind.KICKOFF,
    "Kick-off Veilig Bedrijventerrein",
    -150,
    time(16, 0),
    time(18, 0),
    "Gemeentehuis, zaal De Vecht",
    (
        "Opening door de wethouder",
        "Wat is het Keurmerk / de waardering Veilig Bedrijventerrein?",
        "Kennismaking en rollen in de werkgroep",
        "Planning: de acht stappen en de enquête",
        "Rondvraag en afsluiting",
    ),
    minutes=(
        "De wethouder opende de bijeenkomst en benadrukte het belang van samenwerking op het park.\n"
        "De procesbegeleider lichtte de acht stappen toe. Gemeente, politie, brandweer en de ondernemersvereniging "
        "spreken uit mee te doen; de ondernemers leveren de voorzitter en de secretaris van de werkgroep.\n"
        "De enquête onder de ondernemers gaat in het volgende kwartaal uit."
    ),
    decisions=(
        ("De werkgroep komt tot de waardering elke zes weken bijeen.", None),
        ("De ondernemersvereniging levert de voorzitter en de secretaris van de werkgroep.", None),
    ),
)
RESULTS = DemoMeeting(
    MeetingKind.RESULTS,
    "Presentatie resultaten enquête en schouw",
    -45,
    time(19, 30),
    time(21, 30),
    "Kantine Drukkerij Zuilen, Cartesiusweg 90",
    (
        "Welkom door de voorzitter",
        "Uitkomsten van de ondernemersenquête",
        "Bevindingen van de schouw en de cijfers van de politie",
        "De doelen per thema",
        "Wat gaan we doen? Ideeën uit de zaal",
    ),
    minutes=(
        "Ruim dertig ondernemers waren aanwezig. De enquête laat zien dat vooral verlichting en zwerfvuil zorgen "
        "geven; het gevoel van veiligheid na donker is laag.\n"
        "De wijkagent lichtte de cijfers toe: het aantal bedrijfsinbraken daalt licht.\n"
        "Uit de zaal kwamen voorstellen voor een schoonmaakactie en een alertavond."
    ),
    decisions=(
        ("Er komt een gezamenlijke alertavond met de politie.", "alertavond"),
        ("De werkgroep werkt de voorstellen uit in het uitvoeringsplan.", None),
    ),
)
WORKING = DemoMeeting(
    MeetingKind.WORKING,
    "Werksessie: resultaten van de schouw",
    9,
    time(15, 30),
    time(17, 0),
    "Kantoor Van Hal Transport, Atoomweg 50",
    ("Opening", "Bevindingen van de schouw", "Gebiedsscan: de top-3 per deelnemer", "Afspraken en rondvraag"),
    invited=False,
)
KICKOFF_PLANNED = DemoMeeting(
    MeetingKind.KICKOFF,
    "Kick-off Veilig Bedrijventerrein",
    16,
    time(16, 0),
    time(18, 0),
    "Stadhuis Amersfoort, zaal 2",
    (
        "Opening door de wethouder",
        "Wat is Veilig Bedrijventerrein?",
        "Kennismaking en rollen in de werkgroep",
        "Rondvraag",
    ),
)
ADOPTION = DemoMeeting(
    MeetingKind.ADOPTION,
    "Vaststelling van het uitvoeringsplan",
    12,
    time(19, 30),
    time(21, 0),
    "Kantine Drukkerij Zuilen, Cartesiusweg 90",
    ("Opening", "Het uitvoeringsplan: acties, eigenaren en kwartalen", "Vaststelling", "Naar de waardering"),
)
QUARTERLY = DemoMeeting(
    MeetingKind.QUARTERLY,
    "Kwartaaloverleg",
    21,
    time(16, 0),
    time(17, 30),
    "Kantine van de ondernemersvereniging",
    (
        "Acties van dit kwartaal",
        "Acties over de datum",
        "Doelen die achterblijven",
        "Bevindingen van de cameracontroles",
        "Besluiten van het vorige overleg",
    ),
)


def _plan_for_step(step: int) -> list[DemoMeeting]:
    """The meetings a park at `step` has had and has ahead."""
    if step < 2:
        return []
    if step == 2:
        return [KICKOFF_PLANNED]
    meetings = [KICKOFF]
    if step == 3:
        meetings.append(WORKING)
    if step > 5:
        meetings.append(RESULTS)
    if step == 6:
        meetings.append(ADOPTION)
    if step == 8:
        meetings.append(QUARTERLY)
    return meetings


def _moment(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LOCAL_TIME).astimezone(UTC)


def _invitees(cycle: Cycle, users_by_email: dict[str, User]) -> list[tuple[Stakeholder, str, str, User | None]]:
    """(stakeholder, name, email, user) per stakeholder: a demo user of its organisation, else its representative
    with an address at the organisation."""
    invitees = []
    for stakeholder in cycle.stakeholders:
        user = next(
            (u for u in users_by_email.values() if u.organisation_id == stakeholder.organisation_id and not u.is_admin),
            None,
        )
        if stakeholder.representative_user is not None:
            user = stakeholder.representative_user
        if user is not None:
            invitees.append((stakeholder, user.name, user.email, user))
            continue
        slug = "".join(ch for ch in stakeholder.organisation.name.lower() if ch.isalnum())[:24] or "deelnemer"
        email = stakeholder.representative_email or f"secretariaat@{slug}.example"
        name = stakeholder.representative_display or stakeholder.organisation.name
        invitees.append((stakeholder, name, email, None))
    return invitees


def _action(cycle: Cycle, key: str | None) -> PlanAction | None:
    plan = find_plan(cycle) if key else None
    if plan is None:
        return None
    return next((a for a in plan.actions if a.catalogue_key == key), None)


def _move_to_working_days(meetings: list[Meeting], *, now: datetime) -> None:
    """A planned demo meeting that an older demo put on a weekend day or a holiday (a quarterly meeting on 26
    December) moves to the next working day, at the same hours."""
    for meeting in meetings:
        day = local_day(meeting.starts_at)
        moved = working_day_from(day)
        if meeting.starts_at > now and moved != day:
            meeting.starts_at = _moment(moved, meeting.starts_at.astimezone(LOCAL_TIME).time())
            meeting.ends_at = _moment(moved, meeting.ends_at.astimezone(LOCAL_TIME).time())


def seed_demo(parks_by_name: dict[str, Park], users_by_email: dict[str, User], *, now: datetime) -> None:
    """Give each demo park's active cycle the meetings that fit its step (see `_plan_for_step`): held ones with
    invitees, attendance, minutes and decisions (one of which became the plan's alertavond action where the plan
    has it), planned ones with their agenda. A meeting of the same kind and title already in the cycle is left as
    it is, so running it again adds nothing."""
    today = local_day(now)
    advisor = users_by_email.get(f"adviseur@{DEMO_DOMAIN}")
    for park in parks_by_name.values():
        cycle = db.session.scalar(select(Cycle).where(Cycle.park_id == park.id, Cycle.status == CycleStatus.ACTIVE))
        if cycle is None:
            continue
        meetings = db.session.scalars(select(Meeting).where(Meeting.cycle_id == cycle.id)).all()
        _move_to_working_days(meetings, now=now)
        existing = {(m.kind, m.title) for m in meetings}
        invitees = _invitees(cycle, users_by_email)
        for number, demo in enumerate(_plan_for_step(cycle.current_step)):
            if (demo.kind, demo.title) in existing:
                continue
            day = working_day_from(today + timedelta(days=demo.days))
            starts_at, ends_at = _moment(day, demo.start), _moment(day, demo.end)
            held = bool(demo.minutes) and starts_at < now
            meeting = Meeting(
                cycle=cycle,
                kind=demo.kind,
                title=demo.title,
                starts_at=starts_at,
                ends_at=ends_at,
                location=demo.location,
                agenda=[{"title": title, "note": ""} for title in demo.agenda],
                minutes=demo.minutes if held else "",
                minutes_at=ends_at + timedelta(days=2) if held else None,
                uid=secrets.token_hex(16),
                sequence=0,
                created_by_id=advisor.id if advisor else None,
            )
            sent = (starts_at - timedelta(days=14)) if (held or demo.invited) else None
            meeting.invitations_sent_at = sent
            for index, (stakeholder, name, email, user) in enumerate(invitees):
                # at a held meeting one partner sent apologies (the fire brigade when it takes part)
                absent = held and (
                    stakeholder.organisation.type == OrganisationType.BRANDWEER
                    or (index == len(invitees) - 1 and number % 2 == 1)
                )
                meeting.attendees.append(
                    MeetingAttendee(
                        stakeholder=stakeholder,
                        user_id=user.id if user else None,
                        name=name,
                        email=email,
                        invited_at=sent,
                        attended=(not absent) if held else None,
                    )
                )
            if held:
                for position, (text, key) in enumerate(demo.decisions, start=1):
                    meeting.decisions.append(MeetingDecision(position=position, text=text, action=_action(cycle, key)))
            db.session.add(meeting)
            existing.add((demo.kind, demo.title))
    db.session.flush()
