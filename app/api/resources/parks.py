"""GET /api/v1/parks and /api/v1/parks/<id>: the parks the token's user may see, with area and active step."""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from app.api.access import api_user
from app.api.resources import page_of
from app.api.schemas import ParkQuerySchema, ParkSchema, ParkSummarySchema
from app.api.setup import Blueprint
from app.clock import local_today
from app.parks.models import Park
from app.parks.queries import parks_visible_to

blp = Blueprint(
    "api-parks", __name__, url_prefix="/api/v1/parks", description="Bedrijventerreinen (parks) the token may see."
)


@blp.route("/")
@blp.etag
@blp.arguments(ParkQuerySchema, location="query", as_kwargs=True)
@blp.response(200, ParkSummarySchema(many=True))
@blp.paginate()
def list_parks(pagination_parameters, municipality_id=None):
    """The parks the token's user may view (park.view), by name; optionally of one municipality."""
    query = parks_visible_to(api_user(), today=local_today()).options(selectinload(Park.cycles))
    if municipality_id is not None:
        query = query.where(Park.municipality_id == municipality_id)
    return page_of(query, pagination_parameters)


@blp.route("/<int:park_id>", action="park.view")
@blp.etag
@blp.response(200, ParkSchema)
def get_park(park: Park):
    """One park with its area (GeoJSON) and its active cycle's step. 404 for a park the user may not view."""
    return park
