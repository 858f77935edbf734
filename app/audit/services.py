"""Writing to the audit log, in the same transaction as the change it describes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert

from app.audit.models import AuditEvent
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.parks.models import Park

SYSTEM_LABEL = "systeem"
#: who answered a survey: nobody the log may name
RESPONDENT_LABEL = "respondent"


def _values(
    actor: User | None, action: str, subject: Any, park_id: int | None, details: dict | None, actor_label: str
) -> dict[str, Any]:
    return {
        "actor_id": actor.id if actor is not None else None,
        "actor_label": actor.email if actor is not None else actor_label,
        "action": action,
        "subject_type": subject.__tablename__ if subject is not None else None,
        "subject_id": str(subject.id) if subject is not None else None,
        "park_id": park_id,
        "details": details or {},
    }


def record(
    actor: User | None,
    action: str,
    subject: Any = None,
    park: Park | None = None,
    details: dict[str, Any] | None = None,
    *,
    actor_label: str = SYSTEM_LABEL,
) -> AuditEvent:
    """Add one audit event to the current transaction; it is committed (or rolled back) with the change.

    `actor` None means the system (a job or a CLI command), or someone without an account named by `actor_label`
    (a signatory signing through their personal link). `subject` is any model instance with an `id`; it is
    flushed first when it has none yet. `action` is a dotted name such as "auth.login".
    """
    if subject is not None and getattr(subject, "id", None) is None:
        db.session.flush()
    event = AuditEvent(**_values(actor, action, subject, park.id if park is not None else None, details, actor_label))
    db.session.add(event)
    return event


# A plain INSERT, built once, for `record_anonymous`.
_INSERT_EVENT = insert(AuditEvent.__table__)


def record_anonymous(action: str, subject: Any, *, park_id: int | None, actor_label: str, now: datetime) -> None:
    """Add one event at `now` of someone the log may not name (`actor_label`, e.g. a respondent) to the current
    transaction, with a plain prepared INSERT: for the busiest request, an answer to a survey, where the ORM's unit
    of work, and loading the park, cost more than the row. `subject` must have its id already."""
    db.session.execute(_INSERT_EVENT, {**_values(None, action, subject, park_id, None, actor_label), "created_at": now})
