"""The demo gives the municipality officer's dashboard a stuck park and a certificate that runs out soon."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from app.auth.models import User
from app.awards.models import Award
from app.demo import DEMO_DOMAIN
from app.demo.seed import seed_demo_data
from app.extensions import db as _db
from app.parks.models import Park, Track
from tests.parks.test_overview import main_of


def test_the_demo_officer_finds_a_stuck_park_and_an_expiring_certificate_and_seeding_twice_adds_nothing(login_as, db):
    seed_demo_data(now=datetime.now(UTC))
    counts = (_db.session.scalar(select(func.count(Park.id))), _db.session.scalar(select(func.count(Award.id))))
    seed_demo_data(now=datetime.now(UTC))
    assert (_db.session.scalar(select(func.count(Park.id))), _db.session.scalar(select(func.count(Award.id)))) == counts
    haarrijn = _db.session.scalar(select(Park).where(Park.name == "Haarrijn"))
    assert haarrijn.track == Track.KVO
    officer = _db.session.scalar(select(User).where(User.email == f"gemeente@{DEMO_DOMAIN}"))
    page = main_of(login_as(officer).get("/dashboard/"))
    stuck = page[page.index('id="stuck-heading"') : page.index('id="plans-heading"')]
    assert "Haarrijn" in stuck
    awards = page[page.index('id="awards-heading"') : page.index('id="cameras-heading"')]
    assert "Haarrijn" in awards and "vb-row--expiring" in awards and "KVO-B" in awards
