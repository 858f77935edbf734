"""The results page of a questionnaire with every question type, in a real browser: axe-clean, readable on a phone,
parts of compound questions under their own headings, small groups held back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.surveys.models import Survey, SurveyResponse, SurveyStatus
from tests.e2e.conftest import check_accessibility, check_phone_width, login
from tests.surveys.test_results_types import ANSWERS, DEFINITION

PARK = "De Hoef"


@pytest.fixture
def typed_survey(live_app):
    """A closed survey on De Hoef with every question type and eight responses; removed again afterwards."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        today = local_today()
        survey = Survey(
            park=park,
            cycle=active_cycle(park),
            title="Enquête alle vraagtypen",
            definition=DEFINITION,
            status=SurveyStatus.CLOSED,
            opens_on=today - timedelta(days=30),
            closes_on=today - timedelta(days=1),
        )
        db.session.add(survey)
        db.session.flush()
        db.session.add_all(SurveyResponse(survey_id=survey.id, answers=answers) for answers in ANSWERS * 2)
        db.session.commit()
        survey_id, park_id = survey.id, park.id
    yield park_id
    with live_app.app_context():
        db.session.execute(delete(SurveyResponse).where(SurveyResponse.survey_id == survey_id))
        db.session.delete(db.session.get(Survey, survey_id))
        db.session.commit()


def test_results_of_every_question_type(page, typed_survey):
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{typed_survey}/enquete/resultaten/")
    expect(page.get_by_role("heading", level=3, name="Wat eerst?")).to_be_visible()
    ranking = page.get_by_role("table", name="Wat eerst?")
    expect(ranking.get_by_role("row").nth(1)).to_contain_text("inbraak")
    expect(ranking.get_by_role("row").nth(1)).to_contain_text("1,3")
    expect(page.get_by_role("table", name="Vestigingen \u2013 Alarm?")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Kosten \u2013 2025 \u2013 Bedrag")).to_be_visible()
    expect(page.get_by_text("2 antwoorden: te weinig antwoorden om te tonen.").first).to_be_visible()
    expect(page.get_by_role("table", name="Zondag open?")).to_be_visible()  # a key with spaces: a valid id
    check_accessibility(page)
    check_phone_width(page)
