"""The admin pages of the outbox."""

from __future__ import annotations

from app.mail.models import MailStatus, OutboxMail
from tests.factories import make_outbox_mail


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
