"""The re-calibration (herijking, design §2 step 8): close a cycle after its continuation and open the next one.

What the next cycle takes over and what it does not is decided here, in one place:
- copied: the stakeholders (organisation, role, representative and signatory; not the signed declaration, not the
  gebiedsscan), the working group's chair and secretary, the open actions of the plan (into a new plan, quarter 1,
  marked with `carried_from_id`, owners mapped onto the new stakeholders) and the questionnaire of the survey (a new
  survey in preparation, without invitations);
- not copied: goals, calendar, meetings, the award, survey answers and invitations, plan versions and notes;
- the area and the company register belong to the park and simply stay.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.awards.models import Award
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park, StepTransition
from app.parks.services import active_cycle, start_cycle
from app.parks.steps import LAST_STEP
from app.plans import quarters
from app.plans.models import OPEN_STATUSES, ActionStatus, Goal, Plan, PlanAction, PlanVersion
from app.plans.services import find_plan
from app.plans.tracking import goal_on_target_condition
from app.stakeholders.models import Stakeholder
from app.surveys.definition import load_default
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.results import number
from app.surveys.services import create_survey

#: the note on the step transitions the herijking records
NOTE = "herijking"
#: the steps the next cycle starts with completed: the area and the stakeholders carry over
CARRIED_STEPS = (1, 2)
#: copied from each stakeholder; the declaration's signature belongs to the old cycle
STAKEHOLDER_FIELDS = (
    "organisation_id",
    "role",
    "representative_user_id",
    "representative_name",
    "representative_email",
    "representative_phone",
    "signatory_name",
    "signatory_function",
    "signatory_email",
)


@dataclass(frozen=True)
class Preview:
    """What a herijking of the park's active cycle would do now, for the confirmation page."""

    cycle: Cycle
    #: why it cannot run now (None: it can)
    refusal: str | None
    stakeholders: int
    open_actions: int
    has_chair: bool
    has_secretary: bool
    #: the survey whose questionnaire the next survey gets (None: the default questionnaire)
    survey: Survey | None


def _refusal(cycle: Cycle) -> str | None:
    if cycle.status != CycleStatus.ACTIVE:
        return _("Deze cyclus is afgesloten en kan niet meer veranderen.")
    if cycle.current_step != LAST_STEP:
        return _(
            "De herijking kan pas in stap %(last)s (continuering); deze cyclus is in stap %(step)s.",
            last=LAST_STEP,
            step=cycle.current_step,
        )
    running = db.session.scalar(
        select(Survey.id).where(Survey.cycle_id == cycle.id, Survey.status == SurveyStatus.OPEN).limit(1)
    )
    if running is not None:
        return _("De enquête van deze cyclus staat nog open; sluit die eerst.")
    return None


def _open_actions(cycle: Cycle) -> list[PlanAction]:
    plan = find_plan(cycle)
    return [a for a in plan.actions if a.status in OPEN_STATUSES] if plan is not None else []


def _source_survey(cycle: Cycle) -> Survey | None:
    """The cycle's survey whose questionnaire goes on: the newest that was opened, else the newest at all."""
    surveys = db.session.scalars(select(Survey).where(Survey.cycle_id == cycle.id).order_by(Survey.id.desc())).all()
    return next((s for s in surveys if s.status != SurveyStatus.DRAFT), surveys[0] if surveys else None)


def preview(park: Park) -> Preview:
    """What `recalibrate` would copy from the park's active cycle, and why it is refused if it is."""
    cycle = active_cycle(park)
    return Preview(
        cycle=cycle,
        refusal=_refusal(cycle),
        stakeholders=len(cycle.stakeholders),
        open_actions=len(_open_actions(cycle)),
        has_chair=cycle.chair_id is not None,
        has_secretary=cycle.secretary_id is not None,
        survey=_source_survey(cycle),
    )


