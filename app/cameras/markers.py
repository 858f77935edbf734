"""Camera markers on the maps: what a marker shows of a camera, its type (by shape) and its state now (by colour
and a sign), with the legend's words; the same for the camera pages' map and the park maps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.cameras.models import Camera, CameraOutage, CameraStatus, CameraType
from app.extensions import db
from app.i18n import LabelledEnum


class MarkerState(LabelledEnum):
    """A camera's state as its marker shows it: removed and defect as recorded, else offline while an outage is
    open, else online."""

    ONLINE = "online", _l("Online")
    OFFLINE = "offline", _l("Offline")
    DEFECT = "defect", _l("Defect")
    REMOVED = "verwijderd", _l("Verwijderd")


#: the shape of a type's marker, in the legend's words
SHAPES = {
    CameraType.FIXED: _l("rondje"),
    CameraType.FLEXIBLE: _l("ruit"),
    CameraType.ANPR: _l("vierkant"),
}
#: the colour and sign of a state's marker, in the legend's words
SIGNS = {
    MarkerState.ONLINE: _l("groen met een vinkje"),
    MarkerState.OFFLINE: _l("rood met een uitroepteken"),
    MarkerState.DEFECT: _l("oranje met een kruisje"),
    MarkerState.REMOVED: _l("grijs met een streepje, gestippelde rand"),
}


def offline_ids(camera_ids: Iterable[int]) -> set[int]:
    """The cameras among `camera_ids` with an open outage: one statement."""
    ids = list(camera_ids)
    if not ids:
        return set()
    query = select(CameraOutage.camera_id).where(CameraOutage.camera_id.in_(ids), CameraOutage.ended_at.is_(None))
    return set(db.session.scalars(query))


def state_of(status: CameraStatus, *, offline: bool) -> MarkerState:
    if status == CameraStatus.REMOVED:
        return MarkerState.REMOVED
    if status == CameraStatus.DEFECT:
        return MarkerState.DEFECT
    return MarkerState.OFFLINE if offline else MarkerState.ONLINE


def marker(code: str, kind: CameraType, state: MarkerState) -> dict[str, Any]:
    """What a marker needs besides its place: the type and state as keys for its shape and colour, and the words."""
    return {
        "code": code,
        "kind": kind.value,
        "state": state.value,
        "label": f"{code} · {kind.label} · {state.label}",
    }


def camera_markers(cameras: list[Camera]) -> list[dict[str, Any]]:
    """The markers of these cameras with their place (lat, lon) and camera id."""
    offline = offline_ids(camera.id for camera in cameras)
    return [
        marker(camera.code, camera.type, state_of(camera.status, offline=camera.id in offline))
        | {"id": camera.id, "lat": camera.lat, "lon": camera.lon}
        for camera in cameras
    ]


def legend() -> dict[str, list[tuple[str, str, str]]]:
    """The legend: per type (key, label, shape) and per state (key, label, colour and sign)."""
    return {
        "types": [(kind.value, kind.label, str(SHAPES[kind])) for kind in CameraType],
        "states": [(state.value, state.label, str(SIGNS[state])) for state in MarkerState],
    }
