"""A delivery run hands its mails to the SMTP server through one connection, opened again if the server drops it,
and keeps to the provider's cap per minute (MAIL_MAX_PER_MINUTE)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import mail
from app.jobs.models import RunStatus
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail import jobs as mail_jobs
from app.mail.jobs import deliver_due
from app.mail.models import MailStatus, OutboxMail

NOW = datetime(2026, 11, 23, 8, 0, 10, tzinfo=UTC)


def _queue(app, db, count: int) -> None:
    with app.test_request_context():
        for i in range(count):
            mail.queue(
                f"lid{i}@example.nl", "nl", "password_reset", f"Mail {i}", user={"name": "Olga"}, link="x", hours=2
            )
        db.session.commit()


def _states(db) -> list[tuple[MailStatus, int]]:
    return list(db.session.execute(select(OutboxMail.status, OutboxMail.attempts).order_by(OutboxMail.id)))


def test_a_delivery_run_sends_its_mails_through_one_connection(app, db, smtp_server):
    _queue(app, db, 5)
    assert deliver_due(NOW) == 5
    assert len(smtp_server.inbox.messages) == 5
    assert smtp_server.inbox.connections == 1


def test_a_connection_the_server_drops_mid_batch_is_opened_again(app, db, smtp_server):
    _queue(app, db, 5)
    smtp_server.inbox.drop_after = 2
    assert deliver_due(NOW) == 5
    assert sorted(m["Subject"] for m in smtp_server.inbox.messages) == [f"Mail {i}" for i in range(5)]  # each once
    assert smtp_server.inbox.connections == 2
    assert _states(db) == [(MailStatus.SENT, 1)] * 5


def test_a_server_that_hangs_up_at_once_fails_the_mail_to_try_again(app, db, smtp_server):
    _queue(app, db, 1)
    smtp_server.inbox.drop_after = 0
    run = deliver_due(NOW)
    assert (run, run.failed) == (0, 1)
    assert _states(db) == [(MailStatus.QUEUED, 1)]


def test_mails_over_the_cap_per_minute_wait_queued_for_the_next_minute(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_PER_MINUTE", 3)
    _queue(app, db, 5)
    assert deliver_due(NOW) == 3
    assert deliver_due(NOW + timedelta(seconds=40)) == 0  # the same minute: the cap is used up
    assert [status for status, _attempts in _states(db)] == [MailStatus.SENT] * 3 + [MailStatus.QUEUED] * 2
    assert _states(db)[3:] == [(MailStatus.QUEUED, 0)] * 2  # not counted as failed attempts
    assert deliver_due(NOW + timedelta(minutes=1)) == 2
    assert len(smtp_server.inbox.messages) == 5


def test_a_run_stops_taking_mails_after_its_time_and_leaves_them_queued(app, db, smtp_server, monkeypatch):
    monkeypatch.setattr(mail_jobs, "RUN_SECONDS", 0)
    _queue(app, db, 2)
    assert deliver_due(NOW) == 0
    assert _states(db) == [(MailStatus.QUEUED, 0)] * 2


def test_two_hundred_invitations_go_out_in_one_run_through_one_connection(app, db, smtp_server):
    """The short version of bench/mail_throughput.py: the delivery job as the scheduler runs it."""
    with app.test_request_context():
        db.session.add_all(
            OutboxMail(
                recipient=f"bedrijf{i}@example.nl",
                locale="nl",
                subject=f"Uitnodiging {i}",
                text_body="Vul de vragenlijst in",
                html_body="<p>Vul de vragenlijst in</p>",
                status=MailStatus.QUEUED,
                attempts=0,
            )
            for i in range(200)
        )
        db.session.commit()
    run = execute(JOBS["mail.deliver"], now=NOW)
    assert (run.status, run.done, run.failed) == (RunStatus.OK, 200, 0)
    assert len({m["Subject"] for m in smtp_server.inbox.messages}) == len(smtp_server.inbox.messages) == 200
    assert smtp_server.inbox.connections == 1
