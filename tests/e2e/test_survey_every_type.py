"""A questionnaire with every kind of SurveyJS question, imported as JSON: a company answers it on a phone by tapping
and typing, the server keeps what was answered (and not the browser's own calculation), and the advisor finds the
answer among the results and in the export. The documentation examples each open on a phone."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.surveys.definition import validate_definition
from app.surveys.invitations import link_token, new_invitation
from app.surveys.models import Survey, SurveyResponse, SurveyStatus
from app.surveys.sample import generated_answers
from app.surveys.services import DEFAULT_LETTER
from tests.e2e import test_survey_respond as respond
from tests.e2e.conftest import check_accessibility, check_phone_width, login

# the respondent's phone, and the surveys made here removed again afterwards (Papendorp as the demo left it)
phone = respond.phone
_remove_surveys = respond._remove_surveys

EXAMPLES = Path(__file__).parents[1] / "surveys" / "examples"
PARK = "Papendorp"
#: answers of other companies, so that the results are shown (k)
OTHERS = 6


def _survey(live_app, definition: dict, others: int = 0) -> tuple[int, int, str]:
    """An open survey on Papendorp with one personal invitation (and `others` generated answers); its id, the
    park's id and the invitation's token."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        today = local_today()
        survey = Survey(
            park=park,
            cycle=active_cycle(park),
            title="Enquête met alle soorten vragen",
            definition=definition,
            status=SurveyStatus.OPEN,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
            letter_text=DEFAULT_LETTER,
            letter_signatory="Burgemeester",
        )
        survey.invitations.append(new_invitation(company=park.companies[0], sector=park.companies[0].sector))
        db.session.add(survey)
        db.session.flush()
        rng = random.Random(7)
        db.session.add_all(
            SurveyResponse(survey_id=survey.id, answers=generated_answers(definition, rng)) for _ in range(others)
        )
        db.session.commit()
        respond._created.append(survey.id)
        return survey.id, park.id, link_token(survey.invitations[0].link_id)


def question(page: Page, name: str):
    return page.locator(f'[data-name="{name}"]').first


def pick_from_list(page: Page, within, text: str) -> None:
    """A SurveyJS drop-down (in a matrix row or a panel too): on a phone it opens as a sheet of options."""
    within.locator(".sd-dropdown").first.click()
    page.get_by_role("option", name=text, exact=True).click()
    expect(page.locator(".sv-popup__container:visible")).to_have_count(0)


def next_page(page: Page, number: int, pages: int) -> None:
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text(f"Pagina {number} van {pages}", exact=True)).to_be_visible()


