"""The municipality's officer sets a goal, builds the two-year plan from the catalogue, moves an action in the
stakeholder x quarter matrix, adopts the plan and downloads its PDF; then the police, owner of an action, update
it. In a real browser, axe-checked on every page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from app.demo import DEMO_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.parks.models import Park
from app.parks.services import active_cycle
from app.plans.models import CatalogueItem, Goal, PlanAction, PlanVersion, plan_action_goals
from app.plans.services import find_plan
from tests.e2e.conftest import check_accessibility, login, open_park
from tests.stakeholders import pdf_text

#: catalogue measures the demo's plan does not have yet
ADVICE = "Inbraakpreventieadvies per bedrijf"
BOTH = f"{ADVICE}|Nieuwsbrief veiligheid"
PARK = "Cartesiusweg"  # step 6, in the officer's municipality; the police and the entrepreneurs take part
MEETING = "werkgroepvergadering over het uitvoeringsplan"


@pytest.fixture
def leave_as_found(live_app):
    """Whatever this journey adds to Cartesiusweg's goals, plan and catalogue is removed afterwards (a plan it had
    to make included), so that the other browser tests find the park as the demo left it."""

    def state():
        park = db.session.scalar(select(Park).where(Park.name == PARK))
        cycle = active_cycle(park)
        plan = find_plan(cycle)
        return {
            "park": park,
            "cycle": cycle,
            "plan": plan,
            "goals": set(db.session.scalars(select(Goal.id).where(Goal.cycle_id == cycle.id))),
            "actions": {a.id for a in plan.actions} if plan else set(),
            "versions": {v.id for v in plan.versions} if plan else set(),
            "items": set(db.session.scalars(select(CatalogueItem.id).where(CatalogueItem.park_id == park.id))),
        }

    with live_app.app_context():
        before = state()
        park_id = before["park"].id
        kept = {
            "plan": before["plan"].id if before["plan"] else None,
            "starts_on": before["plan"].starts_on if before["plan"] else None,
            **{key: before[key] for key in ("goals", "actions", "versions", "items")},
        }
    yield park_id
    with live_app.app_context():
        after = state()
        plan = after["plan"]
        if plan is not None and kept["plan"] is None:
            db.session.delete(plan)
        elif plan is not None:
            for action in plan.actions:
                if action.id not in kept["actions"]:
                    db.session.delete(action)
            for version in plan.versions:
                if version.id not in kept["versions"]:
                    db.session.delete(version)
            plan.starts_on = kept["starts_on"]
        new_goals = after["goals"] - kept["goals"]
        if new_goals:
            db.session.execute(delete(plan_action_goals).where(plan_action_goals.c.goal_id.in_(new_goals)))
            for goal_id in new_goals:
                db.session.delete(db.session.get(Goal, goal_id))
        for item_id in after["items"] - kept["items"]:
            db.session.delete(db.session.get(CatalogueItem, item_id))
        db.session.commit()
        assert db.session.scalar(select(PlanVersion).where(PlanVersion.meeting == MEETING)) is None
        assert db.session.scalar(select(PlanAction).where(PlanAction.title == "Aanpak illegale bewoning")) is None


def _open_park(page: Page) -> int:
    open_park(page, PARK)
    expect(page.get_by_role("heading", level=1, name=PARK)).to_be_visible()
    return int(re.search(r"/parken/(\d+)", page.url).group(1))


def test_plan_from_catalogue_to_adoption_and_an_owner_updates(page: Page, leave_as_found, tmp_path: Path):
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    park_id = _open_park(page)
    assert park_id == leave_as_found

    # a goal whose baseline comes from the closed survey
    page.get_by_role("link", name="Doelen", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Doelen van {PARK}")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Doel toevoegen", exact=True).click()
    check_accessibility(page)
    page.get_by_label("Thema", exact=True).select_option(label="Veilig")
    page.get_by_label("Doel", exact=True).fill("Ondernemers voelen zich na donker veiliger")
    page.get_by_label("Indicator", exact=True).fill("Aandeel dat zich na donker veilig of zeer veilig voelt")
    # the indicator is chosen from a list, each option named in words with the baseline the survey gives it
    picker = page.get_by_label("Bron van de indicator")
    option = picker.locator('option[value="enquete|safe_dark:4,5"]')
    expect(option).to_have_text(re.compile(r"^4 of 5 \(zeer veilig\) — nulmeting: \d+(,\d)?\u00a0%$"))
    expect(option.locator("xpath=..")).to_have_attribute(
        "label", "Enquête: Hoe veilig voelt u zich na donker op het bedrijventerrein?"
    )
    picker.select_option(value="enquete|safe_dark:4,5")
    page.get_by_label("Streefwaarde").fill("6O")
    page.get_by_role("button", name="Doel toevoegen").click()
    expect(page.locator("#goal-target-error")).to_contain_text("Vul een getal in")
    expect(picker).to_have_value("enquete|safe_dark:4,5")  # the choice is kept
    check_accessibility(page)
    page.get_by_label("Streefwaarde").fill("60")
    page.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_text("Het doel Ondernemers voelen zich na donker veiliger is opgeslagen.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Veiligheidsenquête Cartesiusweg: \d+ antwoorden"))).to_be_visible()
    expect(
        page.get_by_text("Hoe veilig voelt u zich na donker op het bedrijventerrein?: 4 of 5 (zeer veilig)")
    ).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Terug naar de doelen").click()
    expect(page.get_by_role("row").filter(has_text="Ondernemers voelen zich na donker veiliger")).to_contain_text(
        "nog geen nieuwe meting"
    )
    check_accessibility(page)

    # actions from the catalogue: two ticked, one with its own button
    page.goto(f"/parken/{park_id}/plan/")
    expect(page.get_by_role("heading", level=1, name=f"Uitvoeringsplan van {PARK}")).to_be_visible()
    check_accessibility(page)
    page.goto(f"/parken/{park_id}/plan/acties/toevoegen")
    check_accessibility(page)
    page.get_by_label("Inbraakpreventieadvies per bedrijf", exact=True).check()
    page.get_by_label("Nieuwsbrief veiligheid", exact=True).check()
    page.get_by_role("button", name="Aangevinkte maatregelen toevoegen").first.click()
    expect(page.get_by_text(re.compile(rf"^Toegevoegd aan het plan: ({BOTH}), ({BOTH})\.$"))).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Toevoegen\s*: Aanpak illegale bewoning$")).click()
    expect(page.get_by_text("Toegevoegd aan het plan: Aanpak illegale bewoning.")).to_be_visible()
    check_accessibility(page)

    # the matrix: the police own the alert evening; move it to quarter 3, by keyboard-operable form
    page.goto(f"/parken/{park_id}/plan/matrix")
    expect(page.get_by_role("heading", level=1, name="Acties per deelnemer en kwartaal")).to_be_visible()
    check_accessibility(page)
    police_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("Politie")))
    mover = police_row.locator("details").filter(has=page.locator("summary", has_text=ADVICE))
    mover.locator("summary").click()
    mover.get_by_label("Naar kwartaal").select_option(index=2)
    mover.get_by_role("button", name=re.compile(r"^Verplaatsen\s*: Inbraakpreventieadvies per bedrijf$")).click()
    expect(page.get_by_text(re.compile(r"Inbraakpreventieadvies per bedrijf staat nu in K3 \("))).to_be_visible()
    police_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("Politie")))
    expect(
        police_row.get_by_role("cell").nth(2).get_by_role("link", name="Inbraakpreventieadvies per bedrijf")
    ).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Tijdlijn").click()
    expect(page.get_by_text("(huidig kwartaal)")).to_be_visible()
    check_accessibility(page)

    # adopt the plan and download it
    page.get_by_role("link", name="Lijst per kwartaal").click()
    page.get_by_label("Vergadering").fill(MEETING)
    page.get_by_role("button", name="Plan vaststellen").click()
    expect(page.get_by_text(re.compile(r"Het plan is vastgesteld \(versie \d+\)\."))).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=f"Vastgesteld in de {MEETING}")).to_be_visible()
    expect(page.get_by_text("Het plan is niet gewijzigd sinds het is vastgesteld.")).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Actieplan downloaden (PDF)").click()
    assert download.value.suggested_filename == "actieplan-cartesiusweg.pdf"
    saved = tmp_path / "actieplan.pdf"
    download.value.save_as(saved)
    text = pdf_text(saved.read_bytes())
    assert f"Uitvoeringsplan {PARK}" in text and "Inbraakpreventieadvies per bedrijf" in text and MEETING in text
    page.get_by_role("button", name="Uitloggen").click()

    # the police update the action they own; the entrepreneurs' action is not theirs
    login(page, f"politie@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/parken/{park_id}/plan/")
    mine = page.get_by_role("region", name="Acties van uw organisatie")
    expect(mine.get_by_role("link", name="Inbraakpreventieadvies per bedrijf")).to_be_visible()
    expect(mine.get_by_role("link", name="Nieuwsbrief veiligheid")).to_have_count(0)
    check_accessibility(page)
    mine.get_by_role("link", name="Inbraakpreventieadvies per bedrijf").click()
    expect(page.get_by_role("heading", level=1, name="Inbraakpreventieadvies per bedrijf")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Nieuwe status").select_option(label="Bezig")
    page.get_by_label("Toelichting").fill("Zaal geboekt bij de ondernemersvereniging")
    page.get_by_role("button", name="Status opslaan").click()
    expect(page.get_by_text("Inbraakpreventieadvies per bedrijf heeft nu de status Bezig.")).to_be_visible()
    expect(page.get_by_text("Zaal geboekt bij de ondernemersvereniging")).to_be_visible()
    expect(page.get_by_role("link", name="Actie bewerken")).to_have_count(0)
    check_accessibility(page)


def test_the_officer_downloads_the_plan_as_a_spreadsheet_and_a_word_document(page: Page):
    # the demo's only plan is Cartesiusweg's, the municipality officer's park (the demo advisor is not on it)
    login(page, f"gemeente@{DEMO_DOMAIN}", DEMO_PASSWORD)
    _open_park(page)
    page.get_by_role("link", name="Uitvoeringsplan", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(PARK))).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Acties downloaden als spreadsheet (Excel)").click()
    assert download.value.suggested_filename == "acties-cartesiusweg.xlsx"
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert header == ["Actie", "Thema", "Eigenaar", "Contactpersoon", "Kwartaal", "Status", "Doel"]
    assert rows and all(re.fullmatch(r"K\d \(\de kw\. \d{4}\)", row[4]) for row in rows)
    with page.expect_download() as download:
        page.get_by_role("link", name="Actieplan downloaden om te bewerken (Word)").click()
    assert download.value.suggested_filename == "actieplan-cartesiusweg.docx"
    assert Document(io.BytesIO(download.value.path().read_bytes())).paragraphs[0].text == f"Uitvoeringsplan {PARK}"
