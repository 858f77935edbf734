"""What waits for a member (entrepreneur, partner, municipality): their organisation's actions due this quarter or
overdue, the next meetings, an award to sign and a running survey."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.auth.models import Role
from app.awards.models import Award, Signature
from app.clock import local_today
from app.extensions import db as _db
from app.main.tasks import MEETINGS_SHOWN, member_tasks, quarter_end
from app.parks.models import CycleStatus
from app.parks.services import active_cycle
from app.plans.models import ActionStatus
from app.stakeholders.models import OrganisationType
from app.surveys.models import SurveyStatus
from tests.factories import make_member, make_membership, make_organisation, make_park
from tests.main.helpers import make_action, make_meeting, make_plan, make_stakeholder

NOW = datetime.now(UTC)


def _tasks(user):
    return member_tasks(user, today=local_today(), now=NOW)


def _entrepreneur(park):
    organisation = make_organisation(name="Ondernemersvereniging", type=OrganisationType.ONDERNEMERSVERENIGING)
    return make_member(Role.ENTREPRENEUR, park, organisation=organisation), organisation


def test_the_quarter_ends_on_its_last_calendar_day():
    from datetime import date

    assert quarter_end(date(2026, 12, 5)) == date(2026, 12, 31)
    assert quarter_end(date(2026, 1, 1)) == date(2026, 3, 31)
    assert quarter_end(date(2026, 6, 30)) == date(2026, 6, 30)


def test_own_actions_due_this_quarter_and_overdue_overdue_first(park):
    today = local_today()
    user, organisation = _entrepreneur(park)
    ours, theirs = make_stakeholder(park, organisation), make_stakeholder(park)
    plan = make_plan(park, starts_on=today - timedelta(days=400))
    make_action(plan, "Dit kwartaal", due_on=quarter_end(today), owners=[ours])
    make_action(plan, "Te laat", due_on=today - timedelta(days=20), owners=[ours, theirs])
    make_action(plan, "Volgend kwartaal", due_on=quarter_end(today) + timedelta(days=1), owners=[ours])
    make_action(plan, "Gereed", due_on=today - timedelta(days=5), owners=[ours], status=ActionStatus.DONE)
    make_action(plan, "Van een ander", due_on=today - timedelta(days=5), owners=[theirs])
    actions = _tasks(user).actions
    assert [(t.action.title, t.overdue, t.may_update) for t in actions] == [
        ("Te laat", True, True),
        ("Dit kwartaal", False, True),
    ]


def test_actions_of_a_closed_cycle_are_left_out(park):
    today = local_today()
    user, organisation = _entrepreneur(park)
    plan = make_plan(park, starts_on=today - timedelta(days=400))
    make_action(plan, "Te laat", due_on=today - timedelta(days=20), owners=[make_stakeholder(park, organisation)])
    active_cycle(park).status = CycleStatus.CLOSED
    _db.session.flush()
    assert _tasks(user).actions == []


def test_the_next_meetings_of_the_members_parks(park, other_park):
    user, _organisation = _entrepreneur(park)
    make_meeting(park, NOW - timedelta(days=1), title="Geweest")
    make_meeting(park, NOW + timedelta(days=2), title="Afgelast", cancelled=True)
    make_meeting(other_park, NOW + timedelta(days=1), title="Ander park")
    for day in range(MEETINGS_SHOWN + 1):
        make_meeting(park, NOW + timedelta(days=3 + day), title=f"Werkgroep {day}")
    titles = [item.meeting.title for item in _tasks(user).meetings]
    assert titles == [f"Werkgroep {day}" for day in range(MEETINGS_SHOWN)]


def test_an_award_waits_for_the_signature_of_the_users_organisation(park):
    user, organisation = _entrepreneur(park)
    ours = make_stakeholder(park, organisation)
    award = Award(cycle=active_cycle(park))
    _db.session.add(award)
    _db.session.flush()
    assert _tasks(user).awards == []  # not sent for signing yet
    award.requested_at = NOW
    _db.session.flush()
    assert _tasks(user).awards == [park]
    award.signatures.append(Signature(stakeholder_id=ours.id, name="Olga", function="Voorzitter", signed_at=NOW))
    _db.session.flush()
    assert _tasks(user).awards == []


def test_the_running_survey_links_entrepreneurs_to_respond_and_shows_others_its_status(survey):
    entrepreneur, _organisation = _entrepreneur(survey.park)
    partner = make_member(Role.PARTNER, survey.park)
    survey.status = SurveyStatus.DRAFT
    _db.session.flush()
    assert _tasks(entrepreneur).surveys == []
    survey.status = SurveyStatus.OPEN
    survey.public_token = "geheim-token"
    _db.session.flush()
    [item] = _tasks(entrepreneur).surveys
    assert (item.survey, item.respond_token) == (survey, "geheim-token")
    assert _tasks(partner).surveys[0].respond_token is None


def test_a_municipality_officer_gets_the_tasks_of_their_organisation_across_the_municipality(db):
    today = local_today()
    municipality = make_organisation(name="Gemeente Utrecht")
    park = make_park(municipality=municipality)
    from tests.factories import make_user

    officer = make_user(organisation=municipality)
    make_membership(officer, Role.MUNICIPALITY, municipality=municipality)
    plan = make_plan(park, starts_on=today - timedelta(days=400))
    make_action(plan, "Verlichting", due_on=today - timedelta(days=1), owners=[make_stakeholder(park, municipality)])
    [task] = _tasks(officer).actions
    assert (task.action.title, task.overdue, task.may_update) == ("Verlichting", True, True)
