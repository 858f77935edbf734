"""The footage-request log in a real browser: the demo camera officer records a justice request on a written
demand (handed over) and one by an entrepreneur (refused with its reason) on Papendorp and sees both in the log.
The network and camera are made in a fixture and removed afterwards, with the requests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.cameras.models import Camera, CameraNetwork, CameraType, FootageRequest, TechnologyChange
from app.clock import LOCAL_TIME
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from tests.e2e.conftest import check_accessibility, login

PARK = "Papendorp"
CAMERA = "PD-E2E-1"


@pytest.fixture
def papendorp_network(live_app):
    """A network with one camera on Papendorp (or one more camera on its network); removed afterwards."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        network = db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))
        created = network is None
        if created:
            network = CameraNetwork(park=park, name="Cameranetwerk Papendorp (test)", retention_days=28)
            db.session.add(network)
        camera = Camera(network=network, code=CAMERA, type=CameraType.FIXED, lat=52.075, lon=5.08)
        db.session.add(camera)
        db.session.commit()
        network_id, camera_id, park_id = network.id, camera.id, park.id
        before = set(db.session.scalars(select(FootageRequest.id)))
        changes_before = set(db.session.scalars(select(TechnologyChange.id)))
    yield park_id
    with live_app.app_context():
        db.session.execute(
            delete(FootageRequest).where(FootageRequest.network_id == network_id, FootageRequest.id.not_in(before))
        )
        db.session.execute(delete(Camera).where(Camera.id == camera_id))
        changes = delete(TechnologyChange).where(
            TechnologyChange.network_id == network_id, TechnologyChange.id.not_in(changes_before)
        )
        db.session.execute(changes)
        if created:
            db.session.execute(delete(CameraNetwork).where(CameraNetwork.id == network_id))
        db.session.commit()


def _local(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%dT%H:%M")


def _fill_request(page, *, kind: str, authority: str, start: datetime, end: datetime) -> None:
    today = datetime.now(LOCAL_TIME).date().isoformat()
    page.get_by_label("Ontvangen op").fill(today)
    page.get_by_label("Wie vraagt om de beelden?").select_option(label=kind)
    page.get_by_label("Naam van de aanvrager of instantie").fill(authority)
    page.get_by_label("Camera's").select_option(label=CAMERA)
    page.get_by_label("Begin van de gevraagde periode").fill(_local(start))
    page.get_by_label("Einde van de gevraagde periode").fill(_local(end))


def test_camera_officer_records_footage_requests(page, papendorp_network):
    park_id = papendorp_network
    now = datetime.now(LOCAL_TIME)
    login(page, f"camera@{DEMO_DOMAIN}", DEMO_PASSWORD)

    page.goto(f"/parken/{park_id}/cameras/vorderingen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzoeken om camerabeelden")
    check_accessibility(page)

    # justice, with a written demand, for last night: handed over
    page.get_by_role("link", name="Verzoek vastleggen").click()
    check_accessibility(page)
    _fill_request(
        page,
        kind="Politie of Openbaar Ministerie met een schriftelijke vordering",
        authority="Politie Midden-Nederland, team Utrecht-West",
        start=now - timedelta(days=1, hours=3),
        end=now - timedelta(days=1),
    )
    page.get_by_label("Kenmerk van de schriftelijke vordering").fill("PL0900-E2E-1")
    page.get_by_label("Datum van de vordering").fill(now.date().isoformat())
    page.get_by_label("Besluit").select_option(label="Verstrekt")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het verzoek is vastgelegd.")).to_be_visible()
    check_accessibility(page)

    # an entrepreneur asks to see footage: refusing without a reason is not possible, with one it is recorded
    page.get_by_role("link", name="Verzoek vastleggen").click()
    _fill_request(
        page,
        kind="Deelnemer of ondernemer",
        authority="Bakkerij de Korf",
        start=now - timedelta(days=2, hours=1),
        end=now - timedelta(days=2),
    )
    page.get_by_label("Besluit").select_option(label="Verstrekt")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("schriftelijke vordering van justitie").first).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Besluit").select_option(label="Geweigerd")
    page.get_by_label("Reden van de weigering").fill("Geen schriftelijke vordering van justitie.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Het verzoek is vastgelegd.")).to_be_visible()

    log = page.get_by_role("table")
    expect(log.get_by_role("row", name="Politie Midden-Nederland")).to_contain_text("Verstrekt")
    expect(log.get_by_role("row", name="Bakkerij de Korf")).to_contain_text("Geweigerd")
    check_accessibility(page)

    log.get_by_role("row", name="Bakkerij de Korf").get_by_role("link").click()
    expect(page.get_by_text("Geen schriftelijke vordering van justitie.")).to_be_visible()
    check_accessibility(page)


def test_camera_officer_sees_the_legal_frame_and_records_a_technology_change(page, papendorp_network):
    park_id = papendorp_network
    login(page, f"camera@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/cameras/kader/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Juridisch kader van het cameranetwerk")
    expect(page.get_by_role("row", name="Bewaartermijn")).to_contain_text("In orde")
    check_accessibility(page)
    page.get_by_role("link", name="Data van het juridisch kader bijwerken").click()
    check_accessibility(page)
    page.goto(f"/parken/{park_id}/cameras/kader/documenten/nieuw")
    check_accessibility(page)
    page.goto(f"/parken/{park_id}/cameras/kader/technologie")
    check_accessibility(page)
    page.get_by_label("Datum van de wijziging").fill(datetime.now(LOCAL_TIME).date().isoformat())
    page.get_by_label("Wat is er veranderd?").fill("ANPR toegevoegd (test)")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("ANPR toegevoegd (test)")).to_be_visible()
    check_accessibility(page)
