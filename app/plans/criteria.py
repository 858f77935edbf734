"""The exit criteria of the plan (design §2): step 6 owned actions, a filled calendar and an adopted plan; step 8
(informative) recent updates of the open actions."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.parks.models import Cycle
from app.parks.steps import Check, criterion
from app.plans import quarters
from app.plans.models import OPEN_STATUSES, ActionStatus, CalendarItem
from app.plans.services import find_plan


@criterion(
    6,
    _l("Het plan heeft acties, elk met een eigenaar en een kwartaal"),
    order=10,
    fix="plans.index",
    fix_label=_l("Naar het uitvoeringsplan"),
)
def actions_owned(cycle: Cycle) -> Check:
    plan = find_plan(cycle)
    actions = [a for a in plan.actions if a.status != ActionStatus.DROPPED] if plan else []
    if not actions:
        return Check(False, _("er zijn nog geen acties"))
    orphans = sum(1 for action in actions if not action.owners)
    if orphans:
        return Check(False, ngettext("%(num)s actie zonder eigenaar", "%(num)s acties zonder eigenaar", orphans))
    return Check(True, ngettext("%(num)s actie", "%(num)s acties", len(actions)))


@criterion(
    6,
    _l("De communicatie- en activiteitenkalender is gevuld"),
    order=30,
    fix="calendar.index",
    fix_label=_l("Naar de kalender"),
)
def calendar_set(cycle: Cycle) -> Check:
    count = db.session.scalar(select(func.count()).where(CalendarItem.cycle_id == cycle.id))
    return Check(count > 0, ngettext("%(num)s activiteit", "%(num)s activiteiten", count))


@criterion(
    6,
    _l("Het plan is vastgesteld in een vergadering"),
    order=40,
    fix="plans.index",
    fix_label=_l("Naar het uitvoeringsplan"),
)
def plan_adopted(cycle: Cycle) -> Check:
    plan = find_plan(cycle)
    version = plan.adopted_version if plan else None
    return Check(version is not None, version.meeting if version else "")


@criterion(
    8,
    _l("Elke open actie van een afgelopen kwartaal heeft een update van het laatste kwartaal"),
    order=30,
    fix="plans.index",
    fix_label=_l("Naar het uitvoeringsplan"),
)
def actions_updated(cycle: Cycle) -> Check:
    """Informative (step 8): the open actions due before this quarter each have a note written since the start of
    the previous quarter."""
    plan = find_plan(cycle)
    today = local_today()
    this_quarter = quarters.quarter_start(today)
    since = quarters.quarter_start(this_quarter - timedelta(days=1))
    late = [a for a in plan.actions if a.status in OPEN_STATUSES and a.due_on < this_quarter] if plan else []
    stale = [a for a in late if not any(note.written_on >= since for note in a.notes)]
    if stale:
        return Check(
            False,
            ngettext(
                "%(num)s open actie zonder recente update", "%(num)s open acties zonder recente update", len(stale)
            ),
        )
    return Check(True, ngettext("%(num)s open actie bijgewerkt", "%(num)s open acties bijgewerkt", len(late)))
