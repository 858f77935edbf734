"""A company answers the survey on a phone through its personal link: progress survives a reload, and answers
sent while the connection is lost are kept and sent again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.surveys.definition import load_default
from app.surveys.invitations import link_token, new_invitation, new_token
from app.surveys.models import InvitationStatus, Survey, SurveyContact, SurveyInvitation, SurveyResponse, SurveyStatus
from app.surveys.services import DEFAULT_LETTER
from tests.e2e.conftest import PHONE, check_accessibility, login


@pytest.fixture
def invitation_token(live_app):
    """An open survey on Papendorp with two personal invitations; removed again afterwards, so that the other
    browser tests find the park as the demo left it. Yields the first invitation's token."""
    yield _invitations(live_app)[0]


@pytest.fixture
def invitation_tokens(live_app):
    yield _invitations(live_app)


_created: list[int] = []


def _invitations(live_app) -> list[str]:
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == "Papendorp"))
        today = local_today()
        survey = Survey(
            park=park,
            cycle=active_cycle(park),
            title="Enquête veiligheid Papendorp",
            definition=load_default(),
            status=SurveyStatus.OPEN,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
            letter_text=DEFAULT_LETTER,
            letter_signatory="Burgemeester",
        )
        for company in park.companies[:2]:
            survey.invitations.append(new_invitation(company=company, sector=company.sector))
        db.session.add(survey)
        db.session.commit()
        _created.append(survey.id)
        return [link_token(invitation.link_id) for invitation in survey.invitations]


@pytest.fixture(autouse=True)
def _remove_surveys(live_app):
    yield
    with live_app.app_context():
        while _created:
            db.session.delete(db.session.get(Survey, _created.pop()))
        db.session.commit()


@pytest.fixture
def public_token(live_app):
    """The open survey on Papendorp with its public link on."""
    _invitations(live_app)
    with live_app.app_context():
        survey = db.session.get(Survey, _created[-1])
        survey.public_token = new_token()
        db.session.commit()
        return survey.public_token


def _invitation(token: str) -> SurveyInvitation:
    return db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.link_id == token[:16]))


@pytest.fixture
def phone(browser, live_server):
    """A page on a phone-sized screen that records console errors (a CSP violation is one) and page errors."""
    # reduced motion: SurveyJS then shows pages without fading them in, so axe measures colours at full strength
    context = browser.new_context(
        base_url=live_server,
        locale="nl-NL",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        reduced_motion="reduce",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def choose(page: Page, name: str) -> None:
    """Pick a radio button or tick a checkbox of the questionnaire by its visible text."""
    page.locator(".sd-item").filter(has_text=name).first.locator(".sd-item__decorator").click()


def next_page(page: Page, heading: str) -> None:
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_text(heading, exact=True)).to_be_visible()


