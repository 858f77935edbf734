"""Survey reminders: daily at 09:00, to companies that have not answered, at most once per N days, delivered
through a real SMTP server; and the advisor's "send reminders now"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.models import Role
from app.errors import DomainError
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail.jobs import deliver_due
from app.parks.models import ParkStatus
from app.surveys import jobs
from app.surveys.models import InvitationStatus, SurveyStatus
from tests.factories import link_of, make_company, make_invitation, make_member
from tests.mail.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

NOW = datetime(2027, 3, 15, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
DAY = timedelta(days=1)


def _invite(survey, park, name: str, email: str | None, *, status=InvitationStatus.INVITED, emailed=None):
    number = len(survey.invitations) + 1
    company = make_company(park, name=name, house_number=number, email=email)
    return make_invitation(survey, company=company, status=status, emailed_at=emailed)


@pytest.fixture
def reminding(db, survey, park):
    """The survey open through March and half of April 2027, with one invitation of every kind."""
    survey.opens_on, survey.closes_on = date(2027, 3, 1), date(2027, 4, 15)
    invitations = {
        "due": _invite(survey, park, "Due BV", "due@example.nl", emailed=NOW - 8 * DAY),
        "opened": _invite(
            survey, park, "Geopend BV", "opened@example.nl", status=InvitationStatus.OPENED, emailed=NOW - 7 * DAY
        ),
        "recent": _invite(survey, park, "Recent BV", "recent@example.nl", emailed=NOW - 3 * DAY),
        "used": _invite(
            survey, park, "Klaar BV", "done@example.nl", status=InvitationStatus.USED, emailed=NOW - 9 * DAY
        ),
        "revoked": _invite(
            survey, park, "Weg BV", "gone@example.nl", status=InvitationStatus.REVOKED, emailed=NOW - 9 * DAY
        ),
        "no_email": _invite(survey, park, "Zonder Mail BV", None, emailed=NOW - 9 * DAY),
        "letter_only": _invite(survey, park, "Per Brief BV", "letter@example.nl"),
    }
    db.session.flush()
    return invitations


def _recipients(server) -> list[str]:
    return sorted(rcpt for _sender, rcpts in server.inbox.envelopes for rcpt in rcpts)


def test_the_job_runs_daily_at_nine_dutch_time():
    job = JOBS["surveys.reminders"]
    assert "hour='9'" in str(job.trigger) and "minute='0'" in str(job.trigger)
    assert str(job.trigger.timezone) == "Europe/Amsterdam"


def test_reminder_arrives_once_and_never_twice_within_n_days(app, db, reminding, smtp_server):  # noqa: F811
    job = JOBS["surveys.reminders"]
    run = execute(job, now=NOW)
    assert (run.done, run.skipped, run.error) == (2, 0, None)
    assert deliver_due(NOW) == 2
    assert _recipients(smtp_server) == ["due@example.nl", "opened@example.nl"]

    message = next(m for m in smtp_server.inbox.messages if m["To"] == "due@example.nl")
    assert message["Subject"] == "Herinnering: enquête veiligheid op Lage Weide"
    body = message.get_body(("plain",)).get_content()
    assert "Beste Due BV," in body
    assert f"http://127.0.0.1:5000/enquete/{link_of(reminding['due'])}" in body
    assert "De enquête sluit op 15 april 2027." in body
    html = message.get_body(("html",)).get_content()
    assert f'href="http://127.0.0.1:5000/enquete/{link_of(reminding["due"])}"' in html
    db.session.expire_all()
    assert reminding["due"].last_reminded_at == NOW and reminding["recent"].last_reminded_at is None

    # the job again the same morning (a restart): nothing new
    assert execute(job, now=NOW + timedelta(hours=3)).done == 0
    assert deliver_due(NOW + timedelta(hours=3)) == 0

    # every morning for two weeks: each company at most once per seven days
    received: dict[str, list[int]] = {"due@example.nl": [0], "opened@example.nl": [0]}
    for day in range(1, 15):
        before = len(smtp_server.inbox.messages)
        execute(job, now=NOW + day * DAY)
        deliver_due(NOW + day * DAY)
        for message in smtp_server.inbox.messages[before:]:
            received.setdefault(message["To"], []).append(day)
    assert received == {"due@example.nl": [0, 7, 14], "opened@example.nl": [0, 7, 14], "recent@example.nl": [4, 11]}


def test_no_reminder_for_used_revoked_unmailed_or_addressless_invitations(app, db, reminding):
    due = jobs.due_reminders(NOW + 30 * DAY)
    assert {i.company.name for i in due} == {"Due BV", "Geopend BV", "Recent BV"}


def test_the_interval_is_configurable(app, monkeypatch, reminding):
    monkeypatch.setitem(app.config, "SURVEY_REMINDER_DAYS", 2)
    assert {i.company.name for i in jobs.due_reminders(NOW)} == {"Due BV", "Geopend BV", "Recent BV"}
    monkeypatch.setitem(app.config, "SURVEY_REMINDER_DAYS", 9)
    assert jobs.due_reminders(NOW) == []


@pytest.mark.parametrize(
    "change",
    [
        {"status": SurveyStatus.CLOSED},
        {"status": SurveyStatus.DRAFT},
        {"opens_on": date(2027, 3, 16)},
        {"closes_on": date(2027, 3, 14)},
    ],
)
def test_only_while_the_survey_accepts_answers(db, reminding, survey, change):
    for key, value in change.items():
        setattr(survey, key, value)
    db.session.flush()
    assert jobs.due_reminders(NOW) == []
    assert execute(JOBS["surveys.reminders"], now=NOW).done == 0


def test_the_key_is_per_invitation_and_day(reminding):
    job = JOBS["surveys.reminders"]
    ((invitation, period),) = [item for item in job.find(NOW) if item[0].company.name == "Due BV"]
    assert job.key((invitation, period)) == f"invitation:{invitation.id}:2027-03-15"


def test_one_invitation_is_claimed_once(app, db, reminding, outbox):
    invitation = reminding["due"]
    assert jobs.send_reminder(invitation, now=NOW) is True
    assert jobs.send_reminder(invitation, now=NOW) is False  # a second process, or the button at the same time
    assert [m.recipient for m in outbox()] == ["due@example.nl"]


# The advisor's button ------------------------------------------------------------------------------------


def test_send_now_reminds_who_is_due_and_the_job_then_waits_n_days(app, db, reminding, outbox):
    advisor = make_member(Role.ADVISOR, reminding["due"].survey.park)
    with app.test_request_context():
        assert jobs.send_reminders_now(advisor, reminding["due"].survey, now=NOW - DAY + timedelta(hours=5)) == 1
    assert [m.recipient for m in outbox()] == ["due@example.nl"]  # "opened" was mailed 6 days before then
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "surveys.reminders_sent"))
    assert event.details == {"count": 1} and "due@example.nl" not in str(event.details)
    execute(JOBS["surveys.reminders"], now=NOW)
    assert sorted(m.recipient for m in outbox()) == ["due@example.nl", "opened@example.nl"]


def test_send_now_is_refused_when_nobody_is_due_or_the_survey_is_not_open(app, reminding, survey):
    advisor = make_member(Role.ADVISOR, survey.park)
    with app.test_request_context(), pytest.raises(DomainError, match="Er is niemand om te herinneren"):
        jobs.send_reminders_now(advisor, survey, now=NOW - 5 * DAY)
    survey.status = SurveyStatus.CLOSED
    with app.test_request_context(), pytest.raises(DomainError, match="zolang de enquête open is"):
        jobs.send_reminders_now(advisor, survey, now=NOW)


def test_the_button_on_the_response_page(login_as, db, survey, park, outbox):
    """With real dates: the view reminds as of now."""
    now = datetime.now(UTC)
    _invite(survey, park, "Due BV", "due@example.nl", emailed=now - 8 * DAY)
    _invite(survey, park, "Recent BV", "recent@example.nl", emailed=now - DAY)
    client = login_as(make_member(Role.MUNICIPALITY, park))
    url = f"/parken/{park.id}/enquete/resultaten"
    page = client.get(f"{url}/respons").get_data(as_text=True)
    assert "Nu komt 1 bedrijf in aanmerking voor een herinnering." in page

    sent = client.post(f"{url}/herinneren", follow_redirects=True).get_data(as_text=True)
    assert "Er staat 1 herinnering klaar om te worden verstuurd." in sent
    assert "Nu komen 0 bedrijven in aanmerking voor een herinnering." in sent
    assert [m.recipient for m in outbox()] == ["due@example.nl"]

    again = client.post(f"{url}/herinneren", follow_redirects=True).get_data(as_text=True)
    assert "Er is niemand om te herinneren" in again
    assert len(outbox()) == 1


def test_the_button_with_a_stale_form_is_refused(login_as, survey, park, outbox):
    client = login_as(make_member(Role.ADVISOR, park))
    response = client.post(f"/parken/{park.id}/enquete/resultaten/herinneren", data={"csrf_token": "x"}, csrf=False)
    assert response.status_code == 400 and "verlopen" in response.get_data(as_text=True)
    assert outbox() == []


def test_the_job_leaves_a_paused_parks_companies_alone_but_the_button_still_works(db, park, survey, reminding):
    park.status = ParkStatus.PAUSED
    db.session.flush()
    assert jobs.due_reminders(NOW) == []
    assert {i.id for i in jobs.due_reminders(NOW, survey=survey)} == {reminding["due"].id, reminding["opened"].id}
