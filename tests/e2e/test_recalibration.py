"""The advisor runs the herijking of a park in continuation (step 8) in a real browser and finds both cycles in the
park's history."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.auth.models import Membership, Role
from app.auth.services import find_user_by_email
from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Cycle, Park
from app.parks.services import start_cycle
from app.plans.models import ActionStatus, Plan, PlanAction
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyStatus
from tests.e2e.conftest import check_accessibility, login


@pytest.fixture
def park_in_continuation(live_app):
    """A new park of the demo's municipality Utrecht, its first cycle at step 8 with the police as stakeholder, a
    plan with one open and one finished action and a closed survey; the demo advisor advises it. Everything is
    removed afterwards (the audit log keeps its rows: it outlives parks). Yields (park id, name)."""
    name = f"Herijkingspark {secrets.token_hex(3)}"
    today = local_today()
    with live_app.app_context():
        municipality = db.session.scalar(
            select(Organisation).where(Organisation.name == "Gemeente Utrecht", Organisation.type == "gemeente")
        )
        police = db.session.scalar(select(Organisation).where(Organisation.type == OrganisationType.POLITIE))
        advisor = find_user_by_email(f"adviseur@{DEMO_DOMAIN}")
        park = Park(name=name, municipality=municipality)
        db.session.add(park)
        cycle = start_cycle(park, number=1, today=today - timedelta(days=730), now=datetime.now(UTC))
        cycle.current_step = 8
        stakeholder = Stakeholder(organisation=police, role=PpsRole.POLITIE, representative_name="Wijkagent Willems")
        cycle.stakeholders.append(stakeholder)
        plan = Plan(cycle=cycle, starts_on=date(today.year - 2, 1, 1))
        db.session.add(plan)
        for title, status in (("Camera's bij de ingang", ActionStatus.STARTED), ("Verlichting", ActionStatus.DONE)):
            db.session.add(
                PlanAction(
                    plan=plan,
                    title=title,
                    status=status,
                    quarter=2,
                    due_on=date(today.year - 2, 6, 30),
                    owners=[stakeholder],
                )
            )
        db.session.add(
            Survey(park=park, cycle=cycle, title="Enquête 2024", definition=load_default(), status=SurveyStatus.CLOSED)
        )
        db.session.add(Membership(user=advisor, role=Role.ADVISOR, park=park))
        db.session.commit()
        park_id = park.id
    yield park_id, name
    with live_app.app_context():
        cycle_ids = list(db.session.scalars(select(Cycle.id).where(Cycle.park_id == park_id)))
        # through the ORM, so that the owner rows go too (SQLite does not enforce the cascades)
        for action in db.session.scalars(
            select(PlanAction).join(Plan, Plan.id == PlanAction.plan_id).where(Plan.cycle_id.in_(cycle_ids))
        ):
            db.session.delete(action)
        db.session.flush()
        db.session.execute(delete(Plan).where(Plan.cycle_id.in_(cycle_ids)))
        for survey in db.session.scalars(select(Survey).where(Survey.park_id == park_id)):
            db.session.delete(survey)
        db.session.execute(delete(Membership).where(Membership.park_id == park_id))
        db.session.delete(db.session.get(Park, park_id))
        db.session.commit()


def test_advisor_runs_the_herijking_and_sees_both_cycles(page, park_in_continuation):
    park_id, name = park_in_continuation
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)

    page.goto(f"/parken/{park_id}")
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.locator(".vb-stepper__step--current")).to_contain_text("Continuering")
    check_accessibility(page)
    page.get_by_role("link", name="Geschiedenis", exact=True).click()

    expect(page.get_by_role("heading", level=1, name=f"Geschiedenis van {name}")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Stap 8: Continuering")
    check_accessibility(page)
    page.get_by_role("link", name="Herijking: de huidige cyclus afsluiten en de volgende beginnen").click()

    expect(page.get_by_role("heading", level=1, name=f"Herijking van {name}")).to_be_visible()
    expect(page.locator("#open-actions")).to_contain_text("1 openstaande actie uit het plan")
    check_accessibility(page)
    page.get_by_role("button", name="Herijking uitvoeren").click()

    expect(page.get_by_text("cyclus 1 is afgesloten en cyclus 2 is begonnen")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.locator(".vb-stepper__step--current")).to_contain_text("Inventarisatie")
    expect(page.get_by_text("herijking").first).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Geschiedenis", exact=True).click()

    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Cyclus 2")
    expect(rows.nth(0)).to_contain_text("Actief")
    expect(rows.nth(0)).to_contain_text("1 overgenomen uit de vorige cyclus")
    expect(rows.nth(1)).to_contain_text("Cyclus 1")
    expect(rows.nth(1)).to_contain_text("Afgesloten")
    expect(rows.nth(1)).to_contain_text("1 van 2 acties gereed")
    check_accessibility(page)

    # a second herijking is refused: the new cycle is at step 3
    page.get_by_role("link", name="Herijking: de huidige cyclus afsluiten en de volgende beginnen").click()
    expect(page.get_by_text("De herijking kan pas in stap 8")).to_be_visible()
    expect(page.get_by_role("button", name="Herijking uitvoeren")).to_have_count(0)
    check_accessibility(page)
