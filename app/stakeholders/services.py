"""Organisations: created and renamed by admins."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.stakeholders.models import Organisation, OrganisationType


def save_organisation(
    actor: User, organisation: Organisation | None, *, name: str, type: OrganisationType
) -> Organisation:
    """Create (organisation None) or update an organisation. Admins only; name and type are unique together."""
    ensure_can(actor, "admin.manage")
    name = name.strip()
    clash = db.session.scalar(select(Organisation).where(Organisation.name == name, Organisation.type == type))
    if clash is not None and clash is not organisation:
        raise DomainError(_("Er bestaat al een organisatie met deze naam en dit type."))
    if organisation is None:
        organisation = Organisation(name=name, type=type)
        db.session.add(organisation)
        action = "stakeholders.organisation_created"
    else:
        organisation.name, organisation.type = name, type
        action = "stakeholders.organisation_updated"
    audit.record(actor, action, organisation, details={"name": name, "type": type.value})
    db.session.flush()
    return organisation
