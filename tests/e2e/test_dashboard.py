"""The municipality's officer finds the parks that need attention on the city dashboard, in a real browser: from the
home page by clicking, through a number to the list behind it; axe-clean, and no sideways scrolling on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import check_accessibility, check_phone_width, login

OFFICER = f"gemeente@{DEMO_DOMAIN}"
STUCK_PARK = "Haarrijn"  # the demo's park at step 2 for 130 days, its certificate running out


def test_the_officer_goes_from_home_to_the_dashboard_and_through_a_number_to_the_stuck_parks(page):
    login(page, OFFICER, DEMO_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    check_accessibility(page)
    # the chart is a table a screen reader reads: every step with its number of parks
    steps = page.get_by_role("table", name="Aantal parken per stap van de actieve cyclus")
    expect(steps.get_by_role("row")).to_have_count(9)
    # the certificate that runs out soon stands out, with words and not colour alone
    awards = page.locator("section", has=page.get_by_role("heading", name="Waarderingen en certificaten"))
    expect(awards.get_by_role("row", name=re.compile(STUCK_PARK))).to_contain_text("binnenkort")
    # the browser keeps the field between 1 and 36500; a wrong number in the address gets the server's message and
    # the page stays usable
    field = page.get_by_label("Langer dan zoveel dagen in dezelfde stap")
    expect(field).to_have_attribute("min", "1")
    page.goto("/dashboard/?dagen=0")
    expect(page.get_by_text("Vul een aantal dagen in van 1 tot en met 36500.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Langer dan zoveel dagen in dezelfde stap").fill("100")
    page.get_by_role("button", name="Toon").click()
    stuck = page.get_by_role("link", name=re.compile(r"langer dan 100 dagen in dezelfde stap"))
    expect(stuck).to_be_visible()
    stuck.click()
    expect(page.get_by_role("heading", level=1, name="Parken")).to_be_visible()
    expect(page.get_by_label("Minstens dagen in de stap")).to_have_value("100")
    listed = page.get_by_role("main").get_by_role("table")
    expect(listed.get_by_role("row")).to_have_count(2)  # the header and the one park over 100 days
    expect(listed.get_by_role("link", name=STUCK_PARK)).to_be_visible()
    check_accessibility(page)


def test_the_dashboard_fits_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, OFFICER, DEMO_PASSWORD)
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    check_phone_width(page)
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("verlopen binnen 90 dagen")).click()
    expect(page.get_by_role("heading", level=1, name="Waarderingen en certificaten")).to_be_visible()
    check_phone_width(page)
    check_accessibility(page)
