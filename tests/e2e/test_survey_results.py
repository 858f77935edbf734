"""The advisor follows the survey's response rate and reads the results in a real browser; a new response
raises the rate on the next load."""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.surveys.definition import load_default
from app.surveys.models import (
    InvitationStatus,
    Survey,
    SurveyContact,
    SurveyInvitation,
    SurveyResponse,
    SurveyStatus,
)
from tests.e2e.conftest import check_accessibility, login
from tests.surveys.test_results import FIVE

PARK = "De Hoef"


@pytest.fixture
def open_survey(live_app):
    """An open survey on De Hoef with eight invitations, five of them used, and five responses; removed again
    afterwards, so that the other browser tests find the park as the demo left it. Yields (park id, the token of
    an unused invitation)."""
    token = secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        today = local_today()
        survey = Survey(
            park=park,
            cycle=active_cycle(park),
            title="Enquête veiligheid De Hoef",
            definition=load_default(),
            status=SurveyStatus.OPEN,
            opens_on=today - timedelta(days=7),
            closes_on=today + timedelta(days=21),
        )
        for number in range(8):
            used = number < 5
            survey.invitations.append(
                SurveyInvitation(
                    token=token if number == 7 else secrets.token_urlsafe(24),
                    sector="bouw" if number % 2 else "groothandel/logistiek",
                    status=InvitationStatus.USED if used else InvitationStatus.INVITED,
                    used_at=now - timedelta(days=5 - number) if used else None,
                    emailed_at=now - timedelta(days=7),
                )
            )
        db.session.add(survey)
        db.session.flush()
        db.session.add_all(
            SurveyResponse(survey_id=survey.id, answers=answers, submitted_on=today - timedelta(days=1))
            for answers in FIVE
        )
        db.session.commit()
        survey_id, park_id = survey.id, park.id
    yield park_id, token
    with live_app.app_context():
        for model in (SurveyResponse, SurveyContact):
            db.session.execute(delete(model).where(model.survey_id == survey_id))
        db.session.delete(db.session.get(Survey, survey_id))
        db.session.commit()


def test_advisor_follows_the_response_and_reads_the_results(page, open_survey):
    park_id, token = open_survey
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)

    page.goto(f"/parken/{park_id}/enquete/resultaten/respons")
    expect(page.get_by_role("heading", level=1, name=f"Respons ondernemersenquête {PARK}")).to_be_visible()
    expect(page.locator("#rate-invited")).to_have_text("8")
    expect(page.locator("#rate-completed")).to_have_text("5")
    expect(page.locator("#rate-total")).to_contain_text("62,5")
    expect(page.get_by_role("row").filter(has_text="groothandel/logistiek")).to_contain_text("75,0")
    expect(page.get_by_role("button", name="Nu herinneringen versturen")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Naar de resultaten").click()
    expect(page.get_by_role("heading", level=1, name=f"Resultaten ondernemersenquête {PARK}")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Slachtofferschap")).to_be_visible()
    victims = page.get_by_role("table", name=re.compile("minstens één keer slachtoffer"))
    expect(victims.get_by_role("row").filter(has_text="Inbraak in het pand")).to_contain_text(re.compile(r"\d,\d\s%"))
    answered = int(page.locator("#responses-count").inner_text())
    assert answered >= 5
    # free text is there for the advisor
    expect(page.get_by_text(FIVE[0]["remarks"])).to_be_visible()
    check_accessibility(page)

    # a company answers through its personal link
    answers = {"sector": "bouw", "safe_day": 5, "safe_dark": 4, "grade": 9, "victimisation": {"inbraak": "nee"}}
    posted = page.request.post(
        f"/enquete/{token}/antwoorden",
        data=json.dumps({"answers": answers, "contact": None}),
        headers={"Content-Type": "application/json"},
    )
    assert posted.status == 201, posted.text()

    page.goto(f"/parken/{park_id}/enquete/resultaten/respons")
    expect(page.locator("#rate-completed")).to_have_text("6")
    expect(page.locator("#rate-total")).to_contain_text("75,0")
    check_accessibility(page)

    page.goto(f"/parken/{park_id}/enquete/resultaten/")
    expect(page.locator("#responses-count")).to_have_text(str(answered + 1))
    pdf = page.request.get(f"/parken/{park_id}/enquete/resultaten/rapport.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"


def _open_park(page, name: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_police_see_results_once_the_survey_is_closed(page):
    """The demo's police officer: Lage Weide's survey is still running, Cartesiusweg's is closed with its report."""
    login(page, f"politie@{DEMO_DOMAIN}", DEMO_PASSWORD)
    _open_park(page, "Lage Weide")
    page.get_by_role("link", name="Enquêteresultaten").click()
    expect(page.get_by_text("De resultaten zijn te zien zodra de enquête is gesloten.")).to_be_visible()
    expect(page.get_by_role("link", name="Rapport downloaden (PDF)")).to_have_count(0)
    check_accessibility(page)

    _open_park(page, "Cartesiusweg")
    page.get_by_role("link", name="Enquêteresultaten").click()
    expect(page.get_by_role("heading", level=1, name="Resultaten ondernemersenquête Cartesiusweg")).to_be_visible()
    expect(page.locator("#responses-count")).to_have_text("16")
    expect(page.get_by_role("heading", level=2, name="Veiligheidsgevoel")).to_be_visible()
    expect(page.get_by_text("Open antwoorden ziet alleen de adviseur.")).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport downloaden (PDF)").click()
    assert download.value.suggested_filename.startswith("enquete-rapport-cartesiusweg-")
