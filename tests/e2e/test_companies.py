"""The company register of a park (step 1) in a real browser: import through a preview, edit, export."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility, login, open_park

REGISTER_CSV = (
    "naam;kvk;straat;huisnummer;toevoeging;postcode;sector;e-mail;breedtegraad;lengtegraad\r\n"
    "Drukkerij Papendorp;30111222;Papendorpseweg;100;;3528 BJ;Grafisch;info@drukkerij.example;52,3731;4,8922\r\n"
    "Café Het Zuiden;;Papendorpseweg;102;A;3528bj;Horeca;;;\r\n"
    "Zonder Postcode;;Papendorpseweg;104;;;;;;\r\n"
).encode("cp1252")


def test_advisor_imports_checks_and_keeps_the_register(page):
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    open_park(page, "Papendorp")
    expect(page.get_by_role("heading", level=1, name="Papendorp")).to_be_visible()
    park_id = re.search(r"/parken/(\d+)", page.url).group(1)

    page.goto(f"/parken/{park_id}/bedrijven/")
    expect(page.get_by_role("heading", level=1, name="Bedrijven op Papendorp")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Bedrijf toevoegen").click()
    expect(page.get_by_role("heading", level=1, name="Bedrijf toevoegen")).to_be_visible()
    check_accessibility(page)
    page.go_back()

    page.get_by_role("link", name="Bestand importeren").click()
    expect(page.get_by_role("heading", level=1, name="Bestand importeren")).to_be_visible()
    check_accessibility(page)
    # without a file: a message on the field
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_text("Kies een bestand.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "bedrijven.csv", "mimeType": "text/csv", "buffer": REGISTER_CSV}]
    )
    page.get_by_role("button", name="Bestand controleren").click()

    expect(page.get_by_role("heading", level=1, name="Controle van bedrijven.csv")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Drukkerij Papendorp")).to_contain_text("Nieuw")
    expect(page.get_by_role("row").filter(has_text="Café Het Zuiden")).to_contain_text("Papendorpseweg 102A, 3528 BJ")
    rejected = page.get_by_role("row").filter(has_text="Zonder Postcode")
    expect(rejected).to_contain_text("Afgewezen")
    expect(rejected).to_contain_text("Vul de postcode in.")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile(r"^Alleen: Afgewezen")).click()
    expect(page.get_by_role("row").filter(has_text="Drukkerij Papendorp")).to_have_count(0)
    check_accessibility(page)

    page.get_by_role("button", name="Bevestigen: 2 bedrijven verwerken").click()
    expect(
        page.get_by_text("De import is verwerkt: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 1 afgewezen.")
    ).to_be_visible()
    drukkerij = page.get_by_role("row").filter(has_text="Drukkerij Papendorp")
    expect(drukkerij).to_contain_text("30111222")
    expect(drukkerij).to_contain_text("Buiten het gebied")  # its point is in Amsterdam
    expect(page.get_by_role("row").filter(has_text="Café Het Zuiden")).to_contain_text("Geen coördinaten")
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als CSV").click()
    assert re.fullmatch(r"bedrijven-papendorp-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename)

    drukkerij.get_by_role("button", name="Hoort erbij: Drukkerij Papendorp").click()
    expect(
        page.get_by_text("Drukkerij Papendorp hoort bij het park, ook al ligt het buiten het gebied.")
    ).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Drukkerij Papendorp")).to_contain_text("geaccepteerd")
    check_accessibility(page)

    page.get_by_role("link", name="Café Het Zuiden", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Café Het Zuiden")).to_be_visible()
    expect(page.get_by_label("Postcode")).to_have_value("3528 BJ")
    check_accessibility(page)
    page.get_by_label("Postcode").fill("0528 BJ")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Een postcode bestaat uit 4 cijfers")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Postcode").fill("3528 bj")
    page.get_by_label("Sector").fill("Horeca en catering")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De gegevens van Café Het Zuiden zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Café Het Zuiden")).to_contain_text("Horeca en catering")

    # leave the demo park as it was for the other journeys
    for name in ("Café Het Zuiden", "Drukkerij Papendorp"):
        page.get_by_role("link", name=name, exact=True).click()
        page.get_by_role("button", name=f"{name} verwijderen").click()
        page.get_by_role("dialog").get_by_role("button", name="Ja, verwijderen").click()
        expect(page.get_by_text(f"{name} is uit het register verwijderd.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=re.compile("Drukkerij Papendorp|Café Het Zuiden"))).to_have_count(0)
    check_accessibility(page)
