"""The exit criteria that need a meeting (design §2): step 2 a held kick-off, step 5 a held presentation of the
results (invitations sent, minutes recorded); and step 8's quarterly rhythm (informative: step 8 runs until the
herijking, nothing is completed)."""

from __future__ import annotations

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import local_day, local_today
from app.meetings.models import MeetingKind
from app.meetings.quarterly import (
    calendar_quarter,
    continuation_start,
    held_quarterly,
    previous_quarter,
    quarterly_meetings,
    quarters_without_meeting,
)
from app.meetings.services import kind_held, results_meeting_held
from app.parks.models import Cycle
from app.parks.steps import Check, criterion


@criterion(
    2,
    _l("Er is een kick-off gehouden (met verslag)"),
    order=30,
    fix="meetings.index",
    fix_label=_l("Naar de vergaderingen"),
)
def kickoff_held(cycle: Cycle) -> Check:
    return Check(*kind_held(cycle, MeetingKind.KICKOFF))


@criterion(
    5,
    _l("De resultaten zijn gepresenteerd in een vergadering (uitnodigingen verstuurd, verslag vastgelegd)"),
    order=10,
    fix="meetings.index",
    fix_label=_l("Naar de vergaderingen"),
)
def results_presented(cycle: Cycle) -> Check:
    return Check(*results_meeting_held(cycle))


# Step 8: informative. A quarter counts from the award (or from the start of step 8) on; the year is the calendar
# year of today.


@criterion(
    8,
    _l("Dit jaar is elk afgelopen kwartaal een kwartaaloverleg gehouden (met verslag)"),
    order=10,
    fix="meetings.index",
    fix_label=_l("Naar de vergaderingen"),
)
def quarterly_meetings_held(cycle: Cycle) -> Check:
    due, missed = quarters_without_meeting(cycle, today=local_today())
    if not due:
        return Check(True, _("nog geen afgelopen kwartaal in de continuering dit jaar"))
    if missed:
        return Check(False, _("zonder overleg: %(quarters)s", quarters=", ".join(q.calendar_text for q in missed)))
    return Check(True, ngettext("%(num)s kwartaal", "%(num)s kwartalen", len(due)))


@criterion(
    8,
    _l("Het voortgangsrapport van het vorige kwartaal is besproken in het kwartaaloverleg van dit kwartaal"),
    order=20,
    fix="quarterly.index",
    fix_label=_l("Naar het voortgangsrapport"),
)
def progress_reported(cycle: Cycle) -> Check:
    today = local_today()
    previous = previous_quarter(today)
    if previous.last_day < continuation_start(cycle):
        return Check(True, _("het vorige kwartaal lag voor de continuering"))
    held = held_quarterly(cycle, calendar_quarter(today))
    if held:
        return Check(True, _("besproken op %(date)s", date=format_date(local_day(held[0].starts_at), "long")))
    planned = quarterly_meetings(cycle, today, calendar_quarter(today).last_day)
    if planned:
        return Check(False, _("gepland op %(date)s", date=format_date(local_day(planned[0].starts_at), "long")))
    return Check(
        False, _("nog geen kwartaaloverleg gepland in %(quarter)s", quarter=calendar_quarter(today).calendar_text)
    )
