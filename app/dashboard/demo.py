"""Demo data for the city dashboard: a park of the demo municipality whose KVO-B certificate runs out soon and
whose new cycle has stood still for months, so that the officer's dashboard has something to point at."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.awards.models import Award
from app.cameras.checks import add_months
from app.clock import local_day
from app.demo import get_or_create
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park, Track
from app.parks.services import CYCLE_YEARS
from app.stakeholders.models import Organisation

PARK = "Haarrijn"
MUNICIPALITY = "Gemeente Utrecht"
#: the certificate's last day lies this many days ahead when the demo is first seeded
CERTIFICATE_LEFT_DAYS = 55
#: the new cycle has been at its second step this long
STUCK_DAYS = 130


def seed_demo(created: list, *, now: datetime) -> Park | None:
    """The KVO-B park Haarrijn in the demo municipality, made once: its first cycle closed with a certificate that
    ends CERTIFICATE_LEFT_DAYS after the first seeding, its second cycle at step 2 since STUCK_DAYS before it.
    Running it again adds nothing. None when the demo municipality is missing."""
    municipality = db.session.scalar(select(Organisation).where(Organisation.name == MUNICIPALITY))
    if municipality is None:
        return None
    existing = db.session.scalar(select(Park).where(Park.name == PARK, Park.municipality_id == municipality.id))
    if existing is not None:
        return existing
    park = get_or_create(created, Park, {"track": Track.KVO}, name=PARK, municipality_id=municipality.id)
    today = local_day(now)
    valid_until = today + timedelta(days=CERTIFICATE_LEFT_DAYS)
    # the award counts until the day before its anniversary (`awards.services.valid_until_for`)
    awarded_on = add_months(valid_until + timedelta(days=1), -12 * CYCLE_YEARS[Track.KVO])
    first_start = awarded_on - timedelta(days=300)
    second_start = today - timedelta(days=STUCK_DAYS + 60)
    months = 12 * CYCLE_YEARS[Track.KVO]
    first, second = (
        Cycle(
            park=park,
            number=number,
            starts_on=starts_on,
            ends_on=add_months(starts_on, months),
            status=status,
            current_step=step,
            step_started_at=started_at,
        )
        for number, starts_on, status, step, started_at in (
            (1, first_start, CycleStatus.CLOSED, 8, now - (today - awarded_on)),
            (2, second_start, CycleStatus.ACTIVE, 2, now - timedelta(days=STUCK_DAYS)),
        )
    )
    award = Award(cycle=first, awarded_on=awarded_on, valid_until=valid_until, press_release="")
    db.session.add_all([first, second, award])
    db.session.flush()
    created += [first, second, award]
    return park
