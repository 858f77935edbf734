"""The camera network in a real browser: the municipality officer records Papendorp's network, places a camera by
clicking the map, sees it in the list, and the public register names the park without positions. What the journey
adds is removed afterwards, so the other browser tests see the demo as it was."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.cameras.models import CameraNetwork
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from tests.e2e.conftest import check_accessibility, login

PARK = "Papendorp"


@pytest.fixture
def park_id(live_app):
    """Papendorp's id; afterwards its camera network (with its cameras) is removed again (the audit log is
    append-only and keeps its events)."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        assert db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id)) is None
        park_id = park.id
        db.session.rollback()
    yield park_id
    with live_app.app_context():
        network = db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park_id))
        if network is not None:
            db.session.delete(network)
        db.session.commit()


def test_municipality_records_a_network_and_places_a_camera(page, live_server, park_id):
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server}/parken/{park_id}/cameras/")
    expect(page.get_by_role("heading", level=1, name="Cameratoezicht")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Cameranetwerk vastleggen").click()
    expect(page.get_by_role("heading", level=1, name="Cameranetwerk vastleggen")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Naam van het netwerk").fill("Camerasysteem Papendorp")
    page.get_by_label("Eigenaar (verwerkingsverantwoordelijke)").fill("Stichting Papendorp Veilig")
    page.get_by_label("Meldkamer (toezichtcentrale)").fill("Meldkamer Midden")
    page.get_by_label("Doel van het cameratoezicht").fill("Bescherming van de eigendommen van de ondernemers.")
    page.get_by_label("Contact voor vragen van het publiek").fill("info@papendorp.example")
    page.get_by_label("Bewaartermijn van de beelden (dagen)").fill("35")
    page.get_by_role("button", name="Netwerk opslaan").click()
    expect(page.get_by_text("Beelden mogen hoogstens 28 dagen worden bewaard").first).to_be_visible()
    expect(page.get_by_label("Naam van het netwerk")).to_have_value("Camerasysteem Papendorp")
    check_accessibility(page)
    page.get_by_label("Bewaartermijn van de beelden (dagen)").fill("28")
    page.get_by_role("button", name="Netwerk opslaan").click()
    expect(page.get_by_text("Het cameranetwerk is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Camerasysteem Papendorp")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name="Camera toevoegen").click()
    expect(page.get_by_role("heading", level=1, name="Camera toevoegen")).to_be_visible()
    camera_map = page.get_by_role("region", name=f"Kaart van {PARK}: klik op de plek van de camera")
    expect(camera_map).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Code").fill("P01")
    page.get_by_label("Soort camera").select_option(label="Kentekencamera (ANPR)")
    camera_map.click()  # the middle of the map: the middle of the park
    expect(page.get_by_label("Breedtegraad")).to_have_value(re.compile(r"^52\.\d{6}$"))
    expect(page.get_by_label("Lengtegraad")).to_have_value(re.compile(r"^5\.\d{6}$"))
    expect(page.get_by_role("status").filter(has_text="Gekozen plek:")).to_be_visible()
    page.get_by_label("Kijkrichting (graden)").fill("90")
    page.get_by_role("button", name="Camera opslaan").click()
    expect(page.get_by_text("Camera P01 is toegevoegd.")).to_be_visible()
    expect(page.get_by_role("cell", name="P01")).to_be_visible()
    expect(page.get_by_role("cell", name="Kentekencamera (ANPR)")).to_be_visible()
    # the camera's marker shows its type (a square: number-plate camera) and its state, named for a screen reader
    expect(page.locator("#camera-map .vb-camera-marker--anpr.vb-camera-marker--online")).to_have_count(1)
    expect(page.get_by_role("button", name="P01 · Kentekencamera (ANPR) · Online")).to_be_visible()
    expect(page.get_by_test_id("camera-legend")).to_contain_text("Kentekencamera (ANPR): vierkant")
    check_accessibility(page)

    # a typed position far outside the park is refused, with the input kept
    page.get_by_role("link", name="Camera toevoegen").click()
    page.get_by_label("Code").fill("P02")
    page.get_by_label("Breedtegraad").fill("52,2000")
    page.get_by_label("Lengtegraad").fill("5,2000")
    page.get_by_role("button", name="Camera opslaan").click()
    expect(page.get_by_text("meer dan 50 meter buiten het park").first).to_be_visible()
    expect(page.get_by_label("Breedtegraad")).to_have_value("52,2000")
    check_accessibility(page)

    page.goto(f"{live_server}/cameraregister/")
    expect(page.get_by_role("heading", level=2, name=re.compile(PARK))).to_be_visible()
    expect(page.get_by_text("Stichting Papendorp Veilig")).to_be_visible()
    check_accessibility(page)
