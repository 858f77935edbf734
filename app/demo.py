"""The demo data of `flask --app app seed-demo`: a realistic Dutch municipality, its parks and people.

Every part is idempotent (get or create by natural keys), so running the seed again adds nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app import audit
from app.api.demo import seed_demo as seed_api_tokens
from app.audit.services import RESPONDENT_LABEL
from app.auth import services as auth_services
from app.auth.mails import queue_password_link
from app.auth.models import DigestFrequency, Membership, Role, User
from app.auth.services import find_user_by_email, set_password
from app.awards.demo import seed_demo as seed_awards
from app.cameras import checks, evaluations
from app.cameras.models import (
    Camera,
    CameraHealth,
    CameraNetwork,
    CameraOutage,
    CameraStatus,
    CameraType,
    CheckScore,
    Evaluation,
    EvaluationDecision,
    FootageDecision,
    FootageRequest,
    QualityCheck,
    RequesterKind,
    Score,
    TechnologyChange,
)
from app.clock import local_today
from app.dossier.demo import seed_demo as seed_dossier_access
from app.extensions import db
from app.inventory.models import Figure, FigureSource, Finding, FindingCategory, Inspection, Light, ScanEntry, Severity
from app.jobs.models import JobRun, RunStatus
from app.mail.jobs import failure_summary
from app.mail.models import MailStatus, OutboxMail
from app.meetings.demo import seed_demo as seed_meetings
from app.pages import file_slug
from app.parks.geometry import inner_point
from app.parks.models import Company, Park, ParkStatus, StepTransition
from app.parks.services import start_cycle
from app.plans import catalogue, quarters, versions
from app.plans.goals import indicator_value
from app.plans.models import (
    ActionNote,
    ActionStatus,
    CalendarItem,
    CalendarKind,
    Direction,
    Goal,
    GoalSource,
    Plan,
    PlanAction,
    PlanVersion,
    Theme,
)
from app.plans.services import find_plan
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.invitations import new_invitation, new_token
from app.surveys.models import InvitationStatus, Survey, SurveyContact, SurveyResponse, SurveyStatus
from app.surveys.responses import ANSWERED
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
    _seed_inventory_and_plans(created, parks, now=now)
    _seed_cameras(created, organisations, parks, now=now)
    users_by_email = {user.email: user for user in db.session.scalars(select(User))}
    seed_meetings(parks, users_by_email, now=now)
    created += seed_awards(parks, users_by_email, now=now)
    created += seed_dossier_access(parks, users_by_email, now=now)
    created += seed_api_tokens(users_by_email, now=now)
    if created:
        audit.record(None, "demo.seeded", details={"created": len(created)})
    db.session.flush()
    return accounts


def _seed_mail(created: list, organisations: dict, parks: dict, *, now: datetime) -> None:
    """Invited users whose invitation waits in the outbox, and one mail that failed for good."""
    admin = find_user_by_email(f"beheer@{DEMO_DOMAIN}")
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
        # the delivery run that gave up on it, as Beheer → Geplande taken shows it
        last_try = now - timedelta(hours=1)
        run = JobRun(
            job="mail.deliver",
            started_at=last_try,
            finished_at=last_try,
            status=RunStatus.FAILED,
            done=0,
            skipped=0,
            failed=1,
            error=failure_summary(Counter({error: 1})),
        )
        db.session.add_all([failed, run])
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
        # awarded a month ago: the park runs on its own, with a quarterly meeting planned
        "step": 8,
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
                    representative_email=f"contact@{file_slug(organisation.name)}.example",
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
        "public_link": True,
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
        "public_link": True,
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
            public_token=new_token() if plan["public_link"] else None,
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
            survey.invitations.append(
                new_invitation(
                    company=company,
                    sector=company.sector,
                    status=status,
                    emailed_at=opened_at if company.email else None,
                    last_reminded_at=now - timedelta(days=2) if status == InvitationStatus.OPENED else None,
                )
            )
        db.session.add(survey)
        db.session.flush()
        for number in range(answered + plan["public"]):
            db.session.add(
                SurveyResponse(
                    survey_id=survey.id, answers=sample_answers(definition, rng), via_public_link=number >= answered
                )
            )
            # the audit log's record of each answer, spread over the first days, for the response over time
            answered_at = opened_at + timedelta(days=1 + number % 5, hours=rng.randint(8, 17))
            audit.record_anonymous(ANSWERED, survey, park_id=park.id, actor_label=RESPONDENT_LABEL, now=answered_at)
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


#: per park: police/fire/MOR counts per year (quarter 0) as {source: {category: [count per year]}}, from FIGURE_YEARS
FIGURE_YEARS = (2023, 2024, 2025)
DEMO_FIGURES = {
    "Lage Weide": {
        FigureSource.POLITIE: {
            "inbraak_bedrijf": [14, 11, 9],
            "poging_inbraak": [6, 8, 5],
            "diefstal_terrein": [9, 12, 15],
            "diefstal_uit_voertuig": [21, 17, 19],
            "vernieling": [7, 9, 6],
            "drugs_ondermijning": [2, 3, 5],
        },
        FigureSource.MOR: {
            "afvaldumping": [31, 38, 44],
            "grofvuil": [12, 10, 14],
            "parkeeroverlast": [18, 22, 27],
            "leegstand": [3, 4, 4],
        },
        FigureSource.BRANDWEER: {"buitenbrand": [5, 3, 6], "nodeloze_melding": [22, 19, 16]},
    },
    "Cartesiusweg": {
        FigureSource.POLITIE: {
            "inbraak_bedrijf": [6, 5, 3],
            "diefstal_uit_voertuig": [9, 7, 6],
            "vernieling": [4, 6, 3],
        },
        FigureSource.MOR: {"afvaldumping": [11, 9, 7], "parkeeroverlast": [8, 9, 5], "crossen": [2, 1, 0]},
    },
}

#: per park: each stakeholder's gebiedsscan (organisation name -> top 3 as (phenomenon, explanation))
DEMO_SCAN = {
    "Lage Weide": {
        "Gemeente Utrecht": [
            ("Afvaldumpingen langs de kade", "Vooral bouwafval en banden; elke week meldingen via de MOR-app."),
            ("Vrachtwagens die 's nachts in de berm parkeren", "Schade aan bermen en onveilige situaties."),
            ("Verlichting valt uit op de Atoomweg", "Oude armaturen; vervanging staat niet gepland."),
        ],
        "Politie Midden-Nederland": [
            ("Diefstal van brandstof en koper", "Dieven komen via het water en de spoorzone."),
            ("Signalen van ondermijning in verhuurde loodsen", "Wisselende huurders, veel verkeer buiten werktijd."),
            ("Lage aangiftebereidheid", "Ondernemers melden schade vaak niet omdat het 'toch niets oplevert'."),
        ],
        "Veiligheidsregio Utrecht (brandweer)": [
            ("Opslag van pallets tegen gevels", "Brandgevaar en slechte bereikbaarheid voor de brandweer."),
        ],
    },
    "Cartesiusweg": {
        "Gemeente Utrecht": [
            ("Zwerfvuil bij de bushalte", "Afvalbakken zijn te klein en worden niet vaak genoeg geleegd."),
            ("Donkere doorsteek naar het spoor", "Weinig verlichting en overhangend groen."),
            ("Leegstaand pand op nummer 40", "Wordt gebruikt om te overnachten."),
        ],
        "Politie Midden-Nederland": [
            ("Inbraken in bedrijfsbusjes", "Vooral in het weekend, gereedschap wordt gestolen."),
            ("Crossers op het braakliggende terrein", "Geluidsoverlast en vernielingen aan hekwerk."),
            ("Weinig meldingen van verdachte situaties", "Ondernemers weten niet goed waar ze moeten melden."),
        ],
        "Veiligheidsregio Utrecht (brandweer)": [
            ("Geblokkeerde brandkranen", "Geparkeerde vrachtwagens staan op de brandkranen."),
            ("Containerbranden", "Afvalcontainers staan onafgesloten tegen de gevels."),
            ("Nodeloze meldingen", "Brandmeldinstallaties die slecht onderhouden worden."),
        ],
        "Ondernemersvereniging Lage Weide": [
            ("Diefstal van gereedschap", "Uit busjes en van open terreinen."),
            ("Slechte verlichting 's avonds", "Medewerkers voelen zich onveilig op weg naar de bushalte."),
            ("Vrachtwagens op de stoep", "Gevaarlijk voor fietsers en voetgangers."),
        ],
    },
}

#: per park: inspection walks, each (days ago, light, participants, [(category, severity, description, suggestion,
#: lat, lon)])
DEMO_INSPECTIONS = {
    "Lage Weide": [
        (
            20,
            Light.DAY,
            "Gemeente Utrecht (beheer en handhaving), Politie Midden-Nederland, brandweer, Ondernemersvereniging",
            [
                (
                    FindingCategory.DUMPING,
                    Severity.HIGH,
                    "Bouwafval en autobanden gedumpt aan het eind van de kade.",
                    "Laten ruimen en handhaving inzetten op de kade.",
                    52.104,
                    5.085,
                ),
                (
                    FindingCategory.PARKEREN,
                    Severity.MEDIUM,
                    "Drie vrachtwagens met oplegger in de berm van de Isotopenweg.",
                    "Parkeerverbod en handhaving 's nachts.",
                    52.101,
                    5.088,
                ),
                (
                    FindingCategory.HEKWERK,
                    Severity.LOW,
                    "Hekwerk bij de spoorzone is op twee plekken open geknipt.",
                    "Eigenaar laten herstellen.",
                    52.111,
                    5.070,
                ),
                (
                    FindingCategory.BEBORDING,
                    Severity.LOW,
                    "Huisnummers aan de Electronweg ontbreken of zijn onleesbaar.",
                    "Ondernemers vragen huisnummers zichtbaar te maken.",
                    52.106,
                    5.073,
                ),
            ],
        ),
        (
            20,
            Light.DARK,
            "Gemeente Utrecht, Politie Midden-Nederland, twee ondernemers",
            [
                (
                    FindingCategory.VERLICHTING,
                    Severity.HIGH,
                    "Zes lantaarnpalen aan de Atoomweg branden niet.",
                    "Melden bij de gemeente en armaturen vervangen.",
                    52.103,
                    5.067,
                ),
                (
                    FindingCategory.GROEN,
                    Severity.MEDIUM,
                    "Overhangend groen ontneemt het zicht op de inrit.",
                    "Snoeien en zichtlijnen vrijhouden.",
                    52.108,
                    5.079,
                ),
            ],
        ),
    ],
    "Cartesiusweg": [
        (
            150,
            Light.DARK,
            "Gemeente Utrecht, Politie Midden-Nederland, brandweer, Ondernemersvereniging",
            [
                (
                    FindingCategory.VERLICHTING,
                    Severity.HIGH,
                    "De doorsteek naar het spoor is volledig donker.",
                    "Extra verlichting plaatsen bij de doorsteek.",
                    52.104,
                    5.094,
                ),
                (
                    FindingCategory.BRANDRISICO,
                    Severity.MEDIUM,
                    "Brandkraan bij nummer 90 staat achter geparkeerde vrachtwagens.",
                    "Markering en handhaving rond de brandkraan.",
                    52.103,
                    5.096,
                ),
                (
                    FindingCategory.LEEGSTAND,
                    Severity.MEDIUM,
                    "Leegstaand pand op nummer 40 wordt gebruikt om te overnachten.",
                    "Eigenaar aanspreken op afsluiten en beheer.",
                    52.105,
                    5.098,
                ),
            ],
        ),
    ],
}

#: goals of a park's cycle: (theme, title, indicator, source, reference, unit, direction, (baseline, where from),
#: target, latest); a baseline None is read from the source, else the source gives the latest value
DEMO_GOALS = {
    "Cartesiusweg": [
        (
            Theme.SCHOON,
            "Minder afvaldumpingen",
            "Aantal MOR-meldingen van afvaldumping per jaar",
            GoalSource.FIGURE,
            "mor:afvaldumping",
            "meldingen",
            Direction.DOWN,
            (9, "Meldingen openbare ruimte (MOR), Afvaldumping, 2024"),
            4,
            None,
        ),
        (
            Theme.HEEL,
            "Verlichting op orde",
            "Deel van de lantaarnpalen dat bij de schouw niet brandt",
            GoalSource.MANUAL,
            "",
            "%",
            Direction.DOWN,
            (15, "Schouw in het donker, begin van de cyclus"),
            2,
            6,
        ),
        (
            Theme.VEILIG,
            "Minder inbraken in bedrijfspanden",
            "Door de politie geregistreerde inbraken per jaar",
            GoalSource.FIGURE,
            "politie:inbraak_bedrijf",
            "inbraken",
            Direction.DOWN,
            (5, "Politie, Inbraak in bedrijfspand, 2024"),
            2,
            None,
        ),
        (
            Theme.VEILIG,
            "Veiliger gevoel na donker",
            "Deel van de ondernemers dat zich na donker (zeer) veilig voelt",
            GoalSource.SURVEY,
            "safe_dark:4,5",
            "%",
            Direction.UP,
            None,
            60,
            None,
        ),
        (
            Theme.MELDINGSBEREIDHEID,
            "Ondernemers weten waar ze melden",
            "Deel van de ondernemers dat weet waar ze verdachte situaties melden",
            GoalSource.SURVEY,
            "know_where:true",
            "%",
            Direction.UP,
            None,
            80,
            None,
        ),
    ],
}

#: the plan: (catalogue key or None, title for a free action, quarter, owner roles, status, note)
DEMO_ACTIONS = {
    "Cartesiusweg": [
        (
            "schoonmaakactie",
            None,
            1,
            [PpsRole.ONDERNEMERS, PpsRole.GEMEENTE],
            ActionStatus.DONE,
            "Met twintig ondernemers 14 zakken zwerfvuil opgehaald.",
        ),
        ("meldwijzer", None, 1, [PpsRole.GEMEENTE], ActionStatus.DONE, "Meldwijzer huis-aan-huis verspreid."),
        (
            "verlichting-verbeteren",
            None,
            1,
            [PpsRole.GEMEENTE],
            ActionStatus.DELAYED,
            "Levering van de armaturen is vertraagd tot volgend kwartaal.",
        ),
        ("alertavond", None, 2, [PpsRole.POLITIE], ActionStatus.STARTED, "Zaal geregeld, uitnodiging volgt."),
        ("snoeien-zichtlijnen", None, 2, [PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        ("cameratoezicht", None, 3, [PpsRole.ONDERNEMERS, PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        ("brandveiligheidsschouw", None, 3, [PpsRole.BRANDWEER], ActionStatus.PLANNED, ""),
        ("parkeerbeleid-vrachtwagens", None, 4, [PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        ("training-ondermijning", None, 5, [PpsRole.POLITIE], ActionStatus.PLANNED, ""),
        (None, "Herhaalmeting ondernemersenquête voorbereiden", 7, [PpsRole.GEMEENTE], ActionStatus.PLANNED, ""),
        (
            "integrale-controle",
            None,
            8,
            [PpsRole.GEMEENTE, PpsRole.POLITIE, PpsRole.BRANDWEER],
            ActionStatus.PLANNED,
            "",
        ),
    ],
}

#: the communication and activity calendar: (kind, title, days from today, start, end, audience, owner role)
DEMO_CALENDAR = {
    "Cartesiusweg": [
        (
            CalendarKind.SURVEY,
            "Uitslag enquête in de nieuwsbrief",
            -80,
            None,
            None,
            "Alle ondernemers",
            PpsRole.ONDERNEMERS,
        ),
        (
            CalendarKind.PRESS,
            "Persbericht: uitvoeringsplan vastgesteld",
            -60,
            None,
            None,
            "Pers en bewoners",
            PpsRole.GEMEENTE,
        ),
        (
            CalendarKind.CAMPAIGN,
            "Campagne 'Zie je iets? Meld het!'",
            10,
            None,
            None,
            "Ondernemers en medewerkers",
            PpsRole.POLITIE,
        ),
        (
            CalendarKind.ALERT,
            "Alertavond inbraakpreventie",
            24,
            time(19, 30),
            time(21, 30),
            "Ondernemers",
            PpsRole.POLITIE,
        ),
        (
            CalendarKind.INFO_ENTREPRENEURS,
            "Informatiebijeenkomst cameratoezicht",
            45,
            time(16, 0),
            time(17, 30),
            "Ondernemers",
            PpsRole.ONDERNEMERS,
        ),
        (
            CalendarKind.INFO_PARTNERS,
            "Overleg publieke partners over handhaving",
            70,
            time(10, 0),
            time(11, 30),
            "Gemeente, politie en brandweer",
            PpsRole.GEMEENTE,
        ),
    ],
}


def _seed_inventory_and_plans(created: list, parks: dict, *, now: datetime) -> None:
    """Figures, gebiedsscan and schouw for the parks at or past the inventory step; goals, the adopted plan and
    the calendar for the park at step 6. A part that a park already has is left as it is."""
    today = local_today()
    municipality_officer = find_user_by_email(f"gemeente@{DEMO_DOMAIN}")
    for name, sources in DEMO_FIGURES.items():
        park = parks[name]
        if db.session.scalar(select(Figure.id).where(Figure.park_id == park.id).limit(1)) is not None:
            continue
        for source, categories in sources.items():
            for category, counts in categories.items():
                for year, count in zip(FIGURE_YEARS, counts, strict=True):
                    db.session.add(Figure(park=park, source=source, category=category, year=year, count=count))
        created.append(park)
    for name, scans in DEMO_SCAN.items():
        cycle = parks[name].cycles[-1]
        for stakeholder in cycle.stakeholders:
            rows = scans.get(stakeholder.organisation.name, [])
            if not rows or db.session.scalar(select(ScanEntry.id).where(ScanEntry.stakeholder_id == stakeholder.id)):
                continue
            for rank, (phenomenon, explanation) in enumerate(rows, start=1):
                db.session.add(
                    ScanEntry(stakeholder=stakeholder, rank=rank, phenomenon=phenomenon, explanation=explanation)
                )
            created.append(stakeholder)
    for name, walks in DEMO_INSPECTIONS.items():
        cycle = parks[name].cycles[-1]
        if db.session.scalar(select(Inspection.id).where(Inspection.cycle_id == cycle.id).limit(1)) is not None:
            continue
        for days_ago, light, participants, findings in walks:
            inspection = Inspection(
                cycle=cycle, held_on=today - timedelta(days=days_ago), light=light, participants=participants
            )
            for category, severity, description, suggestion, lat, lon in findings:
                inspection.findings.append(
                    Finding(
                        category=category,
                        severity=severity,
                        description=description,
                        suggested_action=suggestion,
                        lat=lat,
                        lon=lon,
                    )
                )
            db.session.add(inspection)
            created.append(inspection)
    db.session.flush()
    for name in DEMO_ACTIONS:
        _seed_plan(created, parks[name], municipality_officer, today=today)


def _seed_plan(created: list, park: Park, author: User, *, today: date) -> None:
    cycle = park.cycles[-1]
    if find_plan(cycle) is not None:
        return
    for theme, title, indicator, source, ref, unit, direction, baseline, target, latest in DEMO_GOALS[park.name]:
        goal = Goal(
            cycle=cycle,
            theme=theme,
            title=title,
            indicator=indicator,
            source=source,
            source_ref=ref,
            unit=unit,
            direction=direction,
            baseline=baseline[0] if baseline else None,
            baseline_note=baseline[1] if baseline else "",
            target=target,
            deadline=cycle.ends_on,
            latest_value=latest,
            latest_on=today - timedelta(days=14) if latest is not None else None,
        )
        db.session.add(goal)
        db.session.flush()
        reading = indicator_value(goal, today=today)
        if reading is not None and baseline is None:
            goal.baseline, goal.baseline_note = reading.value, reading.note
        elif reading is not None:
            goal.latest_value, goal.latest_on = reading.value, reading.on
    plan = Plan(cycle=cycle, starts_on=quarters.quarter_start(today - timedelta(days=120)))
    db.session.add(plan)
    by_role = {stakeholder.role: stakeholder for stakeholder in cycle.stakeholders}
    goals = {goal.theme: goal for goal in db.session.scalars(select(Goal).where(Goal.cycle_id == cycle.id))}
    measures = {measure.key: measure for measure in catalogue.shipped()}
    adopted_on = today - timedelta(days=60)
    for key, title, quarter, roles, status, note in DEMO_ACTIONS[park.name]:
        measure = measures.get(key)
        action = PlanAction(
            plan=plan,
            title=measure.title if measure else title,
            description=measure.description if measure else "",
            theme=measure.theme if measure else None,
            quarter=quarter,
            due_on=quarters.quarter(plan.starts_on, quarter).last_day,
            catalogue_key=key,
            owners=[by_role[role] for role in roles if role in by_role],
        )
        if measure and measure.theme in goals:
            action.goals = [goals[measure.theme]]
        if status != ActionStatus.PLANNED:
            action.status = status
            action.done_on = adopted_on + timedelta(days=30) if status == ActionStatus.DONE else None
            action.notes.append(
                ActionNote(
                    written_on=adopted_on + timedelta(days=30),
                    author_id=author.id,
                    author_label=author.name,
                    text=note,
                    status=status,
                )
            )
        db.session.add(action)
    db.session.flush()
    plan.versions.append(
        PlanVersion(
            number=1,
            adopted_on=adopted_on,
            adopted_by_id=author.id,
            adopted_by_label=author.name,
            meeting=f"werkgroepvergadering van {adopted_on.day}-{adopted_on.month}-{adopted_on.year}",
            snapshot=versions.snapshot(plan),
        )
    )
    # changed since the adoption: the schouw's finding about the dark passage became an action
    finding = db.session.scalar(
        select(Finding)
        .join(Inspection)
        .where(Inspection.cycle_id == cycle.id, Finding.category == FindingCategory.VERLICHTING)
        .limit(1)
    )
    if finding is not None:
        db.session.add(
            PlanAction(
                plan=plan,
                title=finding.suggested_action,
                description=finding.description,
                theme=Theme.HEEL,
                quarter=3,
                due_on=quarters.quarter(plan.starts_on, 3).last_day,
                finding=finding,
                owners=[by_role[PpsRole.GEMEENTE]] if PpsRole.GEMEENTE in by_role else [],
            )
        )
    for kind, title, days, starts_at, ends_at, audience, role in DEMO_CALENDAR[park.name]:
        db.session.add(
            CalendarItem(
                cycle=cycle,
                kind=kind,
                title=title,
                on=today + timedelta(days=days),
                starts_at=starts_at,
                ends_at=ends_at,
                audience=audience,
                owner=by_role.get(role),
            )
        )
    db.session.flush()
    created.append(plan)


#: per park: the camera network, its cameras (code, type, lat, lon, direction, status, coverage) and its legal
#: frame as days ago (None: not done), plus a technology change after the DPIA on Lage Weide
DEMO_NETWORKS = {
    "Lage Weide": {
        "name": "Cameranetwerk Lage Weide",
        "owner": "Stichting Beveiliging Lage Weide",
        "monitoring": "Meldkamer Midden-Nederland (particuliere alarmcentrale)",
        "funding": "Ondernemersfonds Utrecht en bijdragen van de deelnemende bedrijven",
        "retention": 28,
        "legal": {"convenant": 600, "register": 590, "signage": 300, "dpia": 900, "masking": 590},
        "change": (120, "Twee kentekencamera's op de toegangswegen toegevoegd"),
        "cameras": [
            ("LW-01", CameraType.ANPR, 52.1012, 5.0625, 90, CameraStatus.ACTIVE, "Inrit Atoomweg, beide rijstroken"),
            ("LW-02", CameraType.ANPR, 52.1013, 5.0930, 270, CameraStatus.ACTIVE, "Inrit Isotopenweg"),
            ("LW-03", CameraType.FIXED, 52.1060, 5.0720, 0, CameraStatus.ACTIVE, "Kruising Electronweg"),
            ("LW-04", CameraType.FLEXIBLE, 52.1080, 5.0800, None, CameraStatus.ACTIVE, "Kade, wisselende plek"),
            ("LW-05", CameraType.FIXED, 52.1040, 5.0850, 180, CameraStatus.DEFECT, "Einde van de kade"),
        ],
    },
    "Cartesiusweg": {
        "name": "Cameranetwerk Cartesiusweg",
        "owner": "Ondernemersvereniging Lage Weide",
        "monitoring": "Meldkamer Midden-Nederland (particuliere alarmcentrale)",
        "funding": "Bijdragen van de deelnemende bedrijven",
        "retention": 14,
        "legal": {"convenant": 400, "register": 395, "signage": 100, "dpia": 420, "masking": None},
        "change": None,
        "cameras": [
            ("CW-01", CameraType.ANPR, 52.1010, 5.0910, 90, CameraStatus.ACTIVE, "Inrit Cartesiusweg"),
            ("CW-02", CameraType.FIXED, 52.1040, 5.0940, 45, CameraStatus.ACTIVE, "Doorsteek naar het spoor"),
            ("CW-03", CameraType.FIXED, 52.1060, 5.0990, 270, CameraStatus.ACTIVE, "Parkeerterrein"),
        ],
    },
}


def _seed_cameras(created: list, organisations: dict, parks: dict, *, now: datetime) -> None:
    """A camera network with its legal frame on Lage Weide (a DPIA due again after new ANPR cameras, a camera
    offline) and on Cartesiusweg, with one footage request handed over on a written demand and one refused."""
    today = local_today()
    officer = find_user_by_email(f"camera@{DEMO_DOMAIN}")
    for name, plan in DEMO_NETWORKS.items():
        park = parks[name]
        if db.session.scalar(select(CameraNetwork.id).where(CameraNetwork.park_id == park.id)) is not None:
            continue
        legal = {key: today - timedelta(days=days) if days else None for key, days in plan["legal"].items()}
        network = CameraNetwork(
            park=park,
            name=plan["name"],
            owner_name=plan["owner"],
            operator=organisations["Ondernemersvereniging Lage Weide"],
            operator_contact="Beheerder cameranetwerk",
            operator_email="camera@ovlageweide.example",
            monitoring_party=plan["monitoring"],
            contract_starts_on=today - timedelta(days=700),
            contract_ends_on=today + timedelta(days=400),
            funding=plan["funding"],
            purpose="Beveiliging van de bedrijven en hun eigendommen op het terrein, buiten werktijd.",
            public_contact="camera@ovlageweide.example, 030 000 00 00",
            retention_days=plan["retention"],
            convenant_signed_on=legal["convenant"],
            register_entered_on=legal["register"],
            signage_checked_on=legal["signage"],
            dpia_on=legal["dpia"],
            masking_confirmed_on=legal["masking"],
        )
        if plan["change"]:
            days, description = plan["change"]
            network.technology_changes.append(
                TechnologyChange(changed_on=today - timedelta(days=days), description=description)
            )
        for code, kind, lat, lon, direction, status, coverage in plan["cameras"]:
            network.cameras.append(
                Camera(
                    code=code,
                    type=kind,
                    lat=lat,
                    lon=lon,
                    direction=direction,
                    status=status,
                    coverage_note=coverage,
                    installed_on=today - timedelta(days=650),
                    last_maintenance_on=today - timedelta(days=75),
                )
            )
        db.session.add(network)
        db.session.flush()
        # the video system's report of last week: the defect camera has been offline since yesterday morning,
        # another had a night without recording
        week_end = now.replace(minute=0, second=0, microsecond=0)
        for index, camera in enumerate(network.cameras):
            gap = 30 * 60 if camera.status == CameraStatus.DEFECT else 180 if index == 1 else 5 * index
            db.session.add(
                CameraHealth(
                    camera=camera,
                    period_start=week_end - timedelta(days=7),
                    period_end=week_end,
                    uptime_percent=round(100 - gap / (7 * 24 * 60) * 100, 1),
                    gap_minutes=gap,
                )
            )
            if camera.status == CameraStatus.DEFECT:
                camera.outages.append(CameraOutage(started_at=week_end - timedelta(hours=30)))
            elif index == 1:
                started = week_end - timedelta(days=3, hours=22)
                camera.outages.append(CameraOutage(started_at=started, ended_at=started + timedelta(hours=3)))
        first = network.cameras[0]
        window_start = now - timedelta(days=9, hours=3)
        db.session.add_all(
            [
                FootageRequest(
                    network=network,
                    received_on=today - timedelta(days=8),
                    requester_kind=RequesterKind.JUSTICE,
                    authority="Politie Midden-Nederland, basisteam Utrecht-West",
                    demand_reference=f"PL0900-2026{network.id:04d}",
                    demand_date=today - timedelta(days=8),
                    window_start=window_start,
                    window_end=window_start + timedelta(hours=2),
                    decision=FootageDecision.PROVIDED,
                    handed_over_by=officer.name,
                    handed_over_at=now - timedelta(days=7),
                    recorded_by_id=officer.id,
                    cameras=[first],
                ),
                FootageRequest(
                    network=network,
                    received_on=today - timedelta(days=3),
                    requester_kind=RequesterKind.MEMBER,
                    authority="Een deelnemende ondernemer",
                    window_start=now - timedelta(days=4),
                    window_end=now - timedelta(days=4) + timedelta(hours=1),
                    decision=FootageDecision.REFUSED,
                    reason="Beelden gaan alleen naar justitie op een schriftelijke vordering; aangifte aangeraden.",
                    recorded_by_id=officer.id,
                    cameras=[first],
                ),
            ]
        )
        _seed_camera_checks(network, officer, today=today)
        created.append(network)


#: a done quality check per park: (days ago, the criterion that deviated, its score, the note)
DEMO_CHECKS = {
    "Lage Weide": (80, "image_night", Score.MAJOR, "LW-04 op de kade geeft 's nachts alleen ruis: lamp defect."),
    "Cartesiusweg": (40, "signage", Score.MINOR, "Bord bij de inrit is beschadigd maar leesbaar."),
}


def _seed_camera_checks(network: CameraNetwork, officer: User, *, today: date) -> None:
    """The network's last quality check, and on Cartesiusweg the half-yearly evaluation that followed it."""
    days, deviating, score, note = DEMO_CHECKS[network.park.name]
    check = QualityCheck(
        network=network,
        due_on=today - timedelta(days=days),
        done_on=today - timedelta(days=days),
        checker_id=officer.id,
        criteria=checks.template_for(network),
    )
    for criterion in check.criteria:
        deviates = criterion["key"] == deviating
        check.scores.append(
            CheckScore(criterion=criterion["key"], score=score if deviates else Score.OK, note=note if deviates else "")
        )
    db.session.add(check)
    if network.park.name != "Cartesiusweg":
        return
    start, end = evaluations.half_year_before(today)
    db.session.add(
        Evaluation(
            network=network,
            period_start=start,
            period_end=end,
            answers={key: {"met": True, "note": ""} for key, _label in evaluations.CRITERIA},
            figures=evaluations.period_figures(network, start, end) | {"incidents_seen": 7},
            incidents_seen=7,
            decision=EvaluationDecision.CONTINUE,
            reasoning="De camera's helpen bij de opsporing van inbraken in bedrijfsbusjes en maken deel uit van "
            "het pakket met verlichting en surveillance. Het netwerk blijft zoals het is.",
            decided_on=end + timedelta(days=20),
        )
    )
