"""Step 3's inventory in a real browser: a police figure, an import with preview, a gebiedsscan and a schouw with a
finding placed on the map, a photo and an action made from it. What the journey adds is removed afterwards, so the
other browser tests see the demo as it was."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdfium2
import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.inventory import photos
from app.inventory.models import Figure, FigureImport, FindingPhoto, Inspection, ScanEntry
from app.parks.models import Cycle, Park
from app.plans.models import Plan, PlanAction
from app.stakeholders.models import Stakeholder
from tests.e2e.conftest import check_accessibility, login, open_park

PARK = "De Hoef"
FIGURES_CSV = (
    "bron;categorie;jaar;kwartaal;aantal\r\n"
    "politie;overval;2021;;2\r\n"
    "brandweer;Incident met gevaarlijke stoffen;2022;3;1\r\n"
    "politie;bestaat_niet;2022;;1\r\n"
).encode("cp1252")


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 120, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def restore_demo(live_app):
    """Remember what the demo park holds; afterwards remove what the journey added and put the scan back."""
    models = (Figure, FigureImport, Inspection, PlanAction, Plan)
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        stakeholders = select(Stakeholder.id).join(Cycle).where(Cycle.park_id == park.id)
        before = {model: set(db.session.scalars(select(model.id))) for model in models}
        scan = [
            (e.stakeholder_id, e.rank, e.phenomenon, e.explanation, e.updated_by_id)
            for e in db.session.scalars(select(ScanEntry).where(ScanEntry.stakeholder_id.in_(stakeholders)))
        ]
        db.session.rollback()
    yield
    with live_app.app_context():
        files = [
            photo.stored_name
            for photo in db.session.scalars(select(FindingPhoto))
            if photo.finding.inspection_id not in before[Inspection]
        ]
        for model in models:  # actions before plans; inspections take their findings and photos along
            for obj in db.session.scalars(select(model).where(model.id.not_in(before[model]))):
                db.session.delete(obj)
            db.session.flush()
        db.session.execute(delete(ScanEntry).where(ScanEntry.stakeholder_id.in_(stakeholders)))
        for stakeholder_id, rank, phenomenon, explanation, updated_by_id in scan:
            db.session.add(
                ScanEntry(
                    stakeholder_id=stakeholder_id,
                    rank=rank,
                    phenomenon=phenomenon,
                    explanation=explanation,
                    updated_by_id=updated_by_id,
                )
            )
        db.session.commit()
        photos.remove_files(files)


def test_advisor_takes_stock_of_a_park(page, restore_demo):
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    open_park(page, PARK)
    expect(page.get_by_role("heading", level=1, name=PARK)).to_be_visible()
    park_id = re.search(r"/parken/(\d+)", page.url).group(1)

    # --- a police figure, entered by hand
    page.goto(f"/parken/{park_id}/cijfers/")
    expect(page.get_by_role("heading", level=1, name=f"Cijfers van {PARK}")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Cijfers invoeren").click()
    expect(page.get_by_role("heading", level=1, name="Cijfers invoeren")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Bron en categorie").select_option(label="Overval")
    page.get_by_label("Jaar").fill("2022")
    page.get_by_label("Periode").select_option(label="Heel jaar")
    page.get_by_label("Aantal").fill("-1")
    page.get_by_role("button", name="Cijfer opslaan").click()
    expect(page.get_by_text("Het aantal is een heel getal van 0 tot en met")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Aantal").fill("4")
    page.get_by_role("button", name="Cijfer opslaan").click()
    expect(page.get_by_text("Het cijfer is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Overval")).to_contain_text("2022")
    check_accessibility(page)

    # --- a file with a preview: nothing changes until it is confirmed
    page.get_by_role("link", name="Bestand importeren").first.click()
    expect(page.get_by_role("heading", level=1, name="Cijfers importeren")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "cijfers.csv", "mimeType": "text/csv", "buffer": FIGURES_CSV}]
    )
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("heading", level=1, name="Controle van cijfers.csv")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Incident met gevaarlijke stoffen")).to_contain_text("Nieuw")
    rejected = page.get_by_role("row").filter(has_text="bestaat_niet")
    expect(rejected).to_contain_text("Afgewezen")
    expect(rejected).to_contain_text("hoort niet bij de bron Politie")
    check_accessibility(page)
    page.get_by_role("button", name="Bevestigen: 2 cijfers verwerken").click()
    expect(
        page.get_by_text("De import is verwerkt: 2 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, 1 afgewezen.")
    ).to_be_visible()
    police = page.get_by_role("region", name="Politie per jaar")
    expect(police.get_by_role("row").filter(has_text="Overval")).to_contain_text("+2 (+100%)")
    expect(page.get_by_role("img", name="Politie: de laatste jaren per categorie")).to_be_visible()
    check_accessibility(page)

    # --- the gebiedsscan of the police
    page.goto(f"/parken/{park_id}/gebiedsscan/")
    expect(page.get_by_role("heading", level=1, name=f"Gebiedsscan van {PARK}")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Top 3 van Politie Midden-Nederland invullen").click()
    expect(page.get_by_role("heading", level=1, name="Top 3 van Politie Midden-Nederland")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Verschijnsel 1").fill("Inbraken in bedrijfspanden")
    page.get_by_label("Toelichting bij 1").fill("Vooral in de nacht van zondag op maandag")
    page.get_by_label("Verschijnsel 2").fill("Diefstal uit bestelbussen")
    page.get_by_label("Verschijnsel 3").fill("Hardrijden")
    page.get_by_role("button", name="Top 3 opslaan").click()
    expect(page.get_by_text("De gebiedsscan van Politie Midden-Nederland is opgeslagen.")).to_be_visible()
    section = page.get_by_role("region", name=re.compile("^Politie Midden-Nederland"))
    expect(section.get_by_role("listitem")).to_have_count(3)
    expect(section).to_contain_text("Vooral in de nacht van zondag op maandag")
    check_accessibility(page)

    # --- a schouw with a finding on the map, a photo, and an action made from it
    page.goto(f"/parken/{park_id}/schouw/")
    expect(page.get_by_role("heading", level=1, name=f"Schouw op {PARK}")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Schouw vastleggen").click()
    expect(page.get_by_role("heading", level=1, name="Schouw vastleggen")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Ronde").select_option(label="In het donker")
    page.get_by_label("Deelnemers").fill("Anouk Adviseur (PVO)\nPeter Politie (politie)")
    page.get_by_role("button", name="Schouw vastleggen").click()
    expect(page.get_by_text("De schouw is vastgelegd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Schouw van "))).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Bevinding toevoegen").click()
    expect(page.get_by_role("heading", level=1, name="Bevinding toevoegen")).to_be_visible()
    finding_map = page.get_by_role("region", name=f"Kaart van {PARK}: klik op de plek van de bevinding")
    expect(finding_map).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Categorie").select_option(label="Afvaldumping en zwerfvuil")
    page.get_by_label("Ernst").select_option(label="Hoog (urgent)")
    page.get_by_label("Wat is er gezien?").fill("Bouwafval gedumpt naast de slagboom")
    page.get_by_label("Voorgestelde actie").fill("Laten ruimen en een camera op de toegang richten")
    finding_map.click()  # the middle of the map: the middle of the park
    expect(page.get_by_label("Breedtegraad")).to_have_value(re.compile(r"^52\.\d{6}$"))
    expect(page.get_by_label("Lengtegraad")).to_have_value(re.compile(r"^5\.\d{6}$"))
    expect(page.get_by_role("status").filter(has_text="Gekozen plek:")).to_be_visible()
    page.get_by_role("button", name="Bevinding opslaan").click()
    expect(page.get_by_text("De bevinding is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Bevinding: Afvaldumping en zwerfvuil")).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Foto", exact=True).set_input_files(
        files=[{"name": "dumping.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}]
    )
    page.get_by_role("button", name="Foto toevoegen").click()
    expect(page.get_by_text("De foto is toegevoegd.")).to_be_visible()
    photo = page.get_by_role("img", name="Foto 1 bij deze bevinding")
    expect(photo).to_be_visible()
    photo.scroll_into_view_if_needed()  # a lazy image loads in view
    assert photo.evaluate("image => image.decode().then(() => image.naturalWidth)") == 320
    check_accessibility(page)

    page.get_by_role("button", name="Actie maken in het uitvoeringsplan").click()
    title = "Laten ruimen en een camera op de toegang richten"  # the suggested action
    expect(page.get_by_text(f"De actie {title} staat in het uitvoeringsplan.")).to_be_visible()
    link = page.get_by_role("link", name=title)
    expect(link).to_have_attribute("href", re.compile(rf"^/parken/{park_id}/plan/#actie-\d+$"))
    expect(page.get_by_role("button", name="Actie maken in het uitvoeringsplan")).to_have_count(0)
    check_accessibility(page)

    page.get_by_role("link", name=re.compile(f"^Schouw van .*{date.today().year}")).first.click()
    expect(page.get_by_role("region", name=re.compile("met de bevindingen van deze schouw"))).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Bouwafval gedumpt naast de slagboom")
    expect(row).to_contain_text("Hoog (urgent)")
    expect(row.get_by_role("link", name=title)).to_be_visible()
    expect(page.locator("#inspection-map path.leaflet-interactive")).to_have_count(1)
    check_accessibility(page)

    # the schouw report for the working group: the finding with its photo, from the walk's page
    with page.expect_download() as download:
        page.get_by_role("link", name="Schouwrapport downloaden (PDF)").click()
    assert re.fullmatch(r"schouwrapport-de-hoef-\d{4}-\d{2}-\d{2}\.pdf", download.value.suggested_filename)
    report = pypdfium2.PdfDocument(download.value.path().read_bytes())
    words = " ".join(" ".join(sheet.get_textpage().get_text_range().split()) for sheet in report)
    assert "Schouw van" in words and "In het donker" in words and "Bouwafval gedumpt naast de slagboom" in words
    assert "Bevinding 1: Afvaldumping en zwerfvuil" in words  # the photo's caption
    images = [o for p in report for o in p.get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    assert images, "the photo (and the map) are in the report"
