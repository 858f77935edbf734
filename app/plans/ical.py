"""The one iCalendar writer (RFC 5545): the park's feed that calendar apps subscribe to, and the invitations to a
meeting that go out as an .ics attachment. The icalendar library escapes the text and folds the long lines."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vDuration, vText
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import LOCAL_TIME
from app.extensions import db
from app.meetings.models import Meeting, MeetingAttendee
from app.parks.models import Cycle, CycleStatus, Park
from app.plans.models import CalendarItem

PRODID = "-//Veilig Bedrijventerrein//Communicatie- en activiteitenkalender//NL"
TZID = "Europe/Amsterdam"
#: how often a subscribed app should fetch the feed again
REFRESH = timedelta(hours=6)


def _timezone() -> Timezone:
    """Europe/Amsterdam as VTIMEZONE with its yearly rules (CET/CEST since 1996), so that every app reads the
    local times the same, without a time zone database of its own."""
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(_change(TimezoneDaylight(), "CEST", datetime(1970, 3, 29, 2, 0), hours=(1, 2), month=3))
    zone.add_component(_change(TimezoneStandard(), "CET", datetime(1970, 10, 25, 3, 0), hours=(2, 1), month=10))
    return zone


def _change(
    part: TimezoneDaylight | TimezoneStandard, name: str, start: datetime, *, hours: tuple[int, int], month: int
) -> TimezoneDaylight | TimezoneStandard:
    """A yearly change of the zone's offset (from, to in hours) at the last Sunday of `month`."""
    part.add("tzname", name)
    part.add("dtstart", start)
    part.add("tzoffsetfrom", timedelta(hours=hours[0]))
    part.add("tzoffsetto", timedelta(hours=hours[1]))
    part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
    return part


def feed_items(park: Park) -> list[CalendarItem]:
    """The items of the park's active cycle, by date, with their owners (one statement)."""
    query = (
        select(CalendarItem)
        .join(Cycle, CalendarItem.cycle_id == Cycle.id)
        .options(joinedload(CalendarItem.owner))
        .where(Cycle.park_id == park.id, Cycle.status == CycleStatus.ACTIVE)
        .order_by(CalendarItem.on, CalendarItem.id)
    )
    return list(db.session.scalars(query).unique())


def _description(item: CalendarItem) -> str:
    lines = [_("Soort: %(kind)s", kind=item.kind.label)]
    if item.audience:
        lines.append(_("Doelgroep: %(audience)s", audience=item.audience))
    if item.owner is not None:
        lines.append(_("Eigenaar: %(owner)s", owner=item.owner.organisation.name))
    if item.description:
        lines += ["", item.description]
    return "\n".join(lines)


def _event(item: CalendarItem, *, host: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"calendar-item-{item.id}@{host}")
    event.add("dtstamp", now.astimezone(UTC))
    if item.created_at is not None:
        event.add("created", item.created_at.astimezone(UTC))
    event.add("summary", item.title)
    event.add("description", _description(item))
    event.add("categories", [item.kind.label])
    if item.starts_at is None:
        # an all-day item: DTEND is the day after (exclusive), as RFC 5545 counts whole days
        event.add("dtstart", item.on)
        event.add("dtend", item.on + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", datetime.combine(item.on, item.starts_at, tzinfo=LOCAL_TIME))
        if item.ends_at is not None:
            event.add("dtend", datetime.combine(item.on, item.ends_at, tzinfo=LOCAL_TIME))
    return event


def feed_meetings(park: Park) -> list[Meeting]:
    """The meetings of the park's active cycle that are not cancelled, by start (one statement)."""
    query = (
        select(Meeting)
        .join(Cycle, Meeting.cycle_id == Cycle.id)
        .where(Cycle.park_id == park.id, Cycle.status == CycleStatus.ACTIVE, Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(db.session.scalars(query))


# Meetings --------------------------------------------------------------------------------------------------


def config_host() -> str:
    """The host name of the configured BASE_URL: the right-hand side of every UID the platform writes."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def meeting_uid(meeting: Meeting, *, host: str) -> str:
    """The meeting's UID, the same in every invitation, update, cancellation and the feed."""
    return f"meeting-{meeting.uid}@{host}"


def meeting_description(meeting: Meeting) -> str:
    """The meeting's kind and its numbered agenda, each item's note indented under it."""
    lines = [_("Soort: %(kind)s", kind=meeting.kind.label)]
    if meeting.agenda:
        lines += ["", _("Agenda:")]
        for number, item in enumerate(meeting.agenda, start=1):
            lines.append(f"{number}. {item['title']}")
            lines += [f"   {line}" for line in (item.get("note") or "").splitlines() if line.strip()]
    return "\n".join(lines)


def _address(email: str, name: str | None, **parameters: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in parameters.items():
        address.params[key.upper().replace("_", "-")] = vText(value)
    return address


def meeting_event(
    meeting: Meeting,
    *,
    host: str,
    now: datetime,
    organizer: tuple[str, str | None] | None = None,
    attendees: Iterable[MeetingAttendee] = (),
    cancelled: bool = False,
) -> Event:
    """A VEVENT for the meeting, its times in UTC. The organizer (email, name) and the attendees go only into an
    invitation: the feed, read without a login, names no people."""
    event = Event()
    event.add("uid", meeting_uid(meeting, host=host))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", meeting.title)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", meeting_description(meeting))
    event.add("categories", [meeting.kind.label])
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if organizer is not None:
        event.add("organizer", _address(*organizer))
    for attendee in attendees:
        event.add(
            "attendee",
            _address(attendee.email, attendee.name, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="TRUE"),
        )
    return event


def invitation_ics(
    meeting: Meeting,
    attendee: MeetingAttendee,
    *,
    organizer: tuple[str, str | None],
    host: str,
    now: datetime,
    cancel: bool = False,
) -> bytes:
    """The .ics attached to one invitee's mail: METHOD:REQUEST (a new or changed meeting) or METHOD:CANCEL, with
    the meeting's UID and SEQUENCE so that the invitee's calendar replaces or removes the earlier one."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    calendar.add_component(
        meeting_event(meeting, host=host, now=now, organizer=organizer, attendees=[attendee], cancelled=cancel)
    )
    return calendar.to_ical()


# The feed --------------------------------------------------------------------------------------------------


def feed_ics(park: Park, *, host: str, now: datetime) -> bytes:
    """The feed of `park`: a VCALENDAR named after the park with one VEVENT per item and per meeting (not
    cancelled) of its active cycle.

    Every event keeps its UID (`calendar-item-<id>@<host>`, a meeting its own), so that an app updates an item
    instead of adding it twice. Items of a whole day are DATE values; items with a time are local times in
    Europe/Amsterdam, described by the VTIMEZONE in the feed; meetings are in UTC.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = f"{park.name} \u2013 Veilig Bedrijventerrein"  # an en dash
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-caldesc", _("Communicatie- en activiteitenkalender van %(park)s", park=park.name))
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    items = feed_items(park)
    if any(item.starts_at is not None for item in items):
        calendar.add_component(_timezone())
    for item in items:
        calendar.add_component(_event(item, host=host, now=now))
    for meeting in feed_meetings(park):
        calendar.add_component(meeting_event(meeting, host=host, now=now))
    return calendar.to_ical()
