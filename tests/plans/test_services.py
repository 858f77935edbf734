"""The two-year plan's rules: quarters and due dates, adding from the catalogue and the schouw, status changes
with notes, who may update an action, the matrix and the timeline."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import may_update_action
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.inventory.models import Finding, FindingCategory, FindingStatus, Inspection
from app.parks import steps
from app.parks.models import CycleStatus
from app.plans import quarters, services
from app.plans.models import ActionNote, ActionStatus, PlanAction, Theme
from app.stakeholders.models import PpsRole
from tests.factories import make_member, make_organisation, make_park, make_user
from tests.plans.conftest import TODAY


def audit_actions() -> list[str]:
    return list(_db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# Quarters --------------------------------------------------------------------------------------------------


def test_a_quarter_is_printed_one_way_in_each_language(app):
    with app.test_request_context():
        assert quarters.label(date(2026, 10, 1), 3) == "K3 (2e kw. 2027)"
        assert quarters.quarter(date(2026, 10, 1), 3).short == "K3"
        assert quarters.label_of_key(3, "2027-Q2") == "K3 (2e kw. 2027)"
        with force_locale("en"):
            assert quarters.label(date(2026, 10, 1), 3) == "Q3 (Q2 2027)"
            assert quarters.quarter(date(2026, 10, 1), 1).calendar_text == "Q4 2026"


def test_quarters_map_onto_calendar_quarters():
    start = date(2026, 10, 1)
    labels = [q.calendar_label for q in quarters.quarters(start)]
    assert labels == ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4", "2028-Q1", "2028-Q2", "2028-Q3"]
    assert quarters.quarter(start, 2).first_day == date(2027, 1, 1)
    assert quarters.quarter(start, 1).last_day == date(2026, 12, 31)
    assert quarters.quarter(start, 8).last_day == date(2028, 9, 30)
    assert quarters.quarter_start(date(2026, 11, 23)) == start
    assert [quarters.number_on(start, day) for day in (date(2026, 9, 30), date(2026, 10, 1), date(2028, 9, 30))] == [
        None,
        1,
        8,
    ]


def test_a_new_plan_starts_in_the_current_quarter_and_actions_are_due_at_its_end(db, plan, advisor):
    assert plan.starts_on == date(2026, 1, 1)
    action = services.add_action(advisor, plan, title="  Meldwijzer   maken ", quarter=3)
    assert action.title == "Meldwijzer maken"
    assert action.due_on == date(2026, 9, 30)
    assert services.plan_for(plan.cycle, today=date(2027, 5, 5)) is plan  # one plan per cycle


@pytest.mark.parametrize("quarter", [0, 9, None, -1])
def test_a_quarter_outside_the_plan_is_refused(db, plan, advisor, quarter):
    with pytest.raises(DomainError, match="kwartaal van 1 tot en met 8"):
        services.add_action(advisor, plan, title="Iets", quarter=quarter)


def test_moving_the_start_recomputes_every_due_date(db, plan, advisor):
    first = services.add_action(advisor, plan, title="Eerste", quarter=1)
    last = services.add_action(advisor, plan, title="Laatste", quarter=8)
    services.set_start(advisor, plan, starts_on=date(2026, 4, 1), today=TODAY)
    assert (first.quarter, first.due_on) == (1, date(2026, 6, 30))
    assert (last.quarter, last.due_on) == (8, date(2028, 3, 31))
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.start_moved"))
    assert event.details == {"from": "2026-01-01", "to": "2026-04-01"}
    for bad in (date(2026, 4, 2), date(2020, 1, 1), None):
        with pytest.raises(DomainError, match="kwartaal waarin het plan begint"):
            services.set_start(advisor, plan, starts_on=bad, today=TODAY)


# Adding actions --------------------------------------------------------------------------------------------


def test_actions_from_the_catalogue_get_the_measure_and_its_typical_owner(db, plan, advisor, core):
    added = services.add_from_catalogue(
        advisor, plan, ["alertavond", "verlichting-verbeteren", "collectieve-surveillance"], quarter=2
    )
    assert [a.title for a in added] == [
        "Alertavond",
        "Openbare verlichting verbeteren",
        "Collectieve surveillance",
    ]
    alert, light, surveillance = added
    assert alert.owners == [core[PpsRole.POLITIE]] and alert.theme == Theme.MELDINGSBEREIDHEID
    assert light.owners == [core[PpsRole.GEMEENTE]] and light.catalogue_key == "verlichting-verbeteren"
    assert surveillance.owners == []  # no security company takes part yet
    assert all(a.quarter == 2 and a.description for a in added)
    assert audit_actions() == ["plans.action_added"] * 3


def test_catalogue_choices_are_checked_and_nothing_half_added(db, plan, advisor):
    with pytest.raises(DomainError, match="Kies een of meer"):
        services.add_from_catalogue(advisor, plan, [], quarter=1)
    with pytest.raises(DomainError, match="niet \\(meer\\) in de catalogus"):
        services.add_from_catalogue(advisor, plan, ["alertavond", "bestaat-niet"], quarter=1)
    assert plan.actions == []


def _finding(cycle, **overrides):
    inspection = Inspection(cycle=cycle, held_on=date(2026, 2, 12))
    values = {
        "category": FindingCategory.VERLICHTING,
        "description": "Drie lantaarnpalen aan de Atoomweg doen het niet.",
    } | overrides
    finding = Finding(inspection=inspection, **values)
    _db.session.add_all([inspection, finding])
    _db.session.flush()
    return finding


def test_an_open_finding_becomes_an_action_once(db, plan, advisor, core):
    finding = _finding(plan.cycle, suggested_action="Lantaarnpalen Atoomweg repareren")
    resolved = _finding(plan.cycle, status=FindingStatus.RESOLVED)
    assert services.open_findings(plan.cycle) == [finding]
    action = services.add_from_finding(advisor, plan, finding, quarter=1, owners=[core[PpsRole.GEMEENTE]])
    assert (action.title, action.theme, action.finding) == ("Lantaarnpalen Atoomweg repareren", Theme.HEEL, finding)
    assert action.description == finding.description
    assert services.open_findings(plan.cycle) == []
    with pytest.raises(DomainError, match="al een actie"):
        services.add_from_finding(advisor, plan, finding, quarter=1)
    with pytest.raises(DomainError, match="opgelost"):
        services.add_from_finding(advisor, plan, resolved, quarter=1)
    other = make_park()
    elsewhere = _finding(other.cycles[0])
    with pytest.raises(DomainError, match="andere cyclus"):
        services.add_from_finding(advisor, plan, elsewhere, quarter=1)


def test_a_finding_without_suggestion_is_titled_by_its_category(db, plan, advisor):
    finding = _finding(plan.cycle, category=FindingCategory.DUMPING)
    finding.description = "Gedumpt bouwafval " + "x" * 300
    action = services.add_from_finding(advisor, plan, finding, quarter=2)
    assert action.title.startswith("Afvaldumping en zwerfvuil: Gedumpt bouwafval")
    assert len(action.title) == services.TITLE_MAX and action.theme == Theme.SCHOON


def test_owners_and_goals_must_belong_to_the_cycle(db, plan, advisor):
    other = make_park()
    from app.stakeholders.models import Stakeholder

    stranger = Stakeholder(cycle=other.cycles[0], organisation=make_organisation(), role=PpsRole.OVERIG)
    _db.session.add(stranger)
    _db.session.flush()
    with pytest.raises(DomainError, match="deelnemer van deze cyclus"):
        services.add_action(advisor, plan, title="Iets", quarter=1, owners=[stranger])


# Editing ---------------------------------------------------------------------------------------------------


def test_update_records_what_changed(db, plan, advisor, core):
    action = services.add_action(advisor, plan, title="Schouw", quarter=1, owners=[core[PpsRole.GEMEENTE]])
    services.update_action(
        advisor,
        action,
        title="Brandveiligheidsschouw",
        theme=Theme.VEILIG,
        owners=[core[PpsRole.BRANDWEER], core[PpsRole.GEMEENTE]],
        quarter=4,
    )
    assert action.owners == [core[PpsRole.GEMEENTE], core[PpsRole.BRANDWEER]]  # kept in stakeholder order
    assert action.due_on == date(2026, 12, 31)
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "plans.action_updated"))
    gemeente = core[PpsRole.GEMEENTE].organisation.name
    assert event.details == {
        "title": ["Schouw", "Brandveiligheidsschouw"],
        "theme": [None, "veilig"],
        "quarter": [1, 4],
        "owners": [[gemeente], [gemeente, "Veiligheidsregio Utrecht"]],
    }


def test_moving_in_the_matrix_changes_quarter_and_owner_row(db, plan, advisor, core):
    gemeente, politie, brandweer = core[PpsRole.GEMEENTE], core[PpsRole.POLITIE], core[PpsRole.BRANDWEER]
    action = services.add_action(advisor, plan, title="Integrale controle", quarter=2, owners=[gemeente, politie])
    services.move_action(advisor, action, quarter=5, from_owner=politie, to_owner=brandweer)
    assert (action.quarter, action.owners) == (5, [gemeente, brandweer])
    assert action.due_on == date(2027, 3, 31)
    services.move_action(advisor, action, quarter=6, from_owner=gemeente, to_owner=gemeente)  # only the quarter
    assert (action.quarter, action.owners) == (6, [gemeente, brandweer])
    orphan = services.add_action(advisor, plan, title="Zonder eigenaar", quarter=1)
    services.move_action(advisor, orphan, quarter=1, from_owner=None, to_owner=politie)
    assert orphan.owners == [politie]
    moves = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "plans.action_moved").order_by(AuditEvent.id)
    ).all()
    assert [e.details["quarter"] for e in moves] == [[2, 5], [5, 6], [1, 1]]


def test_deleting_an_action(db, plan, advisor):
    action = services.add_action(advisor, plan, title="Weg ermee", quarter=1)
    services.add_note(advisor, action, text="Toch niet nodig", today=TODAY)
    services.delete_action(advisor, action)
    assert _db.session.scalar(select(PlanAction)) is None
    assert _db.session.scalar(select(ActionNote)) is None
    assert audit_actions()[-1] == "plans.action_deleted"


# Status and notes ------------------------------------------------------------------------------------------


def test_status_changes_are_noted_with_date_author_and_status(db, plan, advisor):
    action = services.add_action(advisor, plan, title="Alertavond", quarter=1)
    services.change_status(advisor, action, status=ActionStatus.STARTED, note="Zaal geregeld", today=TODAY)
    services.change_status(advisor, action, status=ActionStatus.DONE, today=date(2026, 3, 20))
    assert (action.status, action.done_on) == (ActionStatus.DONE, date(2026, 3, 20))
    assert [(n.written_on, n.author_label, n.status, n.text) for n in action.notes] == [
        (TODAY, "Anouk Adviseur", ActionStatus.STARTED, "Zaal geregeld"),
        (date(2026, 3, 20), "Anouk Adviseur", ActionStatus.DONE, ""),
    ]
    services.change_status(advisor, action, status=ActionStatus.DELAYED, today=date(2026, 3, 21))
    assert action.done_on is None  # no longer done
    event = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "plans.action_status_changed").order_by(AuditEvent.id)
    ).all()
    assert [(e.details["from"], e.details["to"]) for e in event] == [
        ("gepland", "bezig"),
        ("bezig", "gereed"),
        ("gereed", "vertraagd"),
    ]


def test_dropping_needs_a_reason(db, plan, advisor):
    action = services.add_action(advisor, plan, title="Slagbomen", quarter=6)
    with pytest.raises(DomainError, match="reden"):
        services.change_status(advisor, action, status=ActionStatus.DROPPED, note="  ", today=TODAY)
    assert action.status == ActionStatus.PLANNED and action.notes == []
    services.change_status(advisor, action, status=ActionStatus.DROPPED, note="Te duur", today=TODAY)
    assert (action.status, action.drop_reason) == (ActionStatus.DROPPED, "Te duur")
    with pytest.raises(DomainError, match="heeft deze status al"):
        services.change_status(advisor, action, status=ActionStatus.DROPPED, note="Nog steeds", today=TODAY)
    services.change_status(advisor, action, status=ActionStatus.PLANNED, note="Subsidie gevonden", today=TODAY)
    assert action.drop_reason == ""


def test_progress_notes(db, plan, advisor):
    action = services.add_action(advisor, plan, title="Meldwijzer", quarter=1)
    with pytest.raises(DomainError, match="Schrijf wat"):
        services.add_note(advisor, action, text=" ", today=TODAY)
    note = services.add_note(advisor, action, text="Concept klaar", today=TODAY)
    assert (note.status, note.text, note.author_id) == (None, "Concept klaar", advisor.id)
    assert audit_actions()[-1] == "plans.action_note_added"


# Who may update an action ----------------------------------------------------------------------------------


def test_an_owner_updates_their_own_actions_only(db, park, plan, advisor, core, police_officer, entrepreneur):
    police_action = services.add_action(advisor, plan, title="Alertavond", quarter=1, owners=[core[PpsRole.POLITIE]])
    joint = services.add_action(
        advisor, plan, title="Integrale controle", quarter=2, owners=[core[PpsRole.GEMEENTE], core[PpsRole.POLITIE]]
    )
    services.change_status(police_officer, police_action, status=ActionStatus.STARTED, today=TODAY)
    services.add_note(police_officer, joint, text="Datum staat", today=TODAY)
    assert may_update_action(police_officer, joint)
    assert services.actions_of(police_officer, plan) == [police_action, joint]
    # the entrepreneur does not own these
    assert not may_update_action(entrepreneur, police_action)
    with pytest.raises(NotAllowed):
        services.change_status(entrepreneur, police_action, status=ActionStatus.DONE, today=TODAY)
    with pytest.raises(NotAllowed):
        services.add_note(entrepreneur, joint, text="Ik ook", today=TODAY)
    # owners change status and write notes, nothing else
    with pytest.raises(NotAllowed):
        services.update_action(police_officer, police_action, title="Anders", quarter=1)
    with pytest.raises(NotAllowed):
        services.move_action(police_officer, police_action, quarter=2)
    with pytest.raises(NotAllowed):
        services.delete_action(police_officer, police_action)


def test_the_representative_may_update_without_the_organisation(db, park, plan, advisor, core):
    representative = make_member(Role.ENTREPRENEUR, park, name="Rob Vertegenwoordiger")
    core[PpsRole.ONDERNEMERS].representative_user_id = representative.id
    action = services.add_action(advisor, plan, title="Schoonmaakactie", quarter=1, owners=[core[PpsRole.ONDERNEMERS]])
    assert may_update_action(representative, action)
    services.change_status(representative, action, status=ActionStatus.DONE, today=TODAY)


def test_a_member_of_the_owning_organisation_without_a_role_on_the_park_may_not(db, plan, advisor, core):
    outsider = make_user(organisation=core[PpsRole.POLITIE].organisation)
    action = services.add_action(advisor, plan, title="Alertavond", quarter=1, owners=[core[PpsRole.POLITIE]])
    assert not may_update_action(outsider, action)
    with pytest.raises(NotAllowed):
        services.add_note(outsider, action, text="x", today=TODAY)


@pytest.mark.parametrize("role", list(Role))
def test_managers_update_any_action_others_only_their_own(db, park, plan, advisor, core, role):
    action = services.add_action(advisor, plan, title="Alertavond", quarter=1, owners=[core[PpsRole.POLITIE]])
    user = make_member(role, park)  # no organisation: owns nothing
    assert may_update_action(user, action) is (role in {Role.ADVISOR, Role.MUNICIPALITY})


def test_a_closed_cycle_freezes_the_plan(db, plan, advisor):
    action = services.add_action(advisor, plan, title="Alertavond", quarter=1)
    plan.cycle.status = CycleStatus.CLOSED
    for call in (
        lambda: services.add_action(advisor, plan, title="Nog een", quarter=1),
        lambda: services.change_status(advisor, action, status=ActionStatus.DONE, today=TODAY),
        lambda: services.add_note(advisor, action, text="x", today=TODAY),
        lambda: services.update_action(advisor, action, title="x", quarter=1),
        lambda: services.delete_action(advisor, action),
    ):
        with pytest.raises(DomainError, match="afgesloten"):
            call()


# The matrix and the timeline -------------------------------------------------------------------------------


def test_the_matrix_puts_an_integral_action_in_each_owners_row(db, plan, advisor, core):
    gemeente, politie = core[PpsRole.GEMEENTE], core[PpsRole.POLITIE]
    joint = services.add_action(advisor, plan, title="Integrale controle", quarter=3, owners=[gemeente, politie])
    alone = services.add_action(advisor, plan, title="Alertavond", quarter=1, owners=[politie])
    orphan = services.add_action(advisor, plan, title="Nog niemand", quarter=8)
    rows = services.matrix(plan)
    labels = [row.stakeholder.role if row.stakeholder else None for row in rows]
    assert labels == [PpsRole.GEMEENTE, PpsRole.POLITIE, PpsRole.BRANDWEER, PpsRole.ONDERNEMERS, None]
    assert rows[0].cells[2] == [joint]
    assert rows[1].cells[0] == [alone] and rows[1].cells[2] == [joint]
    assert rows[2].count == 0
    assert rows[4].cells[7] == [orphan]
    services.update_action(advisor, orphan, title="Nog niemand", quarter=8, owners=[gemeente])
    assert services.matrix(plan)[-1].stakeholder is not None  # no empty row without owner


def test_the_timeline_marks_the_current_quarter(db, plan, advisor):
    services.add_action(advisor, plan, title="Alertavond", quarter=2)
    line = services.timeline(plan, today=date(2026, 5, 1))
    assert [q.quarter.calendar_label for q in line][:2] == ["2026-Q1", "2026-Q2"]
    assert [q.current for q in line] == [False, True, False, False, False, False, False, False]
    assert [q.past for q in line][:3] == [True, False, False]
    assert [a.title for a in line[1].actions] == ["Alertavond"]


def test_step_6_actions_need_an_owner(db, plan, advisor, core):
    def check():
        return {c.label: c for c in steps.evaluate(plan.cycle, 6)}[
            "Het plan heeft acties, elk met een eigenaar en een kwartaal"
        ]

    assert not check().met
    action = services.add_action(advisor, plan, title="Alertavond", quarter=1)
    assert not check().met and check().detail == "1 actie zonder eigenaar"
    services.update_action(advisor, action, title="Alertavond", quarter=1, owners=[core[PpsRole.POLITIE]])
    assert check().met
