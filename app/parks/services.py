"""Parks and their cycles: creation, the active cycle, and starting a cycle.

The step machine (completing and reopening steps) lives in parks.steps.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park, ParkStatus, Track
from app.stakeholders.models import Organisation, OrganisationType

#: how long a cycle runs before its re-calibration, per track (design §2; domain.md)
CYCLE_YEARS = {Track.PVO: 2, Track.KVO: 3}


def create_park(actor: User, *, name: str, municipality: Organisation, now: datetime) -> Park:
    """Register a business park in a municipality and start its first cycle. Admins only; names are unique
    per municipality."""
    ensure_can(actor, "admin.manage")
    if municipality.type != OrganisationType.GEMEENTE:
        raise DomainError(_("Een park ligt in een gemeente: kies een organisatie van het type gemeente."))
    name = name.strip()
    if db.session.scalar(select(Park).where(Park.municipality_id == municipality.id, Park.name == name)):
        raise DomainError(_("Deze gemeente heeft al een park met deze naam."))
    park = Park(name=name, municipality=municipality, status=ParkStatus.ACTIVE, track=Track.PVO)
    db.session.add(park)
    start_cycle(park, number=1, today=now.date(), now=now)
    audit.record(actor, "parks.park_created", park, park=park, details={"name": name})
    db.session.flush()
    return park


def start_cycle(park: Park, *, number: int, today: date, now: datetime) -> Cycle:
    """Open a cycle at step 1, lasting as long as the park's track prescribes."""
    years = CYCLE_YEARS[park.track or Track.PVO]
    cycle = Cycle(
        park=park,
        number=number,
        starts_on=today,
        ends_on=today + timedelta(days=365 * years),
        status=CycleStatus.ACTIVE,
        current_step=1,
        step_started_at=now,
    )
    db.session.add(cycle)
    db.session.flush()
    return cycle


def active_cycle(park: Park) -> Cycle:
    """The park's one active cycle (every park has one from its creation)."""
    cycle = db.session.scalar(select(Cycle).where(Cycle.park_id == park.id, Cycle.status == CycleStatus.ACTIVE))
    if cycle is None:
        raise DomainError(_("Dit park heeft geen actieve cyclus."))
    return cycle
