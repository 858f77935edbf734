"""The two-year action plan of a park's cycle (step 6): its actions, owners, quarters and status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, CycleStatus
from app.plans import quarters
from app.plans.models import Goal, Plan, PlanAction, Theme
from app.stakeholders.models import Stakeholder

if TYPE_CHECKING:
    from app.inventory.models import Finding

TITLE_MAX = 200
DESCRIPTION_MAX = 5_000


def ensure_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.ACTIVE:
        raise DomainError(_("Deze cyclus is afgesloten: het plan ligt vast."))


def find_plan(cycle: Cycle) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.cycle_id == cycle.id))


def plan_for(cycle: Cycle, *, today: date) -> Plan:
    """The cycle's plan, made (without an audit row: an empty plan changes nothing) when it has none yet.
    Its first quarter is the calendar quarter of `today`; the plan's editors may move it."""
    plan = find_plan(cycle)
    if plan is None:
        plan = Plan(cycle=cycle, starts_on=quarters.quarter_start(today))
        db.session.add(plan)
        db.session.flush()
    return plan


def clean_title(title: str | None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Geef de actie een titel."))
    if len(title) > TITLE_MAX:
        raise DomainError(_("De titel is te lang (hoogstens %(n)s tekens).", n=TITLE_MAX))
    return title


def clean_description(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise DomainError(_("De toelichting is te lang (hoogstens %(n)s tekens).", n=DESCRIPTION_MAX))
    return text


def check_quarter(number: int | None) -> int:
    if number is None or not 1 <= number <= quarters.QUARTERS:
        raise DomainError(_("Kies een kwartaal van 1 tot en met %(n)s.", n=quarters.QUARTERS))
    return number


def check_owners(plan: Plan, owners: Iterable[Stakeholder]) -> list[Stakeholder]:
    owners = list(dict.fromkeys(owners))
    if any(owner.cycle_id != plan.cycle_id for owner in owners):
        raise DomainError(_("Een eigenaar moet een deelnemer van deze cyclus zijn."))
    return owners


def check_goals(plan: Plan, goals: Iterable[Goal]) -> list[Goal]:
    goals = list(dict.fromkeys(goals))
    if any(goal.cycle_id != plan.cycle_id for goal in goals):
        raise DomainError(_("Een doel moet bij deze cyclus horen."))
    return goals


def add_action(
    actor: User,
    plan: Plan,
    *,
    title: str,
    quarter: int | None,
    owners: Iterable[Stakeholder] = (),
    description: str = "",
    theme: Theme | None = None,
    goals: Iterable[Goal] = (),
    catalogue_key: str | None = None,
    finding: Finding | None = None,
) -> PlanAction:
    """Add an action to the plan: from the catalogue (`catalogue_key`), an inspection finding or free text.

    Advisors and the municipality (`plans.edit`). The owners must be stakeholders and the goals goals of the plan's
    cycle; an action may start without an owner (step 6 is not complete until every action has one). Raises
    DomainError for an empty or too long title, a quarter outside 1-8 or a closed cycle.
    """
    ensure_can(actor, "plans.edit", plan.cycle.park)
    ensure_open(plan.cycle)
    number = check_quarter(quarter)
    action = PlanAction(
        plan=plan,
        title=clean_title(title),
        description=clean_description(description),
        theme=theme,
        quarter=number,
        due_on=quarters.quarter(plan.starts_on, number).last_day,
        catalogue_key=catalogue_key,
        finding=finding,
    )
    action.owners = check_owners(plan, owners)
    action.goals = check_goals(plan, goals)
    db.session.add(action)
    audit.record(
        actor,
        "plans.action_added",
        action,
        park=plan.cycle.park,
        details={"title": action.title, "quarter": number, "finding": finding.id if finding else None},
    )
    db.session.flush()
    return action
