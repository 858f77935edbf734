"""Demo mail: invitations waiting in the outbox, and one mail the outbox gave up on."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth import services as auth_services
from app.auth.mails import queue_password_link
from app.auth.models import Membership, Role
from app.auth.services import find_user_by_email
from app.demo import DEMO_DOMAIN
from app.extensions import db
from app.jobs.models import JobRun, RunStatus
from app.mail.jobs import failure_summary
from app.mail.models import MailStatus, OutboxMail

#: invited by the admin, invitation not yet accepted: (local part, name, organisation, role, park)
DEMO_INVITED = [
    ("wijkagent.papendorp", "Noor Nieuwenhuis", "Politie Midden-Nederland", Role.PARTNER, "Papendorp"),
    ("secretaris.dehoef", "Sem de Vries", "Ondernemersvereniging Lage Weide", Role.ENTREPRENEUR, "De Hoef"),
]

#: a mail the outbox gave up on, as the admin would find it
DEMO_FAILED_MAIL = (
    "info@transportbedrijf-vanhal.example",
    "Uitnodiging voor Veilig Bedrijventerrein",
    "SMTPRecipientsRefused: {'info@transportbedrijf-vanhal.example': (550, b'5.1.1 Recipient address rejected')}",
)


def seed_demo(created: list, organisations: dict, parks: dict, *, now: datetime) -> None:
    """Invited users whose invitation waits in the outbox, and one mail that failed for good."""
    admin = find_user_by_email(f"beheer@{DEMO_DOMAIN}")
    for local, name, organisation, role, park in DEMO_INVITED:
        email = f"{local}@{DEMO_DOMAIN}"
        if find_user_by_email(email) is not None:
            continue
        user = auth_services.invite_user(
            admin, email=email, name=name, organisation=organisations[organisation], locale="nl"
        )
        user.memberships.append(Membership(role=role, park=parks[park]))
        queue_password_link(user, auth_services.INVITATION)
        created.append(user)
    recipient, subject, error = DEMO_FAILED_MAIL
    if db.session.scalar(select(OutboxMail.id).where(OutboxMail.recipient == recipient)) is None:
        failed = OutboxMail(
            recipient=recipient,
            subject=subject,
            locale="nl",
            status=MailStatus.FAILED,
            attempts=8,
            text_body="Beste ondernemer,\n\nU bent uitgenodigd voor Veilig Bedrijventerrein.",
            html_body="<p>Beste ondernemer,</p><p>U bent uitgenodigd voor Veilig Bedrijventerrein.</p>",
            last_error=error,
            next_attempt_at=now - timedelta(hours=1),
        )
        # the delivery run that gave up on it, as Beheer → Geplande taken shows it
        last_try = now - timedelta(hours=1)
        run = JobRun(
            job="mail.deliver",
            started_at=last_try,
            finished_at=last_try,
            status=RunStatus.FAILED,
            done=0,
            skipped=0,
            failed=1,
            error=failure_summary(Counter({error: 1})),
        )
        # an earlier run whose scheduler died mid-way, marked by the stand-in that took over
        cut_off = JobRun(
            job="mail.deliver",
            started_at=now - timedelta(hours=2),
            finished_at=now - timedelta(hours=2) + timedelta(seconds=40),
            status=RunStatus.ABANDONED,
            done=0,
            skipped=0,
            failed=0,
            holder="planner-1:4711:3f9a2c1e",
        )
        db.session.add_all([failed, cut_off, run])  # in the order they ran: the overview shows the newest id
        created.append(failed)
