"""The advisor follows the survey's response rate and reads the results in a real browser; a new response
raises the rate on the next load."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app import audit
from app.audit.services import RESPONDENT_LABEL
from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.surveys.definition import load_default
from app.surveys.invitations import link_token, new_invitation
from app.surveys.models import InvitationStatus, Survey, SurveyContact, SurveyResponse, SurveyStatus
from app.surveys.responses import ANSWERED
from tests.e2e.conftest import check_accessibility, login, open_park
from tests.surveys.test_results import FIVE

PARK = "De Hoef"


@pytest.fixture
def open_survey(live_app):
    """An open survey on De Hoef with eight invitations, five of them used, and five responses; removed again
    afterwards, so that the other browser tests find the park as the demo left it. Yields (park id, the token of
    an unused invitation)."""
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
            survey.invitations.append(
                new_invitation(
                    sector="bouw" if number % 2 else "groothandel/logistiek",
                    status=InvitationStatus.USED if number < 5 else InvitationStatus.INVITED,
                    emailed_at=now - timedelta(days=7),
                )
            )
        db.session.add(survey)
        db.session.flush()
        db.session.add_all(SurveyResponse(survey_id=survey.id, answers=answers) for answers in FIVE)
        for day in range(5):
            moment = now - timedelta(days=5 - day)
            audit.record_anonymous(ANSWERED, survey, park_id=park.id, actor_label=RESPONDENT_LABEL, now=moment)
        db.session.commit()
        survey_id, park_id = survey.id, park.id
        token = link_token(survey.invitations[7].link_id)
    yield park_id, token
    with live_app.app_context():
        for model in (SurveyResponse, SurveyContact):
            db.session.execute(delete(model).where(model.survey_id == survey_id))
        db.session.delete(db.session.get(Survey, survey_id))
        db.session.commit()


def test_advisor_follows_the_response_and_reads_the_results_once_closed(page, open_survey):
    park_id, token = open_survey
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)

    page.goto(f"/parken/{park_id}/enquete/resultaten/respons")
    expect(page.get_by_role("heading", level=1, name=f"Respons ondernemersenquête {PARK}")).to_be_visible()
    expect(page.locator("#rate-invited")).to_have_text("8")
    expect(page.locator("#rate-completed")).to_have_text("5")
    expect(page.locator("#rate-total")).to_contain_text("62,5")
    # 3 and 2 completed per sector: fewer than k = 5 each, so not shown apart
    expect(page.locator("#sectors-merged")).to_contain_text("2 sectoren met minder dan 5 ingevulde enquêtes")
    expect(page.get_by_role("table", name=re.compile("Antwoorden per periode"))).to_contain_text("5")
    expect(page.get_by_role("button", name="Nu herinneringen versturen")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Naar de resultaten").click()
    expect(page.get_by_role("heading", level=1, name=f"Resultaten ondernemersenquête {PARK}")).to_be_visible()
    # while it runs, not even the advisor sees results: the next answer would show what that company said
    expect(page.get_by_text("De resultaten zijn te zien zodra de enquête is gesloten")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("exporteren"))).to_have_count(0)
    check_accessibility(page)

    # a company answers through its personal link, and asks to be contacted
    answers = {"sector": "bouw", "safe_day": 5, "safe_dark": 4, "grade": 9, "victimisation": {"inbraak": "nee"}}
    contact = {"name": "Bea Bouwer", "email": "bea@bouwer.example", "wants_working_group": True, "remark": ""}
    posted = page.request.post(
        f"/enquete/{token}/antwoorden",
        data=json.dumps({"answers": answers, "contact": contact}),
        headers={"Content-Type": "application/json"},
    )
    assert posted.status == 201, posted.text()

    page.goto(f"/parken/{park_id}/enquete/resultaten/respons")
    expect(page.locator("#rate-completed")).to_have_text("6")
    expect(page.locator("#rate-total")).to_contain_text("75,0")

    page.goto(f"/parken/{park_id}/enquete/")
    page.get_by_role("button", name="Enquête sluiten").click()
    expect(page.get_by_role("status").or_(page.get_by_role("alert")).first).to_be_visible()

    page.goto(f"/parken/{park_id}/enquete/resultaten/")
    expect(page.locator("#responses-count")).to_have_text("6")
    expect(page.get_by_role("heading", level=2, name="Slachtofferschap")).to_be_visible()
    victims = page.get_by_role("table", name=re.compile("minstens één keer slachtoffer"))
    expect(victims.get_by_role("row").filter(has_text="Inbraak in het pand")).to_contain_text(re.compile(r"\d,\d\s%"))
    expect(page.get_by_text(FIVE[0]["remarks"])).to_be_visible()  # free text is there for the advisor
    check_accessibility(page)
    pdf = page.request.get(f"/parken/{park_id}/enquete/resultaten/rapport.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    # who asked to be contacted: apart from any answer
    page.get_by_role("link", name="Wie contact wil (los van de antwoorden)").click()
    row = page.get_by_role("row").filter(has_text="Bea Bouwer")
    expect(row).to_contain_text("bea@bouwer.example")
    expect(row).to_contain_text("wil meedoen")
    expect(page.get_by_text("Verlichting", exact=False)).to_have_count(0)
    check_accessibility(page)


def _open_park(page, name: str) -> None:
    page.goto("/")
    open_park(page, name)
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()


def test_police_see_results_once_the_survey_is_closed(page):
    """The demo's police officer: Lage Weide's survey is still running, Cartesiusweg's is closed with its report."""
    login(page, f"politie@{DEMO_DOMAIN}", DEMO_PASSWORD)
    _open_park(page, "Lage Weide")
    page.get_by_role("link", name="Enquêteresultaten", exact=True).click()
    expect(page.get_by_text("De resultaten zijn te zien zodra de enquête is gesloten")).to_be_visible()
    expect(page.get_by_role("link", name="Rapport downloaden (PDF)")).to_have_count(0)
    check_accessibility(page)

    _open_park(page, "Cartesiusweg")
    page.get_by_role("link", name="Enquêteresultaten", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Resultaten ondernemersenquête Cartesiusweg")).to_be_visible()
    expect(page.locator("#responses-count")).to_have_text("16")
    expect(page.get_by_role("heading", level=2, name="Veiligheidsgevoel")).to_be_visible()
    expect(page.get_by_text("Open antwoorden ziet alleen de adviseur.")).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Rapport downloaden (PDF)").click()
    assert download.value.suggested_filename.startswith("enquete-rapport-cartesiusweg-")
