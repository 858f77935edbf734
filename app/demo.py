"""The demo data of `flask --app app seed-demo`: a realistic Dutch municipality, its parks and people.

Every part is idempotent (get or create by natural keys), so running the seed again adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app import audit
from app.auth import services as auth_services
from app.auth.mails import queue_password_link
from app.auth.models import DigestFrequency, Membership, Role, User
from app.auth.services import find_user_by_email, set_password
from app.clock import local_today
from app.extensions import db
from app.mail.models import MailStatus, OutboxMail
from app.parks.geometry import inner_point
from app.parks.models import Company, Park, ParkStatus, StepTransition
from app.parks.services import start_cycle
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.invitations import new_token
from app.surveys.models import InvitationStatus, Survey, SurveyContact, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.sample import sample_answers
from app.surveys.services import DEFAULT_LETTER

DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_DOMAIN = "demo.veiligbedrijventerrein.nl"

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
    ("Koninklijke Metaalunie", T.BRANCHEVERENIGING),
    ("Meldkamer Midden-Nederland (particuliere alarmcentrale)", T.BEVEILIGING),
    ("PVO Midden-Nederland", T.PVO),
    ("Stichting Camerakwaliteit Utrecht", T.OVERIG),
]

DEMO_PARKS = [
    ("Lage Weide", "Gemeente Utrecht", ParkStatus.ACTIVE),
    ("Papendorp", "Gemeente Utrecht", ParkStatus.ACTIVE),
    ("Cartesiusweg", "Gemeente Utrecht", ParkStatus.ACTIVE),
    ("Nieuw Overvecht", "Gemeente Utrecht", ParkStatus.PAUSED),
    ("De Hoef", "Gemeente Amersfoort", ParkStatus.ACTIVE),
]

# (local part, name, organisation, admin, [(role, park name or "gemeente:<name>", days until end or None)])
DEMO_USERS = [
    ("beheer", "Bea Beheer", "PVO Midden-Nederland", True, []),
    (
        "adviseur",
        "Anouk Adviseur",
        "PVO Midden-Nederland",
        False,
        [(Role.ADVISOR, "Lage Weide", None), (Role.ADVISOR, "Papendorp", None), (Role.ADVISOR, "De Hoef", None)],
    ),
    (
        "gemeente",
        "Gerrit Gemeente",
        "Gemeente Utrecht",
        False,
        [(Role.MUNICIPALITY, "gemeente:Gemeente Utrecht", None)],
    ),
    (
        "ondernemer",
        "Olga Ondernemer",
        "Ondernemersvereniging Lage Weide",
        False,
        [(Role.ENTREPRENEUR, "Lage Weide", None), (Role.ENTREPRENEUR, "Cartesiusweg", None)],
    ),
    (
        "secretaris",
        "Sanne Secretaris",
        "Ondernemersvereniging Lage Weide",
        False,
        [(Role.ENTREPRENEUR, "Lage Weide", None), (Role.ENTREPRENEUR, "Cartesiusweg", None)],
    ),
    (
        "politie",
        "Peter Politie",
        "Politie Midden-Nederland",
        False,
        [(Role.PARTNER, "Lage Weide", None), (Role.PARTNER, "Papendorp", None), (Role.PARTNER, "Cartesiusweg", None)],
    ),
    (
        "brandweer",
        "Bram Brandweer",
        "Veiligheidsregio Utrecht (brandweer)",
        False,
        [(Role.PARTNER, "Lage Weide", None)],
    ),
    (
        "camera",
        "Carla Camera",
        "Stichting Camerakwaliteit Utrecht",
        False,
        [(Role.CAMERA_OFFICER, "Lage Weide", None), (Role.CAMERA_OFFICER, "Papendorp", None)],
    ),
    ("auditor", "Arjen Auditor", None, False, [(Role.AUDITOR, "Lage Weide", 90)]),
]

#: how often some demo users get their digest (the others: weekly, the default)
DEMO_DIGESTS = {"adviseur": DigestFrequency.DAILY, "ondernemer": DigestFrequency.NONE}

#: invited by the admin, invitation not yet accepted: (local part, name, organisation, role, park)
DEMO_INVITED = [
    ("wijkagent.papendorp", "Noor Nieuwenhuis", "Politie Midden-Nederland", Role.PARTNER, "Papendorp"),
    ("secretaris.dehoef", "Sem de Vries", "Ondernemersvereniging Lage Weide", Role.ENTREPRENEUR, "De Hoef"),
]

#: a mail the outbox gave up on, as the admin would find it
DEMO_FAILED_MAIL = (
    "info@transportbedrijf-vanhal.example",
    "Uitnodiging voor Veilig Bedrijventerrein",
    "SMTPRecipientsRefused: {'info@transportbedrijf-vanhal.example': (550, b'5.1.1 Recipient address rejected')}",
)


def _get_or_create(created: list, model, defaults: dict | None = None, **keys):
    obj = db.session.scalar(select(model).filter_by(**keys))
    if obj is None:
        obj = model(**keys, **(defaults or {}))
        db.session.add(obj)
        db.session.flush()
        created.append(obj)
    return obj


def seed_demo_data(*, now: datetime) -> list[tuple[str, str, str]]:
    """Create the demo municipality, parks, organisations and one user per role; running it again adds nothing.

    Returns (email, role description, password) for every demo account.
    """
    created: list = []
    organisations = {
        name: _get_or_create(created, Organisation, name=name, type=kind) for name, kind in DEMO_ORGANISATIONS
    }
    parks = {
        name: _get_or_create(
            created, Park, {"status": status}, name=name, municipality_id=organisations[municipality].id
        )
        for name, municipality, status in DEMO_PARKS
    }
    accounts = []
    today = local_today()
    for local, name, organisation, is_admin, roles in DEMO_USERS:
        email = f"{local}@{DEMO_DOMAIN}"
        user = find_user_by_email(email)
        if user is None:
            user = User(
                email=email,
                name=name,
                is_admin=is_admin,
                organisation=organisations[organisation] if organisation else None,
                digest_frequency=DEMO_DIGESTS.get(local, DigestFrequency.WEEKLY),
            )
            db.session.add(user)
            set_password(user, DEMO_PASSWORD, now=now)
            created.append(user)
        for role, scope, days in roles:
            park = municipality = None
            if scope.startswith("gemeente:"):
                municipality = organisations[scope.removeprefix("gemeente:")]
            else:
                park = parks[scope]
            existing = next(
                (m for m in user.memberships if m.role == role and m.park == park and m.municipality == municipality),
                None,
            )
            if existing is None:
                existing = Membership(role=role, park=park, municipality=municipality)
                user.memberships.append(existing)
                created.append(existing)
            if days is not None and (existing.ends_on is None or existing.ends_on < today):
                existing.ends_on = today + timedelta(days=days)
        description = "admin" if is_admin else ", ".join(sorted({r.value for r, _s, _d in roles}))
        accounts.append((email, description, DEMO_PASSWORD))
    _seed_mail(created, organisations, parks, now=now)
    _seed_process(created, organisations, parks, now=now)
    _seed_surveys(created, parks, now=now)
    if created:
        audit.record(None, "demo.seeded", details={"created": len(created)})
    db.session.flush()
    return accounts


def _seed_mail(created: list, organisations: dict, parks: dict, *, now: datetime) -> None:
    """Invited users whose invitation waits in the outbox, and one mail that failed for good."""
    admin = find_user_by_email(f"beheer@{DEMO_DOMAIN}")
    base_url = current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base_url):
        for local, name, organisation, role, park in DEMO_INVITED:
            email = f"{local}@{DEMO_DOMAIN}"
            if find_user_by_email(email) is not None:
                continue
            user = auth_services.invite_user(
                admin, email=email, name=name, organisation=organisations[organisation], locale="nl"
            )
            user.memberships.append(Membership(role=role, park=parks[park]))
            queue_password_link(user, auth_services.INVITATION)
            created.append(user)
    recipient, subject, error = DEMO_FAILED_MAIL
    if db.session.scalar(select(OutboxMail.id).where(OutboxMail.recipient == recipient)) is None:
        failed = OutboxMail(
            recipient=recipient,
            subject=subject,
            locale="nl",
            status=MailStatus.FAILED,
            attempts=8,
            text_body="Beste ondernemer,\n\nU bent uitgenodigd voor Veilig Bedrijventerrein.",
            html_body="<p>Beste ondernemer,</p><p>U bent uitgenodigd voor Veilig Bedrijventerrein.</p>",
            last_error=error,
            next_attempt_at=now - timedelta(hours=1),
        )
        db.session.add(failed)
        created.append(failed)


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
        "step": 6,
        "partners": [
            "Gemeente Utrecht",
            "Politie Midden-Nederland",
            "Veiligheidsregio Utrecht (brandweer)",
            "Ondernemersvereniging Lage Weide",
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
PARTNER_ROLES = {
    OrganisationType.GEMEENTE: PpsRole.GEMEENTE,
    OrganisationType.POLITIE: PpsRole.POLITIE,
    OrganisationType.BRANDWEER: PpsRole.BRANDWEER,
    OrganisationType.ONDERNEMERSVERENIGING: PpsRole.ONDERNEMERS,
}


def _seed_process(created: list, organisations: dict, parks: dict, *, now: datetime) -> None:
    """Every park gets its active cycle; the demo parks get a boundary, companies, partners and a history of
    completed steps, each park at a different step. Parks that already have a boundary are left as they are."""
    advisor = find_user_by_email(f"adviseur@{DEMO_DOMAIN}")
    chair = find_user_by_email(f"ondernemer@{DEMO_DOMAIN}")
    secretary = find_user_by_email(f"secretaris@{DEMO_DOMAIN}")
    for name, park in parks.items():
        if not park.cycles:
            created.append(start_cycle(park, number=1, today=local_today() - timedelta(days=200), now=now))
        plan = DEMO_PROCESS.get(name)
        if plan is None or park.area is not None:
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
                )
            )
        cycle = park.cycles[-1]
        for partner in plan["partners"]:
            organisation = organisations[partner]
            cycle.stakeholders.append(
                Stakeholder(
                    organisation=organisation,
                    role=PARTNER_ROLES[organisation.type],
                    representative_name=f"Contactpersoon {organisation.name}",
                    signatory_name=f"Directeur {organisation.name}",
                    signatory_function="Directeur",
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


#: per park: the survey of the active cycle. Opened and closed relative to today; of the invited companies (in
#: register order) how many answered and how many only opened the link; extra answers through the public link
DEMO_SURVEYS = {
    "Lage Weide": {
        "title": "Veiligheidsenquête Lage Weide",
        "status": SurveyStatus.OPEN,
        "opened_days_ago": 9,
        "open_days": 28,
        "answered": 3,
        "opened": 1,
        "public": 0,
        "contacts": [("Kees van Hal", "kees@vanhal.example", True, "Ik denk graag mee over camera's.")],
        "conclusions": "",
    },
    "Cartesiusweg": {
        "title": "Veiligheidsenquête Cartesiusweg",
        "status": SurveyStatus.CLOSED,
        "opened_days_ago": 120,
        "open_days": 28,
        "answered": 2,
        "opened": 0,
        "public": 14,
        "contacts": [],
        "conclusions": (
            "Bijna de helft van de bedrijven was het afgelopen jaar slachtoffer, vooral van inbraak en diefstal "
            "van het terrein. Na donker voelen ondernemers zich duidelijk minder veilig dan overdag.\n\n"
            "Zwerfvuil en foutparkeren zijn de grootste ergernissen. De werkgroep kiest daarom doelen op "
            "verlichting, cameratoezicht bij de toegangswegen en een vaste schoonmaakronde."
        ),
    },
}


def _seed_surveys(created: list, parks: dict, *, now: datetime) -> None:
    """A running survey on the park at the inventory step and a closed one, with its report, on a park past it.
    The answers are generated (the same every time); a park whose cycle has a survey is left as it is."""
    today = local_today()
    definition = load_default()
    for name, plan in DEMO_SURVEYS.items():
        park = parks[name]
        cycle = park.cycles[-1]
        if db.session.scalar(select(Survey.id).where(Survey.cycle_id == cycle.id)) is not None:
            continue
        rng = random.Random(f"demo-{name}")  # noqa: S311 - generated answers, not secrets
        opens_on = today - timedelta(days=plan["opened_days_ago"])
        opened_at = now - timedelta(days=plan["opened_days_ago"])
        closed = plan["status"] == SurveyStatus.CLOSED
        survey = Survey(
            park=park,
            cycle=cycle,
            title=plan["title"],
            definition=definition,
            status=plan["status"],
            opens_on=opens_on,
            closes_on=opens_on + timedelta(days=plan["open_days"]),
            frozen_at=opened_at + timedelta(days=1),
            public_token=new_token() if plan["public"] else None,
            letter_text=DEFAULT_LETTER,
            letter_signatory=f"De burgemeester van {park.municipality.name.removeprefix('Gemeente ')}",
            conclusions=plan["conclusions"],
            report_ready_at=opened_at + timedelta(days=plan["open_days"] + 10) if closed else None,
        )
        answered, opened = plan["answered"], plan["opened"]
        for number, company in enumerate(park.companies):
            status = InvitationStatus.INVITED
            if number < answered:
                status = InvitationStatus.USED
            elif number < answered + opened:
                status = InvitationStatus.OPENED
            day = timedelta(days=1 + number % 5, hours=rng.randint(8, 17))
            survey.invitations.append(
                SurveyInvitation(
                    company=company,
                    token=new_token(),
                    sector=company.sector,
                    status=status,
                    emailed_at=opened_at if company.email else None,
                    opened_at=opened_at + day if status != InvitationStatus.INVITED else None,
                    used_at=opened_at + day if status == InvitationStatus.USED else None,
                    last_reminded_at=now - timedelta(days=2) if status == InvitationStatus.OPENED else None,
                )
            )
        db.session.add(survey)
        db.session.flush()
        for number in range(answered + plan["public"]):
            db.session.add(
                SurveyResponse(
                    survey_id=survey.id,
                    answers=sample_answers(definition, rng),
                    submitted_on=opens_on + timedelta(days=1 + number % 5),
                    via_public_link=number >= answered,
                )
            )
        for contact_name, email, working_group, remark in plan["contacts"]:
            db.session.add(
                SurveyContact(
                    survey_id=survey.id,
                    name=contact_name,
                    email=email,
                    wants_working_group=working_group,
                    remark=remark,
                )
            )
        created.append(survey)
