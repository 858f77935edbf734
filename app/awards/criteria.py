"""The exit criteria of the award (design §2): step 7 needs the declaration of intent, every stakeholder's
signature and a ceremony date."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.awards.services import declaration_missing, find_award, unsigned
from app.parks.models import Cycle
from app.parks.steps import Check, criterion


def _names(stakeholders) -> str:
    return ", ".join(s.organisation.name for s in stakeholders)


@criterion(
    7,
    _l("Elke deelnemer heeft de intentieverklaring ondertekend"),
    order=5,
    fix="stakeholders.index",
    fix_label=_l("Naar de deelnemers"),
)
def declaration_signed(cycle: Cycle) -> Check:
    """The award rests on the declaration of intent of the same cycle (`services.declaration_holds`)."""
    if not cycle.stakeholders:
        return Check(False, _("er zijn nog geen deelnemers"))
    missing = declaration_missing(cycle)
    return Check(not missing, _("nog niet vastgelegd: %(names)s", names=_names(missing)) if missing else "")


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
        detail = _("nog niet getekend: %(names)s", names=_names(missing))
        unreachable = [s for s in missing if not s.signatory_email]
        if unreachable:
            detail += "; " + _("geen e-mailadres van de tekenbevoegde: %(names)s", names=_names(unreachable))
        return Check(False, detail)
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
