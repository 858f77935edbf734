"""The admin pages for jobs and for the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.auth.models import Role
from app.jobs.models import JobRun, RunStatus, SchedulerJob
from app.mail.models import MailStatus, OutboxMail
from tests.factories import make_member, make_outbox_mail

NOW = datetime(2027, 3, 15, 6, 0, tzinfo=UTC)


def test_jobs_page_shows_schedule_next_run_last_run_and_failure(login_as, admin, db):
    db.session.add(SchedulerJob(id="mail.deliver", next_run_time=NOW.timestamp(), job_state=b"x"))
    db.session.add(JobRun(job="mail.deliver", started_at=NOW, finished_at=NOW, status=RunStatus.OK, done=3, skipped=0))
    failed = JobRun(
        job="notifications.weekly_digest",
        started_at=NOW,
        finished_at=NOW,
        status=RunStatus.FAILED,
        done=0,
        skipped=0,
        error="Traceback ...\nRuntimeError: SMTP weigert",
    )
    db.session.add(failed)
    client = login_as(admin)
    body = client.get("/beheer/taken/").get_data(as_text=True)
    assert "E-mails uit de wachtrij versturen" in body
    assert "3 gedaan, 0 overgeslagen" in body
    assert "nog niet ingepland" in body  # the digests have no stored next run yet
    assert "15-03-2027" in body or "15 mrt" in body or "3/15/27" in body
    detail = client.get("/beheer/taken/notifications.weekly_digest").get_data(as_text=True)
    assert "RuntimeError: SMTP weigert" in detail
    assert client.get("/beheer/taken/no.such.job").status_code == 404


@pytest.mark.parametrize("path", ["/beheer/taken/", "/beheer/taken/mail.deliver", "/beheer/e-mail/"])
def test_jobs_and_mail_pages_are_for_admins(login_as, park, role, path):
    assert login_as(make_member(role, park)).get(path).status_code == 403


def test_outbox_list_detail_and_filter(login_as, admin, db):
    sent = make_outbox_mail()
    failed = make_outbox_mail(
        recipient="peter@example.nl",
        status=MailStatus.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    client = login_as(admin)
    body = client.get("/beheer/e-mail/?status=failed").get_data(as_text=True)
    assert "peter@example.nl" in body and "olga@example.nl" not in body
    assert client.get("/beheer/e-mail/?status=nonsense").status_code == 200
    detail = client.get(f"/beheer/e-mail/{failed.id}").get_data(as_text=True)
    assert "550 mailbox unavailable" in detail
    assert "Kies een wachtwoord" in client.get(f"/beheer/e-mail/{sent.id}").get_data(as_text=True)
    assert client.get("/beheer/e-mail/999999").status_code == 404


def test_mail_bodies_are_hidden_when_mail_really_goes_out(app, login_as, admin, db, monkeypatch):
    sent = make_outbox_mail()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    body = login_as(admin).get(f"/beheer/e-mail/{sent.id}").get_data(as_text=True)
    assert "Kies een wachtwoord" not in body
    assert "persoonlijke links" in body


def test_admin_retries_a_failed_mail(login_as, admin, db):
    failed = make_outbox_mail(status=MailStatus.FAILED, attempts=8, last_error="boom")
    client = login_as(admin)
    assert client.post(f"/beheer/e-mail/{failed.id}/opnieuw").status_code == 302
    db.session.expire_all()
    again = db.session.get(OutboxMail, failed.id)
    assert (again.status, again.attempts, again.next_attempt_at) == (MailStatus.QUEUED, 0, None)
    sent = make_outbox_mail()
    assert client.post(f"/beheer/e-mail/{sent.id}/opnieuw").status_code == 400


def test_invitations_go_through_the_outbox_in_the_same_transaction(login_as, admin, db, outbox):
    response = login_as(admin).post(
        "/beheer/gebruikers/nieuw",
        data={"email": "nina@example.nl", "name": "Nina", "organisation_id": "0", "locale": "nl"},
    )
    assert response.status_code == 302
    (mail,) = outbox()
    assert mail.status == MailStatus.QUEUED and mail.recipient == "nina@example.nl"


def test_profile_offers_the_digest_choice(login_as, park, db):
    body = login_as(make_member(Role.PARTNER, park)).get("/profiel").get_data(as_text=True)
    assert "Overzicht per e-mail" in body and "Eén overzicht per week" in body
