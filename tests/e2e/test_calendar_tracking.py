"""The municipality's officer plans an activity, subscribes to the park's calendar feed and follows the plans
city-wide, in a real browser."""

from __future__ import annotations

import codecs
import csv
import io
import re
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.clock import LOCAL_TIME, local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import quarters
from app.plans.models import CalendarFeed, CalendarItem, Plan, PlanAction
from app.plans.services import find_plan
from tests.e2e.conftest import check_accessibility, login

PARK = "Cartesiusweg"  # step 6, in the officer's municipality
OWNER = "Politie Midden-Nederland"


@pytest.fixture
def overdue_action(live_app):
    """An open action on Cartesiusweg's plan whose quarter has passed, with the police as owner; the park's feed
    switched off for the test. Everything is put back as the demo had it afterwards. Yields (park id, title)."""
    title = f"Hekwerk Cartesiusweg herstellen {secrets.token_hex(3)}"
    today = local_today()
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        cycle = active_cycle(park)
        plan = find_plan(cycle)
        made_plan = plan is None
        if made_plan:
            start = quarters.quarter_start(today)
            plan = Plan(cycle=cycle, starts_on=date(start.year - 1, start.month, 1))
            db.session.add(plan)
        quarter = quarters.quarter(plan.starts_on, 1)
        owners = [s for s in cycle.stakeholders if s.organisation.name == OWNER]
        action = PlanAction(
            plan=plan,
            title=title,
            quarter=1,
            # a plan of the demo that starts this quarter has no past quarter: the due date is forced into the past
            due_on=quarter.last_day if quarter.last_day < today else today - timedelta(days=1),
            owners=owners,
        )
        db.session.add(action)
        feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.park_id == park.id))
        kept_token = feed.token if feed else None
        if feed is not None:
            db.session.delete(feed)
        db.session.commit()
        park_id, action_id, plan_id, cycle_id = park.id, action.id, plan.id, cycle.id
    yield park_id, title
    with live_app.app_context():
        # through the ORM, so that the owner rows go too (SQLite does not enforce the cascade)
        db.session.delete(db.session.get(PlanAction, action_id))
        if made_plan:
            db.session.delete(db.session.get(Plan, plan_id))
        db.session.execute(delete(CalendarItem).where(CalendarItem.cycle_id == cycle_id, CalendarItem.title == title))
        db.session.execute(delete(CalendarFeed).where(CalendarFeed.park_id == park_id))
        if kept_token is not None:
            db.session.add(CalendarFeed(park_id=park_id, token=kept_token))
        db.session.commit()


def _csv(path: str) -> list[list[str]]:
    with open(path, "rb") as file:
        data = file.read()
    assert data.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(data[len(codecs.BOM_UTF8) :].decode("utf-8")), delimiter=";"))


def test_officer_plans_subscribes_and_tracks(page, overdue_action):
    park_id, title = overdue_action
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)

    # the calendar: add an alert evening
    page.goto(f"/parken/{park_id}/kalender/")
    expect(page.get_by_role("heading", level=1, name="Communicatie- en activiteitenkalender")).to_be_visible()
    check_accessibility(page)
    on = local_today() + timedelta(days=20)
    page.get_by_label("Soort activiteit").select_option(label="Alertavond")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Datum").fill(on.isoformat())
    page.get_by_label("Begintijd").fill("19:30")
    page.get_by_label("Eindtijd").fill("19:00")
    page.get_by_label("Doelgroep").fill("Alle ondernemers")
    page.get_by_label("Eigenaar").select_option(label=f"{OWNER} (Politie)")
    page.get_by_role("button", name="Toevoegen").click()
    # an end before the start is refused with a message, and the input stays
    expect(page.get_by_role("alert")).to_contain_text("De eindtijd moet na de begintijd liggen.")
    expect(page.get_by_label("Titel")).to_have_value(title)
    check_accessibility(page)
    page.get_by_label("Eindtijd").fill("21:00")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text(f"{title} staat op de kalender.")).to_be_visible()
    row = page.get_by_role("table", name=re.compile("geplande activiteit")).get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("19:30\u201321:00")
    expect(row).to_contain_text(OWNER)
    check_accessibility(page)

    # the feed: turn it on and read it as a calendar app would
    page.get_by_role("button", name="Agenda-abonnement aanzetten").click()
    expect(page.get_by_text("Het agenda-abonnement staat aan.")).to_be_visible()
    feed_url = page.get_by_label("Adres van het agenda-abonnement").input_value()
    assert feed_url.startswith("http://127.0.0.1:") and feed_url.endswith(".ics")
    check_accessibility(page)
    feed = page.request.get(feed_url)
    assert feed.status == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    parsed = Calendar.from_ical(feed.body())
    assert str(parsed["X-WR-CALNAME"]) == f"{PARK} \u2013 Veilig Bedrijventerrein"
    (event,) = [e for e in parsed.walk("VEVENT") if str(e["SUMMARY"]) == title]
    assert event.decoded("DTSTART") == datetime(on.year, on.month, on.day, 19, 30, tzinfo=LOCAL_TIME)
    assert event.decoded("DTSTART").astimezone(UTC).hour in (17, 18)
    assert f"Eigenaar: {OWNER}" in str(event["DESCRIPTION"])

    # the tracking: the park with its overdue action, and the list of overdue actions
    page.goto("/")
    page.get_by_role("link", name="Voortgang van de plannen").first.click()
    expect(page.get_by_role("heading", level=1, name="Voortgang van de plannen")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Alleen parken met achterstallige acties").check()
    page.get_by_role("button", name="Toon").click()
    park_row = page.get_by_role("row").filter(has=page.get_by_role("link", name=PARK, exact=True))
    expect(park_row).to_contain_text("Gemeente Utrecht")
    expect(park_row).to_contain_text("8. Continuering")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Voortgang per park downloaden (CSV)").click()
    rows = _csv(download.value.path())
    assert rows[0][:3] == ["park", "gemeente", "stap"]
    assert any(r[0] == PARK and int(r[6]) >= 1 for r in rows[1:])

    page.get_by_role("navigation", name="Onderdelen van de voortgang").get_by_role(
        "link", name="Achterstallige acties"
    ).click()
    expect(page.get_by_role("heading", level=1, name="Achterstallige acties")).to_be_visible()
    action_row = page.get_by_role("row").filter(has_text=title)
    expect(action_row).to_contain_text(PARK)
    expect(action_row).to_contain_text(OWNER)
    expect(action_row).to_contain_text("Gepland")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Achterstallige acties downloaden (CSV)").click()
    rows = _csv(download.value.path())
    assert any(r[0] == PARK and r[2] == title and r[7] == OWNER for r in rows[1:])

    # leave the demo as it was: the item off the calendar, the feed off
    page.goto(f"/parken/{park_id}/kalender/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1, name="Activiteit wijzigen")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name=f"{title} verwijderen").click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_text(f"{title} staat niet meer op de kalender.")).to_be_visible()
    page.get_by_role("button", name="Agenda-abonnement uitzetten").click()
    expect(page.get_by_text("Het agenda-abonnement staat uit; het adres werkt niet meer.")).to_be_visible()
    check_accessibility(page)
    assert page.request.get(feed_url).status == 404
