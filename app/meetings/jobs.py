"""The quarterly meeting jobs of the continuation: in the first week of each quarter the chair and the secretary of
a park in continuation hear in their digest that the quarterly meeting is to be planned; six weeks into the quarter,
with none planned yet, the chair gets a required reminder. Once per cycle, quarter and user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.awards.models import Award
from app.clock import local_day
from app.extensions import db
from app.jobs.registry import cron, register
from app.links import site_path
from app.meetings.models import MeetingKind
from app.meetings.quarterly import calendar_quarter, quarterly_meetings
from app.notifications import notify
from app.parks.models import Cycle, CycleStatus
from app.parks.pause import reminded
from app.parks.steps import LAST_STEP
from app.plans import quarters
from app.plans.quarters import Quarter
from app.plans.services import find_plan

PROPOSAL_KIND = "meetings.quarterly_proposal"
REMINDER_KIND = "meetings.quarterly_reminder"
PROPOSAL_HEADING = _l("Kwartaaloverleg plannen")
REMINDER_HEADING = _l("Nog geen kwartaaloverleg gepland")
#: the proposal goes out in the first this many days of a quarter
PROPOSAL_DAYS = 7
#: the reminder goes out once this much of the quarter has passed without a quarterly meeting planned
REMINDER_AFTER = timedelta(weeks=6)
#: a cycle is in continuation from this step on (or once its award is granted)
CONTINUATION_STEP = LAST_STEP


@dataclass(frozen=True)
class QuarterlyDue:
    cycle: Cycle
    quarter: Quarter
    user: User


def in_continuation() -> list[Cycle]:
    """The active cycles in continuation: at the last step (Continuering), or with their award granted; of parks
    that get reminders (not paused or stopped)."""
    awarded = select(Award.cycle_id).where(Award.awarded_on.is_not(None))
    return list(
        db.session.scalars(
            select(Cycle)
            .options(joinedload(Cycle.park))
            .where(
                Cycle.status == CycleStatus.ACTIVE,
                reminded(Cycle.park_id),
                or_(Cycle.current_step >= CONTINUATION_STEP, Cycle.id.in_(awarded)),
            )
            .order_by(Cycle.id)
        )
    )


def _planned(cycle: Cycle, quarter: Quarter) -> bool:
    return bool(quarterly_meetings(cycle, quarter.first_day, quarter.last_day))


def _users(*user_ids: int | None) -> list[User]:
    """The active users with these ids, each once, in the order given."""
    users = [db.session.get(User, user_id) for user_id in dict.fromkeys(user_ids) if user_id is not None]
    return [user for user in users if user is not None and user.is_active]


def _due(now: datetime, *, reminder: bool) -> list[QuarterlyDue]:
    today = local_day(now)
    quarter = calendar_quarter(today)
    if reminder:
        if today < quarter.first_day + REMINDER_AFTER:
            return []
    elif today >= quarter.first_day + timedelta(days=PROPOSAL_DAYS):
        return []
    items = []
    for cycle in in_continuation():
        if _planned(cycle, quarter):
            continue
        users = _users(cycle.chair_id) if reminder else _users(cycle.chair_id, cycle.secretary_id)
        items += [QuarterlyDue(cycle, quarter, user) for user in users]
    return items


def proposals_due(now: datetime) -> list[QuarterlyDue]:
    """(cycle, quarter, user) in the first week of a quarter, for every active cycle in continuation without a
    quarterly meeting planned in the quarter: its chair and its secretary."""
    return _due(now, reminder=False)


def reminders_due(now: datetime) -> list[QuarterlyDue]:
    """(cycle, quarter, chair) once six weeks of the quarter have passed, for every active cycle in continuation
    still without a quarterly meeting planned in the quarter."""
    return _due(now, reminder=True)


def _key(stage: str):
    def key(item: QuarterlyDue) -> str:
        return f"cycle:{item.cycle.id}:quarter:{item.quarter.calendar_label}:{stage}:user:{item.user.id}"

    return key


def new_meeting_path(park_id: int) -> str:
    """The page where the chair plans the quarterly meeting (a job has no request to build URLs in)."""
    return site_path("meetings.new", park_id=park_id, soort="kwartaal")


def _notify(item: QuarterlyDue, *, reminder: bool) -> bool:
    """Put the line in the user's digest, unless a quarterly meeting was planned in the meantime."""
    cycle, quarter = item.cycle, item.quarter
    db.session.refresh(cycle)
    if cycle.status != CycleStatus.ACTIVE or _planned(cycle, quarter):
        return False
    park = cycle.park
    kind = MeetingKind.QUARTERLY
    plan = find_plan(cycle)
    number = quarters.number_on(plan.starts_on, quarter.first_day) if plan is not None else None

    def text() -> str:
        # written when the digest is rendered, in the reader's language
        label = quarters.label(plan.starts_on, number) if number is not None else quarter.calendar_text
        if reminder:
            return _(
                "%(park)s: er is nog geen %(kind)s gepland in %(quarter)s. Plan het overleg met de werkgroep.",
                park=park.name,
                kind=kind.label.lower(),
                quarter=label,
            )
        return _(
            "%(park)s: plan het %(kind)s van %(quarter)s met de werkgroep; de agenda wordt uit het plan gemaakt.",
            park=park.name,
            kind=kind.label.lower(),
            quarter=label,
        )

    notify(
        item.user,
        kind=REMINDER_KIND if reminder else PROPOSAL_KIND,
        heading=REMINDER_HEADING if reminder else PROPOSAL_HEADING,
        text=LazyString(text),
        path=new_meeting_path(park.id),
        park=park,
        required=reminder,
    )
    return True


def propose_quarterly(item: QuarterlyDue) -> bool:
    """Propose the quarter's meeting in the digest of the cycle's chair or secretary (not urgent). Left out when
    a quarterly meeting was planned in the meantime. Returns whether a line was made."""
    return _notify(item, reminder=False)


def remind_quarterly(item: QuarterlyDue) -> bool:
    """Remind the chair that no quarterly meeting is planned yet: required, so it also reaches a chair who chose
    no digest (in the weekly mail). Left out when one was planned in the meantime."""
    return _notify(item, reminder=True)


register(
    PROPOSAL_KIND,
    description=_l("Voorzitter en secretaris in de eerste week van het kwartaal het kwartaaloverleg voorstellen"),
    trigger=cron(hour=6, minute=20),  # Dutch time, before the digests at 07:00
    find=proposals_due,
    key=_key("proposal"),
    handle=lambda item, now: propose_quarterly(item),
)
register(
    REMINDER_KIND,
    description=_l("De voorzitter herinneren als zes weken na het begin van het kwartaal geen overleg gepland is"),
    trigger=cron(hour=6, minute=25),
    find=reminders_due,
    key=_key("reminder"),
    handle=lambda item, now: remind_quarterly(item),
)
