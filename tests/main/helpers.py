"""Builders shared by the home page tests."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from app.extensions import db as _db
from app.meetings.models import Meeting, MeetingKind
from app.parks.services import active_cycle
from app.plans import quarters
from app.plans.models import ActionStatus, Plan, PlanAction
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from tests.factories import make_organisation


def make_plan(park, *, starts_on: date) -> Plan:
    plan = Plan(cycle=active_cycle(park), starts_on=starts_on)
    _db.session.add(plan)
    _db.session.flush()
    return plan


def make_stakeholder(park, organisation: Organisation | None = None, *, role=PpsRole.ONDERNEMERS) -> Stakeholder:
    stakeholder = Stakeholder(
        cycle=active_cycle(park),
        organisation=organisation or make_organisation(type=OrganisationType.OVERIG),
        role=role,
    )
    _db.session.add(stakeholder)
    _db.session.flush()
    return stakeholder


def make_action(plan, title: str, *, due_on: date, owners=(), status=ActionStatus.PLANNED) -> PlanAction:
    action = PlanAction(plan=plan, title=title, quarter=1, due_on=due_on, status=status)
    action.owners = list(owners)
    _db.session.add(action)
    _db.session.flush()
    return action


def make_meeting(park, starts_at: datetime, *, title: str = "Werkgroep", cancelled: bool = False) -> Meeting:
    meeting = Meeting(
        cycle=active_cycle(park),
        kind=MeetingKind.WORKING,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        uid=secrets.token_hex(16),
        agenda=[{"title": "Opening", "note": ""}],
        cancelled_at=starts_at - timedelta(days=1) if cancelled else None,
    )
    _db.session.add(meeting)
    _db.session.flush()
    return meeting


def started_days_ago(park, days: int, *, step: int | None = None, now: datetime | None = None) -> None:
    cycle = active_cycle(park)
    cycle.step_started_at = (now or datetime.now(UTC)) - timedelta(days=days)
    if step is not None:
        cycle.current_step = step
    _db.session.flush()


def this_quarter_start(today: date) -> date:
    return quarters.quarter_start(today)
