"""Delivering the outbox, every minute."""

from __future__ import annotations

import math
import smtplib
import time
from collections import Counter
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.jobs.registry import Outcome, every, register
from app.mail import transport
from app.mail.services import RetryPolicy, claim_next, record_failure, record_sent, sent_since

#: a run stops taking mails after this long and leaves the rest to the next run, a minute after it started
RUN_SECONDS = 45


def retry_policy() -> RetryPolicy:
    config = current_app.config
    return RetryPolicy(config["MAIL_MAX_ATTEMPTS"], config["MAIL_RETRY_FIRST_DELAY"], config["MAIL_SEND_LEASE"])


def deliver_due(now: datetime) -> Outcome:
    """Send the due mails in the outbox for up to RUN_SECONDS, and at most MAIL_MAX_PER_MINUTE a minute; return how
    many went out, and how many failed this time and why.

    Each mail is claimed and the claim committed before it is sent, and its result committed after, so a second
    scheduler process never sends the same mail and a crash loses nothing (the lease lapses, it is sent again).
    The whole run goes through one SMTP connection. Mails over the per-minute cap are not claimed: they stay
    queued for a next run.
    """
    config = current_app.config
    policy = retry_policy()
    allowed = math.inf
    if config["MAIL_MAX_PER_MINUTE"]:
        # per clock minute: the runs, a minute apart, each fall in their own
        this_minute = now.replace(second=0, microsecond=0)
        allowed = max(config["MAIL_MAX_PER_MINUTE"] - sent_since(this_minute), 0)
    deadline = time.monotonic() + RUN_SECONDS
    sent = last_id = 0
    failures: Counter[str] = Counter()
    with transport.Sender(config) as sender:
        while sent + failures.total() < allowed and time.monotonic() < deadline:
            mail = claim_next(now=now, policy=policy, after=last_id)
            db.session.commit()
            if mail is None:
                break
            last_id = mail.id
            try:
                sender.deliver(mail, now=now)
            except (OSError, smtplib.SMTPException) as error:
                reason = f"{type(error).__name__}: {error}"
                record_failure(mail, reason, now=now, policy=policy)
                failures[reason] += 1
            else:
                record_sent(mail, now=now)
                sent += 1
            db.session.commit()
    if sender.connections > 1:
        current_app.logger.info("mail.deliver: the SMTP server dropped the connection; %s used", sender.connections)
    return Outcome(sent, failed=failures.total(), error=failure_summary(failures))


def failure_summary(failures: Counter[str]) -> str | None:
    """What went wrong in a delivery run, for its page: each reason with its number of mails, most frequent first."""
    return "\n".join(f"{count} mail(s): {reason}" for reason, count in failures.most_common()) or None


register(
    "mail.deliver",
    description=_l("E-mails uit de wachtrij versturen (met herhaalpogingen)"),
    trigger=every(minutes=1),
    run=deliver_due,
)
