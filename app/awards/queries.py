"""Read-side queries of the award for lists across parks."""

from __future__ import annotations

from sqlalchemy import exists, select

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
    waiting = (
        select(Cycle.park_id)
        .join(Award, Award.cycle_id == Cycle.id)
        .join(Stakeholder, Stakeholder.cycle_id == Cycle.id)
        .where(
            Cycle.status == CycleStatus.ACTIVE,
            Cycle.park_id.in_(park_ids),
            Award.requested_at.is_not(None),
            Award.awarded_on.is_(None),
            Stakeholder.organisation_id == user.organisation_id,
            ~signed,
        )
    )
    # parks by id from a subquery, not SELECT DISTINCT: PostgreSQL cannot compare the park's JSON area
    query = select(Park).where(Park.id.in_(waiting)).order_by(Park.name, Park.id)
    return list(db.session.scalars(query))
