"""Parks and their cycles: creation, the active cycle, and starting a cycle.

The step machine (completing and reopening steps) lives in parks.steps.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import Membership, Role, User
from app.auth.policy import PERMISSIONS, roles_on
from app.clock import local_day
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park, ParkStatus, Track
from app.stakeholders.models import Organisation, OrganisationType

#: how long a cycle runs before its re-calibration, per track (design §2; domain.md)
CYCLE_YEARS = {Track.PVO: 2, Track.KVO: 3}


def municipalities_for_new_park(user: User, *, today: date) -> list[Organisation]:
    """The municipalities in which `user` may register a park: every one for an admin; otherwise each municipality
    where the user holds a current role that "parks.create" allows, municipality-wide or on one of its parks (an
    advisor of one park of a city starts the next park there without an admin)."""
    query = select(Organisation).where(Organisation.type == OrganisationType.GEMEENTE).order_by(Organisation.name)
    if user.is_admin:
        return list(db.session.scalars(query))
    ids = {
        membership.municipality_id if membership.park is None else membership.park.municipality_id
        for membership in user.memberships
        if membership.is_current(today) and membership.role in PERMISSIONS["parks.create"]
    }
    return list(db.session.scalars(query.where(Organisation.id.in_(ids)))) if ids else []


def create_park(actor: User, *, name: str, municipality: Organisation, now: datetime, track: Track = Track.PVO) -> Park:
    """Register a business park in a municipality and start its first cycle. Admins may, anywhere; an advisor or
    municipality officer may in a municipality of `municipalities_for_new_park`. A creator whose roles do not cover
    the new park (an advisor of single parks) becomes a member of it in the role that allowed the creation, so the
    park is theirs to run from the start. Names are unique per municipality. Raises NotAllowed or DomainError."""
    if municipality.type != OrganisationType.GEMEENTE:
        raise DomainError(_("Een park ligt in een gemeente: kies een organisatie van het type gemeente."))
    today = local_day(now)
    if municipality not in municipalities_for_new_park(actor, today=today):
        raise NotAllowed(_("U mag in deze gemeente geen park aanmaken."))
    name = name.strip()
    if db.session.scalar(select(Park).where(Park.municipality_id == municipality.id, Park.name == name)):
        raise DomainError(_("Deze gemeente heeft al een park met deze naam."))
    park = Park(name=name, municipality=municipality, status=ParkStatus.ACTIVE, track=track)
    db.session.add(park)
    start_cycle(park, number=1, today=today, now=now)
    details = {"name": name, "track": track.value}
    if not actor.is_admin and not roles_on(actor, park, today=today):
        role = _creating_role(actor, municipality, today=today)
        db.session.add(Membership(user=actor, park=park, role=role))
        details["member_as"] = role.value
    audit.record(actor, "parks.park_created", park, park=park, details=details)
    db.session.flush()
    return park


def _creating_role(user: User, municipality: Organisation, *, today: date) -> Role:
    """The role by which `user` may create a park in `municipality` (advisor before municipality officer)."""
    held = {
        membership.role
        for membership in user.memberships
        if membership.is_current(today)
        and membership.park is not None
        and membership.park.municipality_id == municipality.id
    }
    return min(held & PERMISSIONS["parks.create"], key=list(Role).index)


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
