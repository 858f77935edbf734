"""The award's renewal reminder: the park's advisors and municipality officers hear in their digest that the park's
award runs out, once six months before its last day and once more, required, three months before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import LazyString, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.awards.models import Award
from app.awards.services import latest_granted, managers_of
from app.cameras.checks import add_months
from app.clock import local_day
from app.extensions import db
from app.jobs.registry import cron, register
from app.links import site_path
from app.notifications import notify
from app.parks.pause import gets_reminders

KIND = "awards.expiring"
HEADING = _l("Waarderingen die aflopen")
#: months before the last day -> stage; the later stage is required (it reaches users without a digest)
STAGES = ((3, "3m"), (6, "6m"))


@dataclass(frozen=True)
class Expiring:
    award: Award
    stage: str
    user: User

    @property
    def required(self) -> bool:
        return self.stage == "3m"


def awards_expiring(now: datetime) -> list[Expiring]:
    """(award, stage, manager) for every park's latest granted award whose last day is at most six months away
    (stage "6m") or at most three months away or past (stage "3m"); an award that a newer one replaced is left
    out."""
    today = local_day(now)
    horizon = add_months(today, 6)
    items = []
    candidates = db.session.scalars(
        select(Award).where(Award.valid_until.is_not(None), Award.valid_until <= horizon).order_by(Award.id)
    )
    for award in candidates:
        park = award.cycle.park
        if latest_granted(park) is not award or not gets_reminders(park):
            continue
        stage = next(name for months, name in STAGES if today >= add_months(award.valid_until, -months))
        items += [Expiring(award, stage, user) for user in managers_of(park, today=today)]
    return items


def _key(item: Expiring) -> str:
    return f"award:{item.award.id}:until:{item.award.valid_until.isoformat()}:{item.stage}:user:{item.user.id}"


def notify_expiring(item: Expiring) -> bool:
    """Put the award's end in the manager's digest with what is needed to renew it (the herijking). Returns
    whether a line was made."""
    award = item.award
    park = award.cycle.park
    until = award.valid_until
    name = park.name

    def text() -> str:
        return _(
            "%(park)s: de waardering is geldig tot en met %(date)s. Verlengen vraagt een herijking: een nieuwe "
            "enquête, nieuwe doelen en een nieuw plan, en opnieuw de handtekeningen.",
            park=name,
            date=format_date(until, "long"),
        )

    notify(
        item.user,
        kind=KIND,
        heading=HEADING,
        text=LazyString(text),
        path=site_path("awards.index", park_id=park.id),
        park=park,
        required=item.required,
    )
    return True


register(
    KIND,
    description=_l("Adviseurs en gemeente wijzen op waarderingen die binnen zes maanden aflopen"),
    trigger=cron(hour=6, minute=55),  # Dutch time, before the digests at 07:00
    find=awards_expiring,
    key=_key,
    handle=lambda item, now: notify_expiring(item),
)
