"""Queuing mail in the outbox and the delivery rules: claim, retry with back-off, fail after N attempts.

Queuing adds rows to the caller's transaction, so a mail exists exactly when the change it reports was committed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from app import audit, logs
from app.auth.models import User
from app.auth.policy import ensure_can
from app.errors import DomainError
from app.extensions import db
from app.mail.models import MailStatus, OutboxAttachment, OutboxMail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    first_delay: timedelta
    #: how long a sending process may hold a mail before another may take it over
    lease: timedelta

    def delay_after(self, attempts: int) -> timedelta:
        """Wait before the next attempt: first_delay, doubling per failed attempt."""
        return self.first_delay * (2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class Draft:
    """A mail before it is rendered: to whom, in which language, which template with what, and its attachments.
    An area builds it in one function, so that sending it (`queue_draft`) and previewing it (`render_draft`)
    show exactly the same mail."""

    to: str
    locale: str
    template: str
    subject: object
    context: dict[str, object]
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Rendered:
    """A mail as its recipient reads it: subject and bodies in the recipient's language."""

    to: str
    locale: str
    subject: str
    text_body: str
    html_body: str
    attachments: tuple[Attachment, ...]


def render_draft(draft: Draft) -> Rendered:
    """Render `templates/email/<template>.txt` and `.html` and the subject in the draft's language; sends nothing,
    writes nothing (the mail preview shows this)."""
    with force_locale(draft.locale):
        return Rendered(
            to=draft.to,
            locale=draft.locale,
            subject=str(draft.subject),
            text_body=render_template(f"email/{draft.template}.txt", **draft.context),
            html_body=render_template(f"email/{draft.template}.html", **draft.context),
            attachments=draft.attachments,
        )


def queue_draft(draft: Draft) -> OutboxMail:
    """Queue the draft's mail, rendered as `render_draft` shows it."""
    return queue(
        draft.to, draft.locale, draft.template, draft.subject, attachments=list(draft.attachments), **draft.context
    )


def queue(
    to: str,
    locale: str,
    template: str,
    subject: object,
    *,
    attachments: list[Attachment] | None = None,
    **context: object,
) -> OutboxMail:
    """Render `templates/email/<template>.txt` and `.html` and the subject in `locale` and queue the mail."""
    rendered = render_draft(Draft(to, locale, template, subject, context))
    mail = OutboxMail(
        recipient=to,
        locale=locale,
        subject=rendered.subject,
        text_body=rendered.text_body,
        html_body=rendered.html_body,
        status=MailStatus.QUEUED,
        attempts=0,
        request_id=logs.current_request_id(),
    )
    mail.attachments = [
        OutboxAttachment(filename=a.filename, content_type=a.content_type, data=a.data) for a in attachments or []
    ]
    db.session.add(mail)
    db.session.flush()
    return mail


def claim_next(*, now: datetime, policy: RetryPolicy, after: int = 0) -> OutboxMail | None:
    """Take the next due mail for delivery with an id above `after`, or None when none is due.

    The claim is one conditional UPDATE, so two delivering processes never take the same mail. A mail whose
    sender died while holding it is due again once its lease has lapsed. A delivery run passes the id it took
    last as `after`: what lies before it was sent, failed (not due again within the run) or is another's, and the
    look-up then starts where it left off instead of stepping over every sent mail of a long queue.
    """
    due = or_(
        (OutboxMail.status == MailStatus.QUEUED)
        & (OutboxMail.next_attempt_at.is_(None) | (OutboxMail.next_attempt_at <= now)),
        (OutboxMail.status == MailStatus.SENDING) & (OutboxMail.locked_until < now),
    )
    while True:
        candidate = db.session.scalar(
            select(OutboxMail.id).where(due, OutboxMail.id > after).order_by(OutboxMail.id).limit(1)
        )
        if candidate is None:
            return None
        claimed = db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == candidate, due)
            .values(status=MailStatus.SENDING, locked_until=now + policy.lease)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount == 1:
            return db.session.get(OutboxMail, candidate, populate_existing=True)


def record_sent(mail: OutboxMail, *, now: datetime) -> None:
    mail.status = MailStatus.SENT
    mail.attempts += 1
    mail.sent_at = now
    mail.locked_until = None
    mail.last_error = None
    db.session.flush()
    # by id, never by address; under the id of the request that queued it
    log.info("Mail %s sent", mail.id, extra={"mail_id": mail.id, "request_id": mail.request_id})


def sent_since(moment: datetime) -> int:
    """How many mails went out from `moment` on (by any process): what counts against MAIL_MAX_PER_MINUTE."""
    return db.session.scalar(select(func.count()).where(OutboxMail.sent_at >= moment)) or 0


def record_failure(mail: OutboxMail, error: str, *, now: datetime, policy: RetryPolicy) -> None:
    """Count a failed attempt: queue it again after the back-off, or mark it failed after the last attempt.

    A failed mail stays in the outbox with its error, so nothing is lost; an admin can send it again.
    """
    mail.attempts += 1
    mail.last_error = error[:2000]
    mail.locked_until = None
    if mail.attempts >= policy.max_attempts:
        mail.status = MailStatus.FAILED
    else:
        mail.status = MailStatus.QUEUED
        mail.next_attempt_at = now + policy.delay_after(mail.attempts)
    db.session.flush()
    log.warning(
        "Mail %s not sent (attempt %s): %s",
        mail.id,
        mail.attempts,
        mail.status.value,
        extra={"mail_id": mail.id, "request_id": mail.request_id},
    )


def retry(actor: User, mail: OutboxMail) -> None:
    """Queue a failed mail again with a fresh count of attempts. Admins only."""
    ensure_can(actor, "admin.manage")
    if mail.status != MailStatus.FAILED:
        raise DomainError(_("Alleen een mislukte e-mail kan opnieuw worden verstuurd."))
    mail.status = MailStatus.QUEUED
    mail.attempts = 0
    mail.next_attempt_at = None
    audit.record(actor, "mail.retried", mail, details={"recipient": mail.recipient})
    db.session.flush()