def test_every_question_type_answered_on_a_phone_reaches_the_results(phone, live_app, page):
    definition = validate_definition((EXAMPLES / "every_type.json").read_text(encoding="utf-8"))
    survey_id, park_id, token = _survey(live_app, definition, others=OTHERS)
    pages = len(definition["pages"]) + 1  # and the contact page
    phone.goto(f"/enquete/{token}")

    # page 1: a number, one choice with "other", a tag box, yes/no and the comment it brings up
    expect(phone.get_by_text(f"Pagina 1 van {pages}", exact=True)).to_be_visible()
    question(phone, "company size").locator("input").fill("12")
    question(phone, "sector.kind").get_by_text("Productie").click()
    question(phone, "problems").locator(".sd-tagbox").click()
    phone.get_by_role("option", name="Diefstal").click()
    phone.get_by_role("button", name="OK").click()
    expect(question(phone, "what happened")).to_have_count(0)
    question(phone, "victim").get_by_text("Ja").click()
    question(phone, "what happened").locator("textarea").fill("Inbraak in de loods.")
    check_accessibility(phone)
    next_page(phone, 2, pages)

    # page 2: scales as buttons (numbers and smileys), a ranking by keyboard, a slider, pictures
    phone.get_by_role("button", name="Volgende").click()  # the grade is required: the page says so and stays
    expect(question(phone, "grade").get_by_role("alert")).to_be_visible()
    question(phone, "grade").get_by_text("8", exact=True).click()
    question(phone, "mood").locator("label").nth(3).click()
    question(phone, "priorities").locator(".sv-ranking-item").nth(2).focus()
    phone.keyboard.press("ArrowUp")
    question(phone, "safety").locator("input[type=range]").first.focus()
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    question(phone, "entrance").locator("label").nth(1).click()
    check_phone_width(phone)
    next_page(phone, 3, pages)

    # page 3: the matrices, several short answers, a repeatable block; a text and a calculation to read
    nuisance = question(phone, "nuisance")
    nuisance.get_by_role("radio").nth(1).check(force=True)
    nuisance.get_by_role("radio").nth(3).check(force=True)
    measures = question(phone, "measures")
    measures.get_by_text("Ja").first.click()
    measures.locator("input[type=text], input[type=number]").last.fill("3")
    incidents = question(phone, "incidents")
    pick_from_list(phone, incidents, "inbraak")
    incidents.get_by_text("Ja").first.click()
    hours = question(phone, "contact hours")
    hours.locator("label").nth(0).click()
    phone.keyboard.type("07:00")
    hours.locator("label").nth(1).click()
    phone.keyboard.type("18:00")
    locations = question(phone, "locations")
    pick_from_list(phone, locations, "Kade")
    locations.locator(".sd-rating__item").filter(has_text="4").first.click()
    expect(phone.get_by_text("Dank voor het invullen.")).to_be_visible()
    check_accessibility(phone)
    next_page(phone, 4, pages)
    phone.get_by_role("button", name="Verzenden").click()
    expect(phone.get_by_text("Wij hebben uw antwoorden goed ontvangen.")).to_be_visible()
    assert not phone.errors

    with live_app.app_context():
        every = db.session.scalars(select(SurveyResponse.answers).where(SurveyResponse.survey_id == survey_id)).all()
    # the generated answers' texts are town names; responses carry nothing that orders them
    (stored,) = [answers for answers in every if answers.get("what happened") == "Inbraak in de loods."]
    assert len(every) == OTHERS + 1
    assert stored == {
        "company size": 12,
        "sector.kind": "Productie",
        "problems": ["theft"],
        "victim": True,
        "what happened": "Inbraak in de loods.",
        "grade": 8,
        "mood": 4,
        "priorities": ["Verlichting", "Schoonmaak", "Camera's"],
        "safety": 20,
        "entrance": "south",
        "nuisance": {"zwerfvuil": "soms", "geluid": "nee"},
        "measures": {"camera": {"has": True}, "hek": {"count": 3}},
        "incidents": [{"kind": "inbraak", "reported": True}],
        "contact hours": {"from": "07:00", "to": "18:00"},
        "locations": [{"street": "Kade", "lighting": 4}],
    }  # and not "total": the calculation is the browser's

    with live_app.app_context():
        db.session.get(Survey, survey_id).status = SurveyStatus.CLOSED
        db.session.commit()
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/enquete/resultaten/")
    for title in (
        "Rangschik",
        "Veiligheid (0-100)",
        "Welke ingang?",
        "Openingstijden \u2013 Van",
        "Vestigingen \u2013 Straat",
    ):
        expect(page.get_by_role("heading", level=3, name=title)).to_be_visible()
    expect(page.get_by_text("Inbraak in de loods.")).to_be_visible()  # open answers: the advisor's alone
    check_accessibility(page)
    export = page.request.get(f"/parken/{park_id}/enquete/resultaten/exporteren?format=csv")
    rows = list(csv.DictReader(io.StringIO(export.text().removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == OTHERS + 1
    assert any(row["contact hours.from"] == "07:00" and row["priorities.Verlichting"] == "1" for row in rows)


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda path: path.stem)
def test_every_documentation_example_opens_on_a_phone(phone, live_app, path):
    definition = validate_definition(path.read_text(encoding="utf-8"))
    _survey_id, _park_id, token = _survey(live_app, definition)
    phone.goto(f"/enquete/{token}")
    expect(phone.locator(".sd-question").first).to_be_visible()
    check_phone_width(phone)
    # pictures on surveyjs.io are allowed by the page's CSP (a violation would be an error here); this machine has
    # no internet to fetch them
    assert [error for error in phone.errors if "ERR_NAME_NOT_RESOLVED" not in error] == []
