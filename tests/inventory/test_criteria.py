"""Step 3's criteria "police figures" and "scan complete" turn met when the inventory holds the data."""

from __future__ import annotations

from app.inventory import criteria, scan
from app.inventory.models import Figure, FigureSource
from app.parks.services import active_cycle
from app.parks.steps import evaluate
from app.stakeholders.models import OrganisationType, PpsRole
from tests.inventory.conftest import add_stakeholder

TOP3 = [("Inbraken", ""), ("Afvaldumping", ""), ("Hardrijden", "")]


def _add_figure(db, park, source: FigureSource, category: str) -> None:
    db.session.add(Figure(park=park, source=source, category=category, year=2025, quarter=0, count=3))
    db.session.flush()


def test_police_figures_turn_met_with_a_figure_of_the_police(db, park):
    cycle = active_cycle(park)
    assert not criteria.police_figures(cycle).met
    _add_figure(db, park, FigureSource.MOR, "afvaldumping")
    check = criteria.police_figures(cycle)
    assert not check.met and check.detail == "nog geen cijfers van de politie"
    _add_figure(db, park, FigureSource.POLITIE, "inbraak_bedrijf")
    check = criteria.police_figures(cycle)
    assert check.met and check.detail == "Politie, Meldingen openbare ruimte (MOR)"


def test_the_scan_turns_complete_when_every_stakeholder_but_the_adviser_has_three(db, park, advisor, police):
    cycle = active_cycle(park)
    entrepreneurs = add_stakeholder(park, "Ondernemers", OrganisationType.ONDERNEMERSVERENIGING, PpsRole.ONDERNEMERS)
    add_stakeholder(park, "PVO", OrganisationType.PVO, PpsRole.ADVIES)
    scan.save_scan(advisor, police, TOP3)
    scan.save_scan(advisor, entrepreneurs, TOP3[:2])
    check = criteria.scan_complete(cycle)
    assert not check.met and check.detail == "Ondernemers"
    scan.save_scan(advisor, entrepreneurs, TOP3)
    assert criteria.scan_complete(cycle).met


def test_the_stepper_of_step_3_shows_both_as_met(db, park, advisor, police):
    cycle = active_cycle(park)
    _add_figure(db, park, FigureSource.POLITIE, "inbraak_bedrijf")
    scan.save_scan(advisor, police, TOP3)
    results = {str(r.label): r.met for r in evaluate(cycle, 3)}
    assert results["De politie heeft haar cijfers voor het park aangeleverd"] is True
    assert results["Elke deelnemer heeft zijn top-3 voor de gebiedsscan ingevuld"] is True
