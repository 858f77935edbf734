"""Each area registers its own step criteria: the park reaches them only through the list of criteria modules, and
every step's checklist keeps its criteria in their order."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.parks import steps

PARKS = Path(steps.__file__).parent
OTHER_AREAS = ("surveys", "meetings", "goals", "plans", "awards", "inventory", "stakeholders")

#: every step's criteria as the stepper lists them, by module and function
CHECKLISTS = {
    1: ["app.parks.criteria.area_drawn", "app.parks.criteria.register_filled", "app.parks.criteria.companies_inside"],
    2: [
        "app.stakeholders.criteria.core_partners",
        "app.stakeholders.criteria.chair_and_secretary",
        "app.meetings.criteria.kickoff_held",
    ],
    3: [
        "app.surveys.criteria.survey_report_ready",
        "app.inventory.criteria.police_figures",
        "app.inventory.criteria.scan_complete",
    ],
    4: ["app.goals.criteria.goal_per_theme"],
    5: ["app.meetings.criteria.results_presented"],
    6: [
        "app.plans.criteria.actions_owned",
        "app.stakeholders.criteria.roles_divided",
        "app.plans.criteria.calendar_set",
        "app.plans.criteria.plan_adopted",
    ],
    7: [
        "app.awards.criteria.declaration_signed",
        "app.awards.criteria.everyone_signed",
        "app.awards.criteria.ceremony_date_set",
    ],
    8: [
        "app.meetings.criteria.quarterly_meetings_held",
        "app.meetings.criteria.progress_reported",
        "app.plans.criteria.actions_updated",
        "app.parks.criteria.herijking_on_time",
    ],
}


def _imported_modules(path: Path) -> set[str]:
    """Every module the file imports, at its top or inside a function."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_the_parks_criteria_import_no_other_area():
    areas = {module.split(".")[1] for module in _imported_modules(PARKS / "criteria.py") if module.startswith("app.")}
    assert areas.isdisjoint(OTHER_AREAS)


@pytest.mark.parametrize("path", sorted(PARKS.glob("*.py")), ids=lambda path: path.name)
def test_no_parks_module_imports_an_area_criteria_module(path):
    criteria_modules = {module for module in _imported_modules(path) if module.endswith(".criteria")}
    assert criteria_modules <= {"app.parks.criteria"}


def test_every_step_lists_its_criteria_in_order(app):
    registered = {
        step: [f"{item.check.__module__}.{item.check.__name__}" for item in criteria]
        for step, criteria in steps.CRITERIA.items()
    }
    assert registered == CHECKLISTS


def test_a_criterion_takes_its_place_whenever_it_is_registered(app):
    @steps.criterion(3, "Tussen enquête en cijfers", order=15)
    def in_between(cycle):
        return True

    try:
        assert [item.label for item in steps.CRITERIA[3]][:2] == [
            "De ondernemersenquête is gesloten en het rapport is klaar",
            "Tussen enquête en cijfers",
        ]
        with pytest.raises(ValueError, match="step 3 already has a criterion at place 15"):
            steps.criterion(3, "Op dezelfde plaats", order=15)(in_between)
    finally:
        steps.CRITERIA[3].remove(next(item for item in steps.CRITERIA[3] if item.order == 15))
