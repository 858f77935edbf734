"""The advisor's home: per park they advise, what needs them now, in the order of what needs attention first.

Attention order (ATTENTION_ORDER): first the parks with the most overdue actions, then those waiting longest in
their current step, then by name. Everything but the step's checklist is read for the whole list in a fixed number
of statements; the checklist (the step machine's criteria, which each read their own data) is evaluated only for
the parks on the page shown, at most PER_PAGE of them, so the page costs the same with 60 parks as with 10.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from app.auth.models import Role, User
from app.extensions import db
from app.meetings.models import Meeting
from app.parks import steps
from app.parks.models import Cycle, CycleStatus, Park
from app.parks.queries import filter_parks, parks_visible_to
from app.plans.models import OPEN_STATUSES, Plan, PlanAction
from app.stakeholders.models import Organisation
from app.surveys.models import Survey, SurveyStatus
from app.surveys.response_rate import RateRow, totals_of

#: parks per page of the advisor's list; the checklist is evaluated for these only
PER_PAGE = 10

ATTENTION_ORDER = "overdue actions (most first), days in the current step (longest first), park name"


@dataclass(frozen=True)
class AdvisorFilter:
    search: str = ""
    municipality_id: int | None = None
    step: int | None = None


@dataclass(frozen=True)
class Blocker:
    """A criterion of the current step that is not met, with the page where it is met (None: not for this user)."""

    label: str
    detail: str
    fix_url: str | None
    fix_label: str | None


@dataclass(frozen=True)
class NextMeeting:
    id: int
    title: str
    starts_at: datetime


@dataclass
class AdvisorRow:
    park: Park
    step: int
    step_name: str
    days_in_step: int
    overdue: int
    next_meeting: NextMeeting | None = None
    #: the running survey's invitations (total only, as on the survey's own page), None without a running survey
    survey_rate: RateRow | None = None
    blockers: list[Blocker] = field(default_factory=list)
    #: the last step runs until the re-calibration and cannot be completed
    last_step: bool = False

    @property
    def ready(self) -> bool:
        """Every criterion of the step holds: the advisor can complete it."""
        return not self.blockers and not self.last_step


@dataclass(frozen=True)
class AdvisorHome:
    rows: list[AdvisorRow]
    total: int
    page: int


def advises(user: User, *, today: date) -> bool:
    return any(m.role == Role.ADVISOR and m.is_current(today) for m in user.memberships)


def _advised(user: User, *, today: date):
    return parks_visible_to(user, today=today, roles={Role.ADVISOR}).order_by(None).subquery()


def advised_municipalities(user: User, *, today: date) -> list[tuple[int, str]]:
    """(id, name) of the municipalities of the parks the user advises, by name: one statement, for the filter."""
    advised = _advised(user, today=today)
    query = (
        select(Organisation.id, Organisation.name)
        .where(Organisation.id.in_(select(advised.c.municipality_id)))
        .order_by(Organisation.name, Organisation.id)
    )
    return [(id_, name) for id_, name in db.session.execute(query)]


def advisor_home(
    user: User,
    *,
    today: date,
    now: datetime,
    filters: AdvisorFilter,
    page: int,
    fix_url: Callable[[str, Park], str | None],
) -> AdvisorHome:
    """The page `page` of the parks the user advises (their advisor memberships only, also for an admin), filtered
    by name, municipality and step, in ATTENTION_ORDER, with per park: step and days in it, overdue actions, the next
    meeting, the running survey's response rate and what blocks completing the step. `fix_url(endpoint, park)` gives
    the link to a blocker's page, or None when the user may not open it. A fixed number of statements plus the
    checklists of at most PER_PAGE parks."""
    advised = _advised(user, today=today)
    query = (
        select(Park, Cycle.id, Cycle.current_step, Cycle.step_started_at)
        .join(advised, advised.c.id == Park.id)
        .join(Cycle, and_(Cycle.park_id == Park.id, Cycle.status == CycleStatus.ACTIVE))
    )
    query = filter_parks(query, search=filters.search, municipality_id=filters.municipality_id, step=filters.step)
    found = db.session.execute(query).all()
    cycle_ids = [cycle_id for _park, cycle_id, _step, _started in found]
    overdue = _overdue_per_cycle(cycle_ids, today=today)
    rows = []
    cycles: dict[int, int] = {}
    for park, cycle_id, step, started in found:
        cycles[park.id] = cycle_id
        rows.append(
            AdvisorRow(
                park=park,
                step=step,
                step_name=str(steps.STEP_NAMES[step]),
                days_in_step=max((now - started).days, 0),
                overdue=overdue.get(cycle_id, 0),
                last_step=step >= steps.LAST_STEP,
            )
        )
    rows.sort(key=lambda row: (-row.overdue, -row.days_in_step, row.park.name.lower(), row.park.id))
    pages = max((len(rows) + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    _add_meetings(shown, cycles, now=now)
    _add_surveys(shown, cycles)
    _add_blockers(shown, cycles, fix_url=fix_url)
    return AdvisorHome(shown, len(rows), page)


def _overdue_per_cycle(cycle_ids: list[int], *, today: date) -> dict[int, int]:
    if not cycle_ids:
        return {}
    query = (
        select(Plan.cycle_id, func.count(PlanAction.id))
        .join(PlanAction, PlanAction.plan_id == Plan.id)
        .where(Plan.cycle_id.in_(cycle_ids), PlanAction.status.in_(OPEN_STATUSES), PlanAction.due_on < today)
        .group_by(Plan.cycle_id)
    )
    return dict(db.session.execute(query).all())


def _add_meetings(rows: list[AdvisorRow], cycles: dict[int, int], *, now: datetime) -> None:
    """The first meeting not cancelled from now on, per park of `rows`: one statement."""
    by_cycle = {cycles[row.park.id]: row for row in rows}
    if not by_cycle:
        return
    query = (
        select(Meeting.cycle_id, Meeting.id, Meeting.title, Meeting.starts_at)
        .where(Meeting.cycle_id.in_(by_cycle), Meeting.cancelled_at.is_(None), Meeting.starts_at >= now)
        .order_by(Meeting.cycle_id, Meeting.starts_at, Meeting.id)
    )
    for cycle_id, meeting_id, title, starts_at in db.session.execute(query):
        row = by_cycle[cycle_id]
        if row.next_meeting is None:
            row.next_meeting = NextMeeting(meeting_id, title, starts_at)


def _add_surveys(rows: list[AdvisorRow], cycles: dict[int, int]) -> None:
    """The response rate of the open survey of each park's active cycle: two statements."""
    by_cycle = {cycles[row.park.id]: row for row in rows}
    if not by_cycle:
        return
    running = dict(
        db.session.execute(
            select(Survey.id, Survey.cycle_id).where(Survey.cycle_id.in_(by_cycle), Survey.status == SurveyStatus.OPEN)
        ).all()
    )
    for survey_id, rate in totals_of(list(running)).items():
        by_cycle[running[survey_id]].survey_rate = rate


def _add_blockers(rows: list[AdvisorRow], cycles: dict[int, int], *, fix_url: Callable[[str, Park], str | None]):
    """The unmet criteria of each row's current step (the step machine's own checklist)."""
    if not rows:
        return
    shown = [cycles[row.park.id] for row in rows]
    loaded = {
        cycle.id: cycle
        for cycle in db.session.scalars(
            select(Cycle).where(Cycle.id.in_(shown)).options(selectinload(Cycle.stakeholders))
        )
    }
    # The criteria read the stakeholders and the plan's actions with their owners through relationships: loaded
    # here for the whole page at once (kept alive in `plans` while they run), not lazily per park and per action.
    plans = list(  # noqa: F841
        db.session.scalars(
            select(Plan)
            .where(Plan.cycle_id.in_(shown))
            .options(selectinload(Plan.actions).selectinload(PlanAction.owners), selectinload(Plan.versions))
        )
    )
    for row in rows:
        cycle = loaded[cycles[row.park.id]]
        row.blockers = [
            Blocker(
                label=result.label,
                detail=result.detail,
                fix_url=fix_url(result.fix, row.park) if result.fix else None,
                fix_label=result.fix_label,
            )
            for result in steps.evaluate(cycle, row.step)
            if not result.met
        ]
