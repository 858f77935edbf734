"""The advisor runs a quarterly meeting of Lage Weide: schedules it with the agenda generated from the plan, invites
two partners, records attendance, minutes and a decision that becomes an action, and finds the action in the
plan. In a real browser, axe-checked on every page."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from app.clock import LOCAL_TIME
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.mail.models import OutboxMail
from app.meetings.models import Meeting
from app.parks.demo import DEMO_PEOPLE
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans.services import find_plan, plan_for
from app.stakeholders.models import PpsRole
from tests.e2e.conftest import check_accessibility, login

PARK = "Lage Weide"  # the advisor's park at step 3
#: the two partners invited, named by the demo (DEMO_PEOPLE has their representatives)
POLICE, TOWN = "Politie Midden-Nederland", "Gemeente Utrecht"
EMAILS = {PpsRole.POLITIE: "wijkagent@politie.example", PpsRole.GEMEENTE: "veiligheid@utrecht.example"}


@pytest.fixture
def lage_weide(live_app):
    """Lage Weide with an email address for the police's and the municipality's representatives and a plan; what
    the journey adds (meeting, action, mails, a plan it had to make) is removed afterwards. Yields (park id, title
    of the meeting)."""
    title = f"Kwartaaloverleg {secrets.token_hex(3)}"
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        cycle = active_cycle(park)
        kept_emails = {}
        for stakeholder in cycle.stakeholders:
            if stakeholder.role in EMAILS:
                kept_emails[stakeholder.id] = stakeholder.representative_email
                stakeholder.representative_email = EMAILS[stakeholder.role]
        had_plan = find_plan(cycle) is not None
        plan = plan_for(cycle, today=cycle.starts_on)
        kept_actions = {action.id for action in plan.actions}
        park_id = park.id
        db.session.commit()
    yield park_id, title
    with live_app.app_context():
        park = db.session.get(Park, park_id)
        cycle = active_cycle(park)
        for meeting in db.session.scalars(select(Meeting).where(Meeting.title == title)):
            db.session.delete(meeting)
        plan = find_plan(cycle)
        if not had_plan:
            db.session.delete(plan)
        else:
            for action in plan.actions:
                if action.id not in kept_actions:
                    db.session.delete(action)
        for stakeholder in cycle.stakeholders:
            if stakeholder.id in kept_emails:
                stakeholder.representative_email = kept_emails[stakeholder.id]
        db.session.execute(delete(OutboxMail).where(OutboxMail.recipient.in_(EMAILS.values())))
        db.session.commit()


def test_advisor_runs_a_quarterly_meeting_and_a_decision_becomes_an_action(page: Page, live_app, lage_weide):
    park_id, title = lage_weide
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}")
    page.get_by_role("link", name="Vergaderingen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vergaderingen")
    check_accessibility(page)

    # schedule: the quarterly meeting comes with the agenda generated from the plan
    page.get_by_role("link", name="Kwartaaloverleg plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vergadering plannen")
    agenda = page.get_by_label("Agenda")
    expect(agenda).to_have_value(re.compile(r"^Acties van (K\d \(\de kw. \d{4}\)|\de kw. \d{4})\n"))
    expect(agenda).to_contain_text("Besluiten van het vorige overleg")
    expect(page.get_by_label("Soort vergadering")).to_have_value("kwartaal")
    check_accessibility(page)
    # earlier today (or last night), so that attendance and minutes can be recorded at once
    start = datetime.now(LOCAL_TIME).replace(second=0, microsecond=0) - timedelta(hours=3)
    if (start + timedelta(hours=1)).date() != start.date():
        start = start.replace(hour=22, minute=0)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Datum").fill(start.date().isoformat())
    page.get_by_label("Begintijd").fill(start.strftime("%H:%M"))
    page.get_by_label("Eindtijd").fill((start + timedelta(hours=1)).strftime("%H:%M"))
    page.get_by_label("Locatie").fill("Kantine Van Hal Transport, Atoomweg 50")
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".utrecht-alert, [role=status]").first).to_contain_text("is gepland")
    expect(page.locator("#agenda-heading + ol")).to_contain_text(re.compile(r"Acties van (K\d|\de kw.)"))
    check_accessibility(page)

    # invite two partners and send the invitations
    page.get_by_label(f"{POLICE}: {DEMO_PEOPLE[POLICE][0]}").check()
    page.get_by_label(f"{TOWN}: {DEMO_PEOPLE[TOWN][0]}").check()
    page.get_by_role("button", name="Op de lijst zetten").click()
    expect(page.get_by_text("2 genodigden toegevoegd.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Uitnodigingen versturen").click()
    expect(page.get_by_text("2 uitnodigingen verstuurd.")).to_be_visible()
    with live_app.app_context():
        mails = db.session.scalars(select(OutboxMail).where(OutboxMail.recipient.in_(EMAILS.values()))).all()
        assert {m.recipient for m in mails} == set(EMAILS.values())
        assert all(m.attachments[0].filename == "uitnodiging.ics" for m in mails)
    check_accessibility(page)

    # after the meeting: attendance, minutes and a decision that becomes an action
    page.get_by_label(f"{DEMO_PEOPLE[POLICE][0]} ({POLICE})").select_option("ja")
    page.get_by_label(f"{DEMO_PEOPLE[TOWN][0]} ({TOWN})").select_option("nee")
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.get_by_text("De aanwezigheid is opgeslagen.")).to_be_visible()
    page.get_by_role("textbox", name="Verslag", exact=True).fill(
        "De acties van het kwartaal zijn doorgenomen.\nDe wijkagent meldt minder inbraken."
    )
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_text("Het verslag is opgeslagen.")).to_be_visible()
    check_accessibility(page)
    action_title = f"Verlichting Atoomweg herstellen {title[-6:]}"
    page.get_by_role("textbox", name="Besluit", exact=True).fill(
        "De kapotte verlichting aan de Atoomweg wordt dit kwartaal hersteld."
    )
    page.get_by_label("Dit besluit wordt een actie in het uitvoeringsplan").check()
    page.get_by_label("Titel van de actie").fill(action_title)
    page.get_by_label("Thema van de actie").select_option("heel")
    page.get_by_label("Gemeente Utrecht", exact=True).check()
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("Het besluit is vastgelegd en staat als actie in het uitvoeringsplan.")).to_be_visible()
    expect(page.get_by_text("Gehouden, met verslag")).to_be_visible()
    check_accessibility(page)

    # the action is in the plan
    page.get_by_role("link", name=action_title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(action_title)
    check_accessibility(page)
    page.goto(f"/parken/{park_id}/plan/")
    expect(page.get_by_text(action_title).first).to_be_visible()
    check_accessibility(page)

    # the list shows the meeting as held
    page.goto(f"/parken/{park_id}/vergaderingen/")
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Gehouden, met verslag")
    check_accessibility(page)
