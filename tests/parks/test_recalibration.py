"""The re-calibration (herijking): what the next cycle takes over and what it leaves, the refusals, the page, and
one transaction."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.auth.policy import MANAGERS
from app.awards.models import Award
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.inventory.models import ScanEntry
from app.meetings.models import Meeting, MeetingKind
from app.parks import recalibration
from app.parks.models import Cycle, CycleStatus, StepTransition
from app.parks.services import active_cycle
from app.plans.models import (
    ActionNote,
    ActionStatus,
    CalendarItem,
    CalendarKind,
    Direction,
    Goal,
    Plan,
    PlanAction,
    PlanVersion,
    Theme,
)
from app.stakeholders.models import OrganisationType, PpsRole, Stakeholder
from app.surveys.definition import load_default
from app.surveys.invitations import new_invitation
from app.surveys.models import InvitationStatus, Survey, SurveyResponse, SurveyStatus
from tests.factories import make_company, make_member, make_organisation

NOW = datetime(2028, 1, 15, 9, 0, tzinfo=UTC)
#: the confirmation box of the herijking page, ticked
CONFIRM = {"confirm": "y"}
TODAY = date(2028, 1, 15)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.05, 52.10], [5.07, 52.10], [5.07, 52.11], [5.05, 52.11], [5.05, 52.10]]],
}


def park_at_step_8(park, *, with_survey_answers: list[dict] | None = None) -> dict:
    """The park's first cycle (2026-2027) in continuation (step 8), with everything a cycle can hold: an area and
    a company, four stakeholders (one with a user as representative, a signatory and a signed declaration, and a
    gebiedsscan), chair and secretary, a plan with open, done and dropped actions (with a note, a goal, an adopted
    version), a calendar item, a closed survey with invitations and answers, an award and a meeting."""
    cycle = active_cycle(park)
    cycle.starts_on, cycle.ends_on, cycle.current_step = date(2026, 1, 1), date(2027, 12, 31), 8
    park.area = SQUARE
    make_company(park, lat=52.105, lon=5.06)
    chair = make_member(Role.ENTREPRENEUR, park, name="Vera Voorzitter")
    secretary = make_member(Role.ENTREPRENEUR, park, name="Sam Secretaris")
    cycle.chair_id, cycle.secretary_id = chair.id, secretary.id
    agent = make_member(Role.PARTNER, park, name="Wim Wijkagent")

    police = Stakeholder(
        organisation=make_organisation(name="Politie Midden-Nederland", type=OrganisationType.POLITIE),
        role=PpsRole.POLITIE,
        representative_user_id=agent.id,
        signatory_name="H. de Boer",
        signatory_function="Teamchef",
        declaration_signed_on=date(2026, 3, 1),
        declaration_signed_by="H. de Boer",
    )
    fire = Stakeholder(
        organisation=make_organisation(name="Veiligheidsregio Utrecht", type=OrganisationType.BRANDWEER),
        role=PpsRole.BRANDWEER,
        representative_name="Bea Brandweer",
        representative_email="bea@vru.nl",
        representative_phone="030 123 45 67",
    )
    municipality = Stakeholder(organisation=park.municipality, role=PpsRole.GEMEENTE, representative_name="Gert")
    entrepreneurs = Stakeholder(
        organisation=make_organisation(name="OV Lage Weide", type=OrganisationType.ONDERNEMERSVERENIGING),
        role=PpsRole.ONDERNEMERS,
        representative_user_id=chair.id,
    )
    cycle.stakeholders.extend([municipality, police, fire, entrepreneurs])
    db.session.flush()
    db.session.add(ScanEntry(stakeholder=police, rank=1, phenomenon="Inbraak in bedrijfspanden"))

    goal = Goal(
        cycle=cycle,
        theme=Theme.VEILIG,
        title="Minder inbraken",
        indicator="Inbraken per jaar",
        direction=Direction.DOWN,
        baseline=12,
        target=5,
        deadline=date(2027, 12, 31),
        latest_value=4,
    )
    plan = Plan(cycle=cycle, starts_on=date(2026, 1, 1))
    db.session.add_all([goal, plan])

    def action(title, status, owners, quarter=3, **extra):
        made = PlanAction(
            plan=plan, title=title, status=status, owners=owners, quarter=quarter, due_on=date(2026, 9, 30), **extra
        )
        db.session.add(made)
        return made

    planned = action("Camera's bij de toegangswegen", ActionStatus.PLANNED, [police], goals=[goal])
    started = action(
        "Collectieve beveiliging inkopen",
        ActionStatus.STARTED,
        [police, entrepreneurs],
        quarter=5,
        description="Offertes bij drie beveiligers",
        theme=Theme.VEILIG,
        catalogue_key="collectieve-beveiliging",
    )
    delayed = action("Brandoefening", ActionStatus.DELAYED, [fire])
    done = action("Verlichting Atoomweg", ActionStatus.DONE, [municipality], done_on=date(2026, 8, 1))
    dropped = action("Hekwerk", ActionStatus.DROPPED, [entrepreneurs], drop_reason="Niet nodig")
    db.session.flush()
    db.session.add(ActionNote(action=started, written_on=date(2026, 9, 1), author_label="Anouk", text="Loopt"))
    db.session.add(
        PlanVersion(
            plan=plan, number=1, adopted_on=date(2026, 6, 1), adopted_by_label="Anouk", meeting="werkgroep", snapshot={}
        )
    )
    db.session.add(
        CalendarItem(cycle=cycle, kind=CalendarKind.ALERT, title="Alertavond", on=date(2027, 3, 1), starts_at=time(19))
    )

    definition = load_default()
    definition["title"] = "Veiligheid op Lage Weide 2026"
    survey = Survey(
        park=park,
        cycle=cycle,
        title="Enquête 2026",
        definition=definition,
        status=SurveyStatus.CLOSED,
        opens_on=date(2026, 2, 1),
        closes_on=date(2026, 3, 1),
        letter_text="Beste {naam}, {link}",
        conclusions="Het gevoel van veiligheid is matig.",
    )
    db.session.add(survey)
    db.session.flush()
    company = park.companies[0]
    survey.invitations.append(new_invitation(company=company, status=InvitationStatus.USED, sector="bouw"))
    for answers in with_survey_answers or [{"safe_day": 4}]:
        db.session.add(SurveyResponse(survey_id=survey.id, answers=answers))
    db.session.add(Award(cycle=cycle, awarded_on=date(2026, 11, 1), valid_until=date(2028, 11, 1)))
    db.session.add(
        Meeting(
            cycle=cycle,
            kind=MeetingKind.QUARTERLY,
            title="Kwartaaloverleg",
            starts_at=datetime(2027, 10, 1, 14, tzinfo=UTC),
            ends_at=datetime(2027, 10, 1, 16, tzinfo=UTC),
            uid="kwartaal-1@test",
        )
    )
    db.session.flush()
    return {
        "cycle": cycle,
        "chair": chair,
        "secretary": secretary,
        "agent": agent,
        "stakeholders": {"municipality": municipality, "police": police, "fire": fire, "entrepreneurs": entrepreneurs},
        "actions": {"planned": planned, "started": started, "delayed": delayed, "done": done, "dropped": dropped},
        "plan": plan,
        "survey": survey,
        "goal": goal,
    }


def snapshot(cycle: Cycle) -> dict:
    """Everything stored for the cycle, as plain values, to see that the herijking leaves the old cycle alone."""
    db.session.expire_all()
    plan = db.session.scalar(select(Plan).where(Plan.cycle_id == cycle.id))
    return {
        "stakeholders": [
            (s.id, s.organisation_id, s.role, s.representative_user_id, s.signatory_name, s.declaration_signed_on)
            for s in cycle.stakeholders
        ],
        "actions": [
            (a.id, a.title, a.status, a.quarter, a.due_on, [o.id for o in a.owners], [g.id for g in a.goals])
            for a in plan.actions
        ],
        "notes": db.session.scalar(select(func.count()).select_from(ActionNote)),
        "versions": [(v.id, v.number) for v in plan.versions],
        "goals": list(db.session.scalars(select(Goal.id).where(Goal.cycle_id == cycle.id))),
        "calendar": list(db.session.scalars(select(CalendarItem.id).where(CalendarItem.cycle_id == cycle.id))),
        "surveys": [
            (s.id, s.status, s.title, s.conclusions, len(s.invitations))
            for s in db.session.scalars(select(Survey).where(Survey.cycle_id == cycle.id))
        ],
        "meetings": list(db.session.scalars(select(Meeting.id).where(Meeting.cycle_id == cycle.id))),
        "award": db.session.scalar(select(Award.awarded_on).where(Award.cycle_id == cycle.id)),
        "scan": list(db.session.scalars(select(ScanEntry.id))),
    }


@pytest.fixture
def advisor(park):
    return make_member(Role.ADVISOR, park, name="Anouk Adviseur")


@pytest.fixture
def setup(park):
    return park_at_step_8(park)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# What is copied --------------------------------------------------------------------------------------------


def test_herijking_closes_the_cycle_and_opens_the_next_at_step_3(park, advisor, setup):
    old = setup["cycle"]
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)

    assert (old.status, old.ends_on, old.current_step) == (CycleStatus.CLOSED, TODAY, 8)
    assert (new.number, new.status, new.current_step, new.starts_on) == (2, CycleStatus.ACTIVE, 3, TODAY)
    assert new.ends_on == TODAY + timedelta(days=365 * 2)
    assert active_cycle(park) is new
    assert _count(Cycle, Cycle.park_id == park.id, Cycle.status == CycleStatus.ACTIVE) == 1
    history = [(t.step, t.action, t.note, t.actor_label) for t in new.transitions]
    assert history == [(1, "completed", "herijking", advisor.name), (2, "completed", "herijking", advisor.name)]
    assert [(t.step, t.action, t.note) for t in old.transitions] == [(8, "completed", "herijking")]


def test_stakeholders_chair_and_secretary_are_copied_without_signatures_or_scan(park, advisor, setup):
    old = setup["cycle"]
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)

    fields = recalibration.STAKEHOLDER_FIELDS
    assert [tuple(getattr(s, f) for f in fields) for s in new.stakeholders] == [
        tuple(getattr(s, f) for f in fields) for s in old.stakeholders
    ]
    police = next(s for s in new.stakeholders if s.role == PpsRole.POLITIE)
    assert (police.representative_user_id, police.signatory_name, police.signatory_function) == (
        setup["agent"].id,
        "H. de Boer",
        "Teamchef",
    )
    fire = next(s for s in new.stakeholders if s.role == PpsRole.BRANDWEER)
    assert (fire.representative_name, fire.representative_email, fire.representative_phone) == (
        "Bea Brandweer",
        "bea@vru.nl",
        "030 123 45 67",
    )
    assert all(s.declaration_signed_on is None and s.declaration_signed_by is None for s in new.stakeholders)
    new_ids = [s.id for s in new.stakeholders]
    assert not set(new_ids) & {s.id for s in old.stakeholders}
    assert _count(ScanEntry, ScanEntry.stakeholder_id.in_(new_ids)) == 0
    assert (new.chair_id, new.secretary_id) == (setup["chair"].id, setup["secretary"].id)


def test_open_actions_are_carried_with_their_owners_mapped(park, advisor, setup):
    actions = setup["actions"]
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)

    plan = db.session.scalar(select(Plan).where(Plan.cycle_id == new.id))
    assert plan.starts_on == date(2028, 1, 1)
    carried = {a.carried_from_id: a for a in plan.actions}
    assert set(carried) == {actions["planned"].id, actions["started"].id, actions["delayed"].id}
    for key in ("planned", "started", "delayed"):
        old, copied = actions[key], carried[actions[key].id]
        assert (copied.title, copied.description, copied.theme, copied.catalogue_key) == (
            old.title,
            old.description,
            old.theme,
            old.catalogue_key,
        )
        assert (copied.quarter, copied.due_on) == (1, date(2028, 3, 31))
        assert [o.organisation_id for o in copied.owners] == [o.organisation_id for o in old.owners]
        assert all(o.cycle_id == new.id for o in copied.owners)
        assert (copied.goals, copied.notes, copied.finding_id) == ([], [], None)
    assert carried[actions["started"].id].status == ActionStatus.STARTED
    # a delayed action is not late yet in a plan that has just begun
    assert carried[actions["delayed"].id].status == ActionStatus.PLANNED
    assert plan.versions == []


def test_a_draft_survey_with_the_old_questionnaire_and_nothing_else(park, advisor, setup):
    definition = copy.deepcopy(setup["survey"].definition)
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)

    surveys = db.session.scalars(select(Survey).where(Survey.cycle_id == new.id)).all()
    assert len(surveys) == 1
    survey = surveys[0]
    assert survey.status == SurveyStatus.DRAFT
    assert survey.definition == definition
    assert survey.definition["title"] == "Veiligheid op Lage Weide 2026"
    assert (survey.opens_on, survey.closes_on, survey.conclusions, survey.public_token) == (None, None, "", None)
    assert survey.invitations == []
    assert _count(SurveyResponse, SurveyResponse.survey_id == survey.id) == 0
    # goals, calendar, meetings and the award stay with the old cycle
    assert _count(Goal, Goal.cycle_id == new.id) == 0
    assert _count(CalendarItem, CalendarItem.cycle_id == new.id) == 0
    assert _count(Meeting, Meeting.cycle_id == new.id) == 0
    assert _count(Award, Award.cycle_id == new.id) == 0


def test_the_default_questionnaire_when_the_cycle_had_no_survey(park, advisor, setup):
    db.session.delete(setup["survey"])
    db.session.flush()
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    survey = db.session.scalar(select(Survey).where(Survey.cycle_id == new.id))
    assert survey.definition == load_default()


def test_the_old_cycle_stays_as_it_was(park, advisor, setup):
    before = snapshot(setup["cycle"])
    recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    assert snapshot(setup["cycle"]) == before


def test_audited_with_the_counts(park, advisor, setup):
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cycles.recalibrated"))
    assert (event.park_id, event.subject_id) == (park.id, str(new.id))
    assert event.details == {
        "closed": 1,
        "opened": 2,
        "planned_end": "2027-12-31",
        "stakeholders": 4,
        "actions": 3,
        "chair": True,
        "secretary": True,
        "survey_from": setup["survey"].id,
        # the meeting of 1 October 2027 lies before the herijking: it stays with the old cycle
        "meetings": [],
        "stakeholders_from": {
            str(s.id): old.id for s, old in zip(new.stakeholders, setup["stakeholders"].values(), strict=True)
        },
    }


# Refusals --------------------------------------------------------------------------------------------------


def test_refused_before_step_8(park, advisor, setup):
    setup["cycle"].current_step = 7
    with pytest.raises(DomainError, match="stap 8"):
        recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    assert setup["cycle"].status == CycleStatus.ACTIVE
    assert _count(Cycle, Cycle.park_id == park.id) == 1


def test_refused_twice(park, advisor, setup):
    recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    with pytest.raises(DomainError, match="stap 8"):
        recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    assert _count(Cycle, Cycle.park_id == park.id) == 2


def test_refused_while_the_survey_is_open(park, advisor, setup):
    setup["survey"].status = SurveyStatus.OPEN
    with pytest.raises(DomainError, match="enquête"):
        recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    assert setup["cycle"].status == CycleStatus.ACTIVE


def test_refused_for_other_roles(park, setup, role):
    user = make_member(role, park)
    if role in MANAGERS:
        assert recalibration.recalibrate(user, park, today=TODAY, now=NOW).number == 2
        return
    with pytest.raises(NotAllowed):
        recalibration.recalibrate(user, park, today=TODAY, now=NOW)


def test_refused_for_an_advisor_of_another_park(park, other_park, setup):
    outsider = make_member(Role.ADVISOR, other_park)
    with pytest.raises(NotAllowed):
        recalibration.recalibrate(outsider, park, today=TODAY, now=NOW)


# The page --------------------------------------------------------------------------------------------------


def test_page_explains_and_the_button_runs_it(park, advisor, setup, login_as):
    client = login_as(advisor)
    page = client.get(f"/parken/{park.id}/herijking")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "3 openstaande acties uit het plan" in text
    assert "4 deelnemende organisaties" in text
    assert "Herijking uitvoeren" in text

    unconfirmed = client.post(f"/parken/{park.id}/herijking")
    assert unconfirmed.status_code == 422
    assert "Vink aan dat u de herijking wilt uitvoeren." in unconfirmed.text
    db.session.expire_all()
    assert active_cycle(park).number == 1

    response = client.post(f"/parken/{park.id}/herijking", data=CONFIRM)
    assert response.status_code == 302 and response.headers["Location"] == f"/parken/{park.id}"
    db.session.expire_all()
    assert active_cycle(park).number == 2
    shown = client.get(f"/parken/{park.id}").get_data(as_text=True)
    assert "cyclus 1 is afgesloten en cyclus 2 is begonnen" in shown


def test_page_without_button_before_step_8(park, advisor, setup, login_as):
    setup["cycle"].current_step = 6
    client = login_as(advisor)
    text = client.get(f"/parken/{park.id}/herijking").get_data(as_text=True)
    assert "De herijking kan pas in stap 8" in text
    assert "Herijking uitvoeren" not in text
    response = client.post(f"/parken/{park.id}/herijking")
    assert response.status_code == 422
    db.session.expire_all()
    assert _count(Cycle, Cycle.park_id == park.id) == 1


def test_post_without_csrf_changes_nothing(park, advisor, setup, login_as):
    response = login_as(advisor).post(f"/parken/{park.id}/herijking", csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert _count(Cycle, Cycle.park_id == park.id) == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_page_forbidden_for_other_roles_and_parks(park, other_park, setup, login_as, role, method):
    user = make_member(role, park)
    outsider = make_member(Role.ADVISOR, other_park)
    expected = 200 if role in MANAGERS else 403
    kwargs = {}
    if method == "post":
        expected = 302 if role in MANAGERS else 403
        kwargs = {"data": CONFIRM}
    assert getattr(login_as(user), method)(f"/parken/{park.id}/herijking", **kwargs).status_code == expected
    assert getattr(login_as(outsider), method)(f"/parken/{park.id}/herijking").status_code == 404
    assert login_as(outsider).get("/parken/999999/herijking").status_code == 404


def test_a_failure_halfway_writes_nothing(park, advisor, setup, login_as, monkeypatch):
    def broken(*args, **kwargs):
        raise DomainError("De enquête kon niet worden aangemaakt.")

    # the survey is the last thing made: the cycle, stakeholders and plan are flushed by then
    monkeypatch.setattr(recalibration, "create_survey", broken)
    response = login_as(advisor).post(f"/parken/{park.id}/herijking", data=CONFIRM)
    assert response.status_code == 422
    assert "De enquête kon niet worden aangemaakt." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [(c.number, c.status) for c in db.session.scalars(select(Cycle).where(Cycle.park_id == park.id))] == [
        (1, CycleStatus.ACTIVE)
    ]
    assert _count(Stakeholder) == 4
    assert _count(PlanAction) == 5
    assert _count(StepTransition) == 0
    assert _count(AuditEvent, AuditEvent.action == "cycles.recalibrated") == 0


def test_carried_actions_are_marked_in_the_plan(park, advisor, setup, login_as):
    new = recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    db.session.commit()
    plan = db.session.scalar(select(Plan).where(Plan.cycle_id == new.id))
    carried = plan.actions[0]
    client = login_as(advisor)
    assert client.get(f"/parken/{park.id}/plan/").text.count("overgenomen uit de vorige cyclus") == len(plan.actions)
    assert "overgenomen uit de vorige cyclus" in client.get(f"/parken/{park.id}/plan/acties/{carried.id}").text
