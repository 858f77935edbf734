"""The mayor's letter on the municipality's letterhead: the municipality officer sets the logo and signatory from
their profile; the advisor previews the letter and prints them all."""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.stakeholders.demo import DEMO_LETTERHEADS, LOGO_COLOURS, demo_logo
from app.stakeholders.logos import remove_logo_files, replace_logo
from app.stakeholders.models import Organisation, OrganisationType
from tests.e2e.conftest import check_accessibility, login

MUNICIPALITY = "Gemeente Utrecht"


@pytest.fixture
def letterhead_restored(live_app):
    """The demo municipality's letterhead as the demo left it, again after the test."""
    yield
    with live_app.app_context():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == MUNICIPALITY))
        address, name, function = DEMO_LETTERHEADS[MUNICIPALITY]
        organisation.letter_address, organisation.signatory_name, organisation.signatory_function = (
            address,
            name,
            function,
        )
        previous = replace_logo(organisation, demo_logo(MUNICIPALITY, LOGO_COLOURS[OrganisationType.GEMEENTE]))
        db.session.commit()
        remove_logo_files([previous])


def _logo_png() -> bytes:
    image = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((0, 0, 160, 160), fill=(0, 110, 60, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _pdf_text(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def test_the_officer_sets_the_letterhead_and_the_advisor_prints_the_letters(page: Page, live_app, letterhead_restored):
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.get_by_role("link", name="Gerrit Gemeente").click()
    page.get_by_role("link", name=f"Briefpapier en logo van {MUNICIPALITY}").click()
    expect(page.get_by_role("heading", level=1, name="Briefpapier en logo")).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Afbeelding van het logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": _logo_png()}
    )
    page.get_by_role("button", name="Logo vervangen").click()
    expect(page.get_by_text("Het logo is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("img", name=f"Het logo van {MUNICIPALITY}")).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Naam van de ondertekenaar").fill("mr. W.F. Zuilenstein")
    page.get_by_label("Functie van de ondertekenaar").fill("burgemeester")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Het briefpapier is opgeslagen.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    with live_app.app_context():
        park_id = db.session.scalar(select(Park.id).where(Park.name == "Lage Weide"))
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/enquete/brief")
    expect(page.get_by_role("heading", level=1, name="Brief van de burgemeester")).to_be_visible()
    preview = page.get_by_role("article", name="Voorbeeld van de brief")
    expect(preview).to_contain_text("mr. W.F. Zuilenstein")
    expect(preview).to_contain_text(re.compile(r"/e/abcd-efgh-jkmn-pqrs"))
    check_accessibility(page)

    english = page.request.get(page.get_by_role("link", name="Engelse brief (PDF)").get_attribute("href"))
    assert english.ok and "Dear entrepreneur," in _pdf_text(english.body())[0]

    page.goto(f"/parken/{park_id}/enquete/uitnodigingen/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Brieven downloaden")).click()
    pages = _pdf_text(download.value.path().read_bytes())
    assert pages and all("mr. W.F. Zuilenstein burgemeester" in text for text in pages if "groet" in text)
    assert any("Dear entrepreneur," in text for text in pages)  # an English company of the demo
    assert all("Pagina" not in text for text in pages)
