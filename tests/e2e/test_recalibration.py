"""The advisor, in a real browser, finds step 8's checklist on the park page, runs the herijking of a park in
continuation after reading what will happen and confirming, finds both cycles in the park's history, browses the
closed one read-only, and pauses and resumes the park with a reason; axe-clean, and no sideways scroll at 375 px."""

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
from app.meetings.models import Meeting, MeetingKind
from app.parks import recalibration
from app.parks.models import Cycle, Park
from app.parks.services import start_cycle
from app.plans.models import ActionStatus, Plan, PlanAction
from app.stakeholders.models import Organisation, OrganisationType, PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyStatus
from tests.e2e.conftest import check_accessibility, check_phone_width, login


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
        later = datetime.now(UTC) + timedelta(days=20)
        db.session.add(
            Meeting(
                cycle=cycle,
                kind=MeetingKind.QUARTERLY,
                title="Kwartaaloverleg na de herijking",
                starts_at=later,
                ends_at=later + timedelta(hours=2),
                uid=f"e2e-{secrets.token_hex(8)}",
            )
        )
        db.session.add(Membership(user=advisor, role=Role.ADVISOR, park=park))
        db.session.commit()
        park_id = park.id
    yield park_id, name
    with live_app.app_context():
        cycle_ids = list(db.session.scalars(select(Cycle.id).where(Cycle.park_id == park_id)))
        db.session.execute(delete(Meeting).where(Meeting.cycle_id.in_(cycle_ids)))
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
    # step 8's checklist: informative, each criterion with its link, the herijking's due date
    expect(page.locator("#continuation-note")).to_contain_text("De punten hieronder houden niets tegen")
    checklist = page.locator(".vb-checklist")
    expect(checklist.locator("li")).to_have_count(4)
    expect(checklist).to_contain_text("kwartaaloverleg gehouden")
    expect(checklist.get_by_role("link", name="Naar de vergaderingen")).to_be_visible()
    expect(checklist.get_by_role("link", name="Naar het voortgangsrapport")).to_be_visible()
    expect(checklist.get_by_role("link", name="Naar het uitvoeringsplan")).to_be_visible()
    expect(page.locator("#deadlines")).to_contain_text("Herijking uiterlijk")
    expect(page.get_by_role("button", name="Stap 8 afronden")).to_have_count(0)
    expect(page.locator("#upcoming-meetings")).to_contain_text("Kwartaaloverleg na de herijking")
    check_accessibility(page)
    check_phone_width(page)
    checklist.get_by_role("link", name="Naar de herijking").click()

    expect(page.get_by_role("heading", level=1, name=f"Herijking van {name}")).to_be_visible()
    expect(page.locator("#open-actions")).to_contain_text("1 openstaande actie uit het plan")
    expect(page.locator("#carried-actions")).to_contain_text("Camera's bij de ingang")
    expect(page.locator("#carried-actions")).not_to_contain_text("Verlichting")
    expect(page.locator("#compared-survey")).to_contain_text(
        "vergeleken met die van “Enquête 2024” (gesloten, 0 antwoorden)"
    )
    expect(page.locator("#moved-meetings")).to_contain_text("Kwartaaloverleg na de herijking")
    check_accessibility(page)
    check_phone_width(page)
    # without the confirmation nothing happens
    page.get_by_role("button", name="Herijking uitvoeren").click()
    expect(page.get_by_text("Vink aan dat u de herijking wilt uitvoeren.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Ik heb gelezen wat er gebeurt en wil de herijking nu uitvoeren").check()
    page.get_by_role("button", name="Herijking uitvoeren").click()

    expect(page.get_by_text("cyclus 1 is afgesloten en cyclus 2 is begonnen")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.locator(".vb-stepper__step--current")).to_contain_text("Inventarisatie")
    expect(page.get_by_text("herijking").first).to_be_visible()
    # the planned meeting moved with the herijking and is still upcoming
    expect(page.locator("#upcoming-meetings")).to_contain_text("Kwartaaloverleg na de herijking")
    check_accessibility(page)
    page.get_by_role("link", name="Geschiedenis", exact=True).click()

    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Cyclus 2")
    expect(rows.nth(0)).to_contain_text("Actief")
    expect(rows.nth(0)).to_contain_text("1 overgenomen uit de vorige cyclus")
    expect(rows.nth(1)).to_contain_text("Cyclus 1")
    expect(rows.nth(1)).to_contain_text("Afgesloten")
    expect(rows.nth(1)).to_contain_text("1 van 2 acties gereed")
    # only an admin may undo
    expect(page.get_by_role("link", name="Herijking ongedaan maken (beheerder, binnen 24 uur)")).to_have_count(0)
    check_accessibility(page)
    check_phone_width(page)

    # the closed cycle, read-only
    rows.nth(1).get_by_role("link", name="Cyclus 1", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Cyclus 1 van {name}")).to_be_visible()
    expect(page.locator("#read-only")).to_contain_text("kan niet meer veranderen")
    expect(page.get_by_role("table").last).to_contain_text("Camera's bij de ingang")
    expect(page.get_by_text("Enquête 2024 (gesloten)")).to_be_visible()
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main button")).to_have_count(0)
    check_accessibility(page)
    check_phone_width(page)
    page.get_by_role("link", name="Terug naar de geschiedenis").click()

    # a second herijking is refused: the new cycle is at step 3
    page.get_by_role("link", name="Herijking: de huidige cyclus afsluiten en de volgende beginnen").click()
    expect(page.get_by_text("De herijking kan pas in stap 8")).to_be_visible()
    expect(page.get_by_role("button", name="Herijking uitvoeren")).to_have_count(0)
    check_accessibility(page)


def test_advisor_pauses_and_resumes_the_park_with_a_reason(page, park_in_continuation):
    park_id, _name = park_in_continuation
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}")
    expect(page.locator("#park-status")).to_contain_text("Actief")
    page.get_by_text("Park pauzeren", exact=True).first.click()  # opens the details
    check_accessibility(page)
    reason = page.get_by_label("Reden (zichtbaar op de parkpagina)")
    reason.fill("De werkgroep ligt stil tot er een nieuwe voorzitter is")
    page.get_by_role("button", name="Park pauzeren").click()
    # not without the confirmation
    expect(page.get_by_text("Vink aan dat u de status van het park wilt wijzigen.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Ik bevestig deze wijziging van de status van het park").check()
    page.get_by_role("button", name="Park pauzeren").click()

    expect(page.get_by_text("Het park is gepauzeerd.")).to_be_visible()
    notice = page.locator("#paused-notice")
    expect(notice).to_contain_text("Dit park is gepauzeerd sinds")
    expect(notice).to_contain_text("Reden: De werkgroep ligt stil tot er een nieuwe voorzitter is")
    expect(notice).to_contain_text("stuurt het platform geen herinneringen")
    check_accessibility(page)
    check_phone_width(page)

    page.get_by_text("Pauze beëindigen", exact=True).first.click()
    reason.fill("Nieuwe voorzitter gekozen")
    page.get_by_label("Ik bevestig deze wijziging van de status van het park").check()
    page.get_by_role("button", name="Pauze beëindigen").click()
    expect(page.get_by_text("De pauze is beëindigd: het park is weer actief.")).to_be_visible()
    expect(page.locator("#paused-notice")).to_have_count(0)
    expect(page.locator("#park-status")).to_contain_text("Actief")
    expect(page.locator("#park-status")).to_contain_text("Nieuwe voorzitter gekozen")
    check_accessibility(page)


def test_an_admin_undoes_the_herijking_within_a_day(page, live_app, park_in_continuation):
    park_id, name = park_in_continuation
    with live_app.app_context():
        park = db.session.get(Park, park_id)
        recalibration.recalibrate(
            find_user_by_email(f"adviseur@{DEMO_DOMAIN}"), park, today=local_today(), now=datetime.now(UTC)
        )
        db.session.commit()
    login(page, f"beheer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}")
    # the park page links the closed cycle
    expect(page.locator("#closed-cycles").get_by_role("link", name="Cyclus 1")).to_be_visible()
    page.get_by_role("link", name="Geschiedenis", exact=True).click()
    page.get_by_role("link", name="Herijking ongedaan maken (beheerder, binnen 24 uur)").click()

    expect(page.get_by_role("heading", level=1, name=f"Herijking van {name} ongedaan maken")).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)
    page.get_by_role("button", name="Herijking ongedaan maken").click()
    expect(page.get_by_text("Vink aan dat u de herijking ongedaan wilt maken.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Ik wil de nieuwe cyclus verwijderen en de vorige cyclus weer actief maken").check()
    page.get_by_role("button", name="Herijking ongedaan maken").click()

    expect(page.get_by_text("De herijking is ongedaan gemaakt: cyclus 1 is weer actief.")).to_be_visible()
    expect(page.locator(".vb-stepper__step--current")).to_contain_text("Continuering")
    expect(page.locator("#closed-cycles")).to_have_count(0)
    expect(page.locator("#upcoming-meetings")).to_contain_text("Kwartaaloverleg na de herijking")
    check_accessibility(page)
