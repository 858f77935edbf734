"""Demo accounts: one user per role, with their memberships, all with the same (printed) demo password; the admin
and the camera officer, who must use a second factor, have an authenticator set up with a (printed) demo key."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from app.auth import two_factor
from app.auth.models import DigestFrequency, Membership, Role, SecondFactor, User
from app.auth.services import find_user_by_email, set_password
from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.stakeholders.models import Organisation

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
        "Ondernemersvereniging Cartesiusweg",
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

#: demo users an older demo placed in another organisation (local part -> that organisation): a new run moves them
EARLIER_ORGANISATIONS = {"secretaris": "Ondernemersvereniging Lage Weide"}
#: how often some demo users get their digest (the others: weekly, the default)
DEMO_DIGESTS = {"adviseur": DigestFrequency.DAILY, "ondernemer": DigestFrequency.NONE}


def seed_demo(
    created: list, organisations: dict[str, Organisation], parks: dict[str, Park]
) -> list[tuple[str, str, str]]:
    """Make the users of DEMO_USERS where missing (added to `created`) and give them their memberships; an
    ending membership whose end has passed gets its term again. Returns (email, role description, password) for
    every demo account."""
    today = local_today()
    accounts = []
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
            set_password(user, DEMO_PASSWORD)
            created.append(user)
        elif user.organisation is not None and user.organisation.name == EARLIER_ORGANISATIONS.get(local):
            user.organisation = organisations[organisation]
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
    return accounts


#: the authenticator key of the demo accounts that must use a second factor: printed by seed-demo (and
#: `flask --app app demo-code` prints its current code), so a newcomer can sign in as them; demo accounts only
DEMO_TOTP_SECRET = "VEILIGBEDRIJVENTERREINDEMO234567"  # noqa: S105 - printed on purpose: demo accounts only
DEMO_TWO_FACTOR_ACCOUNTS = ("beheer", "camera")


def seed_second_factors(created: list, *, now: datetime) -> list[str]:
    """Set up DEMO_TOTP_SECRET as the authenticator of DEMO_TWO_FACTOR_ACCOUNTS where they have none (or one this
    SECRET_KEY cannot read: the demo database was made with another key). Returns their addresses."""
    secret_key = current_app.config["SECRET_KEY"]
    emails = []
    for local in DEMO_TWO_FACTOR_ACCOUNTS:
        user = find_user_by_email(f"{local}@{DEMO_DOMAIN}")
        encrypted = two_factor.encrypt(DEMO_TOTP_SECRET, secret_key=secret_key)
        factor = two_factor.factor_of(user)
        if factor is None:
            factor = SecondFactor(user_id=user.id, enrolled_at=now, secret_encrypted=encrypted)
            db.session.add(factor)
            created.append(factor)
        elif two_factor.decrypt(factor.secret_encrypted, secret_key=secret_key) is None:
            factor.secret_encrypted = encrypted
        emails.append(user.email)
    db.session.flush()
    return emails
