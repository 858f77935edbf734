"""What waits for a member of a park's working group (entrepreneur, partner, municipality) on their home page: their
organisation's actions due this quarter or overdue, the next meetings, an award to sign and a running survey. A
fixed number of statements, however many parks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import contains_eager, defer

from app.auth.models import Role, User
from app.auth.policy import PERMISSIONS, may_update_action
from app.awards.queries import awaiting_signature
from app.extensions import db
from app.meetings.models import Meeting
from app.parks.models import Cycle, CycleStatus, Park
from app.parks.queries import parks_visible_to
from app.plans import quarters
from app.plans.models import OPEN_STATUSES, Plan, PlanAction, plan_action_owners
from app.stakeholders.models import Stakeholder
from app.surveys.models import Survey, SurveyStatus

#: the roles whose holders get these tasks
MEMBER_ROLES = frozenset({Role.ENTREPRENEUR, Role.PARTNER, Role.MUNICIPALITY})
#: how many upcoming meetings the home page lists
MEETINGS_SHOWN = 5


@dataclass(frozen=True)
class ActionTask:
    action: PlanAction
    park: Park
    overdue: bool
    may_update: bool


@dataclass(frozen=True)
class MeetingTask:
    meeting: Meeting
    park: Park


@dataclass(frozen=True)
class SurveyTask:
    survey: Survey
    park: Park
    #: the survey's public link token, for entrepreneurs of the park (None: show the status only)
    respond_token: str | None


@dataclass(frozen=True)
class MemberTasks:
    actions: list[ActionTask]
    meetings: list[MeetingTask]
    #: parks with an award that waits for the signature of the user's organisation
    awards: list[Park]
    surveys: list[SurveyTask]
    quarter_ends_on: date

    @property
    def empty(self) -> bool:
        return not (self.actions or self.meetings or self.awards or self.surveys)


def is_member(user: User, *, today: date) -> bool:
    return any(m.role in MEMBER_ROLES and m.is_current(today) for m in user.memberships)


def quarter_end(today: date) -> date:
    """The last day of the calendar quarter of `today`."""
    return quarters.quarter(quarters.quarter_start(today), 1).last_day


def _park_ids(user: User, *, today: date, roles) -> list[int]:
    query = parks_visible_to(user, today=today, roles=roles).with_only_columns(Park.id).order_by(None)
    return list(db.session.scalars(query))


def member_tasks(user: User, *, today: date, now: datetime) -> MemberTasks:
    """For the parks where the user is a current entrepreneur, partner or municipality member: the open actions
    owned by their organisation (or a stakeholder they represent, as `speaks_for`) in the active cycle that are due by
    the end of this calendar quarter, overdue ones first, each with whether they may update it
    (`may_update_action`); the next MEETINGS_SHOWN meetings not cancelled; the parks whose award waits for their
    organisation's signature; the open surveys of the parks' active cycles."""
    park_ids = _park_ids(user, today=today, roles=MEMBER_ROLES)
    ends_on = quarter_end(today)
    if not park_ids:
        return MemberTasks([], [], [], [], ends_on)
    return MemberTasks(
        actions=_actions(user, park_ids, today=today, ends_on=ends_on),
        meetings=_meetings(park_ids, now=now),
        awards=awaiting_signature(user, _park_ids(user, today=today, roles=PERMISSIONS["awards.sign"] & MEMBER_ROLES)),
        surveys=_surveys(user, park_ids, today=today),
        quarter_ends_on=ends_on,
    )


def _actions(user: User, park_ids: list[int], *, today: date, ends_on: date) -> list[ActionTask]:
    speaks_for = []
    if user.organisation_id is not None:
        speaks_for.append(Stakeholder.organisation_id == user.organisation_id)
    speaks_for.append(Stakeholder.representative_user_id == user.id)
    owned = (
        select(plan_action_owners.c.action_id)
        .join(Stakeholder, Stakeholder.id == plan_action_owners.c.stakeholder_id)
        .where(or_(*speaks_for))
    )
    query = (
        select(PlanAction)
        .join(PlanAction.plan)
        .join(Plan.cycle)
        .join(Cycle.park)
        .options(contains_eager(PlanAction.plan).contains_eager(Plan.cycle).contains_eager(Cycle.park))
        .where(
            Cycle.status == CycleStatus.ACTIVE,
            Cycle.park_id.in_(park_ids),
            PlanAction.id.in_(owned),
            PlanAction.status.in_(OPEN_STATUSES),
            PlanAction.due_on <= ends_on,
        )
        .order_by(PlanAction.due_on, Park.name, PlanAction.id)
    )
    return [
        ActionTask(action, action.plan.cycle.park, action.due_on < today, may_update_action(user, action))
        for action in db.session.scalars(query)
    ]


def _meetings(park_ids: list[int], *, now: datetime) -> list[MeetingTask]:
    query = (
        select(Meeting, Park)
        .join(Cycle, Cycle.id == Meeting.cycle_id)
        .join(Park, Park.id == Cycle.park_id)
        .where(Park.id.in_(park_ids), Meeting.cancelled_at.is_(None), Meeting.starts_at >= now)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(MEETINGS_SHOWN)
    )
    return [MeetingTask(meeting, park) for meeting, park in db.session.execute(query)]


def _surveys(user: User, park_ids: list[int], *, today: date) -> list[SurveyTask]:
    entrepreneur_parks = set(_park_ids(user, today=today, roles={Role.ENTREPRENEUR}))
    query = (
        select(Survey, Park)
        .join(Cycle, and_(Cycle.id == Survey.cycle_id, Cycle.status == CycleStatus.ACTIVE))
        .join(Park, Park.id == Survey.park_id)
        .where(Survey.park_id.in_(park_ids), Survey.status == SurveyStatus.OPEN)
        .order_by(Park.name, Survey.id)
        # a municipality's officer sees hundreds of open surveys: not their questionnaires or the parks' boundaries
        .options(defer(Survey.definition), defer(Park.area))
    )
    return [
        SurveyTask(survey, park, survey.public_token if park.id in entrepreneur_parks else None)
        for survey, park in db.session.execute(query)
    ]
