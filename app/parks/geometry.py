"""Validating park boundaries (GeoJSON in WGS84) with Shapely, and testing points against them."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from math import cos, radians
from typing import Any

import numpy as np
import shapely
from flask_babel import gettext as _
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.prepared import prep

from app.errors import DomainError

# The European Netherlands with a margin: lon 3.2..7.3, lat 50.7..53.6 (WGS84).
NL_BOUNDS = (3.2, 50.7, 7.3, 53.6)
# A business park covers roughly 1 ha to a few km²; anything outside this is a drawing mistake.
MIN_AREA_M2 = 1_000
MAX_AREA_M2 = 50_000_000
MAX_VERTICES = 20_000


def _to_metres(geometry):
    """An equirectangular projection around the geometry: accurate enough for an area check at NL latitudes."""
    lat0 = geometry.centroid.y
    scale = np.array([111_320 * cos(radians(lat0)), 110_540])
    return shapely.transform(geometry, lambda coords: coords * scale)


def parse_area(raw: str | dict[str, Any]) -> dict[str, Any]:
    """Turn user input (a GeoJSON geometry, Feature or FeatureCollection, as text or dict) into a valid
    Polygon or MultiPolygon geometry dict, or raise DomainError saying what is wrong."""
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
    except (ValueError, RecursionError):
        raise DomainError(_("Dit is geen geldige GeoJSON.")) from None
    if not isinstance(data, dict):
        raise DomainError(_("Dit is geen geldige GeoJSON."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise DomainError(_("Dit is geen geldige GeoJSON."))
        geometries = [f.get("geometry") for f in features if isinstance(f, dict)]
    elif data.get("type") == "Feature":
        geometries = [data.get("geometry")]
    else:
        geometries = [data]
    polygons: list[Polygon] = []
    for geometry in geometries:
        try:
            parsed = shape(geometry)
        except Exception:  # shapely raises several kinds for malformed input
            raise DomainError(_("Dit is geen geldige GeoJSON-geometrie.")) from None
        if isinstance(parsed, Polygon):
            polygons.append(parsed)
        elif isinstance(parsed, MultiPolygon):
            polygons.extend(parsed.geoms)
        else:
            raise DomainError(_("Een gebied is een vlak (polygoon); lijnen en punten kunnen niet."))
    if not polygons:
        raise DomainError(_("Het gebied is leeg: teken minstens één vlak."))
    area = polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    return dict(mapping(validate(area)))


def validate(area):
    """Check a Shapely (multi)polygon: non-empty, valid (not self-intersecting), in the Netherlands, sensible size."""
    if area.is_empty:
        raise DomainError(_("Het gebied is leeg: teken minstens één vlak."))
    vertices = sum(len(p.exterior.coords) + sum(len(i.coords) for i in p.interiors) for p in _polygons(area))
    if vertices > MAX_VERTICES:
        raise DomainError(_("Het gebied heeft te veel hoekpunten (meer dan %(n)s).", n=MAX_VERTICES))
    if not area.is_valid:
        raise DomainError(
            _("De grens snijdt zichzelf of is niet gesloten. Pas de hoekpunten aan zodat de lijn zichzelf niet kruist.")
        )
    min_x, min_y, max_x, max_y = area.bounds
    west, south, east, north = NL_BOUNDS
    if min_x < west or max_x > east or min_y < south or max_y > north:
        raise DomainError(_("Het gebied ligt (deels) buiten Nederland. Controleer of de coördinaten in WGS84 zijn."))
    square_metres = _to_metres(area).area
    if square_metres < MIN_AREA_M2:
        raise DomainError(_("Het gebied is te klein voor een bedrijventerrein (minder dan 0,1 hectare)."))
    if square_metres > MAX_AREA_M2:
        raise DomainError(_("Het gebied is te groot voor een bedrijventerrein (meer dan 50 km²)."))
    return area


def _polygons(area) -> list[Polygon]:
    return list(area.geoms) if isinstance(area, MultiPolygon) else [area]


def inner_point(area: dict[str, Any]) -> tuple[float, float]:
    """(lat, lon) of a point guaranteed inside the area, for a marker."""
    point = shape(area).representative_point()
    return point.y, point.x


def point_test(area: dict[str, Any] | None) -> Callable[[float, float], bool]:
    """A function (lat, lon) -> whether the point lies in or on the edge of the area (prepared once, for many
    points); without an area every point is outside."""
    if area is None:
        return lambda lat, lon: False
    prepared = prep(shape(area))
    return lambda lat, lon: prepared.covers(Point(lon, lat))


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def parse_decimal(raw: Any) -> float | None:
    """A number written with a decimal point or a Dutch decimal comma; None for anything else."""
    if isinstance(raw, int | float):
        return float(raw) if math.isfinite(raw) else None
    text = str(raw or "").strip().replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def metres_outside(area: dict[str, Any], lat: float, lon: float) -> float:
    """How far (lat, lon) lies from the area, in metres (0 inside or on the edge); an equirectangular
    projection around the point, accurate enough over a few hundred metres at Dutch latitudes."""
    if point_test(area)(lat, lon):
        return 0.0
    scale = (111_320 * math.cos(math.radians(lat)), 110_540)
    projected = shapely.transform(shape(area), lambda coordinates: coordinates * scale)
    return float(projected.distance(Point(lon * scale[0], lat * scale[1])))


def within_metres(area: dict[str, Any], lat: float, lon: float, metres: float) -> bool:
    """Whether (lat, lon) lies in the area, on its edge or at most `metres` outside it."""
    return metres_outside(area, lat, lon) <= metres
