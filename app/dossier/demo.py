"""Demo data for the audit dossier: the demo auditor (the certifying body) may read Cartesiusweg for three months."""

from __future__ import annotations

from datetime import datetime

from app.auth.models import Membership, Role, User
from app.auth.services import find_user_by_email, months_after, set_password
from app.clock import local_day
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park

AUDITED_PARK = "Cartesiusweg"
ACCESS_MONTHS = 3


def seed_demo(parks_by_name: dict[str, Park], users_by_email: dict[str, User], *, now: datetime) -> list[object]:
    """Give the demo auditor (auditor@DEMO_DOMAIN, made with the demo password when missing) the auditor role on
    Cartesiusweg until ACCESS_MONTHS months from today; an end date that has passed is moved on again. Running it
    twice changes nothing. Returns what it created."""
    park = parks_by_name.get(AUDITED_PARK)
    if park is None:
        return []
    created: list[object] = []
    email = f"auditor@{DEMO_DOMAIN}"
    user = users_by_email.get(email) or find_user_by_email(email)
    if user is None:
        user = User(email=email, name="Arjen Auditor")
        db.session.add(user)
        set_password(user, DEMO_PASSWORD)
        created.append(user)
    today = local_day(now)
    membership = next((m for m in user.memberships if m.role == Role.AUDITOR and m.park_id == park.id), None)
    if membership is None:
        membership = Membership(role=Role.AUDITOR, park=park)
        user.memberships.append(membership)
        created.append(membership)
    if membership.ends_on is None or membership.ends_on < today:
        membership.ends_on = months_after(today, ACCESS_MONTHS)
    db.session.flush()
    return created
