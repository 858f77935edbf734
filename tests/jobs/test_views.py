"""The admin pages for jobs, and who may open them and the outbox's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.jobs.models import JobRun, RunStatus, SchedulerJob
from tests.factories import make_member

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


def test_an_abandoned_run_shows_as_a_failure_with_why_and_the_page_names_the_leader(login_as, admin, db):
    from datetime import timedelta

    from app.jobs.leases import acquire

    abandoned = JobRun(
        job="mail.deliver",
        started_at=NOW,
        finished_at=NOW,
        status=RunStatus.ABANDONED,
        done=2,
        skipped=0,
        holder="web-2:4711:ab12cd34",
    )
    db.session.add(abandoned)
    db.session.commit()
    acquire("web-1:42:ef56ab78", now=datetime.now(UTC), length=timedelta(seconds=30))
    client = login_as(admin)
    overview = client.get("/beheer/taken/").get_data(as_text=True)
    assert f"#run-{abandoned.id}" in overview  # the last failure
    assert "Afgebroken (2 gedaan, 0 overgeslagen)" in overview
    assert "de planner web-1:42:ef56ab78" in overview
    detail = client.get("/beheer/taken/mail.deliver").get_data(as_text=True)
    assert "Deze uitvoering is afgebroken" in detail and "web-2:4711:ab12cd34" in detail


def test_the_overview_says_when_no_scheduler_runs(login_as, admin, db):
    body = login_as(admin).get("/beheer/taken/").get_data(as_text=True)
    assert "Er draait nu geen planner" in body
