"""GET /api/v1/parks/<id>/meetings: the meetings of the park's working group, without the invitees."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.resource_schemas import MeetingQuerySchema, MeetingSchema
from app.api.resources import page_of
from app.api.setup import Blueprint
from app.clock import LOCAL_TIME
from app.meetings.models import Meeting
from app.parks.models import Cycle, Park

blp = Blueprint(
    "api-meetings",
    __name__,
    url_prefix="/api/v1/parks",
    description="Meetings of the park's working group: kind, time, place, state and agenda.",
)


@blp.route("/<int:park_id>/meetings", action="meetings.view")
@blp.etag
@blp.arguments(MeetingQuerySchema, location="query", as_kwargs=True)
@blp.response(200, MeetingSchema(many=True))
@blp.paginate()
def list_meetings(pagination_parameters, park: Park, kind=None, since=None, until=None):
    """The meetings of all the park's cycles by start (meetings.view: everyone on the park); filtered by kind and
    by the (Dutch) day they start on. Invitees and their addresses are not part of the API."""
    query = (
        select(Meeting)
        .join(Cycle, Meeting.cycle_id == Cycle.id)
        .where(Cycle.park_id == park.id)
        .order_by(Meeting.starts_at, Meeting.id)
        .options(selectinload(Meeting.cycle))
    )
    if kind is not None:
        query = query.where(Meeting.kind == kind)
    if since is not None:
        query = query.where(Meeting.starts_at >= datetime.combine(since, time(0), tzinfo=LOCAL_TIME))
    if until is not None:
        query = query.where(Meeting.starts_at < datetime.combine(until + timedelta(days=1), time(0), tzinfo=LOCAL_TIME))
    return page_of(query, pagination_parameters)
