"""The park's calendar as an iCalendar feed (RFC 5545) that calendar apps subscribe to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.clock import LOCAL_TIME
from app.extensions import db
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


def feed_ics(park: Park, *, host: str, now: datetime) -> bytes:
    """The feed of `park`: a VCALENDAR named after the park with one VEVENT per item of its active cycle.

    Every event keeps its UID (`calendar-item-<id>@<host>`), so that an app updates an item instead of adding it
    twice. Items of a whole day are DATE values; items with a time are local times in Europe/Amsterdam, described
    by the VTIMEZONE in the feed.
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
    return calendar.to_ical()
