"""The outbox delivered to a real SMTP server: recipients, language, attachments, headers, retries, nothing twice,
and what a delivery run reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app import mail
from app.jobs.models import RunStatus
from app.jobs.registry import JOBS
from app.jobs.services import execute
from app.mail.jobs import deliver_due, retry_policy
from app.mail.models import MailStatus, OutboxMail
from app.mail.services import retry
from tests.factories import make_user
from tests.mail.conftest import SmtpServer, send_through

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _queue_reset(app, db, *, to="olga@example.nl", locale="nl", attachments=None) -> OutboxMail:
    with app.test_request_context():
        user = make_user(email=to, name="Olga", locale=locale)
        queued = mail.queue(
            to,
            locale,
            "password_reset",
            "Nieuw wachtwoord instellen",
            user=user,
            link="https://x/y",
            hours=2,
            attachments=attachments,
        )
        db.session.commit()
    return queued


def test_mail_arrives_with_recipient_language_and_attachments(app, db, smtp_server):
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    pdf = b"%PDF-1.4 test"
    _queue_reset(
        app,
        db,
        locale="en",
        attachments=[
            mail.Attachment("werkgroep.ics", "text/calendar", ics),
            mail.Attachment("plan.pdf", "application/pdf", pdf),
        ],
    )
    assert deliver_due(NOW) == 1
    (message,) = smtp_server.inbox.messages
    assert smtp_server.inbox.envelopes[0][1] == ["olga@example.nl"]
    assert message["To"] == "olga@example.nl"
    assert message["Content-Language"] == "en"
    assert "Dear Olga," in message.get_body(("plain",)).get_content()
    files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert files["plan.pdf"] == pdf
    assert files["werkgroep.ics"].replace("\r\n", "\n") == ics.decode().replace("\r\n", "\n")
    stored = db.session.scalars(db.select(OutboxMail)).one()
    assert (stored.status, stored.attempts, stored.sent_at) == (MailStatus.SENT, 1, NOW)


def test_dutch_recipient_gets_dutch(app, db, smtp_server):
    _queue_reset(app, db, locale="nl")
    deliver_due(NOW)
    assert "Beste Olga," in smtp_server.inbox.messages[0].get_body(("plain",)).get_content()


def test_smtp_down_keeps_the_mail_and_delivers_it_when_back(app, db, smtp_server):
    smtp_server.stop()
    _queue_reset(app, db)
    assert deliver_due(NOW) == 0
    stored = db.session.scalars(db.select(OutboxMail)).one()
    assert stored.status == MailStatus.QUEUED and stored.attempts == 1
    assert "Connection refused" in stored.last_error or "ConnectionRefusedError" in stored.last_error
    assert stored.next_attempt_at == NOW + timedelta(minutes=1)

    smtp_server.start()
    assert deliver_due(NOW + timedelta(seconds=30)) == 0  # not due yet: back-off
    assert smtp_server.inbox.messages == []
    assert deliver_due(NOW + timedelta(minutes=1)) == 1
    assert len(smtp_server.inbox.messages) == 1
    db.session.refresh(stored)
    assert (stored.status, stored.attempts, stored.last_error) == (MailStatus.SENT, 2, None)


def test_back_off_doubles_and_the_mail_is_kept_as_failed(app, db, smtp_server):
    smtp_server.stop()
    queued = _queue_reset(app, db)
    policy = retry_policy()
    now = NOW
    waits = []
    for _ in range(policy.max_attempts):
        deliver_due(now)
        db.session.refresh(queued)
        if queued.status == MailStatus.FAILED:
            break
        waits.append(queued.next_attempt_at - now)
        now = queued.next_attempt_at
    assert queued.status == MailStatus.FAILED
    assert queued.attempts == policy.max_attempts
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert deliver_due(now + timedelta(days=1)) == 0  # failed mails are not retried by themselves

    admin = make_user(is_admin=True)
    retry(admin, queued)
    db.session.commit()
    smtp_server.start()
    assert deliver_due(now) == 1
    assert len(smtp_server.inbox.messages) == 1


def test_two_delivery_runs_send_each_mail_once(app, db, smtp_server):
    _queue_reset(app, db, to="a@example.nl")
    _queue_reset(app, db, to="b@example.nl")
    assert deliver_due(NOW) == 2
    assert deliver_due(NOW) == 0
    assert sorted(e[1][0] for e in smtp_server.inbox.envelopes) == ["a@example.nl", "b@example.nl"]


def test_a_claim_of_a_crashed_sender_lapses(app, db, smtp_server):
    queued = _queue_reset(app, db)
    queued.status, queued.locked_until = MailStatus.SENDING, NOW + timedelta(minutes=10)
    db.session.commit()
    assert deliver_due(NOW + timedelta(minutes=5)) == 0  # still held by the other sender
    assert deliver_due(NOW + timedelta(minutes=11)) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_authentication(app, db, monkeypatch):
    server = SmtpServer(credentials=("vb", "geheim"))
    server.start()
    try:
        send_through(app, monkeypatch, server, MAIL_USERNAME="vb", MAIL_PASSWORD="wrong")
        queued = _queue_reset(app, db)
        assert deliver_due(NOW) == 0
        db.session.refresh(queued)
        assert "SMTPAuthenticationError" in queued.last_error
        monkeypatch.setitem(app.config, "MAIL_PASSWORD", "geheim")
        assert deliver_due(NOW + timedelta(minutes=1)) == 1
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()


def test_starttls_then_login(app, db, monkeypatch, tmp_path):
    """The production set-up: a submission port that demands STARTTLS before AUTH."""
    import ssl

    from app.mail import transport
    from tests.mail.conftest import self_signed_certificate

    cert, key = self_signed_certificate(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    server = SmtpServer(credentials=("vb", "geheim"), tls=server_tls)
    server.start()
    # the client verifies the certificate as always; the test only makes it trust this one
    trusting = ssl.create_default_context
    monkeypatch.setattr(transport.ssl, "create_default_context", lambda: trusting(cafile=str(cert)))
    try:
        send_through(app, monkeypatch, server, MAIL_USERNAME="vb", MAIL_PASSWORD="geheim", MAIL_USE_STARTTLS=False)
        queued = _queue_reset(app, db)
        assert deliver_due(NOW) == 0  # without STARTTLS the server refuses
        db.session.refresh(queued)
        assert queued.attempts == 1 and queued.last_error
        monkeypatch.setitem(app.config, "MAIL_USE_STARTTLS", True)
        assert deliver_due(NOW + timedelta(minutes=1)) == 1
        assert server.inbox.envelopes[0][1] == ["olga@example.nl"]
    finally:
        server.stop()


def test_a_mail_sent_again_keeps_its_message_id(app, db, smtp_server):
    """A sender that dies after the server accepted a mail sends it again once its claim lapses; the repeated mail
    carries the same Message-ID, by which receivers drop the copy."""
    queued = _queue_reset(app, db)
    assert deliver_due(NOW) == 1
    queued.status = MailStatus.QUEUED  # as if the commit of "sent" never happened
    db.session.commit()
    _queue_reset(app, db, to="piet@example.nl")
    assert deliver_due(NOW) == 2
    first, again, other = (message["Message-ID"] for message in smtp_server.inbox.messages)
    assert first == again
    assert other != first
    assert first.startswith(f"<outbox.{queued.id}.") and first.endswith(">")


def test_every_attempt_carries_its_own_date_and_the_mails_one_message_id(app, db, smtp_server):
    """RFC 5322 requires a Date: the moment the mail is handed over, so a mail sent again after a crash carries the
    moment of the second attempt, with the Message-ID of the first."""
    queued = _queue_reset(app, db)
    assert deliver_due(NOW) == 1
    queued.status = MailStatus.QUEUED  # as if the commit of "sent" never happened
    db.session.commit()
    later = NOW + timedelta(minutes=11)
    assert deliver_due(later) == 1
    first, again = smtp_server.inbox.messages
    assert (first["Date"].datetime, again["Date"].datetime) == (NOW, later)
    assert first["Message-ID"] == again["Message-ID"]


@pytest.mark.parametrize(
    ("sender", "base_url", "domain"),
    [
        (
            "Veilig Bedrijventerrein <noreply@veiligbedrijventerrein.nl>",
            "https://vb.example.nl",
            "veiligbedrijventerrein.nl",
        ),
        ("Veilig Bedrijventerrein <noreply@localhost>", "https://vb.example.nl/", "vb.example.nl"),
        ("noreply@mailhost", "https://veilig.utrecht.nl:8443", "veilig.utrecht.nl"),
        ("noreply@[192.0.2.7]", "https://veilig.utrecht.nl", "veilig.utrecht.nl"),
    ],
)
def test_the_message_id_is_under_the_platforms_domain_never_localhost(
    app, db, smtp_server, monkeypatch, sender, base_url, domain
):
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", sender)
    monkeypatch.setitem(app.config, "BASE_URL", base_url)
    queued = _queue_reset(app, db)
    assert deliver_due(NOW) == 1
    (message,) = smtp_server.inbox.messages
    assert message["Message-ID"] == f"<outbox.{queued.id}.{queued.created_at:%Y%m%d%H%M%S}@{domain}>"


def test_a_delivery_run_in_which_every_mail_failed_says_so(app, db, smtp_server, login_as):
    smtp_server.stop()
    _queue_reset(app, db, to="a@example.nl")
    _queue_reset(app, db, to="b@example.nl")
    run = execute(JOBS["mail.deliver"], now=NOW)
    assert (run.status, run.done, run.failed) == (RunStatus.FAILED, 0, 2)
    assert run.error.startswith("2 mail(s): ConnectionRefusedError")
    page = login_as(make_user(is_admin=True)).get("/beheer/taken/").get_data(as_text=True)
    assert "Mislukt (0 gedaan, 2 mislukt, 0 overgeslagen)" in page
    assert f"#run-{run.id}" in page  # the last failure, linked


def test_a_delivery_run_in_which_some_mails_failed_says_how_many(app, db, smtp_server, login_as):
    smtp_server.inbox.refused.add("weg@example.nl")
    _queue_reset(app, db, to="olga@example.nl")
    _queue_reset(app, db, to="weg@example.nl")
    run = execute(JOBS["mail.deliver"], now=NOW)
    assert (run.status, run.done, run.failed) == (RunStatus.PARTIAL, 1, 1)
    assert "1 mail(s): SMTPRecipientsRefused" in run.error and "550" in run.error
    page = login_as(make_user(is_admin=True)).get("/beheer/taken/mail.deliver").get_data(as_text=True)
    assert "Deels mislukt (1 gedaan, 1 mislukt, 0 overgeslagen)" in page
    assert execute(JOBS["mail.deliver"], now=NOW).status == RunStatus.OK  # nothing due: nothing failed


def test_an_operator_running_the_delivery_by_hand_hears_that_it_failed(app, db, smtp_server):
    smtp_server.stop()
    _queue_reset(app, db)
    result = app.test_cli_runner().invoke(args=["jobs", "run-once", "mail.deliver"])
    assert result.exit_code == 1
    assert "mail.deliver: failed, 0 done, 1 failed, 0 skipped" in result.output
