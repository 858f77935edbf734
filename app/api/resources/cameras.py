"""GET /api/v1/parks/<id>/cameras and GET/POST .../cameras/health: the park's cameras and their health figures,
written through the camera health import's rules."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_smorest import abort
from sqlalchemy import select

from app.api.access import api_user
from app.api.resource_schemas import (
    CameraQuerySchema,
    CameraSchema,
    HealthImportResultSchema,
    HealthImportSchema,
    HealthPeriodSchema,
    HealthQuerySchema,
)
from app.api.resources import page_of
from app.api.setup import Blueprint
from app.cameras import health, networks
from app.cameras.models import Camera, CameraHealth, CameraNetwork
from app.clock import LOCAL_TIME
from app.errors import DomainError
from app.parks.models import Park

blp = Blueprint(
    "api-cameras",
    __name__,
    url_prefix="/api/v1/parks",
    description="The cameras of the park's camera network and their health (uptime and recording gaps).",
)


def _start_of(day) -> datetime:
    """The first moment of a Dutch day."""
    return datetime.combine(day, time(0), tzinfo=LOCAL_TIME)


@blp.route("/<int:park_id>/cameras", action="cameras.view")
@blp.etag
@blp.arguments(CameraQuerySchema, location="query", as_kwargs=True)
@blp.response(200, CameraSchema(many=True))
@blp.paginate()
def list_cameras(pagination_parameters, park: Park, status=None):
    """The network's cameras by code (cameras.view): type, status, position and dates; empty without a network."""
    query = (
        select(Camera)
        .join(CameraNetwork, Camera.network_id == CameraNetwork.id)
        .where(CameraNetwork.park_id == park.id)
        .order_by(Camera.code, Camera.id)
    )
    if status is not None:
        query = query.where(Camera.status == status)
    return page_of(query, pagination_parameters)


@blp.route("/<int:park_id>/cameras/health", action="cameras.view")
@blp.etag
@blp.arguments(HealthQuerySchema, location="query", as_kwargs=True)
@blp.response(200, HealthPeriodSchema(many=True))
@blp.paginate(page_size=100, max_page_size=500)
def list_health(pagination_parameters, park: Park, camera=None, since=None, until=None):
    """The reported periods, newest first, per camera code (cameras.view); filtered by camera code and by day
    (`since` and `until`: the periods that overlap that Dutch day or the days after, or before)."""
    query = (
        select(CameraHealth)
        .join(Camera, CameraHealth.camera_id == Camera.id)
        .join(CameraNetwork, Camera.network_id == CameraNetwork.id)
        .where(CameraNetwork.park_id == park.id)
        .order_by(CameraHealth.period_start.desc(), Camera.code, CameraHealth.id)
    )
    if camera is not None:
        query = query.where(Camera.code == camera.strip())
    if since is not None:
        query = query.where(CameraHealth.period_end > _start_of(since))
    if until is not None:
        query = query.where(CameraHealth.period_start < _start_of(until + timedelta(days=1)))
    return page_of(query, pagination_parameters)


def _record(row: dict) -> dict[str, str]:
    """A JSON row as the text record the health import reads from a file."""
    return {
        "camera": row["camera"],
        "start": row["start"],
        "end": row["end"],
        "uptime": format(row["uptime"], "f"),
        "gaps": ";".join(f"{gap['start']}/{gap['end']}" for gap in row["gaps"]),
    }


@blp.route("/<int:park_id>/cameras/health", methods=["POST"], action="cameras.edit")
@blp.arguments(HealthImportSchema)
@blp.response(200, HealthImportResultSchema)
def import_health(values: dict, park: Park):
    """Write the video system's health figures (cameras.edit, a read-write token), as the health report's import:
    per period a camera code of the network, the period, the uptime and the recording gaps inside it.

    A camera's period is replaced when it is sent again; gaps become outages (a gap up to the end of a period with
    less than 100 % uptime stays open). All periods or none: a 422 names each refused period as `periods.<n>`.
    """
    network = networks.network_of(park)
    if network is None:
        raise DomainError(_("Leg eerst het cameranetwerk vast; daarna kunt u een rapport inlezen."))
    records = [(index, _record(row)) for index, row in enumerate(values["periods"])]
    try:
        result = health.import_health_records(api_user(), network, records, source="API")
    except networks.ImportRefused as refused:
        abort(422, message=refused.message, errors={"json": {"periods": {n: [text] for n, text in refused.errors}}})
    return result
