"""Sending mail: SMTP in production, the log in development, a list in memory for the tests."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str


def compose(to: str, locale: str, template: str, subject: str, **context: object) -> Mail:
    """Render `templates/email/<template>.txt` and `.html` in the recipient's language."""
    with force_locale(locale):
        return Mail(
            to=to,
            subject=str(subject),
            text=render_template(f"email/{template}.txt", **context),
            html=render_template(f"email/{template}.html", **context),
        )


def send(mail: Mail) -> None:
    """Deliver one mail with the configured backend; call it after the commit it belongs to."""
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_outbox", []).append(mail)
    elif backend == "console":
        current_app.logger.info("Mail to %s: %s\n%s", mail.to, mail.subject, mail.text)
    elif backend == "smtp":
        _send_smtp(mail, config)
    else:
        raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


def _send_smtp(mail: Mail, config) -> None:
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    context = ssl.create_default_context()
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    kwargs = {"context": context} if config["MAIL_USE_SSL"] else {}
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"], **kwargs) as smtp:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)
