"""The exit criteria of the award (design §2): step 7 needs every stakeholder's signature and a ceremony date."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.awards.services import find_award, unsigned
from app.parks.models import Cycle
from app.parks.steps import Check, criterion


@criterion(
    7,
    _l("Elke deelnemer heeft getekend"),
    order=10,
    fix="awards.index",
    fix_label=_l("Naar de waardering"),
)
def everyone_signed(cycle: Cycle) -> Check:
    award = find_award(cycle)
    if award is None or award.requested_at is None:
        return Check(False, _("de handtekeningen zijn nog niet gevraagd"))
    missing = unsigned(award)
    if missing:
        return Check(False, _("nog niet getekend: %(names)s", names=", ".join(s.organisation.name for s in missing)))
    return Check(bool(cycle.stakeholders))


@criterion(
    7,
    _l("De datum van de uitreiking staat vast"),
    order=20,
    fix="awards.index",
    fix_label=_l("Naar de waardering"),
)
def ceremony_date_set(cycle: Cycle) -> Check:
    award = find_award(cycle)
    on = award.ceremony_on if award is not None else None
    return Check(on is not None, format_date(on, "long") if on else "")
