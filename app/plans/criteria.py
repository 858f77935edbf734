"""The exit criteria of the plan (design §2): step 6 owned actions, a filled calendar and an adopted plan."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from app.extensions import db
from app.parks.models import Cycle
from app.parks.steps import Check, criterion
from app.plans.models import ActionStatus, CalendarItem
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
