"""The exit criteria that need a meeting (design §2): step 2 a held kick-off, step 5 a held presentation of the
results (invitations sent, minutes recorded)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.meetings.models import MeetingKind
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
