"""Parks: creation and status. The step machine and the area join here in later work."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.parks.models import Park, ParkStatus
from app.stakeholders.models import Organisation, OrganisationType


def create_park(actor: User, *, name: str, municipality: Organisation) -> Park:
    """Register a business park in a municipality. Admins only; names are unique per municipality."""
    ensure_can(actor, "admin.manage")
    if municipality.type != OrganisationType.GEMEENTE:
        raise DomainError(_("Een park ligt in een gemeente: kies een organisatie van het type gemeente."))
    name = name.strip()
    if db.session.scalar(select(Park).where(Park.municipality_id == municipality.id, Park.name == name)):
        raise DomainError(_("Deze gemeente heeft al een park met deze naam."))
    park = Park(name=name, municipality=municipality, status=ParkStatus.ACTIVE)
    db.session.add(park)
    audit.record(actor, "parks.park_created", park, park=park, details={"name": name})
    db.session.flush()
    return park
