"""The questionnaire feels native on a phone: rating scales stay buttons, the introduction is read once, every page
says where the respondent is and has a way back, nothing moves while answering, and the thanks say the answers
arrived."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.surveys.definition import load_default
from app.surveys.models import SurveyResponse
from tests.e2e import test_survey_respond as respond
from tests.e2e.conftest import PHONE, check_accessibility, check_phone_width
from tests.e2e.test_survey_respond import _invitation, choose

# the respondent's fixtures: an open survey on Papendorp with personal links (removed again afterwards), and a
# phone-sized page that records errors
phone = respond.phone
invitation_token = respond.invitation_token
_remove_surveys = respond._remove_surveys

#: the narrowest phone screen a scale must fit without scrolling sideways
NARROW = {"width": 360, "height": PHONE["height"]}
#: the default questionnaire's pages and the page asking for contact details
PAGES = len(load_default()["pages"]) + 1
SAFE_DAY = "Hoe veilig voelt u zich overdag op het bedrijventerrein?"
GRADE = "Welk rapportcijfer geeft u de veiligheid op het bedrijventerrein?"

# Cumulative layout shift as browsers report it (shifts right after a tap or key press do not count: the page
# answers the respondent there). `vbLayoutShift()` gives the shift since it was last asked.
LAYOUT_SHIFT = """
(() => {
  let total = 0;
  const add = (entries) => entries.forEach((entry) => { if (!entry.hadRecentInput) total += entry.value; });
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ type: "layout-shift", buffered: true });
  window.vbLayoutShift = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    add(observer.takeRecords());
    const shift = total;
    total = 0;
    resolve(shift);
  })));
})();
"""


def layout_shift(page: Page) -> float:
    return page.evaluate("window.vbLayoutShift()")


def rating(page: Page, title: str):
    return page.get_by_role("radiogroup", name=title)


def rate(page: Page, title: str, value: str) -> None:
    rating(page, title).locator(".sd-rating__item").filter(has_text=re.compile(f"^{value}$")).click()
    expect(rating(page, title).get_by_role("radio", name=value, exact=True)).to_be_checked()


def where(page: Page, number: int) -> None:
    """The progress says which page this is; the way back is there from the second page on."""
    expect(page.get_by_text(f"Pagina {number} van {PAGES}", exact=True)).to_be_visible()
    back = page.get_by_role("button", name="Vorige")
    if number == 1:
        expect(back).to_have_count(0)
    else:
        expect(back).to_be_visible()


def next_page(page: Page, number: int) -> None:
    page.get_by_role("button", name="Volgende").click()
    where(page, number)


def test_a_phone_answers_the_questionnaire_page_by_page(phone, invitation_token, live_app):
    page = phone
    page.context.add_init_script(LAYOUT_SHIFT)
    page.goto(f"/enquete/{invitation_token}")
    intro = page.get_by_text("Deze enquête duurt ongeveer 10 minuten. De vragen gaan over de afgelopen 12 maanden.")
    expect(intro).to_be_visible()
    where(page, 1)
    # the introduction once, and in it the promise of anonymity once
    assert page.locator("main").inner_text().count("anoniem") == 1
    check_accessibility(page)
    check_phone_width(page)

    layout_shift(page)
    choose(page, "Productie en industrie")
    choose(page, "10\N{EN DASH}49")
    choose(page, "Overdag")
    assert layout_shift(page) < 0.1

    next_page(page, 2)
    expect(intro).to_be_hidden()
    # the scales are rows of buttons, on this width as on any other: no drop-down that shows just "4"
    expect(page.get_by_role("combobox")).to_have_count(0)
    expect(rating(page, SAFE_DAY).get_by_role("radio")).to_have_count(5)
    expect(rating(page, GRADE).get_by_role("radio")).to_have_count(10)
    check_accessibility(page)
    layout_shift(page)
    rate(page, SAFE_DAY, "4")
    rate(page, GRADE, "7")
    choose(page, "Gelijk gebleven")
    assert layout_shift(page) < 0.1
    # a ten-point scale wraps on the narrowest phones: every button on the screen, nothing scrolls sideways
    page.set_viewport_size(NARROW)
    for box in page.locator(".sd-rating__item").evaluate_all("items => items.map(i => i.getBoundingClientRect())"):
        assert box["left"] >= 0 and box["right"] <= NARROW["width"], box
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.set_viewport_size(PHONE)

    # back and forth: the answers stay, the introduction stays with the first page
    page.get_by_role("button", name="Vorige").click()
    where(page, 1)
    expect(intro).to_be_visible()
    expect(page.get_by_role("radio", name="Productie en industrie")).to_be_checked()
    next_page(page, 2)
    expect(rating(page, SAFE_DAY).get_by_role("radio", name="4", exact=True)).to_be_checked()

    next_page(page, 3)
    # a victim of a burglary is asked about the damage: the question appears below without moving the page
    layout_shift(page)
    once = page.get_by_role("radio", name="rij Inbraak in het pand, kolom 1\N{MULTIPLICATION SIGN}")
    page.locator("label").filter(has=once).click()
    expect(page.get_by_text("Hoe groot was de totale schade van deze voorvallen, naar schatting?")).to_be_visible()
    assert layout_shift(page) < 0.1
    check_accessibility(page)
    check_phone_width(page)
    for number in range(4, PAGES + 1):
        next_page(page, number)
    expect(page.get_by_role("button", name="Verzenden")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Verzenden").click()
    thanks = page.get_by_role("heading", level=2, name="Hartelijk dank voor het invullen!")
    expect(thanks).to_be_visible()
    # the server has them: nothing is left on this device, and the page does not say so
    expect(page.get_by_text("Wij hebben uw antwoorden goed ontvangen.")).to_be_visible()
    expect(page.get_by_text("op dit apparaat")).to_be_hidden()
    expect(intro).to_be_hidden()
    assert page.evaluate(f"localStorage.getItem('vb-enquete-{invitation_token}')") is None
    check_accessibility(page)
    check_phone_width(page)
    assert page.errors == []

    with live_app.app_context():
        survey_id = _invitation(invitation_token).survey_id
        (response,) = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id))
        assert (response.answers["safe_day"], response.answers["grade"]) == (4, 7)
        assert response.answers["victimisation"] == {"inbraak": "1"}


def test_an_answer_the_server_refuses_is_named_by_its_question(phone, invitation_token, live_app):
    """Should the server refuse an answer the page let through, the respondent reads which question, by its
    title, and can change the answers and send them again."""
    page = phone
    page.goto(f"/enquete/{invitation_token}")
    choose(page, "Bouw")
    while page.get_by_role("button", name="Verzenden").count() == 0:
        page.get_by_role("button", name="Volgende").click()

    def out_of_scale(route):
        body = json.loads(route.request.post_data)
        body["answers"]["safe_day"] = 9
        route.continue_(post_data=json.dumps(body))

    page.route(f"**/enquete/{invitation_token}/antwoorden", out_of_scale)
    page.get_by_role("button", name="Verzenden").click()
    expect(page.get_by_role("alert")).to_contain_text(f'Het antwoord op de vraag "{SAFE_DAY}"')
    expect(page.get_by_role("alert")).not_to_contain_text("safe_day")
    check_accessibility(page)

    page.unroute(f"**/enquete/{invitation_token}/antwoorden")
    page.get_by_role("button", name="Antwoorden aanpassen").click()
    page.get_by_role("button", name="Verzenden").click()
    expect(page.get_by_text("Wij hebben uw antwoorden goed ontvangen.")).to_be_visible()
    with live_app.app_context():
        survey_id = _invitation(invitation_token).survey_id
        (response,) = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id))
        assert response.answers["sector"] == "bouw" and "safe_day" not in response.answers


@pytest.fixture
def animated_phone(browser, live_server):
    """A phone whose owner did not ask for less motion: SurveyJS fades pages in and unfolds questions."""
    context = browser.new_context(
        base_url=live_server,
        locale="nl-NL",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        reduced_motion="no-preference",
    )
    context.add_init_script(LAYOUT_SHIFT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_nothing_moves_while_answering_with_animations(animated_phone, invitation_token):
    page = animated_phone
    page.goto(f"/enquete/{invitation_token}")
    where(page, 1)
    assert layout_shift(page) < 0.1  # drawing the questionnaire does not push the page about either
    choose(page, "Horeca")
    choose(page, "2\N{EN DASH}9")
    assert layout_shift(page) < 0.1
    next_page(page, 2)
    layout_shift(page)
    rate(page, SAFE_DAY, "2")
    rate(page, GRADE, "10")
    assert layout_shift(page) < 0.1
    next_page(page, 3)
    layout_shift(page)
    once = page.get_by_role(
        "radio", name="rij Diefstal van het terrein (materiaal, brandstof, koper), kolom 1\N{MULTIPLICATION SIGN}"
    )
    page.locator("label").filter(has=once).click()
    expect(page.get_by_text("Hoe groot was de totale schade van deze voorvallen, naar schatting?")).to_be_visible()
    page.wait_for_timeout(1_000)  # the unfolding question's animation has run its course
    assert layout_shift(page) < 0.1
