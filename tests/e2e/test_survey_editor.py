"""The advisor adapts the default questionnaire in the form-based editor, without touching JSON: rewords a question in
Dutch and English, adds a question with two choices, makes it required, shows it only after a certain answer and
moves it, and rewords a row of a matrix; a company then answers the survey on a phone, where the new question appears
only after that answer."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.surveys.invitations import link_token, new_invitation
from app.surveys.models import Survey, SurveyResponse
from tests.e2e.conftest import PHONE, check_accessibility, check_phone_width, login, open_park

NEW_QUESTION = "Heeft u een hond die het terrein bewaakt?"


@pytest.fixture
def papendorp_survey(live_app):
    """Removes the survey the test makes on Papendorp, so that the other browser tests find the park as the demo
    left it."""
    yield
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == "Papendorp"))
        for survey in db.session.scalars(select(Survey).where(Survey.park_id == park.id)):
            db.session.delete(survey)
        db.session.commit()


def _invitation_token(live_app) -> str:
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == "Papendorp"))
        survey = db.session.scalar(select(Survey).where(Survey.park_id == park.id))
        invitation = new_invitation(company=park.companies[0], sector=park.companies[0].sector)
        survey.invitations.append(invitation)
        db.session.commit()
        return link_token(invitation.link_id)


def test_edit_the_default_questionnaire_without_json_and_answer_it(
    page, browser, live_server, live_app, papendorp_survey
):
    # SurveyJS fades a question in when its condition holds; axe measures the colours once it is there in full
    page.emulate_media(reduced_motion="reduce")
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    open_park(page, "Papendorp")
    page.locator("main").get_by_role("link", name="Enquête", exact=True).click()
    page.get_by_role("button", name="Enquête aanmaken").click()
    page.get_by_role("link", name="Vragenlijst bekijken en aanpassen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vragenlijst van")
    page.errors.clear()  # the park's page before asked for map tiles, which the test server cannot reach
    # the preview: SurveyJS renders the questionnaire beside the editor
    preview = page.locator("#survey-preview")
    expect(preview.get_by_text("A. Uw bedrijf", exact=True)).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)

    # reword a question in Dutch and English
    page.get_by_role("link", name="Hoeveel medewerkers werken er bij uw bedrijf op deze locatie?").click()
    expect(preview.get_by_text("Hoeveel medewerkers werken er bij uw bedrijf op deze locatie?")).to_be_visible()
    page.get_by_label("Vraag in het Nederlands").fill("Hoeveel mensen werken er op uw vestiging?")
    expect(preview.get_by_text("Hoeveel mensen werken er op uw vestiging?")).to_be_visible()  # while typing
    page.get_by_label("Vraag in het Engels").fill("How many people work at your site?")
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.get_by_text("De vraag is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoeveel mensen werken er op uw vestiging?")
    check_accessibility(page)
    check_phone_width(page)

    # add a question with two choices after it, by keyboard
    page.get_by_role("link", name="Terug naar de vragenlijst").click()
    page.get_by_role("link", name="Een vraag toevoegen op pagina 1").click()
    add = page.get_by_role("region", name="Vraag toevoegen")
    add.get_by_label("Waar komt de vraag?").select_option(label="Na: Hoeveel mensen werken er op uw vestiging?")
    add.get_by_label("Soort vraag").select_option(label="Eén keuze (rondjes)")
    add.get_by_label("Vraag in het Nederlands").fill(NEW_QUESTION)
    add.get_by_label("Vraag in het Engels (niet verplicht)").fill("Do you have a dog guarding the site?")
    add.get_by_label("Keuzes in het Nederlands, één per regel (niet verplicht)").fill("Ja\nNee")
    add.get_by_label("Keuzes in het Nederlands, één per regel (niet verplicht)").press("Tab")
    page.keyboard.press("Enter")  # the focus is on "Vraag toevoegen"
    expect(page.get_by_text("De vraag is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_QUESTION)

    # its choices in English, required, and shown only to companies of one person
    page.get_by_role("group", name="Keuze 1").get_by_label("Engels").fill("Yes")
    page.get_by_role("group", name="Keuze 2").get_by_label("Engels").fill("No")
    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.get_by_text("De keuzes zijn opgeslagen.")).to_be_visible()
    page.get_by_label("Verplicht: de ondernemer moet deze vraag beantwoorden").check()
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.get_by_text("De vraag is opgeslagen.")).to_be_visible()
    condition = page.get_by_label("Wanneer ziet de ondernemer deze vraag?")
    condition.select_option(value='["size", "1"]')
    page.get_by_role("button", name="Voorwaarde opslaan").click()
    expect(page.get_by_text("De voorwaarde is opgeslagen.")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "alleen als op “Hoeveel mensen werken er op uw vestiging?” is geantwoord: 1"
    )

    # the preview follows the condition: the question appears once "1" is chosen there
    expect(preview.get_by_text(NEW_QUESTION)).to_have_count(0)
    preview.locator(".sd-item").filter(has_text=re.compile(r"^1$")).locator(".sd-item__decorator").click()
    expect(preview.get_by_text(NEW_QUESTION)).to_be_visible()
    check_accessibility(page)

    # move it one place down, below "Wanneer is uw bedrijf actief op het terrein?"
    page.get_by_role("button", name="Eén plek omlaag").click()
    expect(page.get_by_text("De vraag is verplaatst.")).to_be_visible()
    page.get_by_role("link", name="Terug naar de vragenlijst").click()
    titles = page.locator("#pagina-1 ~ ol .vb-editor-question__text > a")
    expect(titles).to_have_text(
        [
            "Wat is de hoofdactiviteit van uw bedrijf?",
            "Hoeveel mensen werken er op uw vestiging?",
            "Wanneer is uw bedrijf actief op het terrein?",
            NEW_QUESTION,
        ]
    )
    expect(page.get_by_role("listitem").filter(has_text=NEW_QUESTION)).to_contain_text("verplicht")
    check_accessibility(page)

    # reword a row of a matrix, the crime types of "victimisation", in both languages
    page.get_by_role("link", name=re.compile("^Is uw bedrijf in de afgelopen 12 maanden")).click()
    expect(preview.get_by_text("Inbraak in het pand", exact=True)).to_be_visible()
    row = page.get_by_role("group", name="Rij 1", exact=True)
    row.get_by_label("Nederlands").fill("Inbraak in het bedrijfspand")
    row.get_by_label("Engels").fill("Break-in at the company building")
    page.get_by_role("button", name="Rijen opslaan").click()
    expect(page.get_by_text("De rijen zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_role("group", name="Rij 1", exact=True).get_by_label("Engels")).to_have_value(
        "Break-in at the company building"
    )
    expect(preview.get_by_text("Inbraak in het bedrijfspand", exact=True)).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)
    assert page.errors == []

    # the survey opens, and a company answers it on a phone
    page.goto(page.url.split("/vragenlijst")[0] + "/")
    page.get_by_role("button", name="Enquête openen").click()
    token = _invitation_token(live_app)
    context = browser.new_context(
        base_url=live_server, locale="nl-NL", viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    phone = context.new_page()
    phone.goto(f"/enquete/{token}")
    survey = phone.locator("#survey")
    expect(survey.get_by_text("Hoeveel mensen werken er op uw vestiging?")).to_be_visible()
    expect(survey.get_by_text(NEW_QUESTION)).to_have_count(0)
    survey.locator(".sd-item").filter(has_text=re.compile("^2\N{EN DASH}9$")).locator(".sd-item__decorator").click()
    expect(survey.get_by_text(NEW_QUESTION)).to_have_count(0)
    survey.locator(".sd-item").filter(has_text=re.compile(r"^1$")).locator(".sd-item__decorator").click()
    expect(survey.get_by_text(NEW_QUESTION)).to_be_visible()
    check_accessibility(phone)
    # required: the next page waits for an answer
    phone.get_by_role("button", name="Volgende").click()
    expect(survey.get_by_text(NEW_QUESTION)).to_be_visible()
    expect(survey.get_by_role("alert").first).to_be_visible()
    survey.locator(".sd-item").filter(has_text=re.compile(r"^Ja$")).locator(".sd-item__decorator").click()
    # page by page to the last, each next page awaited (a click racing the page change would find no button)
    progress = phone.get_by_text(re.compile(r"^Pagina \d+ van \d+$"))
    number, total = map(int, re.findall(r"\d+", progress.inner_text()))
    for following in range(number + 1, total + 1):
        phone.get_by_role("button", name="Volgende").click()
        expect(phone.get_by_text(f"Pagina {following} van {total}", exact=True)).to_be_visible()
    phone.get_by_role("button", name="Verzenden").click()
    expect(phone.get_by_role("heading", name="Hartelijk dank voor het invullen!")).to_be_visible()
    context.close()

    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == "Papendorp"))
        response = db.session.scalar(select(SurveyResponse).join(Survey).where(Survey.park_id == park.id))
        assert response.answers["size"] == "1"
        assert response.answers["heeft_u_een_hond_die_het_terrein_bewaakt"] == "ja"
