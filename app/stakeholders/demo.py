"""Demo organisations: the municipalities, public partners and business associations of the demo region."""

from __future__ import annotations

from app.demo import get_or_create
from app.stakeholders.models import Organisation, OrganisationType

T = OrganisationType
DEMO_ORGANISATIONS = [
    ("Gemeente Utrecht", T.GEMEENTE),
    ("Gemeente Amersfoort", T.GEMEENTE),
    ("Politie Midden-Nederland", T.POLITIE),
    ("Veiligheidsregio Utrecht (brandweer)", T.BRANDWEER),
    ("Douane Utrecht", T.DOUANE),
    ("Provincie Utrecht", T.PROVINCIE),
    ("Omgevingsdienst regio Utrecht", T.OMGEVINGSDIENST),
    ("Ondernemersvereniging Lage Weide", T.ONDERNEMERSVERENIGING),
    ("Bedrijvenkring Papendorp", T.ONDERNEMERSVERENIGING),
    ("Ondernemersvereniging Cartesiusweg", T.ONDERNEMERSVERENIGING),
    ("Koninklijke Metaalunie", T.BRANCHEVERENIGING),
    ("Meldkamer Midden-Nederland (particuliere alarmcentrale)", T.BEVEILIGING),
    ("PVO Midden-Nederland", T.PVO),
    ("Stichting Camerakwaliteit Utrecht", T.OVERIG),
    # entered twice under a shorter name, as happens: an admin finds it under "samenvoegen" of either one
    ("Metaalunie", T.BRANCHEVERENIGING),
]


def seed_demo(created: list) -> dict[str, Organisation]:
    """The organisations of DEMO_ORGANISATIONS by name, made where missing (and added to `created`)."""
    return {name: get_or_create(created, Organisation, name=name, type=kind) for name, kind in DEMO_ORGANISATIONS}
