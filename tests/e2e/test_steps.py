"""The journey of step 1: an advisor starts a new park from the home page (no admin needed), gives it its boundary
and a company, completes step 1 and the park moves on to step 2."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility, login

EEMHAVEN = {
    "type": "Polygon",
    "coordinates": [[[5.370, 52.170], [5.385, 52.170], [5.385, 52.178], [5.370, 52.178], [5.370, 52.170]]],
}


def test_complete_step_1_and_step_2_becomes_current(page):
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Nieuw park aanmaken").click()
    check_accessibility(page)
    page.get_by_label("Naam van het park").fill("Eemhaven")
    # the advisor's municipalities only: those of the parks they advise
    expect(page.get_by_label("Gemeente").locator("option")).to_have_text(["Gemeente Amersfoort", "Gemeente Utrecht"])
    page.get_by_label("Gemeente").select_option(label="Gemeente Amersfoort")
    page.get_by_role("button", name="Park aanmaken").click()
    expect(page.get_by_role("heading", level=1, name="Eemhaven")).to_be_visible()
    expect(page.get_by_text("Het park is aangemaakt.")).to_be_visible()
    current = page.locator(".vb-stepper__step--current")
    expect(current).to_contain_text("Afbakening gebied")
    expect(page.get_by_role("button", name="Stap 1 afronden")).to_be_visible()
    check_accessibility(page)

    # refused while the criteria do not hold, with what is missing
    page.get_by_role("button", name="Stap 1 afronden").click()
    expect(page.get_by_role("alert")).to_contain_text("Stap 1 kan nog niet worden afgerond")

    page.get_by_role("link", name="Gebied intekenen").click()
    page.get_by_label("Gebied als GeoJSON").fill(json.dumps(EEMHAVEN))
    page.get_by_role("button", name="Gebied opslaan").click()
    expect(page.get_by_text("Het gebied is opgeslagen.")).to_be_visible()

    page.get_by_role("link", name="Eemhaven").last.click()
    page.get_by_role("link", name="Naar het bedrijvenregister").click()
    page.get_by_role("link", name="Bedrijf toevoegen").click()
    page.get_by_label("Naam").fill("Havenbedrijf Eem")
    page.get_by_label("Straat").fill("Havenweg")
    page.get_by_label("Huisnummer").fill("4")
    page.get_by_label("Postcode").fill("3821 ab")
    page.get_by_label("Breedtegraad").fill("52,174")
    page.get_by_label("Lengtegraad").fill("5,378")
    page.get_by_role("button", name="Bedrijf toevoegen").click()
    expect(page.get_by_text("Havenbedrijf Eem").first).to_be_visible()

    page.get_by_role("link", name="Eemhaven").last.click()
    expect(page.locator(".vb-checklist__item--open")).to_have_count(0)
    page.get_by_label("Toelichting (optioneel)").fill("Grens en register met de gemeente afgestemd")
    page.get_by_role("button", name="Stap 1 afronden").click()
    expect(page.get_by_text("Stap 1 is afgerond.")).to_be_visible()
    expect(page.locator(".vb-stepper__step--current")).to_contain_text("Samenstelling deelnemers")
    expect(page.get_by_text("Grens en register met de gemeente afgestemd")).to_be_visible()
    check_accessibility(page)
