"""Demo accounts: one user per role, with their memberships, all with the same (printed) demo password."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import DigestFrequency, Membership, Role, User
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
