"""The re-calibration (herijking, design §2 step 8): close a cycle after its continuation and open the next one.

What the next cycle takes over and what it does not is decided here, in one place:
- copied: the stakeholders (organisation, role, representative and signatory; not the signed declaration, not the
  gebiedsscan), the working group's chair and secretary, the open actions of the plan (into a new plan, quarter 1,
  marked with `carried_from_id`, owners mapped onto the new stakeholders) and the questionnaire of the survey (a new
  survey in preparation, without invitations);
- moved: the meetings of the old cycle still planned (not held, not cancelled, starting after the herijking) go to
  the new cycle, where they can still be run and stay among the park's upcoming meetings;
- not copied: goals, calendar, held meetings, the award, survey answers and invitations, plan versions and notes;
- the area and the company register belong to the park and simply stay.

An admin may undo a herijking within `UNDO_WINDOW`, as long as nothing was recorded for the park since
(`undo_recalibration`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select

from app import audit
from app.areas import audit_labels
from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.policy import ensure_can
from app.awards.models import Award
from app.cameras.checks import add_months
from app.errors import DomainError
from app.extensions import db
from app.inventory.models import Inspection
from app.meetings.models import Meeting
from app.parks.models import Cycle, CycleStatus, Park, StepTransition, Track
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
#: how long an admin may undo a herijking
UNDO_WINDOW = timedelta(hours=24)
RECALIBRATED = "cycles.recalibrated"
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
    #: the survey whose questionnaire the next survey gets and whose results the next one is compared with (None: the
    #: default questionnaire, nothing to compare)
    survey: Survey | None
    #: the open actions that go into the new plan, by due date
    actions: list[PlanAction]
    #: the old cycle's meetings still planned, which move to the new cycle
    meetings: list[Meeting]
    #: the answers the compared survey holds
    survey_responses: int = 0


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


def planned_meetings(cycle: Cycle, *, now: datetime) -> list[Meeting]:
    """The cycle's meetings still to come: not cancelled, no minutes, starting after `now`; by start."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.cycle_id == cycle.id,
                Meeting.cancelled_at.is_(None),
                Meeting.minutes_at.is_(None),
                Meeting.starts_at > now,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def _source_survey(cycle: Cycle) -> Survey | None:
    """The cycle's survey whose questionnaire goes on: the newest that was opened, else the newest at all."""
    surveys = db.session.scalars(select(Survey).where(Survey.cycle_id == cycle.id).order_by(Survey.id.desc())).all()
    return next((s for s in surveys if s.status != SurveyStatus.DRAFT), surveys[0] if surveys else None)


def preview(park: Park, *, now: datetime) -> Preview:
    """What `recalibrate` would copy and move from the park's active cycle at `now`, and why it is refused if it
    is."""
    cycle = active_cycle(park)
    actions = sorted(_open_actions(cycle), key=lambda a: (a.due_on, a.id))
    survey = _source_survey(cycle)
    responses = (
        db.session.scalar(select(func.count()).select_from(SurveyResponse).where(SurveyResponse.survey_id == survey.id))
        if survey is not None
        else 0
    )
    return Preview(
        cycle=cycle,
        refusal=_refusal(cycle),
        stakeholders=len(cycle.stakeholders),
        open_actions=len(actions),
        has_chair=cycle.chair_id is not None,
        has_secretary=cycle.secretary_id is not None,
        survey=survey,
        actions=actions,
        meetings=planned_meetings(cycle, now=now),
        survey_responses=responses or 0,
    )


def recalibrate(actor: User, park: Park, *, today: date, now: datetime) -> Cycle:
    """Close the park's active cycle and open the next one (number + 1) at step 3; returns the new cycle.

    Advisors and the municipality (`cycles.recalibrate`). Only in the last step (continuation, step 8) and not while
    the cycle's survey is open (DomainError otherwise). The old cycle becomes CLOSED (read-only, still shown in the
    history), its end date becomes `today` and its history records step 8 as completed with the note "herijking".
    The new cycle gets steps 1 and 2 recorded as completed with that note, and the copies listed in the module
    docstring; the meetings still planned move to it, their invitees' stakeholders mapped onto the copies. Audited
    as "cycles.recalibrated" with the counts and what `undo_recalibration` needs. Flushes only: the caller commits
    once, so that a failure anywhere writes nothing.
    """
    ensure_can(actor, "cycles.recalibrate", park)
    old = active_cycle(park)
    refusal = _refusal(old)
    if refusal is not None:
        raise DomainError(refusal)
    carried = _open_actions(old)
    source = _source_survey(old)
    planned_end = old.ends_on
    moving = planned_meetings(old, now=now)

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

    for meeting in moving:
        meeting.cycle = new
        for attendee in meeting.attendees:
            if attendee.stakeholder_id in mapped:
                attendee.stakeholder_id = mapped[attendee.stakeholder_id].id

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

    # stamped with the service's `now`, the moment the undo's 24 hours count from
    audit.record(
        actor,
        RECALIBRATED,
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
            "meetings": [meeting.id for meeting in moving],
            # new stakeholder id -> the old one it copies, to map moved meetings back on an undo
            "stakeholders_from": {str(copy_.id): old_id for old_id, copy_ in mapped.items()},
        },
    ).created_at = now
    db.session.flush()
    return new


def _transition(cycle: Cycle, step: int, actor: User, now: datetime) -> StepTransition:
    return StepTransition(
        cycle=cycle, step=step, action="completed", actor_id=actor.id, actor_label=actor.name, at=now, note=NOTE
    )


# Undoing a herijking -------------------------------------------------------------------------------------------


def last_recalibration(park: Park) -> AuditEvent | None:
    """The audit event of the park's latest herijking, or None."""
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.park_id == park.id, AuditEvent.action == RECALIBRATED)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def undo_refusal(park: Park, *, now: datetime) -> str | None:
    """Why the park's latest herijking cannot be undone at `now` (None: it can). It can while its new cycle is still
    the active one, within UNDO_WINDOW, and while nothing was recorded for the park since (no audit event after it:
    every change to a cycle is audited, so this also covers meetings, answers, notes and plan changes)."""
    event = last_recalibration(park)
    cycle = active_cycle(park)
    if event is None or event.subject_id != str(cycle.id):
        return _("Er is geen herijking om ongedaan te maken: de huidige cyclus is niet door een herijking begonnen.")
    if now - event.created_at > UNDO_WINDOW:
        return _(
            "De herijking is langer dan 24 uur geleden uitgevoerd (%(when)s) en kan niet meer ongedaan worden gemaakt.",
            when=event.created_at.strftime("%d-%m-%Y %H:%M UTC"),
        )
    later = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.park_id == park.id, AuditEvent.id > event.id).distinct()
    ).all()
    if later:
        labels = audit_labels()
        return _(
            "Sinds de herijking is al iets vastgelegd voor dit park (%(what)s); ongedaan maken zou dat verliezen.",
            what="; ".join(sorted(str(labels.get(action, action)) for action in later)),
        )
    return None


def undo_recalibration(actor: User, park: Park, *, now: datetime) -> Cycle:
    """Undo the park's latest herijking: remove the cycle it opened (its stakeholders, carried plan and draft
    survey), move the meetings it moved back, and make the closed cycle active again with its planned end date and
    without the "herijking" completion of step 8. Returns the restored cycle.

    Admins only (`cycles.recalibration_undo`), within UNDO_WINDOW and while nothing was recorded since: otherwise a
    DomainError says why (`undo_refusal`). Audited as "cycles.recalibration_undone". Flushes only.
    """
    ensure_can(actor, "cycles.recalibration_undo", park)
    refusal = undo_refusal(park, now=now)
    if refusal:
        raise DomainError(refusal)
    event = last_recalibration(park)
    details = event.details
    new = active_cycle(park)
    old = db.session.scalar(select(Cycle).where(Cycle.park_id == park.id, Cycle.number == details["closed"]))
    if old is None or old.status != CycleStatus.CLOSED:
        raise DomainError(_("De vorige cyclus is niet meer te vinden; de herijking kan niet ongedaan worden gemaakt."))

    back = {int(new_id): old_id for new_id, old_id in (details.get("stakeholders_from") or {}).items()}
    for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(details.get("meetings") or []))):
        meeting.cycle = old
        for attendee in meeting.attendees:
            if attendee.stakeholder_id in back:
                attendee.stakeholder_id = back[attendee.stakeholder_id]
    db.session.flush()

    plan = find_plan(new)
    if plan is not None:
        # the plan's actions (with their owners and notes) go with it
        db.session.delete(plan)
        db.session.flush()
    for survey in db.session.scalars(select(Survey).where(Survey.cycle_id == new.id)):
        db.session.delete(survey)
    removed = new.number
    db.session.delete(new)
    # the new cycle must be gone before the old one is active again: only one cycle of a park may be active
    db.session.flush()

    old.status = CycleStatus.ACTIVE
    old.ends_on = date.fromisoformat(details["planned_end"])
    last = old.transitions[-1] if old.transitions else None
    if last is not None and last.step == LAST_STEP and last.action == "completed" and last.note == NOTE:
        old.transitions.remove(last)
    audit.record(
        actor,
        "cycles.recalibration_undone",
        old,
        park=park,
        details={"removed": removed, "restored": old.number, "meetings": details.get("meetings") or []},
    ).created_at = now
    db.session.flush()
    return old


# Deadlines of the continuation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    #: "herijking", "evaluation" (KVO-B: yearly) or "reaudit" (KVO-B: the certificate's end)
    kind: str
    label: str
    on: date

    def days_left(self, today: date) -> int:
        """Days until the deadline; negative once it has passed."""
        return (self.on - today).days


def deadlines(cycle: Cycle, *, today: date) -> list[Deadline]:
    """When the cycle's continuation must be rounded off, per the park's track (domain.md):

    - PVO: the herijking two years after the award (the award's `valid_until`), else at the cycle's planned end;
    - KVO-B: the yearly evaluation on the next anniversary of the certificate (from `today` on, before its end) and
      the re-audit with the herijking when the certificate ends (three years), else at the cycle's planned end.
    """
    award = db.session.scalar(select(Award).where(Award.cycle_id == cycle.id))
    granted = award is not None and award.awarded_on is not None
    end = award.valid_until if granted and award.valid_until else cycle.ends_on
    if cycle.park.track != Track.KVO:
        return [Deadline("herijking", _("Herijking"), end)]
    found = []
    if granted:
        years = 1
        while (anniversary := add_months(award.awarded_on, 12 * years)) < today:
            years += 1
        if anniversary < end:
            found.append(Deadline("evaluation", _("Jaarlijkse evaluatie"), anniversary))
    found.append(Deadline("reaudit", _("Heraudit en herijking"), end))
    return found


def deadline_text(deadline: Deadline, *, today: date) -> str:
    """ "Herijking uiterlijk 1 november 2028: nog 291 dagen" (or "12 dagen over tijd", or "vandaag")."""
    days = deadline.days_left(today)
    when = format_date(deadline.on, "long")
    if days > 0:
        return ngettext(
            "%(what)s uiterlijk %(date)s: nog %(num)s dag",
            "%(what)s uiterlijk %(date)s: nog %(num)s dagen",
            days,
            what=deadline.label,
            date=when,
        )
    if days == 0:
        return _("%(what)s uiterlijk %(date)s: vandaag", what=deadline.label, date=when)
    return ngettext(
        "%(what)s uiterlijk %(date)s: %(num)s dag over tijd",
        "%(what)s uiterlijk %(date)s: %(num)s dagen over tijd",
        -days,
        what=deadline.label,
        date=when,
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


@dataclass(frozen=True)
class CycleRecord:
    """Everything of one (closed) cycle, for its read-only page: the summary of `history` and the things in it."""

    summary: CycleSummary
    meetings: list[Meeting]
    inspections: list[Inspection]
    actions: list[PlanAction]
    surveys: list[Survey]


def cycle_by_number(park: Park, number: int) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.park_id == park.id, Cycle.number == number))


def cycle_record(cycle: Cycle) -> CycleRecord:
    """The cycle's meetings (by start), schouw rounds (by day), plan actions (by due date), surveys and its `history`
    summary (award, response, results, adopted plan). Reads only; no policy check (the caller shows it to who may
    view the park)."""
    summary = next(row for row in history(cycle.park) if row.cycle.id == cycle.id)
    plan = find_plan(cycle)
    return CycleRecord(
        summary=summary,
        meetings=list(
            db.session.scalars(
                select(Meeting).where(Meeting.cycle_id == cycle.id).order_by(Meeting.starts_at, Meeting.id)
            )
        ),
        inspections=list(
            db.session.scalars(
                select(Inspection).where(Inspection.cycle_id == cycle.id).order_by(Inspection.held_on, Inspection.id)
            )
        ),
        actions=sorted(plan.actions, key=lambda a: (a.due_on, a.id)) if plan is not None else [],
        surveys=list(db.session.scalars(select(Survey).where(Survey.cycle_id == cycle.id).order_by(Survey.id))),
    )
