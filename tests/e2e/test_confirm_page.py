"""Without the confirm script a destructive button still asks first: the server answers with a confirmation page."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Company, Park
from tests.e2e.conftest import check_accessibility, login


def test_without_javascript_the_confirmation_is_a_page(browser, live_server, live_app):
    with live_app.app_context():
        park_id = db.session.scalar(select(Park.id).where(Park.name == "Papendorp"))
        company = db.session.scalar(select(Company).where(Company.park_id == park_id).order_by(Company.name).limit(1))
        name, count = company.name, len(db.session.scalars(select(Company.id).where(Company.park_id == park_id)).all())
    context = browser.new_context(base_url=live_server, locale="nl-NL")
    page = context.new_page()
    # as without JavaScript: the confirm dialog's script never loads (axe still runs, through the driver)
    page.route("**/js/confirm.js", lambda route: route.abort())
    page.set_default_timeout(10_000)
    try:
        login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
        page.goto(f"/parken/{park_id}/bedrijven/")
        page.get_by_role("link", name=name, exact=True).click()
        page.get_by_role("button", name=f"{name} verwijderen").click()
        expect(page.get_by_role("heading", level=1, name="Weet u het zeker?")).to_be_visible()
        expect(page.get_by_text(f"{name} uit het register verwijderen?")).to_be_visible()
        expect(page.get_by_role("button", name="Ja, verwijderen")).to_be_visible()
        check_accessibility(page)
        page.get_by_role("link", name="Nee, terug").click()
        expect(page.get_by_role("row").filter(has_text=name).first).to_be_visible()
    finally:
        context.close()
    with live_app.app_context():
        assert len(db.session.scalars(select(Company.id).where(Company.park_id == park_id)).all()) == count
