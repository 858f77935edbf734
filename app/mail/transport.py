"""Handing one mail to the world: SMTP in production, the log in development and in the tests."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from flask import current_app

from app.mail.models import OutboxMail


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    # one Message-ID per outbox mail, the same on every attempt: the outbox sends at least once (a crash between the
    # server's acceptance and our "sent" sends it again), and receiving servers and clients drop the second copy
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<outbox.{mail.id}.{mail.created_at:%Y%m%d%H%M%S}@{domain}>"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    for attachment in mail.attachments:
        maintype, _sep, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    # after the content: set_content and add_attachment move or drop Content-* headers set earlier
    message["Content-Language"] = mail.locale
    return message


def deliver(mail: OutboxMail, config: Mapping[str, Any]) -> None:
    """Send the mail with the configured backend; raises OSError / smtplib.SMTPException when it cannot."""
    message = build_message(mail, config["MAIL_DEFAULT_SENDER"])
    backend = config["MAIL_BACKEND"]
    if backend == "console":
        current_app.logger.info("Mail to %s: %s\n%s", mail.recipient, mail.subject, mail.text_body)
    elif backend == "smtp":
        _send_smtp(message, config)
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


def _send_smtp(message: EmailMessage, config: Mapping[str, Any]) -> None:
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"], context=context
        )
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    with smtp:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
