"""Command-line tasks: `flask --app app seed-demo` and `flask --app app create-admin`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask import Flask
from sqlalchemy import select

from app import audit
from app.auth.models import Membership, Role, User
from app.auth.services import find_user_by_email, normalise_email, set_password
from app.clock import local_today
from app.errors import DomainError
from app.extensions import db
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


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)


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
    if created:
        audit.record(None, "demo.seeded", details={"created": len(created)})
    db.session.flush()
    return accounts


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill the database with a realistic demo (idempotent) and print the demo accounts."""
    accounts = seed_demo_data(now=datetime.now(UTC))
    db.session.commit()
    click.echo(f"Demo-accounts (wachtwoord / password: {DEMO_PASSWORD}):")
    for email, description, _password in accounts:
        click.echo(f"  {email:45} {description}")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create the first platform admin (or make an existing account admin and set its password)."""
    user = find_user_by_email(email) or User(email=normalise_email(email), name=name)
    db.session.add(user)
    user.is_admin = True
    try:
        set_password(user, password, now=datetime.now(UTC))
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.email} is admin.")
