"""Inspection walks and findings: dates, the point in or near the park, status, and the action made from one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.inventory import inspections
from app.inventory.models import Finding, FindingCategory, FindingStatus, Inspection, Light, Severity
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.plans.models import PlanAction, Theme
from app.plans.services import find_plan
from tests.factories import make_member
from tests.inventory.conftest import TODAY, make_finding, make_inspection

FINDING = {
    "category": "dumping",
    "severity": "middel",
    "description": "Bouwafval gedumpt achter de container",
    "suggested_action": "Laten ruimen en camera richten",
    "lat": "52,105",
    "lon": "5,07",
}

DAY_WALK = {"held_on": TODAY, "light": "dag"}


def _actions(db, park) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.park_id == park.id)))


# --- walks -------------------------------------------------------------------------------------------------------


def test_a_walk_is_recorded_corrected_and_audited(db, park, advisor):
    cycle = active_cycle(park)
    walk = inspections.create_inspection(
        advisor,
        cycle,
        {"held_on": date(2026, 2, 20), "light": "donker", "participants": " Peter Politie\nOlga "},
        today=TODAY,
    )
    assert (walk.light, walk.participants, walk.created_by_id) == (Light.DARK, "Peter Politie\nOlga", advisor.id)
    inspections.update_inspection(advisor, walk, {"held_on": date(2026, 2, 21), "light": "donker"}, today=TODAY)
    inspections.update_inspection(advisor, walk, {"held_on": date(2026, 2, 21), "light": "donker"}, today=TODAY)
    assert walk.held_on == date(2026, 2, 21) and walk.participants == ""
    assert _actions(db, park) == ["inventory.inspection_saved"] * 2


@pytest.mark.parametrize(
    ("held_on", "light", "message"),
    [
        (None, "dag", "Vul de datum"),
        (date(2026, 3, 3), "dag", "in de toekomst"),
        (date(1999, 12, 31), "dag", "te ver in het verleden"),
        (date(2026, 3, 1), "schemer", "daglicht of in het donker"),
    ],
)
def test_wrong_walks_are_refused(db, park, advisor, held_on, light, message):
    with pytest.raises(DomainError, match=message):
        inspections.create_inspection(advisor, active_cycle(park), {"held_on": held_on, "light": light}, today=TODAY)
    assert db.session.scalars(select(Inspection)).all() == []


def test_too_long_texts_are_refused(db, park, advisor):
    with pytest.raises(DomainError, match="te lang"):
        inspections.create_inspection(advisor, active_cycle(park), DAY_WALK | {"notes": "x" * 5001}, today=TODAY)


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.MUNICIPALITY, Role.PARTNER, Role.ENTREPRENEUR])
def test_whoever_walks_records_the_walk(db, park, role):
    walk = inspections.create_inspection(make_member(role, park), active_cycle(park), DAY_WALK, today=TODAY)
    assert walk.id


@pytest.mark.parametrize("role", [Role.CAMERA_OFFICER, Role.AUDITOR])
def test_readers_record_nothing(db, park, role):
    reader = make_member(role, park)
    walk = make_inspection(park)
    finding = make_finding(walk)
    for call in (
        lambda: inspections.create_inspection(reader, active_cycle(park), DAY_WALK, today=TODAY),
        lambda: inspections.update_inspection(reader, walk, DAY_WALK, today=TODAY),
        lambda: inspections.delete_inspection(reader, walk),
        lambda: inspections.add_finding(reader, walk, FINDING),
        lambda: inspections.update_finding(reader, finding, FINDING),
        lambda: inspections.set_status(reader, finding, "opgelost", today=TODAY),
        lambda: inspections.delete_finding(reader, finding),
        lambda: inspections.make_action(reader, finding, today=TODAY),
    ):
        with pytest.raises(NotAllowed):
            call()


def test_a_closed_cycle_is_read_only(db, park, advisor):
    walk = make_inspection(park)
    finding = make_finding(walk)
    active_cycle(park).status = CycleStatus.CLOSED
    db.session.flush()
    for call in (
        lambda: inspections.create_inspection(advisor, walk.cycle, DAY_WALK, today=TODAY),
        lambda: inspections.update_inspection(advisor, walk, DAY_WALK, today=TODAY),
        lambda: inspections.delete_inspection(advisor, walk),
        lambda: inspections.add_finding(advisor, walk, FINDING),
        lambda: inspections.set_status(advisor, finding, "opgelost", today=TODAY),
        lambda: inspections.delete_finding(advisor, finding),
        lambda: inspections.make_action(advisor, finding, today=TODAY),
    ):
        with pytest.raises(DomainError, match="afgesloten"):
            call()


def test_walks_are_listed_newest_first(db, park):
    old = make_inspection(park, held_on=date(2025, 10, 1))
    new = make_inspection(park, held_on=date(2026, 2, 1))
    same_day = make_inspection(park, held_on=date(2026, 2, 1), light=Light.DAY)
    assert inspections.inspections_of(active_cycle(park)) == [same_day, new, old]


def test_deleting_a_walk_takes_its_findings_and_names_their_photo_files(db, park, advisor):
    from app.inventory.models import FindingPhoto

    walk = make_inspection(park)
    finding = make_finding(walk)
    finding.photos.append(
        FindingPhoto(
            stored_name="a" * 32 + ".jpg", original_name="x.jpg", content_type="image/jpeg", size=1, width=1, height=1
        )
    )
    db.session.flush()
    assert inspections.delete_inspection(advisor, walk) == ["a" * 32 + ".jpg"]
    assert db.session.scalars(select(Finding)).all() == []


# --- findings ----------------------------------------------------------------------------------------------------


def test_a_finding_is_added_and_changed(db, park, with_area, advisor):
    walk = make_inspection(park)
    finding = inspections.add_finding(advisor, walk, FINDING)
    assert (finding.category, finding.severity, finding.status) == (
        FindingCategory.DUMPING,
        Severity.MEDIUM,
        FindingStatus.OPEN,
    )
    assert (finding.lat, finding.lon) == (52.105, 5.07)
    inspections.update_finding(advisor, finding, FINDING | {"severity": "hoog", "lat": "", "lon": ""})
    assert finding.severity == Severity.HIGH and finding.lat is None and finding.lon is None
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "inventory.finding_saved").order_by(AuditEvent.id)
    ).all()
    assert events[1].details["fields"] == ["severity", "lat", "lon"]


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [
        ("52.105", "5.07", True),  # inside
        ("52.11", "5.07", True),  # on the edge
        ("52.1115", "5.07", True),  # about 170 m north of it
        ("52.1125", "5.07", False),  # about 280 m north of it
        ("52.105", "5.0835", True),  # about 240 m east
        ("52.105", "5.085", False),  # about 340 m east
        ("52.09", "5.07", False),  # a kilometre south
    ],
)
def test_a_point_lies_in_the_park_or_within_250_m(db, park, with_area, advisor, lat, lon, ok):
    walk = make_inspection(park)
    if ok:
        assert inspections.add_finding(advisor, walk, FINDING | {"lat": lat, "lon": lon}).lat == float(lat)
    else:
        with pytest.raises(DomainError, match="meer dan 250 meter buiten het park"):
            inspections.add_finding(advisor, walk, FINDING | {"lat": lat, "lon": lon})


def test_without_an_area_any_point_in_the_netherlands_will_do(db, park, advisor):
    walk = make_inspection(park)
    assert inspections.add_finding(advisor, walk, FINDING | {"lat": "53.2", "lon": "6.56"}).lat == 53.2
    with pytest.raises(DomainError, match="niet in Nederland"):
        inspections.add_finding(advisor, walk, FINDING | {"lat": "48.85", "lon": "2.35"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": "  "}, "Beschrijf wat er is gezien."),
        ({"description": "x" * 2001}, "te lang"),
        ({"suggested_action": "x" * 2001}, "te lang"),
        ({"category": "ufo"}, "Kies een categorie."),
        ({"severity": "extreem"}, "Kies hoe ernstig"),
        ({"lat": "52,1", "lon": ""}, "allebei in, of geen van beide"),
        ({"lat": "noord", "lon": "5,07"}, "geen getallen"),
        ({"lat": "nan", "lon": "5,07"}, "geen getallen"),
    ],
)
def test_wrong_findings_are_refused(db, park, advisor, changes, message):
    walk = make_inspection(park)
    with pytest.raises(DomainError, match=message):
        inspections.add_finding(advisor, walk, FINDING | changes)
    assert db.session.scalars(select(Finding)).all() == []


def test_a_finding_is_resolved_and_reopened(db, park, advisor):
    finding = make_finding(make_inspection(park))
    inspections.set_status(advisor, finding, "opgelost", today=TODAY)
    assert (finding.status, finding.resolved_on) == (FindingStatus.RESOLVED, TODAY)
    inspections.set_status(advisor, finding, "opgelost", today=date(2026, 3, 5))
    assert finding.resolved_on == TODAY  # resolving again changes nothing
    inspections.set_status(advisor, finding, FindingStatus.OPEN, today=TODAY)
    assert (finding.status, finding.resolved_on) == (FindingStatus.OPEN, None)
    with pytest.raises(DomainError):
        inspections.set_status(advisor, finding, "misschien", today=TODAY)
    assert _actions(db, park) == ["inventory.finding_resolved", "inventory.finding_reopened"]


def test_deleting_a_finding(db, park, advisor):
    walk = make_inspection(park)
    finding = make_finding(walk)
    assert inspections.delete_finding(advisor, finding) == []
    assert walk.findings == [] and db.session.scalars(select(Finding)).all() == []
    assert _actions(db, park) == ["inventory.finding_deleted"]


# --- from finding to action --------------------------------------------------------------------------------------


def test_a_finding_becomes_an_action_of_the_plan_once(db, park, advisor):
    finding = make_finding(make_inspection(park), category=FindingCategory.DUMPING)
    action = inspections.make_action(advisor, finding, today=TODAY)
    plan = find_plan(active_cycle(park))
    assert action.plan is plan and plan.starts_on == date(2026, 1, 1)
    # the suggested action names what to do, the finding's description what was found
    assert action.title == "Melden bij de gemeente en vervangen"
    assert action.description == "Lantaarnpaal kapot bij de ingang"
    assert (action.theme, action.quarter, action.finding_id) == (Theme.SCHOON, 1, finding.id)
    assert inspections.action_of(finding) is action
    with pytest.raises(DomainError, match="al een actie"):
        inspections.make_action(advisor, finding, today=TODAY)
    assert len(db.session.scalars(select(PlanAction)).all()) == 1
    assert "plans.action_added" in _actions(db, park)


def test_the_action_gets_the_plan_quarter_of_today_and_the_theme_of_the_category(db, park, advisor):
    walk = make_inspection(park)
    first = inspections.make_action(advisor, make_finding(walk), today=date(2026, 1, 15))  # plan starts 2026-01-01
    later = make_finding(walk, category=FindingCategory.CAMERA, suggested_action="", description="Geen zicht\nop poort")
    second = inspections.make_action(advisor, later, today=date(2026, 8, 1))
    beyond = inspections.make_action(
        advisor, make_finding(walk, category=FindingCategory.OVERIG), today=date(2029, 1, 1)
    )
    assert (first.theme, first.quarter) == (Theme.HEEL, 1)
    assert (second.theme, second.quarter, second.description) == (Theme.VEILIG, 3, "Geen zicht\nop poort")
    assert second.title == "Cameradekking: Geen zicht op poort"
    assert (beyond.theme, beyond.quarter) == (None, 1)


def test_a_resolved_finding_needs_no_action(db, park, advisor):
    finding = make_finding(make_inspection(park))
    inspections.set_status(advisor, finding, "opgelost", today=TODAY)
    with pytest.raises(DomainError, match="opgelost"):
        inspections.make_action(advisor, finding, today=TODAY)
    assert db.session.scalars(select(PlanAction)).all() == []


def test_a_long_description_gives_a_title_that_fits(db, park, advisor):
    finding = make_finding(make_inspection(park), description="x" * 400, suggested_action="")
    action = inspections.make_action(advisor, finding, today=TODAY)
    assert len(action.title) == 200 and action.title.endswith("…")


@pytest.mark.parametrize("role", [Role.PARTNER, Role.ENTREPRENEUR])
def test_only_plan_editors_make_actions(db, park, role):
    finding = make_finding(make_inspection(park))
    with pytest.raises(NotAllowed):
        inspections.make_action(make_member(role, park), finding, today=TODAY)
    assert db.session.scalars(select(PlanAction)).all() == []


def test_actions_of_findings(db, park, advisor):
    walk = make_inspection(park)
    one, two = make_finding(walk), make_finding(walk)
    action = inspections.make_action(advisor, two, today=TODAY)
    assert inspections.actions_of([one, two]) == {two.id: action}
    assert inspections.actions_of([]) == {}
