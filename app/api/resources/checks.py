"""GET /api/v1/parks/<id>/cameras/checks: the done quality checks of the park's camera network, without photos."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api.resource_schemas import CheckQuerySchema, QualityCheckSchema
from app.api.resources import page_of
from app.api.setup import Blueprint
from app.cameras.models import CameraNetwork, QualityCheck
from app.parks.models import Park

blp = Blueprint(
    "api-checks",
    __name__,
    url_prefix="/api/v1/parks",
    description="Quality checks of the park's camera network: the score per criterion.",
)


@blp.route("/<int:park_id>/cameras/checks", action="cameras.view")
@blp.etag
@blp.arguments(CheckQuerySchema, location="query", as_kwargs=True)
@blp.response(200, QualityCheckSchema(many=True))
@blp.paginate()
def list_checks(pagination_parameters, park: Park, since=None, until=None):
    """The done checks, newest first (cameras.view): per criterion the score, the note and the plan action a major
    finding became; filtered by the day they were done on. Photos are not part of the API."""
    query = (
        select(QualityCheck)
        .join(CameraNetwork, QualityCheck.network_id == CameraNetwork.id)
        .where(CameraNetwork.park_id == park.id, QualityCheck.done_on.is_not(None))
        .order_by(QualityCheck.done_on.desc(), QualityCheck.id.desc())
        .options(selectinload(QualityCheck.scores))
    )
    if since is not None:
        query = query.where(QualityCheck.done_on >= since)
    if until is not None:
        query = query.where(QualityCheck.done_on <= until)
    return page_of(query, pagination_parameters)
