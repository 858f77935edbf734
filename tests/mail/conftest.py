"""A real SMTP server on a local port (aiosmtpd)."""

from __future__ import annotations

import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    #: addresses the server refuses, as for a mailbox that does not exist
    refused: set[str] = field(default_factory=set)
    #: the connections clients greeted the server on (EHLO): one per SMTP connection
    connections: int = 0
    #: once this many mails have arrived, hang up on the next MAIL FROM, as a server dropping a long connection
    drop_after: int | None = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.connections += 1
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            self.drop_after = None
            server.transport.close()
            return "421 4.3.2 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    """Start, stop and start again on the same port, to play an SMTP server that goes down and comes back."""

    def __init__(self, credentials: tuple[str, str] | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.credentials = credentials
        self.tls = tls
        self._controller: Controller | None = None

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == (
            self.credentials
        )
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

    def start(self) -> None:
        kwargs: dict = {}
        if self.credentials:
            kwargs |= {"authenticator": self._authenticate, "auth_required": True, "auth_require_tls": bool(self.tls)}
        if self.tls:
            kwargs |= {"tls_context": self.tls, "require_starttls": True}
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def send_through(app, monkeypatch, server: SmtpServer, **settings) -> None:
    """Point the app's SMTP settings at `server`, with any MAIL_* overrides."""
    values = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": server.port, "MAIL_TIMEOUT": 5}
    for key, value in (values | settings).items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def smtp_server(app, monkeypatch):
    server = SmtpServer()
    server.start()
    send_through(app, monkeypatch, server)
    yield server
    server.stop()


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with Debian's openssl; returns (certificate, key)."""
    cert, key = directory / "smtp.crt", directory / "smtp.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key
