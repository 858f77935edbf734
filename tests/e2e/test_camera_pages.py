"""The camera pages without a journey elsewhere, in a real browser: the camera officer reads the video system's
health report into Lage Weide's health page (and a faulty one is refused whole), the municipality officer filters
and downloads the city-wide camera overview, and the camera layer on the park map and on the city map can be
switched off and on, while an entrepreneur sees no camera positions. What a journey adds is removed afterwards, so
the other browser tests see the demo as it was."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from app.auth.models import Membership, User
from app.auth.policy import Role
from app.cameras.models import Camera, CameraHealth, CameraNetwork, CameraOutage, CameraStatus, CameraType
from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.stakeholders.models import Organisation
from tests.e2e.conftest import check_accessibility, login

PARK = "Lage Weide"
OTHER_MUNICIPALITY_PARK = "De Hoef"

HEADER = "camera;van;tot;uptime;onderbrekingen\n"


def _day(days_ago: int) -> str:
    """Midnight `days_ago` days before today: later than the demo's report of last week."""
    return (local_today() - timedelta(days=days_ago)).isoformat() + "T00:00"


def good_report() -> str:
    """Yesterday's report of LW-03, with one gap of 36 minutes."""
    yesterday = _day(1)
    return HEADER + f"LW-03;{yesterday};{_day(0)};97,5;{yesterday[:10]}T10:00/{yesterday[:10]}T10:36\n"


def bad_report() -> str:
    """A good row for LW-01 (uptime 42%) and a row for a camera the network does not have."""
    return HEADER + f"LW-01;{_day(2)};{_day(1)};42;\nLW-99;{_day(2)};{_day(1)};99;\n"


def _park_id(name: str) -> int:
    return db.session.scalar(select(Park.id).where(Park.name == name))


@pytest.fixture
def lage_weide(live_app):
    """Lage Weide's id; afterwards the health periods and outages read in here are deleted (the demo's own outage
    stays)."""
    with live_app.app_context():
        park_id = _park_id(PARK)
        cameras = select(Camera.id).join(CameraNetwork).where(CameraNetwork.park_id == park_id)
        health_before = set(db.session.scalars(select(CameraHealth.id).where(CameraHealth.camera_id.in_(cameras))))
        outages_before = set(db.session.scalars(select(CameraOutage.id).where(CameraOutage.camera_id.in_(cameras))))
        db.session.rollback()
    yield park_id
    with live_app.app_context():
        db.session.execute(
            delete(CameraHealth).where(
                CameraHealth.camera_id.in_(cameras), CameraHealth.id.not_in(health_before or {0})
            )
        )
        db.session.execute(
            delete(CameraOutage).where(
                CameraOutage.camera_id.in_(cameras), CameraOutage.id.not_in(outages_before or {0})
            )
        )
        db.session.commit()


