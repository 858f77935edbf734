"""Adopting the plan: who, when and at which meeting, a frozen snapshot, versions n+1, and the diff since."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.parks import steps
from app.plans import services, versions
from app.plans.models import ActionStatus, Theme
from app.stakeholders.models import PpsRole
from tests.factories import make_member
from tests.plans.conftest import TODAY, set_goal

MEETING = "werkgroepvergadering van 5 maart 2026"


def adopt(actor, plan, *, meeting=MEETING, on=date(2026, 3, 5)):
    return versions.adopt(actor, plan, meeting=meeting, adopted_on=on, today=TODAY)


@pytest.fixture
def filled(plan, advisor, core):
    goal = set_goal(advisor, plan.cycle)
    services.add_action(
        advisor, plan, title="Alertavond", quarter=1, owners=[core[PpsRole.POLITIE]], theme=Theme.MELDINGSBEREIDHEID
    )
    services.add_action(
        advisor,
        plan,
        title="Integrale controle",
        quarter=3,
        owners=[core[PpsRole.GEMEENTE], core[PpsRole.POLITIE]],
        goals=[goal],
        description="Met brandweer en omgevingsdienst.",
    )
    return plan


def test_an_empty_plan_is_not_adopted(db, plan, advisor):
    with pytest.raises(DomainError, match="zonder acties"):
        adopt(advisor, plan)
    action = services.add_action(advisor, plan, title="Alertavond", quarter=1)
    services.change_status(advisor, action, status=ActionStatus.DROPPED, note="Geen zaal", today=TODAY)
    with pytest.raises(DomainError, match="zonder acties"):
        adopt(advisor, plan)


@pytest.mark.parametrize(
    ("meeting", "on", "message"),
    [
        ("  ", date(2026, 3, 5), "Noem de vergadering"),
        ("x" * 301, date(2026, 3, 5), "te lang"),
        (MEETING, date(2026, 3, 11), "tussen"),  # after today
        (MEETING, date(2025, 12, 31), "tussen"),  # before the cycle began
        (MEETING, None, "tussen"),
    ],
)
def test_adoption_needs_a_meeting_and_a_date(db, filled, advisor, meeting, on, message):
    with pytest.raises(DomainError, match=message):
        adopt(advisor, filled, meeting=meeting, on=on)
    assert filled.versions == []


def test_adoption_records_who_when_and_a_snapshot(db, filled, advisor):
    version = adopt(advisor, filled)
    assert (version.number, version.adopted_on, version.meeting) == (1, date(2026, 3, 5), MEETING)
    assert (version.adopted_by_id, version.adopted_by_label) == (advisor.id, "Anouk Adviseur")
    assert filled.adopted_version is version
    snapshot = version.snapshot
    assert snapshot["starts_on"] == "2026-01-01"
    first, second = snapshot["actions"]
    assert (
        first["title"] == "Alertavond"
        and first["calendar"] == "2026-Q1"
        and first["owners"] == ["Politie Midden-Nederland"]
    )
    assert second["goals"] == ["Minder inbraken"] and second["quarter"] == 3 and second["status"] == "gepland"
    assert len(second["owners"]) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.adopted"))
    assert event.details == {"version": 1, "meeting": MEETING, "adopted_on": "2026-03-05", "actions": 2}
    assert versions.diff(filled).empty


def test_later_changes_leave_the_version_and_show_as_a_diff(db, filled, advisor, core):
    version = adopt(advisor, filled)
    alert, control = filled.actions
    services.update_action(
        advisor,
        control,
        title="Integrale controle bedrijfspanden",
        description=control.description,
        owners=[core[PpsRole.GEMEENTE]],
        goals=[],
        quarter=4,
    )
    services.delete_action(advisor, alert)
    added = services.add_action(advisor, filled, title="Meldwijzer", quarter=2)
    services.change_status(advisor, control, status=ActionStatus.STARTED, today=TODAY)  # progress, not a change
    services.set_start(advisor, filled, starts_on=date(2026, 4, 1), today=TODAY)
    # the adopted version is frozen
    assert [a["title"] for a in version.snapshot["actions"]] == ["Alertavond", "Integrale controle"]
    diff = versions.diff(filled)
    assert [a["title"] for a in diff.added] == ["Meldwijzer"] and diff.added[0]["id"] == added.id
    assert [a["title"] for a in diff.removed] == ["Alertavond"]
    (changed,) = diff.changed
    assert changed.title == "Integrale controle bedrijfspanden"
    assert [(c.label, c.old, c.new) for c in changed.changes] == [
        ("Titel", "Integrale controle", "Integrale controle bedrijfspanden"),
        ("Kwartaal", "K3 (3e kw. 2026)", "K4 (1e kw. 2027)"),
        (
            "Eigenaren",
            f"{core[PpsRole.GEMEENTE].organisation.name}, Politie Midden-Nederland",
            core[PpsRole.GEMEENTE].organisation.name,
        ),
        ("Doelen", "Minder inbraken", "—"),
    ]
    assert (diff.start.old, diff.start.new) == ("1e kw. 2026", "2e kw. 2026")


def test_adopting_again_makes_the_next_version(db, filled, advisor):
    adopt(advisor, filled)
    services.add_action(advisor, filled, title="Meldwijzer", quarter=2)
    second = adopt(advisor, filled, meeting="werkgroepvergadering van 9 maart 2026", on=date(2026, 3, 9))
    assert second.number == 2 and filled.adopted_version is second
    assert [v.number for v in filled.versions] == [1, 2]
    assert versions.diff(filled).empty
    assert [a["title"] for a in versions.diff(filled, filled.versions[0]).added] == ["Meldwijzer"]


def test_never_adopted_has_no_diff(db, filled):
    assert versions.diff(filled) is None


def test_only_managers_adopt(db, park, filled, role):
    user = make_member(role, park)
    if role in {Role.ADVISOR, Role.MUNICIPALITY}:
        adopt(user, filled)
    else:
        with pytest.raises(NotAllowed):
            adopt(user, filled)


def test_step_6_plan_adopted(db, filled, advisor):
    def check():
        return {c.label: c for c in steps.evaluate(filled.cycle, 6)}["Het plan is vastgesteld in een vergadering"]

    assert not check().met
    adopt(advisor, filled)
    assert check().met and check().detail == MEETING
