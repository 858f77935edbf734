"""Demo parks: their boundaries, companies, partners and the step each park's cycle is at."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.auth.services import find_user_by_email
from app.clock import local_today
from app.demo import DEMO_DOMAIN, get_or_create
from app.pages import file_slug
from app.parks.geometry import inner_point
from app.parks.models import Company, Park, ParkStatus, StepTransition
from app.parks.services import start_cycle
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder

DEMO_PARKS = [
    ("Lage Weide", "Gemeente Utrecht", ParkStatus.ACTIVE),
    ("Papendorp", "Gemeente Utrecht", ParkStatus.ACTIVE),
    ("Cartesiusweg", "Gemeente Utrecht", ParkStatus.ACTIVE),
    ("Nieuw Overvecht", "Gemeente Utrecht", ParkStatus.PAUSED),
    ("De Hoef", "Gemeente Amersfoort", ParkStatus.ACTIVE),
]


def seed_demo(created: list, organisations: dict[str, Organisation]) -> dict[str, Park]:
    """The parks of DEMO_PARKS by name, made where missing (and added to `created`)."""
    return {
        name: get_or_create(
            created, Park, {"status": status}, name=name, municipality_id=organisations[municipality].id
        )
        for name, municipality, status in DEMO_PARKS
    }


def _square(lon: float, lat: float, width: float, height: float, notch: bool = False) -> dict:
    """A rectangle-ish boundary (with a bite out of one corner, as real parks have) in GeoJSON."""
    w, s_, e, n = lon, lat, lon + width, lat + height
    ring = [[w, s_], [e, s_], [e, n - height / 3], [e - width / 3, n - height / 3], [e - width / 3, n], [w, n], [w, s_]]
    if not notch:
        ring = [[w, s_], [e, s_], [e, n], [w, n], [w, s_]]
    return {"type": "Polygon", "coordinates": [ring]}


#: per park: boundary, companies (name, street, number, postcode, sector, lat, lon, outside accepted),
#: the step the active cycle is at, and which core partners have joined
DEMO_PROCESS = {
    "Lage Weide": {
        "area": _square(5.060, 52.100, 0.035, 0.022, notch=True),
        "companies": [
            ("Van Hal Transport B.V.", "Atoomweg", 50, "3542AB", "groothandel/logistiek", 52.104, 5.068, False),
            ("Metaalbewerking De Vecht", "Electronweg", 12, "3542AC", "productie", 52.106, 5.072, False),
            ("Bouwbedrijf Kanaalzicht", "Cartesiusweg", 120, "3534BD", "bouw", 52.110, 5.075, False),
            ("Groothandel Oranje", "Ampèrestraat", 7, "3542AH", "groothandel/logistiek", 52.108, 5.080, False),
            ("Koeltechniek Utrecht", "Nijverheidsweg", 33, "3534AM", "zakelijke dienstverlening", 52.112, 5.066, False),
            ("Opslag Noordzee", "Isotopenweg", 2, "3542CT", "groothandel/logistiek", 52.099, 5.090, True),
        ],
        "step": 3,
        "partners": [
            "Gemeente Utrecht",
            "Politie Midden-Nederland",
            "Veiligheidsregio Utrecht (brandweer)",
            "Ondernemersvereniging Lage Weide",
        ],
    },
    "Papendorp": {
        "area": _square(5.078, 52.078, 0.020, 0.012),
        "companies": [
            (
                "Adviesbureau Papendorp",
                "Papendorpseweg",
                100,
                "3528BJ",
                "zakelijke dienstverlening",
                52.083,
                5.085,
                False,
            ),
            ("IT Campus Utrecht", "Orteliuslaan", 1000, "3528BD", "zakelijke dienstverlening", 52.085, 5.090, False),
            ("Autoschade Kanaleneiland", "Europalaan", 500, "3526KS", "overig", 52.070, 5.100, False),
        ],
        "step": 1,
        "partners": ["Gemeente Utrecht", "Politie Midden-Nederland"],
    },
    "Cartesiusweg": {
        "area": _square(5.090, 52.100, 0.012, 0.008),
        "companies": [
            ("Drukkerij Zuilen", "Cartesiusweg", 90, "3534BD", "productie", 52.103, 5.095, False),
            ("Garage Cartesius", "Cartesiusweg", 11, "3534BA", "detailhandel", 52.104, 5.097, False),
        ],
        # awarded a month ago: the park runs on its own, with a quarterly meeting planned
        "step": 8,
        "partners": [
            "Gemeente Utrecht",
            "Politie Midden-Nederland",
            "Veiligheidsregio Utrecht (brandweer)",
            "Ondernemersvereniging Cartesiusweg",
        ],
    },
    "De Hoef": {
        "area": _square(5.360, 52.158, 0.020, 0.012, notch=True),
        "companies": [
            ("Houthandel De Hoef", "De Hoef", 20, "3812NT", "groothandel/logistiek", 52.163, 5.367, False),
            ("Installatiebedrijf Eemland", "Databankweg", 3, "3821AL", "bouw", 52.165, 5.372, False),
        ],
        "step": 2,
        "partners": ["Gemeente Amersfoort", "Politie Midden-Nederland"],
    },
}
#: per partner organisation: its representative in the working groups, and who signs for it (name, function)
DEMO_PEOPLE = {
    "Gemeente Utrecht": ("Marieke van Dam", "Jeroen Bakker", "Wethouder Economische Zaken"),
    "Gemeente Amersfoort": ("Linda Verbeek", "Hans Mulder", "Wethouder Economie"),
    "Politie Midden-Nederland": ("Ruud Smits", "Anja de Groot", "Teamchef basisteam"),
    "Veiligheidsregio Utrecht (brandweer)": ("Karim el Idrissi", "Petra Hoekstra", "Clustercommandant"),
    "Ondernemersvereniging Lage Weide": ("Kees van Hal", "Kees van Hal", "Voorzitter"),
    "Ondernemersvereniging Cartesiusweg": ("Fatima Yilmaz", "Fatima Yilmaz", "Voorzitter"),
}
#: a demo park that is paused, so that the park page shows the status and what it means (`app.parks.pause`)
PAUSED_PARK = "Nieuw Overvecht"
PAUSE_REASON = "De ondernemersvereniging zoekt een nieuwe voorzitter; de werkgroep ligt tot dan stil."
PARTNER_ROLES = {
    OrganisationType.GEMEENTE: PpsRole.GEMEENTE,
    OrganisationType.POLITIE: PpsRole.POLITIE,
    OrganisationType.BRANDWEER: PpsRole.BRANDWEER,
    OrganisationType.ONDERNEMERSVERENIGING: PpsRole.ONDERNEMERS,
}


#: companies whose contact reads English: they get the survey letter in English
ENGLISH_COMPANIES = frozenset({"Groothandel Oranje", "Opslag Noordzee"})


def _update_partners(cycle, plan: dict, organisations: dict) -> None:
    """What an older demo wrote differently, set right: the entrepreneurs of a park are represented by the
    association the plan names (Cartesiusweg had Lage Weide's), and the partners' people have names instead of
    "Contactpersoon ..." and "Directeur ..."."""
    partners = [organisations[partner] for partner in plan["partners"]]
    for stakeholder in cycle.stakeholders:
        if stakeholder.role == PpsRole.ONDERNEMERS:
            association = next((o for o in partners if PARTNER_ROLES[o.type] == PpsRole.ONDERNEMERS), None)
            if association is not None and stakeholder.organisation_id != association.id:
                stakeholder.organisation = association
                stakeholder.representative_email = f"contact@{file_slug(association.name)}.example"
                stakeholder.signatory_email = f"directeur@{file_slug(association.name)}.example"
        people = DEMO_PEOPLE.get(stakeholder.organisation.name)
        if people is None:
            continue
        representative, signatory, function = people
        if (stakeholder.representative_name or "").startswith("Contactpersoon "):
            stakeholder.representative_name = representative
        if (stakeholder.signatory_name or "").startswith("Directeur "):
            if stakeholder.declaration_signed_by == stakeholder.signatory_name:
                stakeholder.declaration_signed_by = signatory
            stakeholder.signatory_name, stakeholder.signatory_function = signatory, function


def seed_process(created: list, organisations: dict, parks: dict, *, now: datetime) -> None:
    """Every park gets its active cycle; the demo parks get a boundary, companies, partners and a history of
    completed steps, each park at a different step; PAUSED_PARK is paused (once). Parks that already have a boundary
    are left as they are."""
    advisor = find_user_by_email(f"adviseur@{DEMO_DOMAIN}")
    paused = parks.get(PAUSED_PARK)
    # once: a status changed since (by someone trying the demo) is left as it is
    if paused is not None and paused.status_changed_at is None:
        paused.status, paused.status_reason, paused.status_changed_at = ParkStatus.PAUSED, PAUSE_REASON, now
    chair = find_user_by_email(f"ondernemer@{DEMO_DOMAIN}")
    secretary = find_user_by_email(f"secretaris@{DEMO_DOMAIN}")
    for name, park in parks.items():
        if not park.cycles:
            created.append(start_cycle(park, number=1, today=local_today() - timedelta(days=200), now=now))
        plan = DEMO_PROCESS.get(name)
        if plan is None:
            continue
        if park.area is not None:
            _update_partners(park.cycles[-1], plan, organisations)
            continue
        park.area = plan["area"]
        park.area_lat, park.area_lon = inner_point(plan["area"])
        for company, street, number, postcode, sector, lat, lon, accepted in plan["companies"]:
            park.companies.append(
                Company(
                    name=company,
                    street=street,
                    house_number=number,
                    postcode=postcode,
                    sector=sector,
                    lat=lat,
                    lon=lon,
                    outside_accepted=accepted,
                    email=f"info@{company.split()[0].lower()}.example",
                    language="en" if company in ENGLISH_COMPANIES else "nl",
                )
            )
        cycle = park.cycles[-1]
        for partner in plan["partners"]:
            organisation = organisations[partner]
            representative, signatory, function = DEMO_PEOPLE[partner]
            cycle.stakeholders.append(
                Stakeholder(
                    organisation=organisation,
                    role=PARTNER_ROLES[organisation.type],
                    representative_name=representative,
                    representative_email=f"contact@{file_slug(organisation.name)}.example",
                    signatory_name=signatory,
                    signatory_function=function,
                    signatory_email=f"directeur@{file_slug(organisation.name)}.example",
                )
            )
        if plan["step"] > 2:
            cycle.chair_id, cycle.secretary_id = chair.id, secretary.id
        for step in range(1, plan["step"]):
            at = now - timedelta(days=30 * (plan["step"] - step))
            cycle.transitions.append(
                StepTransition(
                    step=step, action="completed", actor_id=advisor.id, actor_label=advisor.name, at=at, note=""
                )
            )
        cycle.current_step = plan["step"]
        cycle.step_started_at = now - timedelta(days=12 * plan["step"])
        created.append(park)