def test_answer_the_whole_survey_on_a_phone_offline_and_online(phone, invitation_token, live_app):
    page = phone
    page.goto(f"/enquete/{invitation_token}")
    expect(page.get_by_role("heading", level=1, name="Enquête veiligheid Papendorp")).to_be_visible()
    expect(page.get_by_text("A. Uw bedrijf", exact=True)).to_be_visible()
    expect(page.locator(".sd-root-modern")).to_have_attribute("lang", "nl")
    check_accessibility(page)

    choose(page, "Productie en industrie")
    choose(page, "10\N{EN DASH}49")
    choose(page, "Overdag")

    # a reload before sending brings the answers back from this device
    page.reload()
    expect(page.get_by_text("A. Uw bedrijf", exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="Productie en industrie")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Overdag")).to_be_checked()

    next_page(page, "B. Veiligheidsgevoel")
    check_accessibility(page)
    # a rating scale stays a row of buttons on a phone (test_survey_phone.py)
    page.get_by_role("radiogroup", name="Hoe veilig voelt u zich overdag op het bedrijventerrein?").get_by_text(
        "4", exact=True
    ).click()
    next_page(page, "C. Slachtofferschap")
    check_accessibility(page)
    next_page(page, "D. Melden en aangifte")
    next_page(page, "E. Schoon, heel en veilig")
    next_page(page, "F. Maatregelen")
    choose(page, "Camera's")
    next_page(page, "G. Samenwerking en communicatie")
    page.locator("textarea").last.fill("Meer verlichting bij de ingang.")
    next_page(page, "Contact (niet verplicht)")
    choose(page, "Ja")
    page.get_by_role("textbox", name="Naam").fill("Jan de Vries")
    page.get_by_role("textbox", name="E-mailadres").fill("jan@example.nl")
    choose(page, "Ik wil meedoen in de werkgroep Veilig Bedrijventerrein")
    check_accessibility(page)

    # the connection drops just before sending: the answers stay, with a message and a button to try again
    page.context.set_offline(True)
    page.get_by_role("button", name="Verzenden").click()
    expect(page.get_by_text("er is geen verbinding")).to_be_visible()
    expect(page.get_by_text("open dan later deze link opnieuw op dit apparaat")).to_be_visible()
    retry = page.get_by_role("button", name="Opnieuw versturen")
    expect(retry).to_be_visible()
    expect(page.get_by_role("button", name="Antwoorden aanpassen")).to_be_hidden()
    check_accessibility(page)
    assert page.evaluate(f"localStorage.getItem('vb-enquete-{invitation_token}')") is not None
    with live_app.app_context():
        survey_id = _invitation(invitation_token).survey_id
        assert db.session.scalar(select(SurveyResponse).where(SurveyResponse.survey_id == survey_id)) is None
    # nothing broke and the CSP refused nothing; the one expected error is the request sent while offline
    assert [error for error in page.errors if "ERR_INTERNET_DISCONNECTED" not in error] == []

    # the respondent closes the tab while offline, and opens the link again later: the answers go out then
    page.close()
    page.context.set_offline(False)
    page = page.context.new_page()
    page.goto(f"/enquete/{invitation_token}")
    thanks = page.get_by_role("heading", level=2, name="Hartelijk dank voor het invullen!")
    expect(thanks).to_be_visible()
    expect(page.get_by_text("Wij hebben uw antwoorden goed ontvangen.")).to_be_visible()
    expect(page.get_by_text("op dit apparaat")).to_be_hidden()  # nor does the introduction say so above the thanks
    check_accessibility(page)
    assert page.evaluate(f"localStorage.getItem('vb-enquete-{invitation_token}')") is None

    with live_app.app_context():
        invitation = _invitation(invitation_token)
        assert invitation.status == InvitationStatus.USED
        (response,) = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == invitation.survey_id))
        assert response.answers["sector"] == "productie"
        assert response.answers["hours"] == ["overdag"]
        assert response.answers["safe_day"] == 4
        assert response.answers["remarks"] == "Meer verlichting bij de ingang."
        assert not any(key.startswith("vb_contact") for key in response.answers)
        (contact,) = db.session.scalars(select(SurveyContact).where(SurveyContact.survey_id == invitation.survey_id))
        assert (contact.name, contact.email, contact.wants_working_group) == ("Jan de Vries", "jan@example.nl", True)

    # the link has done its work
    page.goto(f"/enquete/{invitation_token}")
    expect(page.get_by_role("heading", level=1, name="Al ingevuld: dank u wel!")).to_be_visible()
    check_accessibility(page)


def send_while_offline_then_reconnect(page) -> None:
    """Send without a connection, see the answers kept, and come back online: they go out by themselves (the button
    does the same for whoever is quicker)."""
    page.context.set_offline(True)
    page.get_by_role("button", name="Verzenden").click()
    retry = page.get_by_role("button", name="Opnieuw versturen")
    expect(retry).to_be_visible()
    page.context.set_offline(False)
    thanks = page.get_by_role("heading", level=2, name="Hartelijk dank voor het invullen!")
    try:
        expect(thanks).to_be_visible(timeout=5_000)
    except AssertionError:
        retry.click()
    expect(thanks).to_be_visible(timeout=30_000)


def test_answers_kept_offline_go_out_when_the_connection_is_back(phone, invitation_tokens, live_app):
    page, token = phone, invitation_tokens[1]
    page.goto(f"/enquete/{token}")
    choose(page, "Bouw")
    while page.get_by_role("button", name="Verzenden").count() == 0:
        page.get_by_role("button", name="Volgende").click()
    send_while_offline_then_reconnect(page)
    with live_app.app_context():
        assert _invitation(token).status == InvitationStatus.USED


