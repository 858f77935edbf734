"""The camera officer runs a quality check of Papendorp's network on a phone, with one major finding that becomes
an action in the park's plan; and on Lage Weide, which has no plan, on a 375 px phone: handles the camera that is
offline, records the due check whose major finding waits for the plan, and sees an evaluation that would continue
against the policy refused; in a real browser."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from app.cameras.models import (
    Camera,
    CameraHealth,
    CameraNetwork,
    CameraOutage,
    CameraStatus,
    Evaluation,
    QualityCheck,
)
from app.clock import local_today
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans import quarters
from app.plans.models import Plan, PlanAction
from app.plans.services import find_plan
from tests.e2e.conftest import PHONE as NARROW
from tests.e2e.conftest import check_accessibility, check_phone_width, login
from tests.factories import image_bytes

PARK = "Papendorp"
PHONE = {"width": 390, "height": 844}


@contextmanager
def camera_officer_on_a_phone(browser, live_server, viewport=PHONE) -> Iterator[Page]:
    """A touch phone of this size with the demo's camera officer logged in; closed afterwards."""
    context = browser.new_context(base_url=live_server, locale="nl-NL", viewport=viewport, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        login(page, f"camera@{DEMO_DOMAIN}", DEMO_PASSWORD)
        yield page
    finally:
        context.close()


def score_all_ok_but_one(page: Page, criterion: str, note: str):
    """On the check form: every criterion OK, but `criterion` a major deviation with `note`; returns its group."""
    fieldsets = page.locator("fieldset.vb-check-criterion")
    for index in range(fieldsets.count()):
        fieldsets.nth(index).get_by_label("In orde").check()
    group = page.get_by_role("group", name=criterion)
    group.get_by_label("Grote afwijking").check()
    group.get_by_label("Toelichting").fill(note)
    return group


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
    with camera_officer_on_a_phone(browser, live_server) as page:
        page.goto(f"/parken/{papendorp}/cameras/controles/")
        check_accessibility(page)
        page.get_by_role("link", name="Controle uitvoeren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Controle uitvoeren")
        check_accessibility(page)

        # saving with nothing scored keeps the page, with the problem named at each criterion
        page.get_by_role("button", name="Controle opslaan").click()
        expect(page.get_by_text("Kies een score.").first).to_be_visible()
        check_accessibility(page)

        coverage = score_all_ok_but_one(page, "Dekking zoals bedoeld", "Dode hoek bij de rotonde Papendorpseweg")
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

        expect(page.get_by_test_id("finding-state")).to_contain_text("Actie aangemaakt:")
        page.get_by_role("link", name="Camerakwaliteit: Dekking zoals bedoeld").click()
        expect(page).to_have_url(re.compile(rf"/parken/{papendorp}/plan/#actie-\d+$"))
        expect(page.get_by_text("Camerakwaliteit: Dekking zoals bedoeld")).to_be_visible()
        check_accessibility(page)


def test_the_camera_officer_records_a_half_yearly_evaluation(browser, live_server, papendorp):
    with camera_officer_on_a_phone(browser, live_server) as page:
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


# Lage Weide on a 375 px phone: an offline camera, a due check on a park without a plan, an evaluation refused ---------


@pytest.fixture
def lage_weide_cameras(live_app):
    """Lage Weide (no plan in the demo) and its defect camera LW-05 with the demo's open outage; afterwards LW-05 is
    defect and offline again and what the journey added (health periods, outages, checks, evaluations) is deleted.
    Yields the park id."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == "Lage Weide"))
        assert find_plan(active_cycle(park)) is None
        network = db.session.scalar(select(CameraNetwork).where(CameraNetwork.park_id == park.id))
        lw05 = db.session.scalar(select(Camera).where(Camera.network_id == network.id, Camera.code == "LW-05"))
        (open_outage,) = [outage for outage in lw05.outages if outage.ended_at is None]
        park_id, network_id, camera_id, outage_id = park.id, network.id, lw05.id, open_outage.id
        health_before = set(db.session.scalars(select(CameraHealth.id).where(CameraHealth.camera_id == camera_id)))
        outages_before = set(db.session.scalars(select(CameraOutage.id).where(CameraOutage.camera_id == camera_id)))
        checks_before = set(db.session.scalars(select(QualityCheck.id).where(QualityCheck.network_id == network_id)))
        evaluations_before = set(db.session.scalars(select(Evaluation.id).where(Evaluation.network_id == network_id)))
        db.session.rollback()
    yield park_id
    with live_app.app_context():
        db.session.execute(
            delete(CameraHealth).where(CameraHealth.camera_id == camera_id, CameraHealth.id.not_in(health_before))
        )
        db.session.execute(
            delete(CameraOutage).where(CameraOutage.camera_id == camera_id, CameraOutage.id.not_in(outages_before))
        )
        db.session.execute(
            delete(QualityCheck).where(QualityCheck.network_id == network_id, QualityCheck.id.not_in(checks_before))
        )
        db.session.execute(
            delete(Evaluation).where(
                Evaluation.network_id == network_id, Evaluation.id.not_in(evaluations_before or {0})
            )
        )
        db.session.get(CameraOutage, outage_id).ended_at = None
        camera = db.session.get(Camera, camera_id)
        camera.status, camera.removed_on = CameraStatus.DEFECT, None
        db.session.commit()


def test_the_camera_officer_handles_an_offline_camera_and_a_due_check_on_a_narrow_phone(
    browser, live_server, lage_weide_cameras
):
    park_id = lage_weide_cameras
    with camera_officer_on_a_phone(browser, live_server, NARROW) as page:
        page.goto(f"/parken/{park_id}/cameras/")
        # the map's markers show type and state, with a legend in words
        legend = page.get_by_test_id("camera-legend")
        expect(legend).to_contain_text("Kentekencamera (ANPR): vierkant")
        expect(legend).to_contain_text("Offline: rood met een uitroepteken")
        expect(legend).to_contain_text("Defect: oranje met een kruisje")
        expect(page.locator(".leaflet-marker-icon .vb-camera-marker--anpr")).to_have_count(2)
        expect(page.locator("#camera-map .vb-camera-marker--defect")).to_have_count(1)
        expect(page.get_by_role("button", name=re.compile("LW-05 · Vaste camera · Defect"))).to_have_count(1)
        check_phone_width(page)
        check_accessibility(page)

        # the camera that is down: its outage on the health page, then the report that says it is back
        page.get_by_role("link", name="Beschikbaarheid en storingen").click()
        outages = page.get_by_role("table", name="Onderbrekingen van camera LW-05")
        expect(outages.get_by_text("nog offline")).to_be_visible()
        check_phone_width(page)
        check_accessibility(page)
        today = local_today().isoformat()
        report = (
            f"camera;van;tot;uptime;onderbrekingen\nLW-05;{today}T00:00;{today}T01:00;50;{today}T00:00/{today}T00:30\n"
        )
        page.get_by_label("Bestand (CSV of Excel)").set_input_files(
            {"name": "rapport.csv", "mimeType": "text/csv", "buffer": report.encode()}
        )
        page.get_by_role("button", name="Inlezen").click()
        expect(page.get_by_text("Het gezondheidsrapport is ingelezen")).to_be_visible()
        expect(
            page.get_by_role("table", name="Onderbrekingen van camera LW-05").get_by_text("nog offline")
        ).to_have_count(0)

        # repaired: marked active again; a removal would ask first
        page.goto(f"/parken/{park_id}/cameras/")
        page.get_by_role("link", name="LW-05", exact=True).click()
        page.get_by_role("button", name="Markeren als verwijderd").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Camera LW-05 verwijderen")
        check_phone_width(page)
        check_accessibility(page)
        page.get_by_role("link", name="Annuleren").click()
        expect(page.get_by_text("Status: Defect")).to_be_visible()
        page.get_by_role("button", name="Markeren als actief").click()
        expect(page.get_by_text("Camera LW-05 heeft nu de status actief.")).to_be_visible()
        expect(page.locator("#camera-map .vb-camera-marker--defect")).to_have_count(0)
        expect(page.get_by_role("button", name=re.compile("LW-05 · Vaste camera · Online"))).to_have_count(1)

        # the due check, with a major finding: the park has no plan, so the finding waits for it
        page.goto(f"/parken/{park_id}/cameras/controles/")
        check_phone_width(page)
        page.get_by_role("link", name="Controle uitvoeren").click()
        expect(page.get_by_text("Dit park heeft nog geen uitvoeringsplan: een grote afwijking wacht")).to_be_visible()
        score_all_ok_but_one(page, "Bebording aanwezig", "Bord bij de Atoomweg verdwenen")
        check_phone_width(page)
        page.get_by_role("button", name="Controle opslaan").click()
        expect(page.get_by_text("De controle is opgeslagen.")).to_be_visible()
        expect(page.get_by_text("1 grote afwijking wacht op het actieplan")).to_be_visible()
        expect(page.get_by_test_id("finding-state")).to_contain_text("Wacht op het actieplan")
        check_phone_width(page)
        check_accessibility(page)
        page.get_by_role("link", name="Kwaliteitscontroles").click()
        queued = page.get_by_test_id("queued-findings")
        expect(queued).to_contain_text("Bebording aanwezig")
        expect(queued).to_contain_text("Bord bij de Atoomweg verdwenen")
        check_phone_width(page)
        check_accessibility(page)

        # the evaluation: "doorgaan" while subsidiarity is not met is refused, at the decision
        page.goto(f"/parken/{park_id}/cameras/evaluaties/nieuw")
        yesterday = local_today() - timedelta(days=1)
        page.get_by_label("Begin van de periode").fill((yesterday - timedelta(days=180)).isoformat())
        page.get_by_label("Einde van de periode").fill(yesterday.isoformat())
        page.get_by_label("Incidenten gezien door de meldkamer in de periode").fill("2")
        fieldsets = page.locator("fieldset.vb-check-criterion")
        for index in range(fieldsets.count() - 1):
            fieldsets.nth(index).get_by_label("Voldaan", exact=True).check()
        page.get_by_role("group", name=re.compile("Subsidiariteit")).get_by_label("Niet voldaan").check()
        page.get_by_role("group", name="Besluit").get_by_label("Doorgaan").check()
        page.get_by_label("Onderbouwing van het besluit").fill("Alles blijft zoals het is")
        page.get_by_role("button", name="Evaluatie vastleggen").click()
        expect(page.get_by_text("Doorgaan kan niet: subsidiariteit is niet voldaan.").first).to_be_visible()
        expect(page.get_by_label("Onderbouwing van het besluit")).to_have_value("Alles blijft zoals het is")
        check_phone_width(page)
        check_accessibility(page)

        for path in ("vorderingen/", "kader/", "gezondheid/", "evaluaties/"):
            page.goto(f"/parken/{park_id}/cameras/{path}")
            check_phone_width(page)
        page.goto("/cameras/")
        check_phone_width(page)
        check_accessibility(page)
