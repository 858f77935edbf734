"""A cycle closed by the herijking is read-only: every area's write services refuse it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest

from app.auth.models import Role
from app.awards import services as awards
from app.errors import DomainError
from app.extensions import db
from app.goals import services as goals
from app.inventory import inspections, scan
from app.meetings import services as meetings
from app.meetings.models import MeetingKind
from app.parks import recalibration, steps
from app.plans import calendar, versions
from app.plans import services as plans
from app.plans.models import ActionStatus, CalendarKind, Direction, Theme
from app.stakeholders import services as stakeholders
from app.stakeholders.models import OrganisationType, PpsRole
from app.surveys import invitations, jobs, report
from app.surveys import services as surveys
from tests.factories import make_member, make_organisation
from tests.parks.test_recalibration import NOW, TODAY, park_at_step_8


@pytest.fixture
def closed(park):
    """The park after its herijking: the old cycle's objects and an advisor of the park."""
    made = park_at_step_8(park)
    advisor = make_member(Role.ADVISOR, park, name="Anouk Adviseur")
    recalibration.recalibrate(advisor, park, today=TODAY, now=NOW)
    db.session.flush()
    return made | {"advisor": advisor}


def _refused(call: Callable[[], object]) -> None:
    with pytest.raises(DomainError, match="afgesloten"):
        call()


def test_stakeholders(closed):
    advisor, cycle, police = closed["advisor"], closed["cycle"], closed["stakeholders"]["police"]
    extra = make_organisation(name="Omgevingsdienst", type=OrganisationType.OMGEVINGSDIENST)
    _refused(lambda: stakeholders.add_stakeholder(advisor, cycle, organisation=extra, role=PpsRole.OVERIG))
    _refused(lambda: stakeholders.set_signatory(advisor, police, name="X", function="Y"))
    _refused(lambda: stakeholders.remove_stakeholder(advisor, police))
    _refused(lambda: stakeholders.set_working_group(advisor, cycle, chair=None, secretary=None, today=TODAY))


def test_surveys(closed):
    advisor, survey = closed["advisor"], closed["survey"]
    _refused(lambda: surveys.update_letter(advisor, survey, text="Beste {naam}: {link}", signatory="Burgemeester"))
    _refused(lambda: surveys.update_definition(advisor, survey, survey.definition))
    _refused(lambda: surveys.close_survey(advisor, survey, today=TODAY))
    _refused(lambda: surveys.reopen_survey(advisor, survey, closes_on=date(2028, 3, 1), today=TODAY))
    _refused(lambda: surveys.set_public_link(advisor, survey, True))
    _refused(lambda: invitations.invite_companies(advisor, survey))
    _refused(lambda: invitations.revoke(advisor, survey.invitations[0], now=NOW))
    _refused(lambda: invitations.email_invitations(advisor, survey, now=NOW))
    _refused(lambda: report.save_conclusions(advisor, survey, conclusions="Anders", ready=True, now=NOW))
    _refused(lambda: jobs.send_reminders_now(advisor, survey, now=NOW))
    assert survey.public_token is None and survey.conclusions == "Het gevoel van veiligheid is matig."


def test_inventory(closed):
    advisor, cycle, police = closed["advisor"], closed["cycle"], closed["stakeholders"]["police"]
    _refused(lambda: inspections.create_inspection(advisor, cycle, {"held_on": TODAY, "light": "dag"}, today=TODAY))
    _refused(lambda: scan.save_scan(advisor, police, [("Diefstal", "")]))


def test_plan_actions_and_adoption(closed):
    advisor, plan, started = closed["advisor"], closed["plan"], closed["actions"]["started"]
    _refused(lambda: plans.add_action(advisor, plan, title="Nieuw", quarter=1))
    _refused(lambda: plans.change_status(advisor, started, status=ActionStatus.DONE, today=TODAY))
    _refused(lambda: plans.add_note(advisor, started, text="Nog bezig", today=TODAY))
    _refused(lambda: plans.delete_action(advisor, started))
    _refused(lambda: versions.adopt(advisor, plan, meeting="werkgroep", adopted_on=TODAY, today=TODAY))
    assert started.status == ActionStatus.STARTED


def test_goals(closed):
    advisor, cycle = closed["advisor"], closed["cycle"]
    fields = goals.GoalFields(
        theme=Theme.SCHOON,
        title="Minder zwerfvuil",
        indicator="Meldingen",
        direction=Direction.DOWN,
        target=3,
        deadline=date(2029, 12, 31),
        baseline=10,
    )
    _refused(lambda: goals.create_goal(advisor, cycle, fields, today=TODAY))
    _refused(lambda: goals.delete_goal(advisor, closed["goal"]))


def test_calendar(closed):
    values = calendar.ItemValues(kind=CalendarKind.PRESS, title="Persbericht", on=date(2028, 2, 1))
    _refused(lambda: calendar.add_item(closed["advisor"], closed["cycle"], values))


def test_steps(closed):
    _refused(lambda: steps.complete_step(closed["advisor"], closed["cycle"], now=NOW))
    _refused(lambda: steps.reopen_step(closed["advisor"], closed["cycle"], now=NOW, reason="Toch niet"))


def test_meetings(closed):
    values = meetings.MeetingValues(
        kind=MeetingKind.QUARTERLY, title="Kwartaaloverleg", on=date(2028, 2, 1), starts_at=time(14), ends_at=time(16)
    )
    _refused(lambda: meetings.schedule_meeting(closed["advisor"], closed["cycle"], values))


def test_awards(closed):
    _refused(lambda: awards.set_ceremony(closed["advisor"], closed["cycle"], on=date(2028, 2, 1)))
    _refused(lambda: awards.request_signatures(closed["advisor"], closed["cycle"], now=NOW))
