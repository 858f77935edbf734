"""Writing to the audit log, in the same transaction as the change it describes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.audit.models import AuditEvent
from app.extensions import db

if TYPE_CHECKING:
    from app.auth.models import User
    from app.parks.models import Park

SYSTEM_LABEL = "systeem"
#: who answered a survey: nobody the log may name
RESPONDENT_LABEL = "respondent"


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

    `actor` None means the system (a job or a CLI command), or whoever `actor_label` names (an anonymous
    respondent). `subject` is any model instance with an `id`;
    it is flushed first when it has none yet. `action` is a dotted name such as "auth.login".
    """
    subject_type = subject_id = None
    if subject is not None:
        if getattr(subject, "id", None) is None:
            db.session.flush()
        subject_type = subject.__tablename__
        subject_id = str(subject.id)
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else actor_label,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        park_id=park.id if park is not None else None,
        details=details or {},
    )
    db.session.add(event)
    return event
