"""Read-side queries for park lists, scoped to what a user may see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import Membership, User
from app.parks.models import Park


def parks_visible_to(user: User, *, today: date) -> Select[tuple[Park]]:
    """Parks the user is a current member of, directly or through their municipality; all for admins."""
    query = select(Park).order_by(Park.name, Park.id)
    if user.is_admin:
        return query
    current = [m for m in user.memberships if m.is_current(today)]
    park_ids = {m.park_id for m in current if m.park_id is not None}
    municipality_ids = {m.municipality_id for m in current if m.municipality_id is not None}
    return query.where(or_(Park.id.in_(park_ids), Park.municipality_id.in_(municipality_ids)))


def park_members(park: Park, *, today: date) -> Select[tuple[Membership]]:
    """Current memberships that cover the park: its own and its municipality's, ordered by role."""
    return (
        select(Membership)
        .options(joinedload(Membership.user))
        .where(
            or_(Membership.park_id == park.id, Membership.municipality_id == park.municipality_id),
            or_(Membership.ends_on.is_(None), Membership.ends_on >= today),
        )
        .order_by(Membership.role, Membership.id)
    )
