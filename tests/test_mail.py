from __future__ import annotations

import pytest

from app import mail


class FakeSMTP:
    instances: list[FakeSMTP] = []

    def __init__(self, host, port, timeout, **kwargs):
        self.host, self.port, self.kwargs, self.calls = host, port, kwargs, []
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        self.calls.append(("send", message["To"], message["Subject"], message.get_body(("plain",)).get_content()))


@pytest.fixture
def smtp(app, monkeypatch):
    FakeSMTP.instances.clear()
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setattr(mail.smtplib, "SMTP_SSL", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.nl")
    monkeypatch.setitem(app.config, "MAIL_PORT", 587)
    return FakeSMTP.instances


def test_smtp_with_starttls_and_login(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_USE_STARTTLS", True)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "vb")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "geheim")
    with app.app_context():
        mail.send(mail.Mail(to="olga@example.nl", subject="Onderwerp", text="Tekst", html="<p>Tekst</p>"))
    (server,) = smtp
    assert (server.host, server.port) == ("smtp.example.nl", 587)
    assert server.calls[0] == "starttls"
    assert server.calls[1] == ("login", "vb", "geheim")
    assert server.calls[2][:3] == ("send", "olga@example.nl", "Onderwerp")
    assert server.calls[2][3].strip() == "Tekst"


def test_smtp_without_tls_or_login(app, smtp):
    with app.app_context():
        mail.send(mail.Mail(to="olga@example.nl", subject="S", text="T", html="<p>T</p>"))
    (server,) = smtp
    assert [call[0] if isinstance(call, tuple) else call for call in server.calls] == ["send"]


def test_compose_uses_the_recipients_language(app, db):
    with app.test_request_context():
        from tests.factories import make_user

        user = make_user(name="Nina", locale="en")
        dutch = mail.compose("x@example.nl", "nl", "password_reset", "Onderwerp", user=user, link="L", hours=2)
        english = mail.compose("x@example.nl", "en", "password_reset", "Onderwerp", user=user, link="L", hours=2)
    assert "Beste Nina," in dutch.text and "Dear Nina," in english.text
    assert "valid for 2 hours" in english.text
