"""Read-side queries of the award for lists across parks."""

from __future__ import annotations

from sqlalchemy import and_, exists, select

from app.auth.models import User
from app.awards.models import Award, Signature
from app.extensions import db
from app.parks.models import Cycle, CycleStatus, Park
from app.stakeholders.models import Stakeholder


def awaiting_signature(user: User, park_ids: list[int]) -> list[Park]:
    """The parks among `park_ids` whose active cycle's award has been sent for signing, is not granted yet, and
    has a stakeholder of the user's organisation (`signs_for`) without a signature: one statement. Read-only: the
    signing itself is the award page's."""
    if user.organisation_id is None or not park_ids:
        return []
    signed = exists().where(Signature.award_id == Award.id, Signature.stakeholder_id == Stakeholder.id)
    query = (
        select(Park)
        .join(Cycle, and_(Cycle.park_id == Park.id, Cycle.status == CycleStatus.ACTIVE))
        .join(Award, Award.cycle_id == Cycle.id)
        .join(Stakeholder, Stakeholder.cycle_id == Cycle.id)
        .where(
            Park.id.in_(park_ids),
            Award.requested_at.is_not(None),
            Award.awarded_on.is_(None),
            Stakeholder.organisation_id == user.organisation_id,
            ~signed,
        )
        .order_by(Park.name, Park.id)
        .distinct()
    )
    return list(db.session.scalars(query))
