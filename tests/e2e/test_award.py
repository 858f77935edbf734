"""The award in a real browser: the municipality's officer adopts Cartesiusweg's changed plan (step 6), requests the
signatures, each partner's signatory logs in and signs, and the certificate is downloaded. Axe-checked on every
page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.auth.models import Membership, Role, User
from app.awards.models import Award, Signature
from app.awards.readiness import is_ready, readiness
from app.awards.services import find_award
from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Cycle, Park
from app.parks.services import active_cycle
from app.plans.services import find_plan
from tests.e2e.conftest import check_accessibility, login
from tests.stakeholders import pdf_text

PARK = "Cartesiusweg"
ADOPTION_MEETING = "werkgroepvergadering van de waardering (browsertest)"
#: demo user -> the organisation they sign for (the demo's four partners of Cartesiusweg)
SIGNERS = {
    "gemeente": "Gemeente Utrecht",
    "politie": "Politie Midden-Nederland",
    "brandweer": "Veiligheidsregio Utrecht (brandweer)",
    "ondernemer": "Ondernemersvereniging Lage Weide",
}


@pytest.fixture
def ready_park(live_app):
    """Cartesiusweg without an award (one the demo gave it is put aside and restored afterwards), and the fire
    brigade's officer a partner on it (the demo has him on Lage Weide only)."""
    with live_app.app_context():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        cycle = active_cycle(park)
        assert is_ready(readiness(cycle)), "the demo's Cartesiusweg should have steps 1-6 complete"
        assert {s.organisation.name for s in cycle.stakeholders} == set(SIGNERS.values())
        kept = None
        existing = find_award(cycle)
        if existing is not None:
            kept = {
                "award": {
                    key: getattr(existing, key)
                    for key in ("requested_at", "requested_by_id", "awarded_on", "valid_until", "ceremony_on")
                }
                | {"press_release": existing.press_release},
                "signatures": [
                    {key: getattr(s, key) for key in ("stakeholder_id", "user_id", "name", "function", "signed_at")}
                    for s in existing.signatures
                ],
            }
            db.session.delete(existing)
        versions = {version.id for version in find_plan(cycle).versions}
        bram = db.session.scalar(select(User).where(User.email == f"brandweer@{DEMO_DOMAIN}"))
        membership = Membership(user=bram, park=park, role=Role.PARTNER)
        db.session.add(membership)
        db.session.commit()
        park_id, cycle_id, membership_id = park.id, cycle.id, membership.id
    yield park_id
    with live_app.app_context():
        award = db.session.scalar(select(Award).where(Award.cycle_id == cycle_id))
        if award is not None:
            db.session.delete(award)
        db.session.delete(db.session.get(Membership, membership_id))
        for version in find_plan(db.session.get(Cycle, cycle_id)).versions:
            if version.id not in versions:
                db.session.delete(version)
        db.session.flush()
        if kept is not None:
            restored = Award(cycle_id=cycle_id, **kept["award"])
            restored.signatures = [Signature(**values) for values in kept["signatures"]]
            db.session.add(restored)
        db.session.commit()


def _sign(page: Page, park_id: int, local: str, organisation: str) -> None:
    login(page, f"{local}@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/waardering/")
    check_accessibility(page)
    page.get_by_role("link", name=f"Tekenen namens {organisation}").click()
    expect(page.get_by_role("heading", level=1, name=f"Tekenen voor de waardering van {PARK}")).to_be_visible()
    check_accessibility(page)
    expect(page.get_by_label("Uw naam")).to_have_value(f"Directeur {organisation}")
    expect(page.get_by_label("Uw functie")).to_have_value("Directeur")
    # signing without the confirmation is refused, with the reason at the checkbox
    page.get_by_role("button", name="Tekenen").click()
    expect(page.get_by_text("Vink aan dat u namens uw organisatie tekent.")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Uw functie").fill("Directeur en tekenbevoegde")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Tekenen").click()


def test_from_plan_adoption_to_the_certificate(page: Page, ready_park, tmp_path):
    park_id = ready_park

    # the municipality's officer adopts the plan as it was changed since its last adoption
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/plan/")
    page.get_by_label("Vergadering").fill(ADOPTION_MEETING)
    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_text(re.compile(r"Het plan is vastgesteld \(versie \d+\)\."))).to_be_visible()
    check_accessibility(page)

    # then opens the award from the park page and asks for the signatures
    page.goto(f"/parken/{park_id}")
    page.get_by_role("link", name="Waardering", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Waardering van {PARK}")).to_be_visible()
    expect(page.get_by_text("Stap 1 tot en met 6 zijn klaar.")).to_be_visible()
    expect(page.get_by_text("Het certificaat en de oorkondes komen beschikbaar")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Handtekeningen vragen").click()
    expect(
        page.get_by_text(re.compile(r"^De handtekeningen zijn gevraagd; \d+ deelnemers? (kreeg|kregen) een e-mail\.$"))
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Gevraagd op .* door Gerrit Gemeente\."))).to_be_visible()
    check_accessibility(page)

    # the ceremony date, by keyboard
    page.get_by_label("Datum van de uitreiking").fill("2027-04-15")
    page.get_by_label("Datum van de uitreiking").press("Enter")
    expect(page.get_by_text("De datum van de uitreiking is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("De uitreiking is op donderdag 15 april 2027.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    # each partner's signatory signs for their own organisation
    for number, (local, organisation) in enumerate(SIGNERS.items(), start=1):
        _sign(page, park_id, local, organisation)
        if number < len(SIGNERS):
            expect(page.get_by_text(f"Dank u wel: u heeft getekend namens {organisation}.")).to_be_visible()
        else:
            expect(
                page.get_by_text(f"Dank u wel. Iedereen heeft nu getekend: {PARK} heeft de waardering.")
            ).to_be_visible()
        row = page.get_by_role("row").filter(has_text=organisation)
        expect(row).to_contain_text("Directeur en tekenbevoegde")
        expect(row).to_contain_text("getekend op")
        expect(page.get_by_role("link", name=f"Tekenen namens {organisation}")).to_have_count(0)
        check_accessibility(page)
        page.get_by_role("button", name="Uitloggen").click()

    # the award is granted: the certificate and the personal certificates can be downloaded
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/waardering/")
    expect(page.get_by_text(re.compile(r"^De waardering is toegekend op .* en geldig tot en met "))).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificaat downloaden (PDF)").click()
    assert download.value.suggested_filename == "certificaat-cartesiusweg.pdf"
    saved = tmp_path / "certificaat.pdf"
    download.value.save_as(saved)
    text = pdf_text(saved.read_bytes())
    assert "Waardering Veilig Bedrijventerrein" in text and PARK in text
    for organisation in SIGNERS.values():
        assert f"Directeur {organisation}" in text and organisation in text
    with page.expect_download() as download:
        page.get_by_role("link", name="Persoonlijke oorkondes voor de werkgroep downloaden (PDF)").click()
    assert download.value.suggested_filename == "oorkondes-cartesiusweg.pdf"

    # the press release draft names the ceremony
    page.get_by_role("link", name="Persbericht opstellen").click()
    expect(page.get_by_label("Persbericht")).to_contain_text("op 15 april 2027")
    check_accessibility(page)
