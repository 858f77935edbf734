"""Drawing a park's area on the map in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from tests.e2e.conftest import check_accessibility, login, open_park

TILES = re.compile(r"^https?://(?!127\.0\.0\.1)")  # anything not served by the app: the map tiles


@pytest.fixture
def park_without_area(live_app):
    """Papendorp (advised by the demo advisor) without its demo boundary; the boundary is put back afterwards,
    since other browser tests use the demo data too."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == "Papendorp"))
        saved = park.area, park.area_lat, park.area_lon
        park.area = park.area_lat = park.area_lon = None
        db.session.commit()
        park_id = park.id
    yield park_id
    with live_app.app_context():
        park = db.session.get(Park, park_id)
        park.area, park.area_lat, park.area_lon = saved
        db.session.commit()


def test_advisor_draws_a_polygon_and_saves_it(page, park_without_area):
    # There is no network in the tests; refuse tile requests at once so that the map works without tiles.
    page.route(TILES, lambda route: route.abort())
    login(page, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_without_area}/gebied/")
    expect(page.get_by_role("heading", level=1, name="Gebied van Papendorp")).to_be_visible()
    expect(page.locator("#area-summary")).to_have_text("Nog geen gebied ingetekend.")
    area_map = page.get_by_role("region", name="Kaart met het gebied van Papendorp")
    expect(area_map).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Teken een vlak").click()
    box = area_map.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    corners = [(x - 100, y - 80), (x + 100, y - 80), (x + 100, y + 80), (x - 100, y + 80)]
    for corner in corners:
        page.mouse.click(*corner)
    page.mouse.click(*corners[0])  # the first point again closes the polygon

    expect(page.get_by_label("Gebied als GeoJSON")).to_have_value(re.compile(r'^\{"type":"Polygon","coordinates"'))
    expect(page.get_by_role("status")).to_have_text("Het gebied op de kaart is gewijzigd en nog niet opgeslagen.")
    check_accessibility(page)

    page.get_by_role("button", name="Gebied opslaan").click()
    expect(page.get_by_text("Het gebied is opgeslagen.")).to_be_visible()
    expect(page.locator("#area-summary")).to_contain_text(re.compile(r"Het gebied is ingetekend: 1 vlak van ca\. \d"))
    expect(area_map.locator("path.leaflet-interactive")).to_have_count(1)
    check_accessibility(page)


def test_an_entrepreneur_sees_the_area_without_drawing_tools(page):
    page.route(TILES, lambda route: route.abort())
    login(page, f"ondernemer@{DEMO_DOMAIN}", DEMO_PASSWORD)
    open_park(page, "Lage Weide")
    page.goto(page.url.rstrip("/") + "/gebied/")
    expect(page.locator("#area-summary")).to_contain_text("Het gebied is ingetekend")
    area_map = page.get_by_role("region", name="Kaart met het gebied van Lage Weide")
    expect(area_map.locator("path.leaflet-interactive")).to_have_count(1)
    expect(page.get_by_role("button", name="Teken een vlak")).to_have_count(0)
    expect(page.get_by_role("button", name="Gebied opslaan")).to_have_count(0)
    check_accessibility(page)
