"""Handing one mail to the world: SMTP in production, the log in development and in the tests."""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from app.mail.models import OutboxMail


def build_message(mail: OutboxMail, config: Mapping[str, Any], *, now: datetime) -> EmailMessage:
    """The mail as it goes out at `now`, the moment of this attempt (its Date)."""
    sender = config["MAIL_DEFAULT_SENDER"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)  # RFC 5322 requires it; receivers mark or refuse mail without
    # one Message-ID per outbox mail, the same on every attempt: the outbox sends at least once (a crash between the
    # server's acceptance and our "sent" sends it again), and receiving servers and clients drop the second copy
    message["Message-ID"] = f"<outbox.{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{message_id_domain(config)}>"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    for attachment in mail.attachments:
        maintype, _sep, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    # after the content: set_content and add_attachment move or drop Content-* headers set earlier
    message["Content-Language"] = mail.locale
    return message


def message_id_domain(config: Mapping[str, Any]) -> str:
    """The domain the platform's Message-IDs are made under: the sender's (MAIL_DEFAULT_SENDER) or else BASE_URL's,
    whichever is a domain name first. Spam filters count a Message-ID under localhost or an IP address against a
    mail; a development set-up, which has neither, gets BASE_URL's host as it is."""
    sender_domain = parseaddr(config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    site_host = urlsplit(config["BASE_URL"]).hostname or ""
    candidates = (sender_domain, site_host)
    return next((host for host in candidates if _is_domain_name(host)), site_host or sender_domain or "localhost")


def _is_domain_name(host: str) -> bool:
    if "." not in host or host.lower().endswith((".localhost", ".localdomain")):
        return False  # localhost, a bare host name
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return True
    return False


class Sender:
    """Hands a batch of mails to the configured backend: over SMTP through one connection for the whole batch,
    opened at the first mail and opened again when the server has dropped it. Use it as a context manager."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        #: the SMTP connections opened so far (one, unless the server dropped it mid-batch)
        self.connections = 0
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def deliver(self, mail: OutboxMail, *, now: datetime) -> None:
        """Send the mail; raises OSError / smtplib.SMTPException when it cannot."""
        message = build_message(mail, self.config, now=now)
        backend = self.config["MAIL_BACKEND"]
        if backend == "console":
            current_app.logger.info("Mail to %s: %s\n%s", mail.recipient, mail.subject, mail.text_body)
        elif backend == "smtp":
            self._send_smtp(message)
        else:
            raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")

    def _send_smtp(self, message: EmailMessage) -> None:
        # A server closes a connection it finds idle or used for long: a used one is opened again, once, and a fresh
        # one that is dropped tells that the server is down.
        tries = 1 if self._smtp is None else 2
        for attempt in range(1, tries + 1):
            try:
                self._connection().send_message(message)
                return
            except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
                raise  # the server answered (refused this mail): the connection serves the next one
            except smtplib.SMTPServerDisconnected:
                self._drop()
                if attempt == tries:
                    raise
            except (OSError, smtplib.SMTPException):
                self._drop()  # in an unknown state after a time-out or a broken exchange
                raise

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = _connect(self.config)
            self.connections += 1
        return self._smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        """Say goodbye to the server (QUIT) if a connection is open."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass  # every mail of the batch has its result already; a failing goodbye changes none
            finally:
                self._drop()


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"], context=context
        )
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    try:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp
