"""The quarterly meeting of the continuation (step 8): its agenda generated from the plan, the goals, the camera
checks and the previous meeting, and the reads the quarterly jobs and the progress report share. Reads only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from app.awards.models import Award
from app.cameras.checks import network_of, shown_label
from app.cameras.models import CheckScore, QualityCheck, Score
from app.clock import LOCAL_TIME, local_day
from app.extensions import db
from app.goals.services import goals_of, value_text
from app.meetings.models import Meeting, MeetingDecision, MeetingKind
from app.parks.models import Cycle, Park
from app.plans import quarters
from app.plans.models import OPEN_STATUSES, ActionStatus, Goal, Plan, PlanAction
from app.plans.services import find_plan
from app.stakeholders.models import Stakeholder

#: the longest note of an agenda item (as the meeting's agenda allows); a longer section is cut off
NOTE_LIMIT = 2_000
#: the scores of a check that are findings, the worst first
FINDING_SCORES = (Score.MAJOR, Score.MINOR)


# Quarters and meetings -------------------------------------------------------------------------------------


def calendar_quarter(day: date) -> quarters.Quarter:
    """The calendar quarter that holds `day` (a plan's quarters are calendar quarters, so it is also the plan
    quarter that holds it; its `number` is 1 here, not the plan's)."""
    return quarters.quarter(quarters.quarter_start(day), 1)


def previous_quarter(day: date) -> quarters.Quarter:
    """The calendar quarter before the one that holds `day`."""
    return calendar_quarter(calendar_quarter(day).first_day - timedelta(days=1))


def continuation_start(cycle: Cycle) -> date:
    """The day the cycle's continuation began: the day its award was granted, else the day step 8 began."""
    awarded = db.session.scalar(select(Award.awarded_on).where(Award.cycle_id == cycle.id))
    return awarded or local_day(cycle.step_started_at)


def held_quarterly(cycle: Cycle, quarter: quarters.Quarter) -> list[Meeting]:
    """The cycle's quarterly meetings in `quarter` that were held (minutes recorded)."""
    return [m for m in quarterly_meetings(cycle, quarter.first_day, quarter.last_day) if m.minutes_at is not None]


def quarters_without_meeting(cycle: Cycle, *, today: date) -> tuple[list[quarters.Quarter], list[quarters.Quarter]]:
    """(due, missed): the completed calendar quarters of `today`'s year that ended after the continuation began,
    and those of them without a held quarterly meeting of the cycle."""
    start = continuation_start(cycle)
    due, day = [], date(today.year, 1, 1)
    while (quarter := calendar_quarter(day)).last_day < today:
        if quarter.last_day >= start:
            due.append(quarter)
        day = quarter.last_day + timedelta(days=1)
    return due, [q for q in due if not held_quarterly(cycle, q)]


def quarter_name(plan: Plan | None, quarter: quarters.Quarter) -> str:
    """The calendar quarter as printed: with its plan quarter when the plan covers it, "K6 (2e kw. 2027)"."""
    number = quarters.number_on(plan.starts_on, quarter.first_day) if plan is not None else None
    return quarters.label(plan.starts_on, number) if number is not None else quarter.calendar_text


def local_start(day: date) -> datetime:
    """Midnight at the start of `day`, Dutch time (meetings are stored in UTC)."""
    return datetime.combine(day, time(), LOCAL_TIME)


def quarterly_meetings(cycle: Cycle, first: date, last: date) -> list[Meeting]:
    """The cycle's quarterly meetings that are not cancelled and start from `first` to `last` (days, Dutch time)."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.cycle_id == cycle.id,
                Meeting.kind == MeetingKind.QUARTERLY,
                Meeting.cancelled_at.is_(None),
                Meeting.starts_at >= local_start(first),
                Meeting.starts_at < local_start(last + timedelta(days=1)),
            )
            .order_by(Meeting.starts_at)
        )
    )


def _park_meetings(park: Park):
    return (
        select(Meeting)
        .join(Cycle, and_(Cycle.id == Meeting.cycle_id, Cycle.park_id == park.id))
        .where(Meeting.cancelled_at.is_(None))
    )


def previous_quarterly_meeting(park: Park, *, today: date) -> Meeting | None:
    """The park's latest quarterly meeting (of any of its cycles, not cancelled) that started before `today`."""
    return db.session.scalar(
        _park_meetings(park)
        .where(Meeting.kind == MeetingKind.QUARTERLY, Meeting.starts_at < local_start(today))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )


def last_held_meeting(park: Park) -> Meeting | None:
    """The park's latest held meeting (its minutes recorded; any kind, any of its cycles), with its decisions."""
    return db.session.scalar(
        _park_meetings(park)
        .where(Meeting.minutes_at.is_not(None))
        .options(selectinload(Meeting.decisions).joinedload(MeetingDecision.action))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )


# Plan actions, goals and findings ----------------------------------------------------------------------------


def plan_actions(plan: Plan | None, *conditions) -> list[PlanAction]:
    """The plan's actions that meet the conditions, by due date and id, with their owners loaded."""
    if plan is None:
        return []
    query = (
        select(PlanAction)
        .where(PlanAction.plan_id == plan.id, *conditions)
        .options(selectinload(PlanAction.owners).joinedload(Stakeholder.organisation))
        .order_by(PlanAction.due_on, PlanAction.id)
    )
    return list(db.session.scalars(query))


def owners_text(action: PlanAction) -> str:
    return ", ".join(owner.organisation.name for owner in action.owners) or _("nog geen eigenaar")


def action_line(action: PlanAction) -> str:
    """ "Title — owners — uiterlijk <date> (status)": one action on an agenda."""
    return _(
        "%(title)s — %(owners)s — uiterlijk %(date)s (%(status)s)",
        title=action.title,
        owners=owners_text(action),
        date=format_date(action.due_on, "long"),
        status=action.status.label.lower(),
    )


def goals_off_target(cycle: Cycle) -> list[Goal]:
    """The cycle's goals whose latest value misses the target (`Goal.on_target` false; an unmeasured goal is not
    off target: nothing says so yet)."""
    return [goal for goal in goals_of(cycle) if goal.on_target is False]


def goal_line(goal: Goal) -> str:
    values = {
        "title": goal.title,
        "theme": goal.theme.label,
        "latest": value_text(goal.latest_value, goal.unit),
        "target": value_text(goal.target, goal.unit),
    }
    if goal.latest_on is None:
        return _("%(title)s (%(theme)s): %(latest)s, streefwaarde %(target)s", **values)
    return _(
        "%(title)s (%(theme)s): %(latest)s op %(date)s, streefwaarde %(target)s",
        date=format_date(goal.latest_on, "long"),
        **values,
    )


def check_findings(park: Park, first: date, last: date) -> list[tuple[QualityCheck, CheckScore]]:
    """(check, score) for every major or minor score of the park network's checks done from `first` to `last`:
    by the day of the check, major findings first."""
    network = network_of(park)
    if network is None:
        return []
    rows = db.session.execute(
        select(QualityCheck, CheckScore)
        .join(CheckScore, CheckScore.check_id == QualityCheck.id)
        .where(
            QualityCheck.network_id == network.id,
            QualityCheck.done_on >= first,
            QualityCheck.done_on <= last,
            CheckScore.score.in_(FINDING_SCORES),
        )
    ).all()
    return sorted(
        ((check, score) for check, score in rows),
        key=lambda row: (row[0].done_on, row[0].id, FINDING_SCORES.index(row[1].score), row[1].id),
    )


def finding_line(check: QualityCheck, score: CheckScore) -> str:
    line = _(
        "%(date)s, %(criterion)s: %(score)s",
        date=format_date(check.done_on, "long"),
        criterion=shown_label(check, score.criterion),
        score=score.score.label.lower(),
    )
    note = " ".join(score.note.split())
    return f"{line} — {note}" if note else line


def decision_lines(meeting: Meeting) -> list[str]:
    lines = []
    for decision in meeting.decisions:
        text = " ".join(decision.text.split())
        if decision.action is not None:
            text = _("%(text)s (actie: %(action)s)", text=text, action=decision.action.title)
        lines.append(text)
    return lines


# The agenda --------------------------------------------------------------------------------------------------


def _note(lines: list[str]) -> str:
    """The lines of a section, "Geen" without any; cut off with "… en nog N" to stay within NOTE_LIMIT."""
    if not lines:
        return _("Geen")
    kept: list[str] = []
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        # room for this line and, when more follow, for the line that says how many were left out
        room = len(_("… en nog %(n)s", n=rest)) + 1 if rest else 0
        if len("\n".join([*kept, line])) + room > NOTE_LIMIT:
            kept.append(_("… en nog %(n)s", n=rest + 1))
            break
        kept.append(line)
    return "\n".join(kept)


def generated_agenda(cycle: Cycle, *, today: date, on: date | None = None) -> list[dict[str, Any]]:
    """The agenda of the quarterly meeting held on `on` (by default `today`) as [{"title", "note"}], generated from
    what the platform knows on `today`:

    1. the plan's actions due in the quarter the meeting is for, the one that holds `on` (dropped ones left out),
       with owners, date and status; its heading names the quarter ("Acties van K6 (2e kw. 2027)");
    2. overdue actions: not done or dropped and due before `today`;
    3. goals off target: the latest value misses the target;
    4. major and minor findings of the park network's quality checks done since the previous quarterly meeting
       (of any of the park's cycles; without one, since the cycle started) up to `today`;
    5. the decisions of the park's latest held meeting (minutes recorded), with the action each became.

    A section with nothing in it says "Geen". Reads only: the agenda is a proposal the meeting's editor changes.
    """
    park = cycle.park
    plan = find_plan(cycle)
    quarter = calendar_quarter(on or today)
    due = plan_actions(
        plan,
        PlanAction.status != ActionStatus.DROPPED,
        PlanAction.due_on >= quarter.first_day,
        PlanAction.due_on <= quarter.last_day,
    )
    overdue = plan_actions(plan, PlanAction.status.in_(OPEN_STATUSES), PlanAction.due_on < today)
    previous = previous_quarterly_meeting(park, today=today)
    since = local_day(previous.starts_at) if previous is not None else cycle.starts_on
    held = last_held_meeting(park)
    decisions = decision_lines(held) if held is not None else []
    if decisions:
        heading = _(
            "%(title)s van %(date)s:",
            title=held.title,
            date=format_date(local_day(held.starts_at), "long"),
        )
        decisions = [heading, *decisions]
    return [
        {
            "title": _("Acties van %(quarter)s", quarter=quarter_name(plan, quarter)),
            "note": _note([action_line(a) for a in due]),
        },
        {"title": _("Acties over de datum"), "note": _note([action_line(a) for a in overdue])},
        {"title": _("Doelen die achterblijven"), "note": _note([goal_line(g) for g in goals_off_target(cycle)])},
        {
            "title": _("Bevindingen van de cameracontroles"),
            "note": _note([finding_line(*row) for row in check_findings(park, since, today)]),
        },
        {"title": _("Besluiten van het vorige overleg"), "note": _note(decisions)},
    ]
