"""Reminders of the plan and the calendar, handed to the users' digests: actions due this quarter (to their owners),
overdue actions (to the park's advisors and municipality officers and the owners), and calendar items coming up
(to their owner). Each is handled once per item, recipient and date, however often the jobs run."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import Membership, User
from app.auth.policy import MANAGERS
from app.clock import local_day
from app.extensions import db
from app.jobs.registry import cron, register
from app.links import site_path
from app.notifications import notify
from app.parks.models import Cycle, CycleStatus, Park
from app.parks.pause import reminded
from app.plans import calendar, quarters
from app.plans.models import OPEN_STATUSES, CalendarItem, Plan, PlanAction
from app.stakeholders.models import Stakeholder

DUE_KIND = "plans.actions_due"
OVERDUE_KIND = "plans.actions_overdue"
UPCOMING_KIND = "calendar.upcoming"
DUE_HEADING = _l("Acties die dit kwartaal klaar moeten zijn")
OVERDUE_HEADING = _l("Achterstallige acties")
UPCOMING_HEADING = _l("Activiteiten op de kalender die eraan komen")


def reminder_days() -> int:
    """N: the owner of a calendar item hears of it from N days before the day."""
    return int(current_app.config["CALENDAR_REMINDER_DAYS"])


def _representatives(owners: Iterable[Stakeholder]) -> list[User]:
    """The active users who represent these stakeholders, each once."""
    users = {s.representative_user.id: s.representative_user for s in owners if s.representative_user is not None}
    return [user for user in users.values() if user.is_active]


def _open_actions(*conditions) -> list[PlanAction]:
    query = (
        select(PlanAction)
        .join(Plan, PlanAction.plan_id == Plan.id)
        .join(Cycle, and_(Cycle.id == Plan.cycle_id, Cycle.status == CycleStatus.ACTIVE))
        .options(
            selectinload(PlanAction.owners).joinedload(Stakeholder.representative_user),
            joinedload(PlanAction.plan).joinedload(Plan.cycle).joinedload(Cycle.park),
        )
        .where(PlanAction.status.in_(OPEN_STATUSES), reminded(Cycle.park_id), *conditions)
        .order_by(PlanAction.id)
    )
    return list(db.session.scalars(query).unique())


def _action_key(item: tuple[PlanAction, User]) -> str:
    action, user = item
    return f"action:{action.id}:due:{action.due_on.isoformat()}:user:{user.id}"


def _notify_action(
    action: PlanAction,
    user: User,
    kind: str,
    heading: object,
    line: Callable[[dict[str, str]], str],
    *,
    required: bool = False,
) -> bool:
    """Put a line about an open action in the user's digest; `line(values)` writes it from the action's title,
    quarter, date, status and owners. It is written when the digest is rendered, in the user's language (the date
    too). An action that was finished or dropped in the meantime is left out. Returns whether a line was made."""
    if action.status not in OPEN_STATUSES:
        return False
    park = action.plan.cycle.park
    quarter = quarters.quarter(action.plan.starts_on, action.quarter)
    title, due_on, status = action.title, action.due_on, action.status
    owners = ", ".join(owner.organisation.name for owner in action.owners)

    def text() -> str:
        return line(
            {
                "title": title,
                "quarter": quarter.label,
                "date": format_date(due_on, "long"),
                "status": status.label,
                "owners": owners or _("nog geen eigenaar"),
            }
        )

    notify(
        user,
        kind=kind,
        heading=heading,
        text=LazyString(text),
        path=site_path("plans.index", park_id=park.id),
        park=park,
        required=required,
    )
    return True


# Actions due this quarter ------------------------------------------------------------------------------------


def actions_due(now: datetime) -> list[tuple[PlanAction, User]]:
    """(action, user) for every open action of an active cycle's plan due in the current calendar quarter and each
    active user who represents one of its owners."""
    today = local_day(now)
    current = quarters.quarter(quarters.quarter_start(today), 1)
    first, last = current.first_day, current.last_day
    return [
        (action, user)
        for action in _open_actions(PlanAction.due_on >= first, PlanAction.due_on <= last)
        for user in _representatives(action.owners)
    ]


def notify_action_due(action: PlanAction, user: User) -> bool:
    """Put an action that its owner must finish this quarter in the owner's digest (not urgent). An action that was
    finished or dropped in the meantime is left out. Returns whether a notification was made."""
    return _notify_action(
        action,
        user,
        DUE_KIND,
        DUE_HEADING,
        lambda values: _("%(title)s, %(quarter)s: klaar uiterlijk %(date)s, status %(status)s.", **values),
    )


# Overdue actions ---------------------------------------------------------------------------------------------


def _managers(parks: Iterable[Park], *, today: date) -> dict[int, list[User]]:
    """Park id -> the active users with a current advisor or municipality role on it (one statement)."""
    parks = list({park.id: park for park in parks}.values())
    if not parks:
        return {}
    memberships = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(
            Membership.role.in_(MANAGERS),
            or_(
                Membership.park_id.in_({park.id for park in parks}),
                Membership.municipality_id.in_({park.municipality_id for park in parks}),
            ),
            or_(Membership.ends_on.is_(None), Membership.ends_on >= today),
        )
        .order_by(Membership.id)
    ).all()
    on_park: dict[int, list[User]] = defaultdict(list)
    in_municipality: dict[int, list[User]] = defaultdict(list)
    for membership in memberships:
        if membership.user.is_active:
            scope = on_park[membership.park_id] if membership.park_id else in_municipality[membership.municipality_id]
            scope.append(membership.user)
    return {
        park.id: list({user.id: user for user in on_park[park.id] + in_municipality[park.municipality_id]}.values())
        for park in parks
    }


def actions_overdue(now: datetime) -> list[tuple[PlanAction, User]]:
    """(action, user) for every open action of an active cycle's plan due before today, for the park's advisors
    and municipality officers and the active users who represent its owners."""
    today = local_day(now)
    actions = _open_actions(PlanAction.due_on < today)
    managers = _managers((action.plan.cycle.park for action in actions), today=today)
    items = []
    for action in actions:
        users = {user.id: user for user in managers.get(action.plan.cycle.park_id, [])}
        users |= {user.id: user for user in _representatives(action.owners)}
        items += [(action, user) for user in users.values()]
    return items


def notify_action_overdue(action: PlanAction, user: User) -> bool:
    """Report an overdue action in the user's digest; it is required by the process (the quarterly review), so it
    also reaches users who chose no digest, in the weekly mail. Left out when the action is no longer open."""
    return _notify_action(
        action,
        user,
        OVERDUE_KIND,
        OVERDUE_HEADING,
        lambda values: _(
            "%(title)s, %(quarter)s: had uiterlijk %(date)s klaar moeten zijn; eigenaar: %(owners)s.", **values
        ),
        required=True,
    )


# Calendar items coming up ------------------------------------------------------------------------------------


def calendar_upcoming(now: datetime) -> list[tuple[CalendarItem, User]]:
    """(item, user) for every item of an active cycle's calendar from today to N days ahead, for the active user
    who represents its owner."""
    today = local_day(now)
    query = (
        select(CalendarItem)
        .join(Cycle, and_(Cycle.id == CalendarItem.cycle_id, Cycle.status == CycleStatus.ACTIVE))
        .options(
            joinedload(CalendarItem.owner).joinedload(Stakeholder.representative_user),
            joinedload(CalendarItem.cycle).joinedload(Cycle.park),
        )
        .where(
            CalendarItem.on >= today,
            CalendarItem.on <= today + timedelta(days=reminder_days()),
            reminded(Cycle.park_id),
        )
        .order_by(CalendarItem.on, CalendarItem.id)
    )
    return [
        (item, user)
        for item in db.session.scalars(query).unique()
        if item.owner is not None
        for user in _representatives([item.owner])
    ]


def _item_key(item: tuple[CalendarItem, User]) -> str:
    calendar_item, user = item
    return f"calendar-item:{calendar_item.id}:on:{calendar_item.on.isoformat()}:user:{user.id}"


def notify_calendar_item(item: CalendarItem, user: User) -> bool:
    """Remind the owner's representative of an item on the calendar in their digest (not urgent)."""
    park = item.cycle.park
    title, on, kind, audience = item.title, item.on, item.kind, item.audience
    time = calendar.time_label(item) if item.starts_at else None

    def text() -> str:
        values = {"title": title, "kind": kind.label, "date": format_date(on, "full"), "audience": audience}
        if time:
            line = _("%(title)s (%(kind)s) op %(date)s om %(time)s", time=time, **values)
        else:
            line = _("%(title)s (%(kind)s) op %(date)s", **values)
        return line + (_("; doelgroep: %(audience)s", audience=audience) if audience else "") + "."

    notify(
        user,
        kind=UPCOMING_KIND,
        heading=UPCOMING_HEADING,
        text=LazyString(text),
        path=site_path("calendar.index", park_id=park.id),
        park=park,
    )
    return True


register(
    "plans.actions_due",
    description=_l("Eigenaren wijzen op hun acties die dit kwartaal klaar moeten zijn"),
    trigger=cron(hour=6, minute=30),  # Dutch time, before the digests at 07:00
    find=actions_due,
    key=_action_key,
    handle=lambda item, now: notify_action_due(*item),
)
register(
    "plans.actions_overdue",
    description=_l("Achterstallige acties melden aan adviseurs, gemeente en eigenaren"),
    trigger=cron(hour=6, minute=35),
    find=actions_overdue,
    key=_action_key,
    handle=lambda item, now: notify_action_overdue(*item),
)
register(
    "calendar.upcoming",
    description=_l("Eigenaren wijzen op activiteiten op de kalender die eraan komen"),
    trigger=cron(hour=6, minute=40),
    find=calendar_upcoming,
    key=_item_key,
    handle=lambda item, now: notify_calendar_item(*item),
)
