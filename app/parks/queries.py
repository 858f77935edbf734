"""Read-side queries for park lists, scoped to what a user may see."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from app.audit.models import AuditEvent
from app.auth.models import Membership, Role, User
from app.auth.policy import PERMISSIONS
from app.cameras import markers
from app.cameras.models import Camera, CameraNetwork, CameraOutage, CameraStatus, CameraType
from app.extensions import db
from app.parks.models import Company, Cycle, CycleStatus, Park


def parks_visible_to(user: User, *, today: date, roles: Collection[Role] | None = None) -> Select[tuple[Park]]:
    """Parks the user is a current member of, directly or through their municipality (only memberships with one
    of `roles`, when given); all parks for admins."""
    query = select(Park).order_by(Park.name, Park.id)
    if user.is_admin:
        return query
    current = [m for m in user.memberships if m.is_current(today) and (roles is None or m.role in roles)]
    park_ids = {m.park_id for m in current if m.park_id is not None}
    municipality_ids = {m.municipality_id for m in current if m.municipality_id is not None}
    return query.where(or_(Park.id.in_(park_ids), Park.municipality_id.in_(municipality_ids)))


def visible_scope(user: User, *, today: date, roles: Collection[Role] | None = None):
    """The parks of `parks_visible_to` as a subquery to join on with `within`, or None for an admin: every park, so
    no join at all (a join on a sorted copy of the whole parks table cost the country-wide aggregates most of their
    time)."""
    if user.is_admin:
        return None
    return parks_visible_to(user, today=today, roles=roles).subquery()


def within(query: Select, park_id, scope) -> Select:
    """`query` limited to the parks of `scope` (`visible_scope`) by its column `park_id`; unchanged for None."""
    return query if scope is None else query.join(scope, scope.c.id == park_id)


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


@dataclass(frozen=True)
class OverviewFilter:
    search: str = ""
    municipality_id: int | None = None
    step: int | None = None
    #: only parks whose active cycle entered its step at or before this moment (in it for at least N days)
    started_before: datetime | None = None
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class ParkRow:
    park: Park
    step: int
    step_started_at: datetime
    companies: int

    def days_in_step(self, now: datetime) -> int:
        return max((now - self.step_started_at).days, 0)


def _company_count():
    # counted per park listed (an indexed lookup), not grouped over every company in the country first
    return select(func.count(Company.id)).where(Company.park_id == Park.id).correlate(Park).scalar_subquery()


def filter_parks(query: Select, *, search: str, municipality_id: int | None, step: int | None) -> Select:
    """`query` (over Park joined with its active Cycle) narrowed to parks whose name holds `search` (any case), in
    the municipality and at the step of the active cycle, each when given."""
    if search:
        query = query.where(func.lower(Park.name).contains(search.lower(), autoescape=True))
    if municipality_id:
        query = query.where(Park.municipality_id == municipality_id)
    if step:
        query = query.where(Cycle.current_step == step)
    return query


def _overview_query(user: User, *, today: date, filters: OverviewFilter) -> Select:
    visible = parks_visible_to(user, today=today, roles=PERMISSIONS["parks.overview"]).subquery()
    query = (
        select(Park, Cycle.current_step, Cycle.step_started_at, _company_count().label("companies"))
        .join(visible, visible.c.id == Park.id)
        .join(Cycle, and_(Cycle.park_id == Park.id, Cycle.status == CycleStatus.ACTIVE))
    )
    query = filter_parks(query, search=filters.search, municipality_id=filters.municipality_id, step=filters.step)
    if filters.started_before is not None:
        query = query.where(Cycle.step_started_at <= filters.started_before)
    return query


SORT_COLUMNS = {
    "name": lambda: Park.name,
    "step": lambda: Cycle.current_step,
    # longest in its step first when ascending by days: earliest start
    "days": lambda: Cycle.step_started_at.desc(),
    "companies": _company_count,
}


def city_overview(
    user: User, *, today: date, filters: OverviewFilter, page: int, per_page: int
) -> tuple[list[ParkRow], int]:
    """One page of the parks the user oversees (advisor or municipality role; admins: all), with the step of
    the active cycle, its start and the number of companies, and the total count. Two statements whatever the
    number of parks."""
    query = _overview_query(user, today=today, filters=filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    order = SORT_COLUMNS.get(filters.sort, SORT_COLUMNS["name"])()
    if filters.descending:
        order = order.desc() if filters.sort != "days" else Cycle.step_started_at.asc()
    rows = db.session.execute(query.order_by(order, Park.id).limit(per_page).offset((page - 1) * per_page)).all()
    return [ParkRow(park, step, started, companies) for park, step, started, companies in rows], total


def city_markers(user: User, *, today: date, filters: OverviewFilter) -> list[dict]:
    """Every park of the overview (all pages) as a map marker: one statement."""
    # plain columns, not parks: a city-wide map has thousands of markers
    query = (
        _overview_query(user, today=today, filters=filters)
        .where(Park.area_lat.is_not(None))
        .with_only_columns(Park.id, Park.name, Park.area_lat, Park.area_lon, Cycle.current_step)
    )
    return [
        {"id": id_, "name": name, "lat": lat, "lon": lon, "step": step}
        for id_, name, lat, lon, step in db.session.execute(query)
    ]


#: a camera marker's columns, selected as such rather than as cameras: a city-wide map has thousands
#: whether the camera has an open outage (is offline now), in the same statement
_OFFLINE = (
    select(CameraOutage.id)
    .where(CameraOutage.camera_id == Camera.id, CameraOutage.ended_at.is_(None))
    .correlate(Camera)
    .exists()
)
_MARKER_COLUMNS = (
    CameraNetwork.park_id,
    Camera.code,
    Camera.type,
    Camera.status,
    Camera.lat,
    Camera.lon,
    _OFFLINE.label("offline"),
)


def _camera_markers(rows) -> list[dict]:
    """Map markers: type and state as `app.cameras.markers` draws them (shape, colour and sign), with the words."""
    # each label translated once per page, not once per camera
    types = {member: str(member.label) for member in CameraType}
    statuses = {member: str(member.label) for member in CameraStatus}
    return [
        {
            "park_id": park_id,
            "type": types[kind],
            "status": statuses[status],
            "defect": status == CameraStatus.DEFECT,
            "lat": lat,
            "lon": lon,
        }
        | markers.marker(code, kind, markers.state_of(status, offline=bool(offline)))
        for park_id, code, kind, status, lat, lon, offline in rows
    ]


def park_cameras(park: Park) -> list[dict]:
    """The park's cameras that are not removed, as map markers (code, type, status). Positions are for users with
    `cameras.view` on the park only: the caller checks that."""
    query = (
        select(*_MARKER_COLUMNS)
        .select_from(Camera)
        .join(CameraNetwork)
        .where(CameraNetwork.park_id == park.id, Camera.status != CameraStatus.REMOVED)
        .order_by(Camera.code, Camera.id)
    )
    return _camera_markers(db.session.execute(query))


def city_cameras(user: User, *, today: date, filters: OverviewFilter) -> list[dict]:
    """The cameras (not removed) of the parks of the overview (all pages) on which the user has `cameras.view`,
    as map markers: one statement."""
    listed = _overview_query(user, today=today, filters=filters).with_only_columns(Park.id)
    viewable = parks_visible_to(user, today=today, roles=PERMISSIONS["cameras.view"]).with_only_columns(Park.id)
    query = (
        select(*_MARKER_COLUMNS)
        .select_from(Camera)
        .join(CameraNetwork)
        .where(
            Camera.status != CameraStatus.REMOVED,
            CameraNetwork.park_id.in_(listed.order_by(None)),
            CameraNetwork.park_id.in_(viewable.order_by(None)),
        )
        .order_by(CameraNetwork.park_id, Camera.code, Camera.id)
    )
    return _camera_markers(db.session.execute(query))


def park_activity(park: Park, *, limit: int = 10) -> list[AuditEvent]:
    """The park's latest audit events, for the activity feed on its overview."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.park_id == park.id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
