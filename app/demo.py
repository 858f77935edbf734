"""The demo data of `flask --app app seed-demo`: a realistic Dutch municipality, its parks and people.

Every part is idempotent (get or create by natural keys), so running the seed again adds nothing.
"""

from __future__ import annotations

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
from app.parks.models import Park, ParkStatus
from app.stakeholders.models import Organisation, OrganisationType

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
        [(Role.ENTREPRENEUR, "Lage Weide", None)],
    ),
    (
        "politie",
        "Peter Politie",
        "Politie Midden-Nederland",
        False,
        [(Role.PARTNER, "Lage Weide", None), (Role.PARTNER, "Papendorp", None)],
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