@pytest.fixture
def amersfoort_network(live_app):
    """A camera network on De Hoef (Gemeente Amersfoort) and, for the municipality officer of Utrecht, the
    municipality role in Amersfoort too, so the overview has two municipalities to filter; both removed afterwards.
    Yields the id of Gemeente Amersfoort."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == OTHER_MUNICIPALITY_PARK))
        assert db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id)) is None
        officer = db.session.scalar(select(User).where(User.email == f"gemeente@{DEMO_DOMAIN}"))
        network = CameraNetwork(park=park, name="Cameranetwerk De Hoef (test)")
        network.cameras.append(
            Camera(code="DH-01", type=CameraType.FIXED, lat=52.16, lon=5.41, status=CameraStatus.ACTIVE)
        )
        membership = Membership(user=officer, municipality=park.municipality, role=Role.MUNICIPALITY)
        db.session.add_all([network, membership])
        db.session.commit()
        network_id, membership_id, municipality_id = network.id, membership.id, park.municipality_id
    yield municipality_id
    with live_app.app_context():
        db.session.execute(delete(Membership).where(Membership.id == membership_id))
        db.session.delete(db.session.get(CameraNetwork, network_id))
        db.session.commit()


def _upload(page: Page, name: str, content: str) -> None:
    """Choose the file for the import form, then submit with the keyboard."""
    page.get_by_label("Bestand (CSV of Excel)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Inlezen").focus()
    page.keyboard.press("Enter")


def test_the_camera_officer_reads_a_health_report(page, live_server, lage_weide):
    login(page, f"camera@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server}/parken/{lage_weide}/cameras/gezondheid/")
    expect(page.get_by_role("heading", level=1, name="Gezondheid van de camera's")).to_be_visible()
    lw03 = page.get_by_role("region", name="Camera LW-03")
    expect(lw03.get_by_text(re.compile(r"Uptime 99,9% van .*; 10 minuten zonder opname\."))).to_be_visible()
    expect(lw03.get_by_text("Geen onderbrekingen bekend.")).to_be_visible()
    # the demo's camera that is down shows its open outage
    expect(page.get_by_role("table", name="Onderbrekingen van camera LW-05").get_by_text("nog offline")).to_be_visible()
    check_accessibility(page)

    _upload(page, "rapport.csv", good_report())
    expect(page.get_by_text("Het gezondheidsrapport is ingelezen: 1 periode, 1 onderbreking.")).to_be_visible()
    lw03 = page.get_by_role("region", name="Camera LW-03")
    expect(lw03.get_by_text(re.compile(r"Uptime 97,5% van .*; 36 minuten zonder opname\."))).to_be_visible()
    outages = lw03.get_by_role("table", name="Onderbrekingen van camera LW-03")
    expect(outages.get_by_role("row")).to_have_count(2)  # the header and the one outage
    expect(outages.get_by_role("cell", name="36 minuten")).to_be_visible()
    expect(outages.get_by_role("cell", name=re.compile(r"10:00"))).to_be_visible()
    expect(outages.get_by_role("cell", name=re.compile(r"10:36"))).to_be_visible()
    check_accessibility(page)

    # one faulty row refuses the whole file: the good row for LW-01 is not read either
    _upload(page, "fout.csv", bad_report())
    refused = page.get_by_role("table", name="Geweigerde regels")
    expect(refused).to_be_visible()
    expect(refused.get_by_role("row")).to_have_count(2)
    expect(refused.get_by_role("cell", name="3", exact=True)).to_be_visible()  # the file's third line
    expect(refused.get_by_role("cell", name="Het netwerk heeft geen camera met de code LW-99.")).to_be_visible()
    expect(page.get_by_text("Het gezondheidsrapport is ingelezen")).to_have_count(0)
    lw01 = page.get_by_role("region", name="Camera LW-01")
    expect(lw01.get_by_text(re.compile(r"Uptime 100% van "))).to_be_visible()
    expect(lw01.get_by_text(re.compile(r"Uptime 42%"))).to_have_count(0)
    expect(page.get_by_role("table", name="Onderbrekingen van camera LW-03").get_by_role("row")).to_have_count(2)
    check_accessibility(page)


def test_the_municipality_filters_and_downloads_the_camera_overview(page, live_server, amersfoort_network):
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server}/cameras/")
    expect(page.get_by_role("heading", level=1, name="Camerazorg in de gemeente")).to_be_visible()
    rows = page.get_by_role("table", name=re.compile(r"parken met een cameranetwerk"))
    for park in ("Lage Weide", "Cartesiusweg", OTHER_MUNICIPALITY_PARK):
        expect(rows.get_by_role("link", name=park)).to_be_visible()
    check_accessibility(page)

    municipality = page.get_by_label("Gemeente")
    municipality.focus()
    municipality.select_option(label="Gemeente Utrecht")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Toon")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cameras/\?gemeente=\d+$"))
    expect(page.get_by_label("Gemeente")).to_have_value(re.compile(r"^\d+$"))
    rows = page.get_by_role("table", name="2 parken met een cameranetwerk")
    expect(rows.get_by_role("link", name="Lage Weide")).to_be_visible()
    expect(rows.get_by_role("link", name="Cartesiusweg")).to_be_visible()
    expect(rows.get_by_role("link", name=OTHER_MUNICIPALITY_PARK)).to_have_count(0)
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Overzicht downloaden (CSV)").click()
    assert re.fullmatch(r"cameratoezicht-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    text = download.value.path().read_text(encoding="utf-8-sig")
    assert "Lage Weide;Gemeente Utrecht;Cameranetwerk Lage Weide" in text
    assert "Cartesiusweg;Gemeente Utrecht;Cameranetwerk Cartesiusweg" in text
    assert OTHER_MUNICIPALITY_PARK not in text


def _markers(page: Page, map_id: str):
    """The map's interactive SVG shapes: the park boundary and the company markers."""
    return page.locator(f"#{map_id} path.leaflet-interactive")


