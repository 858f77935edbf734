"""Reading the audit log, filtered by park, user and date."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from app.audit.models import AuditEvent
from app.clock import LOCAL_TIME


def audit_events(
    *,
    park_ids: Collection[int] | None,
    park_id: int | None = None,
    actor_email: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select[tuple[AuditEvent]]:
    """Events newest first. `park_ids` None means every event (admins); otherwise only those parks'."""
    query = select(AuditEvent).order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    if park_ids is not None:
        query = query.where(AuditEvent.park_id.in_(park_ids))
    if park_id is not None:
        query = query.where(AuditEvent.park_id == park_id)
    if actor_email is not None:
        # the address as it was recorded, so events of removed or renamed accounts stay findable
        query = query.where(AuditEvent.actor_label == actor_email)
    if date_from is not None:
        query = query.where(AuditEvent.created_at >= datetime.combine(date_from, time.min, tzinfo=LOCAL_TIME))
    if date_to is not None:
        next_day = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LOCAL_TIME)
        query = query.where(AuditEvent.created_at < next_day)
    return query
