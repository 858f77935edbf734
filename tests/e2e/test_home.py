"""Each role logs in and lands on a home page that says what needs them now, in a real browser: axe-clean, and
not scrolling sideways on a 375 px phone. The entrepreneur updates an overdue action in place; the camera officer
follows the offline camera and the due check from there; everyone finds a park through the switcher."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.plans.models import ActionNote, ActionStatus, PlanAction
from tests.e2e.conftest import PHONE, check_accessibility, login

OVERDUE_ACTION = "WhatsApp-groep voor het melden van verdachte situaties"
#: who owns it: an entrepreneur of Cartesiusweg's own association
OWNER = "secretaris"


def _land(page: Page, who: str) -> None:
    login(page, f"{who}@{DEMO_DOMAIN}", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    check_accessibility(page)


def _fits_the_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.reload()
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"{page.url} scrolls sideways at 375 px: {width} > {client}"
    check_accessibility(page)


def test_the_advisor_sees_per_park_what_blocks_it_and_filters_by_keyboard(page: Page):
    _land(page, "adviseur")
    advisor = page.locator("[data-home=advisor]")
    expect(advisor.get_by_role("heading", name="Uw parken: wat nu aandacht vraagt")).to_be_visible()
    de_hoef = advisor.locator("li.vb-home-card", has_text="De Hoef")
    expect(de_hoef).to_contain_text("2. Samenstelling deelnemers")
    expect(de_hoef).to_contain_text("Er is een kick-off gehouden")
    lage_weide = advisor.locator("li.vb-home-card", has_text="Lage Weide")
    expect(lage_weide).to_contain_text("Respons enquête")
    expect(lage_weide).to_contain_text("Volgende vergadering")
    _fits_the_phone(page)
    # search by keyboard only: type in the field and press Enter
    page.get_by_label("Zoek op naam").fill("hoef")
    page.get_by_label("Zoek op naam").press("Enter")
    expect(page).to_have_url(re.compile(r"q=hoef"))
    expect(advisor.locator("li.vb-home-card")).to_have_count(1)
    check_accessibility(page)
    page.get_by_label("Zoek op naam").fill("")
    page.get_by_label("Stap", exact=True).select_option(label="1. Afbakening gebied")
    page.get_by_role("button", name="Toon").click()
    expect(advisor.locator("li.vb-home-card")).to_have_count(1)
    expect(advisor).to_contain_text("Papendorp")
    # a blocker's link leads to the page where it is met
    advisor.get_by_role("link", name=re.compile("Bedrijven buiten het gebied bekijken")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bedrijven")
    check_accessibility(page)


@pytest.fixture
def overdue_action(live_app):
    """The demo's overdue action of the entrepreneurs of Cartesiusweg, put back as it was afterwards."""
    with live_app.app_context():
        action = db.session.scalar(select(PlanAction).where(PlanAction.title == OVERDUE_ACTION))
        action_id, status = action.id, action.status
        notes = set(db.session.scalars(select(ActionNote.id).where(ActionNote.action_id == action_id)))
    yield action_id
    with live_app.app_context():
        action = db.session.get(PlanAction, action_id)
        action.status, action.done_on = status, None
        db.session.execute(delete(ActionNote).where(ActionNote.action_id == action_id, ActionNote.id.not_in(notes)))
        db.session.commit()


def test_the_entrepreneur_updates_an_overdue_action_from_the_home_page(page: Page, live_app, overdue_action):
    _land(page, OWNER)
    card = page.locator(f"#action-{overdue_action}")
    expect(card).to_contain_text(OVERDUE_ACTION)
    expect(card).to_contain_text("te laat")
    expect(page.locator("[data-home=member]")).to_contain_text("Volgende vergaderingen")
    _fits_the_phone(page)
    card.get_by_label("Nieuwe status").select_option(label="Gereed")
    card.get_by_label("Voortgang").fill("Alle veertig bedrijven zitten in de groep.")
    card.get_by_role("button", name="Bijwerken").click()
    expect(page.locator(".utrecht-alert", has_text="is bijgewerkt")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/#action-"))
    expect(page.locator(f"#action-{overdue_action}")).to_have_count(0)  # done: no longer waiting
    check_accessibility(page)
    with live_app.app_context():
        assert db.session.get(PlanAction, overdue_action).status == ActionStatus.DONE


def test_the_entrepreneur_is_told_when_an_update_changes_nothing(page: Page, overdue_action):
    _land(page, OWNER)
    card = page.locator(f"#action-{overdue_action}")
    card.get_by_role("button", name="Bijwerken").click()
    expect(page.locator(f"#action-{overdue_action}")).to_contain_text("Kies een nieuwe status")
    check_accessibility(page)


def test_the_camera_officer_follows_the_offline_camera_and_the_due_check_from_home(page: Page):
    _land(page, "camera")
    cameras = page.locator("[data-home=camera_officer]")
    expect(cameras).to_contain_text("Camera's die nu offline zijn")
    _fits_the_phone(page)
    cameras.get_by_role("link", name="Camera LW-05").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("LW-05")
    check_accessibility(page)
    page.go_back()
    cameras.get_by_role("link", name="Controle uitvoeren in Lage Weide").click()
    expect(page).to_have_url(re.compile(r"/cameras/controles/uitvoeren$"))
    check_accessibility(page)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("gemeente", "Wat nu op u wacht"),
        ("politie", "Alertavond"),
        ("auditor", "toegang tot en met"),
        ("beheer", "Beheer van het platform"),
    ],
)
def test_every_role_lands_on_a_home_page_that_fits_a_phone(page: Page, who, sees):
    _land(page, who)
    expect(page.locator("main")).to_contain_text(sees)
    _fits_the_phone(page)


def test_the_park_switcher_finds_a_park_by_keyboard(page: Page):
    _land(page, "gemeente")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Parken").click()
    check_accessibility(page)
    field = page.get_by_label("Zoek op naam")
    field.fill("weide")
    field.press("Enter")
    expect(page.locator("main")).to_contain_text("1 park")
    _fits_the_phone(page)
    page.get_by_role("link", name="Lage Weide").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/parken/\d+$"))