def test_answer_through_the_public_link_on_a_phone(phone, public_token, live_app):
    """The browser does the proof of work by itself when the answers are sent, also when they were first sent
    without a connection; afterwards this device says that it answered, with a way to answer once more (a shared
    computer)."""
    page = phone
    page.goto(f"/enquete/open/{public_token}")
    expect(page.get_by_role("heading", level=1, name="Enquête veiligheid Papendorp")).to_be_visible()
    choose(page, "Bouw")
    while page.get_by_role("button", name="Verzenden").count() == 0:
        page.get_by_role("button", name="Volgende").click()
    send_while_offline_then_reconnect(page)
    check_accessibility(page)
    assert [error for error in page.errors if "ERR_INTERNET_DISCONNECTED" not in error] == []
    with live_app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.public_token == public_token))
        (response,) = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id))
        assert response.via_public_link and response.answers["sector"] == "bouw" and response.proof

    page.goto(f"/enquete/open/{public_token}")
    expect(page.get_by_role("heading", level=2, name="Vanaf dit apparaat is de enquête al ingevuld")).to_be_visible()
    expect(page.get_by_text("A. Uw bedrijf", exact=True)).to_be_hidden()
    check_accessibility(page)
    page.get_by_role("button", name="Toch invullen").click()
    expect(page.get_by_text("A. Uw bedrijf", exact=True)).to_be_visible()


def test_the_questionnaire_follows_the_page_language(phone, invitation_token):
    phone.goto(f"/enquete/{invitation_token}")
    expect(phone.get_by_text("A. Uw bedrijf", exact=True)).to_be_visible()
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_text("A. Your company", exact=True)).to_be_visible()
    expect(phone.get_by_role("button", name="Next")).to_be_visible()
    expect(phone.locator(".sd-root-modern")).to_have_attribute("lang", "en")
    check_accessibility(phone)


def test_the_advisor_invites_the_register(page, invitation_token, live_app):
    with live_app.app_context():
        park_id = db.session.scalar(select(Park.id).where(Park.name == "Papendorp"))
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/enquete/uitnodigingen/")
    expect(page.get_by_role("heading", level=1, name="Uitnodigingen voor de enquête op Papendorp")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Uitnodigingen aanmaken voor het register").click()
    expect(page.get_by_text(re.compile(r"Er zijn \d+ uitnodigingen aangemaakt."))).to_be_visible()
    check_accessibility(page)

    # the invitation mail, previewed for one company before anything is sent
    page.get_by_role("link", name="Voorbeeld van de uitnodiging").click()
    expect(page.get_by_role("heading", level=1, name="Voorbeeld: uitnodiging voor de enquête")).to_be_visible()
    expect(page.get_by_text("Zo ziet de e-mail eruit voor één ontvanger. Er is niets verstuurd.")).to_be_visible()
    expect(page.get_by_text("Uitnodiging: enquête veiligheid op Papendorp")).to_be_visible()
    expect(page.locator(".vb-mail-body")).to_contain_text("/enquete/voorbeeld")
    check_accessibility(page)
    page.get_by_role("link", name="Terug").click()

    # revoking asks first, in a dialog; "no" changes nothing
    rows = page.get_by_role("row")
    first = rows.nth(1)
    name = first.get_by_role("cell").first.inner_text()
    first.get_by_role("button", name=re.compile("^Intrekken")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"De uitnodiging van {name} intrekken? De persoonlijke link werkt daarna niet meer.")
    check_accessibility(page)
    dialog.get_by_role("button", name="Nee, terug").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("row").filter(has_text=name).first).not_to_contain_text("Ingetrokken")
    first.get_by_role("button", name=re.compile("^Intrekken")).click()
    dialog.get_by_role("button", name="Ja, intrekken").click()
    expect(page.get_by_text(f"De uitnodiging van {name} is ingetrokken; de link werkt niet meer.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=name).first).to_contain_text("Ingetrokken")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Brieven downloaden")).click()
    assert download.value.suggested_filename == "brieven-enquete-papendorp.pdf"


def test_unknown_link_page_is_accessible(phone):
    phone.goto("/enquete/dit-is-geen-token")
    expect(phone.get_by_role("heading", level=1, name="Link niet gevonden")).to_be_visible()
    check_accessibility(phone)
