"""Journeys through the accounts area in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility, login

HOME_HEADINGS = {
    "beheer": "Beheer van het platform",
    "adviseur": "Parken die u begeleidt",
    "gemeente": "Parken in uw gemeente",
    "ondernemer": "Uw bedrijventerrein",
    "politie": "Parken waar u partner bent",
    "brandweer": "Parken waar u partner bent",
    "camera": "Cameratoezicht en kwaliteitscontroles",
    "auditor": "Dossiers ter inzage",
}


@pytest.mark.parametrize("account", sorted(HOME_HEADINGS))
def test_each_demo_role_logs_in_and_sees_its_home_page(page, account):
    login(page, f"{account}@{DEMO_DOMAIN}", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=2, name=HOME_HEADINGS[account])).to_be_visible()
    check_accessibility(page)
    # a park listed by name (the advisor's cards; the municipality's parks are in the overviews it links to)
    first_park = page.locator(
        'main .utrecht-link-list__link[href^="/parken/"]:not([href="/parken/"]):not([href="/parken/nieuw"]), '
        "main [data-home=advisor] .vb-home-card__title a"
    ).first
    if first_park.count():
        name = first_park.inner_text()
        first_park.click()
        expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
        check_accessibility(page)
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()


def test_wrong_password_shows_the_error(page):
    login(page, f"adviseur@{DEMO_DOMAIN}", "not the password")
    expect(page.get_by_role("alert")).to_contain_text("Dit e-mailadres en wachtwoord horen niet bij elkaar.")
    expect(page.get_by_label("E-mailadres")).to_have_value(f"adviseur@{DEMO_DOMAIN}")
    check_accessibility(page)


def test_language_switch(page):
    page.goto("/inloggen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_accessibility(page)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_admin_pages_are_accessible_and_keyboard_usable(page):
    login(page, f"beheer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Beheer", exact=True).click()
    check_accessibility(page)
    for name in ("Gebruikers", "Organisaties", "Logboek"):
        page.get_by_role("link", name=re.compile(f"^{name}")).first.click()
        check_accessibility(page)
        page.go_back()
    page.goto("/parken/nieuw")
    check_accessibility(page)
    # keyboard only: the skip link is the first stop and moves focus to the content
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("Naam van het park").focus()
    page.keyboard.type("Hoogveld")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Hoogveld")).to_be_visible()
    check_accessibility(page)


def test_profile_page(page):
    login(page, f"ondernemer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Olga Ondernemer").click()
    expect(page.get_by_role("heading", level=1, name="Mijn profiel")).to_be_visible()
    check_accessibility(page)
