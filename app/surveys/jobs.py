"""Survey reminders: a mail with the personal link to companies that have not answered yet, daily at 09:00 and
at most once per `SURVEY_REMINDER_DAYS`; the advisor's "send reminders now" uses the same functions."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app import audit, mail
from app.auth.models import User
from app.auth.policy import ensure_can
from app.clock import local_day
from app.errors import DomainError
from app.extensions import db
from app.jobs.registry import cron, register
from app.parks.models import Company
from app.parks.pause import reminded
from app.surveys.invitations import reminder_mail
from app.surveys.models import InvitationStatus, Survey, SurveyInvitation, SurveyStatus
from app.surveys.services import ensure_cycle_active

PENDING = (InvitationStatus.INVITED, InvitationStatus.OPENED)


def reminder_days() -> int:
    """N: a company gets a survey mail (invitation or reminder) at most once per N days."""
    return int(current_app.config.get("SURVEY_REMINDER_DAYS", 7))


def _last_mailed():
    return func.coalesce(SurveyInvitation.last_reminded_at, SurveyInvitation.emailed_at)


def _due_condition(now: datetime, days: int):
    """Pending, mailed or reminded before, and not in the last `days` days."""
    return (
        SurveyInvitation.status.in_(PENDING)
        & _last_mailed().is_not(None)
        & (_last_mailed() <= now - timedelta(days=days))
    )


def due_reminders(now: datetime, *, survey: Survey | None = None) -> list[SurveyInvitation]:
    """The invitations to remind at `now`: of a survey that accepts answers today, not used or revoked, of a
    company with an email address, last mailed (invitation or reminder) at least N days ago.

    An invitation that was never mailed (its link went by letter only) gets no reminder by mail: the company
    did not give the platform its address for this survey. Only `survey`'s when given; without it (the job) only of
    parks that get reminders (not paused or stopped).
    """
    today = local_day(now)
    query = (
        select(SurveyInvitation)
        .join(Survey, SurveyInvitation.survey_id == Survey.id)
        .join(Company, SurveyInvitation.company_id == Company.id)
        .options(joinedload(SurveyInvitation.company), joinedload(SurveyInvitation.survey))
        .where(
            # as responses.accepts_answers: open, and today within its dates
            Survey.status == SurveyStatus.OPEN,
            Survey.opens_on <= today,
            Survey.closes_on >= today,
            Company.email.is_not(None),
            Company.email != "",
            _due_condition(now, reminder_days()),
        )
        .order_by(SurveyInvitation.id)
    )
    if survey is not None:
        query = query.where(SurveyInvitation.survey_id == survey.id)
    else:
        # the job leaves a paused or stopped park's companies alone; the advisor's own button still works
        query = query.where(reminded(Survey.park_id))
    return list(db.session.scalars(query).unique())


def send_reminder(invitation: SurveyInvitation, *, now: datetime) -> bool:
    """Queue the reminder mail for one invitation and record it (`last_reminded_at`); flush, no commit.

    The invitation is claimed with one conditional UPDATE (still pending, not mailed in the last N days), so
    the job, a second scheduler and the advisor's button never remind a company twice within N days. Returns
    False (and queues nothing) when it was not due any more.
    """
    claimed = db.session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, _due_condition(now, reminder_days()))
        .values(last_reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    db.session.refresh(invitation)
    mail.queue_draft(reminder_mail(invitation))
    db.session.flush()
    return True


def send_reminders_now(actor: User, survey: Survey, *, now: datetime) -> int:
    """The advisor's "send reminders now": remind at once whom the daily job would remind (pending, with an
    email address, not mailed in the last N days), instead of waiting for 09:00. Returns how many were queued.

    Advisors and the municipality only (`surveys.manage`); refused (DomainError) for a survey that is not open
    and when nobody is due. Audited with the number of reminders, not the companies.
    """
    ensure_can(actor, "surveys.manage", survey.park)
    ensure_cycle_active(survey)
    if survey.status != SurveyStatus.OPEN:
        raise DomainError(_("Herinneringen kunnen alleen worden verstuurd zolang de enquête open is."))
    due = due_reminders(now, survey=survey)
    sent = sum(send_reminder(invitation, now=now) for invitation in due)
    if not sent:
        raise DomainError(
            _(
                "Er is niemand om te herinneren: elk bedrijf dat nog niet antwoordde en een e-mailadres heeft, "
                "kreeg de afgelopen %(days)s dagen al een e-mail.",
                days=reminder_days(),
            )
        )
    audit.record(actor, "surveys.reminders_sent", survey, park=survey.park, details={"count": sent})
    db.session.flush()
    return sent


def _period(now: datetime) -> str:
    return local_day(now).isoformat()


register(
    "surveys.reminders",
    description=_l("Herinnering sturen aan bedrijven die de enquête nog niet invulden"),
    trigger=cron(hour=9, minute=0),  # Dutch time
    find=lambda now: [(invitation, _period(now)) for invitation in due_reminders(now)],
    key=lambda item: f"invitation:{item[0].id}:{item[1]}",
    handle=lambda item, now: send_reminder(item[0], now=now),
)
