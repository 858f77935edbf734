"""The camera officer runs a quality check of Papendorp's network on a phone, with one major finding that becomes
an action in the park's plan, in a real browser."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.cameras.models import CameraNetwork, Evaluation, QualityCheck
from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import quarters
from app.plans.models import Plan, PlanAction
from app.plans.services import find_plan
from tests.e2e.conftest import check_accessibility, login
from tests.factories import image_bytes

PARK = "Papendorp"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def papendorp(live_app):
    """Papendorp with a camera network and a plan with one action for its active cycle (made here when the demo
    has none); afterwards the checks, the actions, and what was made here are deleted. Yields the park id."""
    today = local_today()
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        park_id = park.id
        network = db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))
        made_network = network is None
        if made_network:
            network = CameraNetwork(park=park, name="Cameranetwerk Papendorp (test)", check_interval_months=3)
            db.session.add(network)
        cycle = active_cycle(park)
        plan = find_plan(cycle)
        made_plan = plan is None
        if made_plan:
            plan = Plan(cycle=cycle, starts_on=quarters.quarter_start(today))
            db.session.add(plan)
        db.session.flush()
        action = PlanAction(
            plan=plan,
            title=f"Verlichting Papendorp {secrets.token_hex(3)}",
            quarter=1,
            due_on=quarters.quarter(plan.starts_on, 1).last_day,
        )
        db.session.add(action)
        db.session.flush()
        network_id, plan_id = network.id, plan.id
        evaluations_before = set(db.session.scalars(select(Evaluation.id).where(Evaluation.network_id == network_id)))
        checks_before = set(db.session.scalars(select(QualityCheck.id).where(QualityCheck.network_id == network_id)))
        actions_before = set(db.session.scalars(select(PlanAction.id).where(PlanAction.plan_id == plan_id))) - {
            action.id
        }
        db.session.commit()
    yield park_id
    with live_app.app_context():
        db.session.execute(
            delete(Evaluation).where(
                Evaluation.network_id == network_id, Evaluation.id.not_in(evaluations_before or {0})
            )
        )
        db.session.execute(
            delete(QualityCheck).where(
                QualityCheck.network_id == network_id, QualityCheck.id.not_in(checks_before or {0})
            )
        )
        db.session.execute(
            delete(PlanAction).where(PlanAction.plan_id == plan_id, PlanAction.id.not_in(actions_before or {0}))
        )
        if made_plan:
            db.session.execute(delete(Plan).where(Plan.id == plan_id))
        if made_network:
            db.session.execute(delete(CameraNetwork).where(CameraNetwork.id == network_id))
        db.session.commit()


def test_the_camera_officer_runs_a_check_on_a_phone(browser, live_server, papendorp):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, f"camera@{DEMO_DOMAIN}", DEMO_PASSWORD)
        page.goto(f"/parken/{papendorp}/cameras/controles/")
        check_accessibility(page)
        page.get_by_role("link", name="Controle uitvoeren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Controle uitvoeren")
        check_accessibility(page)

        # saving with nothing scored keeps the page, with the problem named at each criterion
        page.get_by_role("button", name="Controle opslaan").click()
        expect(page.get_by_text("Kies een score.").first).to_be_visible()
        check_accessibility(page)

        fieldsets = page.locator("fieldset.vb-check-criterion")
        for index in range(fieldsets.count()):
            fieldsets.nth(index).get_by_label("In orde").check()
        coverage = page.get_by_role("group", name="Dekking zoals bedoeld")
        coverage.get_by_label("Grote afwijking").check()
        coverage.get_by_label("Toelichting").fill("Dode hoek bij de rotonde Papendorpseweg")
        coverage.get_by_label("Foto (niet verplicht)").set_input_files(
            {"name": "rotonde.png", "mimeType": "image/png", "buffer": image_bytes("PNG")}
        )
        page.get_by_label("Opmerkingen bij de controle").fill("Controle bij daglicht")
        page.get_by_role("button", name="Controle opslaan").click()

        expect(page.get_by_text("De controle is opgeslagen.")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Controle van")
        expect(page.get_by_text("Dode hoek bij de rotonde Papendorpseweg")).to_be_visible()
        photo = page.get_by_role("img", name="Foto bij Dekking zoals bedoeld")
        expect(photo).to_be_visible()
        photo.scroll_into_view_if_needed()  # a lazy image loads in view
        assert photo.evaluate("image => image.decode().then(() => image.naturalWidth)") == 64  # the stored photo loads
        check_accessibility(page)

        page.get_by_role("link", name="Actie in het plan").click()
        expect(page).to_have_url(re.compile(rf"/parken/{papendorp}/plan/#actie-\d+$"))
        expect(page.get_by_text("Camerakwaliteit: Dekking zoals bedoeld")).to_be_visible()
        check_accessibility(page)
    finally:
        context.close()


def test_the_camera_officer_records_a_half_yearly_evaluation(browser, live_server, papendorp):
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, f"camera@{DEMO_DOMAIN}", DEMO_PASSWORD)
        page.goto(f"/parken/{papendorp}/cameras/evaluaties/")
        check_accessibility(page)
        page.get_by_role("link", name="Nieuwe evaluatie").click()
        check_accessibility(page)
        page.get_by_role("button", name="Evaluatie vastleggen").click()
        expect(page.get_by_text("Onderbouw het besluit.").first).to_be_visible()
        check_accessibility(page)
        page.get_by_label("Begin van de periode").fill("2020-01-01")
        page.get_by_label("Einde van de periode").fill("2020-06-30")
        page.get_by_label("Incidenten gezien door de meldkamer in de periode").fill("3")
        fieldsets = page.locator("fieldset.vb-check-criterion")
        for index in range(fieldsets.count() - 1):
            fieldsets.nth(index).get_by_label("Voldaan", exact=True).check()
        page.get_by_role("group", name="Besluit").get_by_label("Aanpassen").check()
        page.get_by_label("Onderbouwing van het besluit").fill("Camera bij de rotonde bijplaatsen")
        page.get_by_role("button", name="Evaluatie vastleggen").click()
        expect(page.get_by_text("De evaluatie is vastgelegd.")).to_be_visible()
        expect(page.get_by_text("Camera bij de rotonde bijplaatsen")).to_be_visible()
        check_accessibility(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Rapport downloaden (PDF)").click()
        assert download.value.suggested_filename.endswith("2020-01-01.pdf")
    finally:
        context.close()
