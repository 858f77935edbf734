"""The step machine: criteria per step, refusals, completing, reopening and the history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError, NotAllowed
from app.extensions import db as _db
from app.meetings.models import Meeting, MeetingKind
from app.parks import steps
from app.parks.models import Company, CycleStatus
from app.parks.services import active_cycle
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from tests.factories import make_member, make_membership, make_organisation, make_user

NOW = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]],
}


def _company(park, *, name="Van Hal Transport", lat=None, lon=None, accepted=False):
    company = Company(
        name=name,
        street="Atoomweg",
        house_number=10,
        postcode="3542AB",
        lat=lat,
        lon=lon,
        outside_accepted=accepted,
    )
    park.companies.append(company)
    return company


def _finish_step_1(park):
    park.area = SQUARE
    _company(park, lat=52.105, lon=5.06)


def _finish_step_2(park, cycle):
    kinds = {
        PpsRole.GEMEENTE: OrganisationType.GEMEENTE,
        PpsRole.POLITIE: OrganisationType.POLITIE,
        PpsRole.BRANDWEER: OrganisationType.BRANDWEER,
        PpsRole.ONDERNEMERS: OrganisationType.ONDERNEMERSVERENIGING,
    }
    for role, kind in kinds.items():
        cycle.stakeholders.append(
            Stakeholder(
                organisation=make_organisation(type=kind),
                role=role,
                representative_name=f"Vertegenwoordiger {role.value}",
            )
        )
    chair, secretary = make_user(name="Voorzitter"), make_user(name="Secretaris")
    for user in (chair, secretary):
        make_membership(user, Role.ENTREPRENEUR, park=park)
    cycle.chair_id, cycle.secretary_id = chair.id, secretary.id
    # the kick-off was held: its minutes are recorded
    start = NOW - timedelta(days=7)
    kickoff = Meeting(
        cycle=cycle,
        kind=MeetingKind.KICKOFF,
        title="Kick-off",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        uid="kickoff-test",
        minutes="Iedereen doet mee.",
        minutes_at=start + timedelta(days=1),
    )
    _db.session.add(kickoff)


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


def test_a_new_park_starts_its_first_cycle_at_step_1(db, park):
    cycle = active_cycle(park)
    assert (cycle.number, cycle.current_step, cycle.status) == (1, 1, CycleStatus.ACTIVE)
    assert (cycle.ends_on - cycle.starts_on).days >= 730


def test_report_shows_eight_steps_with_the_current_checklist(db, park):
    report = steps.report(active_cycle(park))
    assert [s.number for s in report] == list(range(1, 9))
    assert [s.state for s in report] == ["current"] + ["upcoming"] * 7
    labels = [c.label for c in report[0].criteria]
    assert labels == [
        "Het gebied is op de kaart ingetekend",
        "Het bedrijvenregister bevat de bedrijven op het park",
        "Elk bedrijf ligt binnen het gebied of is bewust geaccepteerd",
    ]
    assert not report[0].ready
    assert all(c.fix for c in report[0].criteria)


def test_step_1_criteria_one_by_one(db, park):
    cycle = active_cycle(park)
    met = lambda: [c.met for c in steps.evaluate(cycle, 1)]  # noqa: E731
    assert met() == [False, False, True]
    park.area = SQUARE
    assert met() == [True, False, True]
    outside = _company(park, lat=52.2, lon=5.2)
    assert met() == [True, True, False]
    assert steps.evaluate(cycle, 1)[2].detail == "1 bedrijf ligt buiten het gebied"
    outside.outside_accepted = True
    assert met() == [True, True, True]
    _company(park, name="Zonder coördinaten")
    assert met() == [True, True, True]


def test_complete_refuses_with_what_is_missing_and_changes_nothing(db, park, advisor):
    cycle = active_cycle(park)
    with pytest.raises(DomainError) as refused:
        steps.complete_step(advisor, cycle, now=NOW)
    assert "Stap 1 kan nog niet worden afgerond" in refused.value.message
    assert "Het gebied is op de kaart ingetekend" in refused.value.message
    assert cycle.current_step == 1 and cycle.transitions == []


def test_complete_moves_to_the_next_step_and_records_it(db, park, advisor):
    cycle = active_cycle(park)
    _finish_step_1(park)
    transition = steps.complete_step(advisor, cycle, now=NOW, note="Grens met de gemeente afgestemd")
    assert cycle.current_step == 2 and cycle.step_started_at == NOW
    assert (transition.step, transition.action, transition.actor_label, transition.note) == (
        1,
        "completed",
        "Anouk Adviseur",
        "Grens met de gemeente afgestemd",
    )
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "cycles.step_completed")).one()
    assert event.park_id == park.id and event.details["step"] == 1


def test_step_2_needs_the_core_partners_and_a_chair_and_secretary(db, park, advisor):
    cycle = active_cycle(park)
    _finish_step_1(park)
    steps.complete_step(advisor, cycle, now=NOW)
    results = steps.evaluate(cycle, 2)
    assert [c.met for c in results] == [False, False, False]
    assert "Politie" in results[0].detail
    assert results[2].detail == "nog niet gepland"
    _finish_step_2(park, cycle)
    assert all(c.met for c in steps.evaluate(cycle, 2))
    steps.complete_step(advisor, cycle, now=NOW)
    assert cycle.current_step == 3


def test_reopen_needs_a_reason_and_a_completed_step(db, park, advisor):
    cycle = active_cycle(park)
    with pytest.raises(DomainError, match="nog geen afgeronde stap"):
        steps.reopen_step(advisor, cycle, now=NOW, reason="x")
    _finish_step_1(park)
    steps.complete_step(advisor, cycle, now=NOW)
    with pytest.raises(DomainError, match="reden"):
        steps.reopen_step(advisor, cycle, now=NOW, reason="  ")
    steps.reopen_step(advisor, cycle, now=NOW, reason="Twee bedrijven vergeten")
    assert cycle.current_step == 1
    assert [(t.step, t.action) for t in cycle.transitions] == [(1, "completed"), (1, "reopened")]
    assert cycle.transitions[-1].note == "Twee bedrijven vergeten"


def test_the_last_step_is_not_completed(db, park, advisor):
    cycle = active_cycle(park)
    cycle.current_step = 8
    with pytest.raises(DomainError, match="herijking"):
        steps.complete_step(advisor, cycle, now=NOW)


def test_a_closed_cycle_does_not_change(db, park, advisor):
    cycle = active_cycle(park)
    _finish_step_1(park)
    cycle.status = CycleStatus.CLOSED
    with pytest.raises(DomainError, match="afgesloten"):
        steps.complete_step(advisor, cycle, now=NOW)


@pytest.mark.parametrize("role", [Role.ENTREPRENEUR, Role.PARTNER, Role.CAMERA_OFFICER, Role.AUDITOR])
def test_only_advisor_and_municipality_complete_steps(db, park, role):
    _finish_step_1(park)
    with pytest.raises(NotAllowed):
        steps.complete_step(make_member(role, park), active_cycle(park), now=NOW)


def test_advisor_of_another_park_cannot_complete(db, park, other_park):
    _finish_step_1(park)
    with pytest.raises(NotAllowed):
        steps.complete_step(make_member(Role.ADVISOR, other_park), active_cycle(park), now=NOW)


def test_adding_a_criterion_is_one_function(db, park, advisor):
    @steps.criterion(3, "Testcriterium", order=40, fix="parks.detail", fix_label="Naar het park")
    def always_missing(cycle):
        return steps.Check(False, "ontbreekt")

    try:
        cycle = active_cycle(park)
        cycle.current_step = 3
        result = steps.evaluate(cycle, 3)[-1]
        assert (result.label, result.met, result.detail, result.fix) == (
            "Testcriterium",
            False,
            "ontbreekt",
            "parks.detail",
        )
        with pytest.raises(DomainError, match="Testcriterium"):
            steps.complete_step(advisor, cycle, now=NOW)
    finally:
        steps.CRITERIA[3].pop()


def test_views_complete_and_reopen(login_as, db, park, advisor):
    _finish_step_1(park)
    client = login_as(advisor)
    page = client.get(f"/parken/{park.id}").get_data(as_text=True)
    assert "Stap 1 afronden" in page
    response = client.post(f"/parken/{park.id}/stap-afronden", data={"complete-note": "Klaar"})
    assert response.status_code == 302
    db.session.expire_all()
    assert active_cycle(park).current_step == 2
    refused = client.post(f"/parken/{park.id}/stap-afronden", data={"complete-note": ""})
    assert refused.status_code == 422
    assert "Stap 2 kan nog niet worden afgerond" in refused.get_data(as_text=True)
    no_reason = client.post(f"/parken/{park.id}/stap-heropenen", data={"reopen-reason": ""})
    assert no_reason.status_code == 422
    assert client.post(f"/parken/{park.id}/stap-heropenen", data={"reopen-reason": "Toch niet"}).status_code == 302
    db.session.expire_all()
    assert active_cycle(park).current_step == 1


def test_entrepreneur_sees_progress_but_cannot_complete(login_as, db, park):
    _finish_step_1(park)
    client = login_as(make_member(Role.ENTREPRENEUR, park))
    page = client.get(f"/parken/{park.id}").get_data(as_text=True)
    assert "Afbakening gebied" in page and "Stap 1 afronden" not in page
    assert client.post(f"/parken/{park.id}/stap-afronden", data={}).status_code == 403


def test_every_criterion_links_its_page_with_words_of_its_own(app):
    for step, criteria in steps.CRITERIA.items():
        for item in criteria:
            assert item.fix in app.view_functions, (step, item.fix)
            assert item.fix_label and str(item.fix_label) != str(item.label), (step, item.fix)
    with pytest.raises(ValueError, match="fix_label"):
        steps.criterion(3, "Zonder linktekst", order=45, fix="parks.detail")


@pytest.mark.parametrize(
    ("role", "linked"),
    [(Role.ADVISOR, True), (Role.MUNICIPALITY, True), (Role.ENTREPRENEUR, False), (Role.CAMERA_OFFICER, False)],
)
def test_the_checklist_links_a_page_only_for_who_may_open_it(login_as, db, park, role, linked):
    """The company register (step 1) holds contact details, for the process owners: the others see what is
    missing, without a link to a page that would refuse them."""
    page = login_as(make_member(role, park)).get(f"/parken/{park.id}").get_data(as_text=True)
    assert "Het bedrijvenregister bevat de bedrijven op het park" in page
    assert (f'href="/parken/{park.id}/bedrijven/">Naar het bedrijvenregister</a>' in page) is linked
