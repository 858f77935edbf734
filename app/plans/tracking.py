"""Read-side queries for the city-wide tracking of the plans: progress per park and the overdue actions across
parks, scoped to the parks a user oversees, with a fixed number of statements per page however many parks."""

from __future__ import annotations

import codecs
import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import contains_eager

from app.auth.models import User
from app.auth.policy import PERMISSIONS
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park
from app.parks.queries import visible_scope, within
from app.plans import quarters
from app.plans.models import OPEN_STATUSES, ActionStatus, Direction, Goal, Plan, PlanAction, plan_action_owners
from app.stakeholders.models import Organisation, Stakeholder

# Spreadsheet programs run a cell that starts with one of these as a formula; the export defuses them with a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def oversees(user: User, *, today: date) -> bool:
    """Whether the user may open the tracking: an admin, or a current role that `plans.overview` allows."""
    return user.is_admin or any(
        m.role in PERMISSIONS["plans.overview"] and m.is_current(today) for m in user.memberships
    )


def _visible(user: User, *, today: date):
    """The parks the user oversees (`visible_scope`; None for an admin: every park)."""
    return visible_scope(user, today=today, roles=PERMISSIONS["plans.overview"])


def municipalities(user: User, *, today: date) -> list[Organisation]:
    """The municipalities of the parks the user oversees, by name (one statement), for the filter."""
    visible = _visible(user, today=today)
    parks = select(Park.municipality_id) if visible is None else select(visible.c.municipality_id)
    query = select(Organisation).where(Organisation.id.in_(parks)).order_by(Organisation.name, Organisation.id)
    return list(db.session.scalars(query))


def _is_overdue(today: date):
    return and_(PlanAction.status.in_(OPEN_STATUSES), PlanAction.due_on < today)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


#: a plan's states, in the order the dashboard shows them, with their words
PLAN_STATES = {
    "overdue": _l("Achterstallig"),
    "on_track": _l("Op schema"),
    "done": _l("Gereed"),
    "no_plan": _l("Nog geen plan"),
}


def _state(actions):
    """The plan state of a park's active cycle (a key of PLAN_STATES) in SQL, from its `_action_counts` row:
    "no_plan" without a plan, "overdue" with an open action due before today, "done" when every action (dropped
    ones left out) is done, else "on_track" (also a plan without actions)."""
    return case(
        (actions.c.cycle_id.is_(None), "no_plan"),
        (actions.c.overdue > 0, "overdue"),
        (and_(actions.c.total > 0, actions.c.done == actions.c.total), "done"),
        else_="on_track",
    )


