"""The park's area (step 1, "Afbakening gebied"): setting the boundary and describing it in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shapely.geometry import shape

from app import audit
from app.auth.policy import ensure_can
from app.extensions import db
from app.parks.geometry import _to_metres, inner_point, parse_area

if TYPE_CHECKING:
    from app.auth.models import User
    from app.parks.models import Park


@dataclass(frozen=True)
class AreaSummary:
    """What the map shows, for people who cannot see it: the number of polygons and the size."""

    polygons: int
    holes: int
    hectares: float


def summarize(area: dict[str, Any] | None) -> AreaSummary | None:
    """The summary of a stored (already validated) boundary, or None when the park has none."""
    return _summary(area) if area else None


def _summary(area: dict[str, Any]) -> AreaSummary:
    geometry = shape(area)
    polygons = list(getattr(geometry, "geoms", [geometry]))
    return AreaSummary(
        polygons=len(polygons),
        holes=sum(len(polygon.interiors) for polygon in polygons),
        hectares=_to_metres(geometry).area / 10_000,
    )


def set_area(actor: User, park: Park, raw: str | dict[str, Any], *, now: datetime) -> None:
    """Replace the park's boundary with `raw` (GeoJSON text or dict: a geometry, Feature or FeatureCollection).

    Advisors and the municipality of the park may do this (policy action "park.area.edit"; admins always).
    The input must be one or more valid polygons (holes allowed) inside the Netherlands, between 0.1 ha and
    50 km² (see parks.geometry). The point used for map markers is kept with it and an audit row is written.
    Raises NotAllowed, or DomainError with a Dutch message saying what is wrong; the old boundary then stays.
    `now` is the time the audit row carries. Flushes, never commits.
    """
    ensure_can(actor, "park.area.edit", park)
    area = parse_area(raw)
    lat, lon = inner_point(area)
    summary = _summary(area)
    park.area = area
    park.area_lat, park.area_lon = lat, lon
    event = audit.record(
        actor,
        "parks.area_set",
        park,
        park=park,
        details={
            "type": area["type"],
            "polygons": summary.polygons,
            "holes": summary.holes,
            "hectares": round(summary.hectares, 1),
        },
    )
    event.created_at = now
    db.session.flush()
