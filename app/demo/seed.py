"""The entry point of the demo: every area's seed, in the order in which they build on each other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app import audit
from app.api.demo import seed_demo as seed_api_tokens
from app.auth.demo import seed_demo as seed_accounts
from app.auth.demo import seed_second_factors
from app.auth.models import User
from app.awards.demo import seed_demo as seed_awards
from app.cameras.demo import seed_demo as seed_cameras
from app.dashboard.demo import seed_demo as seed_dashboard
from app.dossier.demo import seed_demo as seed_dossier_access
from app.extensions import db
from app.goals.demo import seed_demo as seed_goals
from app.inventory.demo import seed_demo as seed_inventory
from app.mail.demo import seed_demo as seed_mail
from app.meetings.demo import seed_demo as seed_meetings
from app.parks.demo import seed_demo as seed_parks
from app.parks.demo import seed_process
from app.plans.demo import seed_demo as seed_plans
from app.sso.demo import seed_demo as seed_identity_provider
from app.stakeholders.demo import seed_demo as seed_organisations
from app.surveys.demo import seed_demo as seed_surveys


def seed_demo_data(*, now: datetime) -> list[tuple[str, str, str]]:
    """Create the demo municipality, parks, organisations and one user per role; running it again adds nothing.

    Returns (email, role description, password) for every demo account.
    """
    created: list = []
    organisations = seed_organisations(created)
    parks = seed_parks(created, organisations)
    accounts = seed_accounts(created, organisations, parks)
    seed_identity_provider(created, organisations)
    seed_second_factors(created, now=now)
    seed_mail(created, organisations, parks, now=now)
    seed_process(created, organisations, parks, now=now)
    seed_surveys(created, parks, now=now)
    seed_inventory(created, parks)
    seed_goals(parks)
    seed_plans(created, parks)
    seed_cameras(created, organisations, parks, now=now)
    users_by_email = {user.email: user for user in db.session.scalars(select(User))}
    seed_meetings(parks, users_by_email, now=now)
    created += seed_awards(parks, users_by_email, now=now)
    seed_dashboard(created, now=now)
    created += seed_dossier_access(parks, users_by_email, now=now)
    created += seed_api_tokens(users_by_email, now=now)
    if created:
        audit.record(None, "demo.seeded", details={"created": len(created)})
    db.session.flush()
    return accounts
