"""The municipality's officer opens Cartesiusweg's quarterly progress report, chooses a quarter and downloads its
PDF. In a real browser, axe-checked; the journey only reads, so it leaves nothing behind."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.meetings.progress import current_number
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import quarters
from app.plans.services import find_plan
from tests.e2e.conftest import check_accessibility, login
from tests.meetings.test_quarterly_report import pdf_words

PARK = "Cartesiusweg"  # the demo park with a plan, in the officer's municipality


def test_a_manager_downloads_the_quarterly_progress_report(live_app, page: Page, tmp_path):
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        plan = find_plan(active_cycle(park))
        park_id, current = park.id, current_number(plan, today=local_today())
        chosen = 1 if current != 1 else 2
        label, current_label = (
            f"K{n} ({q.calendar}e kw. {q.year})"
            for n, q in ((n, quarters.quarter(plan.starts_on, n)) for n in (chosen, current))
        )
        first_action = next(a.title for a in plan.actions if a.quarter == chosen + 1 and a.status.value != "vervallen")

    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/voortgangsrapport/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Voortgangsrapport van {PARK}")
    expect(page.get_by_role("heading", level=2)).to_contain_text(f"Voortgang in {current_label}")
    expect(page.get_by_label("Kwartaal", exact=True)).to_have_value(str(current))
    check_accessibility(page)

    page.get_by_label("Kwartaal", exact=True).select_option(label=label)
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(f"Voortgang in {label}")
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=f"Voortgangsrapport {label} downloaden (PDF)").click()
    assert download.value.suggested_filename == f"voortgangsrapport-cartesiusweg-kwartaal-{chosen}.pdf"
    saved = tmp_path / "voortgangsrapport.pdf"
    download.value.save_as(saved)
    words = pdf_words(saved.read_bytes())
    assert f"Voortgangsrapport {PARK}, {label}" in words
    assert f"Gepland in K{chosen + 1} (" in words and first_action in words
