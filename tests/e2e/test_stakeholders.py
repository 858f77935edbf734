"""The stakeholders of a park (step 2) in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility, check_phone_width, login, open_park


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

    # leave the demo park as it was for the other journeys: removing asks first
    page.get_by_role("link", name="Douane Utrecht").click()
    page.get_by_role("link", name="Douane Utrecht verwijderen…").click()
    expect(page.get_by_role("heading", level=1, name="Douane Utrecht verwijderen uit cyclus 1?")).to_be_visible()
    expect(page.get_by_text("De tekenbevoegde Mr. D. de Jong wordt niet meer bewaard.")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Ja, Douane Utrecht verwijderen").click()
    expect(page.get_by_text("Douane Utrecht doet niet meer mee in deze cyclus.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Douane Utrecht")).to_have_count(0)
    check_accessibility(page)


def test_advisor_adds_a_new_organisation_is_warned_of_a_near_duplicate_and_invites_a_second_person(page):
    """Issue 19 §4: no admin needed to add an organisation; a look-alike is offered first; a second person of an
    organisation is invited as an extra user and the page says so."""
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    open_park(page, "De Hoef")
    page.get_by_role("link", name="Alle deelnemers").click()
    expect(page.get_by_role("heading", level=1, name="Deelnemers van De Hoef")).to_be_visible()
    check_phone_width(page)

    # a new organisation nobody has entered yet is made and added at once
    page.get_by_label("Naam nieuwe organisatie").fill("Buurtpreventie De Hoef")
    page.get_by_label("Soort nieuwe organisatie").select_option(label="Overig")
    page.get_by_label("Rol in het samenwerkingsverband").select_option(label="Overige partner")
    page.get_by_label("Naam vertegenwoordiger").fill("Bert Buurt")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Buurtpreventie De Hoef is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Buurtpreventie De Hoef")).to_contain_text("Bert Buurt")
    check_accessibility(page)

    # a near-duplicate of an existing organisation: the look-alike is shown, the advisor uses it
    page.get_by_label("Naam nieuwe organisatie").fill("Bedrijven Kring Papendorp")
    page.get_by_label("Soort nieuwe organisatie").select_option(label="Ondernemersvereniging")
    page.get_by_label("Rol in het samenwerkingsverband").select_option(label="Overige partner")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Er bestaan al organisaties die lijken op Bedrijven Kring Papendorp.")).to_be_visible()
    expect(page.get_by_label("Maak Bedrijven Kring Papendorp toch aan: het is een andere organisatie")).to_be_visible()
    expect(page.get_by_label("Naam nieuwe organisatie")).to_have_value("Bedrijven Kring Papendorp")
    check_accessibility(page)
    page.get_by_label("Gebruik Bedrijvenkring Papendorp (Ondernemersvereniging)").check()
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Bedrijvenkring Papendorp is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("link", name="Bedrijvenkring Papendorp", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Bedrijven Kring Papendorp", exact=True)).to_have_count(0)

    # a second person of an organisation with a representative: the page says what will happen
    page.get_by_role("link", name="Buurtpreventie De Hoef").click()
    expect(page.get_by_text("Bert Buurt is nu de vertegenwoordiger.", exact=False)).to_be_visible()
    expect(page.get_by_label("Extra gebruiker: Bert Buurt blijft de vertegenwoordiger")).to_be_checked()
    expect(page.get_by_label("Maak de nieuwe persoon de vertegenwoordiger, in plaats van Bert Buurt")).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)
    invite = page.get_by_role("region", name="Iemand van Buurtpreventie De Hoef uitnodigen")
    invite.get_by_label("Naam", exact=True).fill("Carla Collega")
    invite.get_by_label("E-mailadres", exact=True).fill("carla.collega@example.nl")
    invite.get_by_role("button", name="Uitnodigen").click()
    expect(
        page.get_by_text(
            "carla.collega@example.nl is uitgenodigd als extra gebruiker van Buurtpreventie De Hoef; "
            "Bert Buurt blijft de vertegenwoordiger."
        )
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Buurtpreventie De Hoef")).to_contain_text("Bert Buurt")
    check_accessibility(page)

    # leave the demo park as it was for the other journeys
    for name in ("Buurtpreventie De Hoef", "Bedrijvenkring Papendorp"):
        page.get_by_role("link", name=name, exact=True).click()
        page.get_by_role("link", name=f"{name} verwijderen…").click()
        page.get_by_role("button", name=f"Ja, {name} verwijderen").click()
        expect(page.get_by_text(f"{name} doet niet meer mee in deze cyclus.")).to_be_visible()


def test_admin_merges_an_organisation_entered_twice(page):
    """The demo has the Metaalunie twice; the admin sees what would move, confirms, and one is left."""
    login(page, f"beheer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Beheer", exact=True).click()
    page.get_by_role("link", name=re.compile("^Organisaties")).click()
    page.get_by_role("link", name="Metaalunie", exact=True).click()
    page.get_by_role("link", name="Metaalunie samenvoegen met een andere organisatie").click()
    expect(page.get_by_role("heading", level=1, name="Metaalunie samenvoegen")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Opnemen in Koninklijke Metaalunie (Branchevereniging)").click()
    expect(page.get_by_role("heading", name="Metaalunie opnemen in Koninklijke Metaalunie?")).to_be_visible()
    expect(page.get_by_text("0 deelnames aan een park")).to_be_visible()
    check_accessibility(page)
    check_phone_width(page)
    page.get_by_role("button", name="Ja, Metaalunie opnemen in Koninklijke Metaalunie").click()
    expect(page.get_by_text("Metaalunie is samengevoegd met Koninklijke Metaalunie.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Koninklijke Metaalunie")).to_be_visible()
    page.get_by_role("link", name="Organisaties", exact=True).click()
    expect(page.get_by_role("link", name="Metaalunie", exact=True)).to_have_count(0)