# Progress per park -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingFilter:
    municipality_id: int | None = None
    overdue_only: bool = False
    #: only parks whose plan is in this state (one of PLAN_STATES)
    state: str | None = None
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class ProgressRow:
    park: Park
    step: int
    has_plan: bool
    done: int
    #: the plan's actions, dropped ones left out
    total: int
    overdue: int
    goals_on_target: int
    goals_off_target: int
    goals_unmeasured: int

    @property
    def percent_done(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


def _action_counts(today: date, visible):
    """Per active cycle of a visible park with a plan: actions (not dropped), done, overdue. A plan without actions
    counts zeros."""
    query = select(
        Plan.cycle_id.label("cycle_id"),
        _count(PlanAction.status != ActionStatus.DROPPED).label("total"),
        _count(PlanAction.status == ActionStatus.DONE).label("done"),
        _count(_is_overdue(today)).label("overdue"),
    ).join(Cycle, and_(Cycle.id == Plan.cycle_id, Cycle.status == CycleStatus.ACTIVE))
    query = within(query, Cycle.park_id, visible)
    return query.outerjoin(PlanAction, PlanAction.plan_id == Plan.id).group_by(Plan.cycle_id).subquery()


def goal_on_target_condition():
    """`Goal.on_target` in SQL (true: on target; callers handle an unmeasured goal first)."""
    return or_(
        and_(Goal.direction == Direction.UP, Goal.latest_value >= Goal.target),
        and_(Goal.direction == Direction.DOWN, Goal.latest_value <= Goal.target),
    )


def _goal_counts(visible):
    unmeasured = Goal.latest_value.is_(None)
    on_target = goal_on_target_condition()
    query = select(
        Goal.cycle_id.label("cycle_id"),
        _count(and_(~unmeasured, on_target)).label("on_target"),
        _count(and_(~unmeasured, ~on_target)).label("off_target"),
        _count(unmeasured).label("unmeasured"),
    ).join(Cycle, and_(Cycle.id == Goal.cycle_id, Cycle.status == CycleStatus.ACTIVE))
    return within(query, Cycle.park_id, visible).group_by(Goal.cycle_id).subquery()


def _tracked_parks(filters: TrackingFilter, *, visible) -> Select:
    """The parks the progress lists, before the overdue filter: visible, with their active cycle."""
    query = (
        within(select(Park), Park.id, visible)
        .join(Park.municipality)
        .join(Cycle, and_(Cycle.park_id == Park.id, Cycle.status == CycleStatus.ACTIVE))
    )
    if filters.municipality_id:
        query = query.where(Park.municipality_id == filters.municipality_id)
    return query


def _progress_query(filters: TrackingFilter, *, visible, actions, goals) -> Select:
    overdue = func.coalesce(actions.c.overdue, 0)
    query = (
        _tracked_parks(filters, visible=visible)
        .add_columns(
            Cycle.current_step,
            actions.c.cycle_id.is_not(None).label("has_plan"),
            func.coalesce(actions.c.done, 0).label("done"),
            func.coalesce(actions.c.total, 0).label("total"),
            overdue.label("overdue"),
            func.coalesce(goals.c.on_target, 0).label("on_target"),
            func.coalesce(goals.c.off_target, 0).label("off_target"),
            func.coalesce(goals.c.unmeasured, 0).label("unmeasured"),
        )
        .options(contains_eager(Park.municipality))
        .outerjoin(actions, actions.c.cycle_id == Cycle.id)
        .outerjoin(goals, goals.c.cycle_id == Cycle.id)
    )
    if filters.overdue_only:
        query = query.where(overdue > 0)
    if filters.state in PLAN_STATES:
        query = query.where(_state(actions) == filters.state)
    return query


PROGRESS_SORTS = ("name", "municipality", "step", "progress", "overdue")


def _progress_order(filters: TrackingFilter, actions):
    total = func.coalesce(actions.c.total, 0)
    columns = {
        "name": func.lower(Park.name),
        "municipality": func.lower(Organisation.name),
        "step": Cycle.current_step,
        # parks without actions first (ascending), as they have made no progress at all
        "progress": case((total > 0, func.coalesce(actions.c.done, 0) * 1.0 / total), else_=-1.0),
        "overdue": func.coalesce(actions.c.overdue, 0),
    }
    column = columns.get(filters.sort, columns["name"])
    return [column.desc() if filters.descending else column.asc(), func.lower(Park.name), Park.id]


def _progress_rows(result) -> list[ProgressRow]:
    return [
        ProgressRow(
            park=park,
            step=step,
            has_plan=bool(has_plan),
            done=int(done),
            total=int(total),
            overdue=int(overdue),
            goals_on_target=int(on_target),
            goals_off_target=int(off_target),
            goals_unmeasured=int(unmeasured),
        )
        for park, step, has_plan, done, total, overdue, on_target, off_target, unmeasured in result
    ]


def park_progress(
    user: User, *, today: date, filters: TrackingFilter, page: int | None, per_page: int = 50
) -> tuple[list[ProgressRow], int]:
    """One page of the parks the user oversees (advisor or municipality role; admins: all) with the progress of the
    active cycle's plan: actions done of the total (dropped ones left out), overdue actions (open, due before
    `today`), and goals on target, off target and not measured; with the number of parks. Two statements whatever
    the number of parks; `page` None gives every row (for the export) in one statement."""
    visible = _visible(user, today=today)
    actions, goals = _action_counts(today, visible), _goal_counts(visible)
    query = _progress_query(filters, visible=visible, actions=actions, goals=goals)
    ordered = query.order_by(*_progress_order(filters, actions))
    if page is None:
        rows = _progress_rows(db.session.execute(ordered))
        return rows, len(rows)
    # the count needs the per-park aggregates (most of the work with thousands of parks) only to filter on them
    counted = query if filters.overdue_only or filters.state else _tracked_parks(filters, visible=visible)
    total = db.session.scalar(select(func.count()).select_from(counted.order_by(None).subquery()))
    result = db.session.execute(ordered.limit(per_page).offset((page - 1) * per_page))
    return _progress_rows(result), total


def most_overdue(user: User, *, today: date, limit: int) -> list[ProgressRow]:
    """The `limit` parks the user oversees with the most overdue actions (most first, then by name), with their
    progress as `park_progress` gives it; parks without overdue actions left out. One statement."""
    filters = TrackingFilter(overdue_only=True, sort="overdue", descending=True)
    visible = _visible(user, today=today)
    actions, goals = _action_counts(today, visible), _goal_counts(visible)
    query = _progress_query(filters, visible=visible, actions=actions, goals=goals)
    return _progress_rows(db.session.execute(query.order_by(*_progress_order(filters, actions)).limit(limit)))


def progress_summary(user: User, *, today: date) -> dict[str, int]:
    """How many parks the user oversees are in each plan state (PLAN_STATES): "overdue" (an open action due before
    `today`), "done" (every action done, dropped ones left out), "on_track" (a plan, neither of those; also a plan
    without actions) and "no_plan" (the active cycle has no plan yet). One statement whatever the number of parks."""
    visible = _visible(user, today=today)
    actions = _action_counts(today, visible)
    per_park = (
        within(select(_state(actions).label("state")).select_from(Cycle), Cycle.park_id, visible)
        .outerjoin(actions, actions.c.cycle_id == Cycle.id)
        .where(Cycle.status == CycleStatus.ACTIVE)
        .subquery()
    )
    # grouped outside: PostgreSQL would not see the CASE's bound literals in GROUP BY as the selected ones
    counts = dict(db.session.execute(select(per_park.c.state, func.count()).group_by(per_park.c.state)).all())
    return {name: int(counts.get(name, 0)) for name in PLAN_STATES}


# Overdue actions across parks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRow:
    park_id: int
    park_name: str
    municipality: str
    action_id: int
    title: str
    status: ActionStatus
    quarter: quarters.Quarter
    due_on: date
    days_late: int
    #: the owners' organisations, in the order of PlanAction.owners (by stakeholder)
    owners: list[str]


def _overdue_query(user: User, *, today: date, municipality_id: int | None) -> Select:
    visible = _visible(user, today=today)
    query = (
        select(
            Park.id,
            Park.name,
            Organisation.name,
            PlanAction.id,
            PlanAction.title,
            PlanAction.status,
            PlanAction.quarter,
            Plan.starts_on,
            PlanAction.due_on,
        )
        .select_from(PlanAction)
        .join(Plan, PlanAction.plan_id == Plan.id)
        .join(Cycle, and_(Cycle.id == Plan.cycle_id, Cycle.status == CycleStatus.ACTIVE))
        .join(Park, Park.id == Cycle.park_id)
        .join(Organisation, Organisation.id == Park.municipality_id)
        .where(_is_overdue(today))
    )
    query = within(query, Park.id, visible)
    if municipality_id:
        query = query.where(Park.municipality_id == municipality_id)
    return query


def _owner_names(action_ids) -> dict[int, list[str]]:
    """Action id -> its owners' organisation names (one statement); `action_ids` a list or a subquery of ids."""
    query = (
        select(plan_action_owners.c.action_id, Organisation.name)
        .join(Stakeholder, Stakeholder.id == plan_action_owners.c.stakeholder_id)
        .join(Organisation, Organisation.id == Stakeholder.organisation_id)
        .where(plan_action_owners.c.action_id.in_(action_ids))
        .order_by(plan_action_owners.c.action_id, Stakeholder.id)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for action_id, name in db.session.execute(query):
        names[action_id].append(name)
    return names


def overdue_actions(
    user: User, *, today: date, municipality_id: int | None = None, page: int | None, per_page: int = 50
) -> tuple[list[OverdueRow], int]:
    """One page of the overdue actions (open: planned, started or delayed; due before `today`) of the active
    cycles' plans on the parks the user oversees, longest overdue first, with their owners' organisations; and
    their number. Three statements whatever the number of parks; `page` None gives every row (for the export),
    in two."""
    query = _overdue_query(user, today=today, municipality_id=municipality_id)
    ordered = query.order_by(PlanAction.due_on, func.lower(Park.name), PlanAction.id)
    if page is None:
        result = db.session.execute(ordered).all()
        total = len(result)
        owners = _owner_names(query.with_only_columns(PlanAction.id).scalar_subquery()) if result else {}
    else:
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        result = db.session.execute(ordered.limit(per_page).offset((page - 1) * per_page)).all()
        owners = _owner_names([row[3] for row in result]) if result else {}
    quarter_of = cache(quarters.quarter)
    rows = [
        OverdueRow(
            park_id=park_id,
            park_name=park_name,
            municipality=municipality,
            action_id=action_id,
            title=title,
            status=status,
            quarter=quarter_of(starts_on, number),
            due_on=due_on,
            days_late=(today - due_on).days,
            owners=owners.get(action_id, []),
        )
        for park_id, park_name, municipality, action_id, title, status, number, starts_on, due_on in result
    ]
    return rows, total


# CSV -------------------------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text  # never a formula in a spreadsheet


def _csv(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """CSV for Excel in Dutch: UTF-8 with BOM, semicolons, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


#: column headers of the exports (Dutch: the file format, like the company register's)
PROGRESS_HEADERS = (
    "park",
    "gemeente",
    "stap",
    "plan",
    "acties gereed",
    "acties totaal",
    "acties achterstallig",
    "doelen op koers",
    "doelen niet op koers",
    "doelen niet gemeten",
)
OVERDUE_HEADERS = (
    "park",
    "gemeente",
    "actie",
    "kwartaal",
    "kalenderkwartaal",
    "uiterlijk",
    "dagen te laat",
    "eigenaren",
    "status",
)


def progress_csv(rows: list[ProgressRow]) -> bytes:
    return _csv(
        PROGRESS_HEADERS,
        (
            (
                row.park.name,
                row.park.municipality.name,
                row.step,
                "ja" if row.has_plan else "nee",
                row.done,
                row.total,
                row.overdue,
                row.goals_on_target,
                row.goals_off_target,
                row.goals_unmeasured,
            )
            for row in rows
        ),
    )


def overdue_csv(rows: list[OverdueRow]) -> bytes:
    return _csv(
        OVERDUE_HEADERS,
        (
            (
                row.park_name,
                row.municipality,
                row.title,
                f"Q{row.quarter.number}",
                row.quarter.calendar_label,
                row.due_on,
                row.days_late,
                ", ".join(row.owners),
                row.status.value,
            )
            for row in rows
        ),
    )
