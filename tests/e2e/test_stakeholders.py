"""The stakeholders of a park (step 2) in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility, login, open_park


def test_advisor_adds_edits_and_removes_a_stakeholder(page):
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    open_park(page, "De Hoef")
    expect(page.get_by_role("heading", level=1, name="De Hoef")).to_be_visible()
    park_id = re.search(r"/parken/(\d+)", page.url).group(1)

    page.goto(f"/parken/{park_id}/deelnemers/")
    expect(page.get_by_role("heading", level=1, name="Deelnemers van De Hoef")).to_be_visible()
    expect(page.get_by_role("link", name="Politie Midden-Nederland", exact=True)).to_be_visible()
    check_accessibility(page)

    # an organisation whose role does not fit is refused with a message, and the input stays
    page.get_by_label("Organisatie", exact=True).select_option(label="Douane Utrecht (Douane)")
    page.get_by_label("Rol in het samenwerkingsverband").select_option(label="Politie")
    page.get_by_label("Naam vertegenwoordiger").fill("Dirk Douane")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("past niet bij een organisatie van het soort Douane")
    expect(page.get_by_label("Naam vertegenwoordiger")).to_have_value("Dirk Douane")
    check_accessibility(page)

    page.get_by_label("Rol in het samenwerkingsverband").select_option(label="Overige partner")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Douane Utrecht is toegevoegd.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Douane Utrecht")
    expect(row).to_contain_text("Overige partner")
    expect(row).to_contain_text("Dirk Douane")
    check_accessibility(page)

    row.get_by_role("link", name="Douane Utrecht").click()
    expect(page.get_by_role("heading", level=1, name="Douane Utrecht")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Naam tekenbevoegde").fill("Mr. D. de Jong")
    page.get_by_label("Functie tekenbevoegde").fill("Teamleider")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De gegevens van Douane Utrecht zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Douane Utrecht")).to_contain_text("Mr. D. de Jong")

    pdf = page.request.get(f"/parken/{park_id}/deelnemers/intentieverklaring.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    # leave the demo park as it was for the other journeys
    page.get_by_role("link", name="Douane Utrecht").click()
    page.get_by_role("button", name="Douane Utrecht verwijderen").click()
    expect(page.get_by_text("Douane Utrecht doet niet meer mee in deze cyclus.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Douane Utrecht")).to_have_count(0)
    check_accessibility(page)