def recalibrate(actor: User, park: Park, *, today: date, now: datetime) -> Cycle:
    """Close the park's active cycle and open the next one (number + 1) at step 3; returns the new cycle.

    Advisors and the municipality (`cycles.recalibrate`). Only in the last step (continuation, step 8) and not while
    the cycle's survey is open (DomainError otherwise). The old cycle becomes CLOSED (read-only, still shown in the
    history), its end date becomes `today` and its history records step 8 as completed with the note "herijking".
    The new cycle gets steps 1 and 2 recorded as completed with that note, and the copies listed in the module
    docstring. Audited as "cycles.recalibrated" with the counts. Flushes only: the caller commits once, so that a
    failure anywhere writes nothing.
    """
    ensure_can(actor, "cycles.recalibrate", park)
    old = active_cycle(park)
    refusal = _refusal(old)
    if refusal is not None:
        raise DomainError(refusal)
    carried = _open_actions(old)
    source = _source_survey(old)
    planned_end = old.ends_on

    old.status = CycleStatus.CLOSED
    old.ends_on = today
    db.session.add(_transition(old, LAST_STEP, actor, now))
    # the closed cycle must be written before the new one: only one cycle of a park may be active
    db.session.flush()

    new = start_cycle(park, number=old.number + 1, today=today, now=now)
    for step in CARRIED_STEPS:
        db.session.add(_transition(new, step, actor, now))
    new.current_step = CARRIED_STEPS[-1] + 1
    new.chair_id, new.secretary_id = old.chair_id, old.secretary_id

    mapped = {}
    for stakeholder in old.stakeholders:
        copied = Stakeholder(**{name: getattr(stakeholder, name) for name in STAKEHOLDER_FIELDS})
        new.stakeholders.append(copied)
        mapped[stakeholder.id] = copied
    db.session.flush()

    if carried:
        plan = Plan(cycle=new, starts_on=quarters.quarter_start(today))
        db.session.add(plan)
        first = quarters.quarter(plan.starts_on, 1)
        for action in carried:
            db.session.add(
                PlanAction(
                    plan=plan,
                    title=action.title,
                    description=action.description,
                    theme=action.theme,
                    quarter=1,
                    due_on=first.last_day,
                    # a delayed action is not late in a plan that has just begun
                    status=ActionStatus.STARTED if action.status == ActionStatus.STARTED else ActionStatus.PLANNED,
                    catalogue_key=action.catalogue_key,
                    carried_from_id=action.id,
                    owners=[mapped[owner.id] for owner in action.owners if owner.id in mapped],
                )
            )

    survey = create_survey(actor, park, title=_("Ondernemersenquête %(park)s", park=park.name))
    survey.definition = copy.deepcopy(source.definition) if source is not None else load_default()

    audit.record(
        actor,
        "cycles.recalibrated",
        new,
        park=park,
        details={
            "closed": old.number,
            "opened": new.number,
            "planned_end": planned_end.isoformat(),
            "stakeholders": len(mapped),
            "actions": len(carried),
            "chair": new.chair_id is not None,
            "secretary": new.secretary_id is not None,
            "survey_from": source.id if source is not None else None,
        },
    )
    db.session.flush()
    return new


def _transition(cycle: Cycle, step: int, actor: User, now: datetime) -> StepTransition:
    return StepTransition(
        cycle=cycle, step=step, action="completed", actor_id=actor.id, actor_label=actor.name, at=now, note=NOTE
    )


# The history of the park's cycles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveySummary:
    id: int
    title: str
    status: SurveyStatus
    responses: int
    #: invitations not revoked, and those used: the response rate as `surveys.response_rate` counts it
    invited: int
    completed: int

    @property
    def rate(self) -> float | None:
        return 100.0 * self.completed / self.invited if self.invited else None

    @property
    def rate_text(self) -> str:
        return number(self.rate)


