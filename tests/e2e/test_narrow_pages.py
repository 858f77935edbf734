"""Pages with wide tables on a 375 px phone: the page itself never scrolls sideways; a wide table scrolls inside
its own region (.vb-table-scroll). Checked in Dutch and English, axe-clean."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from tests.e2e.conftest import check_accessibility, login

PAGES = (
    "",
    "/deelnemers/",
    "/cijfers/",
    "/vergaderingen/",
    "/schouw/",
    "/doelen/",
    "/plan/",
    "/plan/matrix",
    "/bedrijven/",
    "/enquete/",
    "/enquete/uitnodigingen/",
)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _park_id(live_app, name: str) -> int:
    with live_app.app_context():
        return db.session.scalar(select(Park.id).where(Park.name == name))


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_wide_tables_scroll_in_their_region_not_the_page(phone, live_app):
    login(phone, f"adviseur@{DEMO_DOMAIN}", DEMO_PASSWORD)
    park_id = _park_id(live_app, "Lage Weide")
    wide = []
    for path in [f"/parken/{park_id}{page}" for page in PAGES] + ["/voortgang/", "/voortgang/achterstallig"]:
        response = phone.goto(path)
        assert response.status == 200, path
        if not _fits(phone):
            wide.append(path)
    assert wide == []

    # a table wider than the phone keeps its width and scrolls inside its focusable region
    phone.goto(f"/parken/{park_id}/bedrijven/")
    region = phone.locator(".vb-table-scroll").first
    assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    check_accessibility(phone)

    phone.get_by_role("button", name="English").click()
    phone.goto(f"/parken/{park_id}/deelnemers/")
    assert _fits(phone)
    check_accessibility(phone)
    phone.get_by_role("button", name="Nederlands").click()  # the choice is kept with the account
