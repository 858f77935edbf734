"""The exit criteria that read the stakeholders (design §2): the core partners and the working group's roles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.parks.models import Cycle
from app.parks.steps import Check, criterion
from app.stakeholders.services import missing_core_roles


@criterion(
    2,
    _l("Gemeente, politie, brandweer en ondernemers doen mee, elk met een vertegenwoordiger"),
    order=10,
    fix="stakeholders.index",
    fix_label=_l("Naar de deelnemers"),
)
def core_partners(cycle: Cycle) -> Check:
    missing = missing_core_roles(cycle)
    return Check(not missing, ", ".join(role.label for role in missing))


@criterion(
    2,
    _l("De werkgroep heeft een voorzitter en een secretaris uit de ondernemers"),
    order=20,
    fix="stakeholders.index",
    fix_label=_l("Naar de deelnemers"),
)
def chair_and_secretary(cycle: Cycle) -> bool:
    return cycle.chair_id is not None and cycle.secretary_id is not None


@criterion(
    6,
    _l("De rollen zijn verdeeld: voorzitter, secretaris en per deelnemer een contactpersoon"),
    order=20,
    fix="stakeholders.index",
    fix_label=_l("Naar de deelnemers"),
)
def roles_divided(cycle: Cycle) -> Check:
    without = [
        s.organisation.name for s in cycle.stakeholders if not (s.representative_user_id or s.representative_name)
    ]
    return Check(cycle.chair_id is not None and cycle.secretary_id is not None and not without, ", ".join(without))
