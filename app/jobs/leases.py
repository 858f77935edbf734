"""The scheduler lease: of the scheduler processes sharing a database, the one holding the lease fires the jobs.

A lease is a row with its holder and an expiry. Taking or renewing it is one conditional UPDATE (mine, or lapsed)
or, the first time, an INSERT that the primary key lets only one process win; the same on SQLite and PostgreSQL.
Expiry is judged by the clock of the process asking, so the machines' clocks must agree to well within the lease.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jobs.models import SchedulerLease

SCHEDULER = "scheduler"


def new_holder_id() -> str:
    """Who a process is, as its runs and the lease show it: host:pid:random (a restarted pid is a new holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(holder: str, *, now: datetime, length: timedelta, name: str = SCHEDULER) -> bool:
    """Take or renew the lease until `now + length`; False when another holder has it and it has not lapsed.

    Commits: the lease is only worth something once others can see it.
    """
    expires_at = now + length
    renewed = db.session.execute(
        update(SchedulerLease)
        .where(SchedulerLease.name == name, (SchedulerLease.holder == holder) | (SchedulerLease.expires_at < now))
        .values(holder=holder, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    if renewed.rowcount == 1:
        db.session.commit()
        return True
    try:
        db.session.add(SchedulerLease(name=name, holder=holder, expires_at=expires_at))
        db.session.commit()
    except IntegrityError:  # the row exists, held by another: or a racing process inserted it first
        db.session.rollback()
        return False
    return True


def release(holder: str, *, name: str = SCHEDULER) -> None:
    """Give the lease up (a clean stop), so that a standby takes over at its next try instead of after expiry."""
    db.session.execute(delete(SchedulerLease).where(SchedulerLease.name == name, SchedulerLease.holder == holder))
    db.session.commit()


def current_holder(*, now: datetime, name: str = SCHEDULER) -> str | None:
    """The holder of a lease that has not lapsed at `now`, if any."""
    return db.session.scalar(
        select(SchedulerLease.holder).where(SchedulerLease.name == name, SchedulerLease.expires_at >= now)
    )