@dataclass(frozen=True)
class CycleSummary:
    """One cycle of the park as the history page shows it."""

    cycle: Cycle
    award: Award | None
    surveys: list[SurveySummary]
    #: the plan's actions, dropped ones left out (as the city-wide tracking counts them)
    actions_total: int
    actions_done: int
    actions_carried: int
    goals_total: int
    goals_on_target: int
    #: the plan as last adopted: a read-only page that exists for closed cycles too
    plan_version: PlanVersion | None


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def history(park: Park) -> list[CycleSummary]:
    """Every cycle of the park, newest first, with its award, survey response, plan results and adopted plan.

    One query per table whatever the number of cycles. No policy check: the caller shows it to who may view the
    park (`park.view`).
    """
    cycles = db.session.scalars(select(Cycle).where(Cycle.park_id == park.id).order_by(Cycle.number.desc())).all()
    ids = [c.id for c in cycles]
    awards = {a.cycle_id: a for a in db.session.scalars(select(Award).where(Award.cycle_id.in_(ids)))}
    surveys = db.session.scalars(select(Survey).where(Survey.cycle_id.in_(ids)).order_by(Survey.id)).all()
    survey_ids = [s.id for s in surveys]
    responses = dict(
        db.session.execute(
            select(SurveyResponse.survey_id, func.count())
            .where(SurveyResponse.survey_id.in_(survey_ids))
            .group_by(SurveyResponse.survey_id)
        ).all()
    )
    invitations = {
        row.survey_id: row
        for row in db.session.execute(
            select(
                SurveyInvitation.survey_id,
                func.count().label("invited"),
                _count(SurveyInvitation.status == InvitationStatus.USED).label("completed"),
            )
            .where(SurveyInvitation.survey_id.in_(survey_ids), SurveyInvitation.status != InvitationStatus.REVOKED)
            .group_by(SurveyInvitation.survey_id)
        )
    }
    actions = {
        row.cycle_id: row
        for row in db.session.execute(
            select(
                Plan.cycle_id,
                _count(PlanAction.status != ActionStatus.DROPPED).label("total"),
                _count(PlanAction.status == ActionStatus.DONE).label("done"),
                _count(PlanAction.carried_from_id.is_not(None)).label("carried"),
            )
            .join(PlanAction, PlanAction.plan_id == Plan.id)
            .where(Plan.cycle_id.in_(ids))
            .group_by(Plan.cycle_id)
        )
    }
    goals = {
        row.cycle_id: row
        for row in db.session.execute(
            select(
                Goal.cycle_id,
                func.count().label("total"),
                _count(and_(Goal.latest_value.is_not(None), goal_on_target_condition())).label("on_target"),
            )
            .where(Goal.cycle_id.in_(ids))
            .group_by(Goal.cycle_id)
        )
    }
    versions: dict[int, PlanVersion] = {}
    for version, cycle_id in db.session.execute(
        select(PlanVersion, Plan.cycle_id)
        .join(Plan, Plan.id == PlanVersion.plan_id)
        .where(Plan.cycle_id.in_(ids))
        .order_by(PlanVersion.number)
    ):
        versions[cycle_id] = version  # the last one adopted wins

    def summary(survey: Survey) -> SurveySummary:
        counts = invitations.get(survey.id)
        return SurveySummary(
            id=survey.id,
            title=survey.title,
            status=survey.status,
            responses=responses.get(survey.id, 0),
            invited=counts.invited if counts else 0,
            completed=counts.completed if counts else 0,
        )

    rows = []
    for cycle in cycles:
        done = actions.get(cycle.id)
        aimed = goals.get(cycle.id)
        rows.append(
            CycleSummary(
                cycle=cycle,
                award=awards.get(cycle.id),
                surveys=[summary(s) for s in surveys if s.cycle_id == cycle.id],
                actions_total=done.total if done else 0,
                actions_done=done.done if done else 0,
                actions_carried=done.carried if done else 0,
                goals_total=aimed.total if aimed else 0,
                goals_on_target=aimed.on_target if aimed else 0,
                plan_version=versions.get(cycle.id),
            )
        )
    return rows