def _camera_markers(page: Page, map_id: str):
    """The map's camera markers: type by shape, state by colour and sign (static/js/camera-markers.js)."""
    return page.locator(f"#{map_id} .leaflet-marker-icon .vb-camera-marker")


def test_the_camera_layer_on_the_park_map_can_be_switched(page, live_server, live_app):
    with live_app.app_context():
        park_id = _park_id(PARK)
        cameras = len(
            db.session.scalars(
                select(Camera.id)
                .join(CameraNetwork)
                .where(CameraNetwork.park_id == park_id, Camera.status != CameraStatus.REMOVED)
            ).all()
        )
        db.session.rollback()
    assert cameras

    # an entrepreneur of the park sees the boundary and the companies, no camera positions and no layer switch
    login(page, f"ondernemer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server}/parken/{park_id}")
    park_map = page.get_by_role("region", name=f"Kaart van {PARK} met de grens en de bedrijven")
    expect(park_map).to_be_visible()
    expect(park_map.locator("path.leaflet-interactive").first).to_be_visible()
    without_cameras = _markers(page, "park-map").count()
    expect(page.locator("#park-map .leaflet-control-layers")).to_have_count(0)
    assert "cameras" not in page.locator("#park-map-data").text_content()
    check_accessibility(page)
    page.context.clear_cookies()

    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server}/parken/{park_id}")
    park_map = page.get_by_role("region", name=f"Kaart van {PARK} met de grens, de bedrijven en de camera's")
    expect(park_map).to_be_visible()
    expect(_markers(page, "park-map")).to_have_count(without_cameras)
    expect(_camera_markers(page, "park-map")).to_have_count(cameras)
    # the demo's defect camera LW-05 by its sign and in words, and the legend below the map
    expect(page.locator("#park-map .vb-camera-marker--defect")).to_have_count(1)
    expect(park_map.get_by_role("button", name="LW-05 · Vaste camera · Defect")).to_have_count(1)
    expect(page.get_by_test_id("camera-legend")).to_contain_text("Defect: oranje met een kruisje")
    layer = park_map.get_by_role("checkbox", name="Camera's")
    expect(layer).to_be_checked()
    check_accessibility(page)
    layer.focus()
    page.keyboard.press("Space")
    expect(layer).not_to_be_checked()
    expect(_camera_markers(page, "park-map")).to_have_count(0)
    page.keyboard.press("Space")
    expect(layer).to_be_checked()
    expect(_camera_markers(page, "park-map")).to_have_count(cameras)


def test_the_city_map_has_the_camera_layer(page, live_server, live_app):
    with live_app.app_context():
        cameras = len(
            db.session.scalars(
                select(Camera.id)
                .join(CameraNetwork)
                .join(Park)
                .join(Organisation, Organisation.id == Park.municipality_id)
                .where(Organisation.name == "Gemeente Utrecht", Camera.status != CameraStatus.REMOVED)
            ).all()
        )
        db.session.rollback()
    assert cameras

    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"{live_server}/parken/")
    city_map = page.get_by_role("region", name="Kaart met de parken uit het overzicht en hun camera's")
    expect(city_map).to_be_visible()
    # the parks are pin markers (img), the cameras marked by type and state, with the legend below the map
    expect(_camera_markers(page, "city-map")).to_have_count(cameras)
    expect(page.get_by_test_id("camera-legend")).to_contain_text("Kentekencamera (ANPR): vierkant")
    layer = city_map.get_by_role("checkbox", name="Camera's")
    expect(layer).to_be_checked()
    check_accessibility(page)
    layer.focus()
    page.keyboard.press("Space")
    expect(_camera_markers(page, "city-map")).to_have_count(0)
    expect(city_map.get_by_alt_text(PARK)).to_be_visible()  # the parks stay
    page.keyboard.press("Space")
    expect(_camera_markers(page, "city-map")).to_have_count(cameras)
