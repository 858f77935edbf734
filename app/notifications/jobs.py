"""The daily and weekly digests: one mail per user per period, however often the job runs."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.auth.models import DigestFrequency
from app.clock import local_day
from app.jobs.registry import cron, register
from app.notifications.services import send_digest, users_with_pending_digest


def _period(frequency: DigestFrequency, now: datetime) -> str:
    day = local_day(now)
    if frequency == DigestFrequency.DAILY:
        return day.isoformat()
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def _register(frequency: DigestFrequency, name: str, description, trigger) -> None:
    register(
        name,
        description=description,
        trigger=trigger,
        find=lambda now: [(user, _period(frequency, now)) for user in users_with_pending_digest(frequency)],
        key=lambda item: f"user:{item[0].id}:{item[1]}",
        handle=lambda item, now: send_digest(item[0], frequency, now=now),
    )


_register(
    DigestFrequency.DAILY,
    "notifications.daily_digest",
    _l("Dagoverzicht versturen aan wie daarvoor koos"),
    cron(hour=7, minute=0),
)
_register(
    DigestFrequency.WEEKLY,
    "notifications.weekly_digest",
    _l("Weekoverzicht versturen (ook de verplichte meldingen van wie geen overzicht wil)"),
    cron(day_of_week="mon", hour=7, minute=0),
)
