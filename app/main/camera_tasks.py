"""What waits for the camera officer on their home page, over the networks of the parks they look after: quality
checks due and overdue, cameras offline now, legal-frame items due or missing and contracts ending, half-yearly
evaluations due, and the footage requests of the retention period. A fixed number of statements, however many
networks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import Role, User
from app.cameras import checks, legal
from app.cameras.evaluations import half_year_before
from app.cameras.jobs import EVALUATION_GRACE
from app.cameras.models import (
    MAX_RETENTION_DAYS,
    Camera,
    CameraNetwork,
    CameraOutage,
    CameraStatus,
    Evaluation,
    FootageRequest,
    QualityCheck,
)
from app.clock import local_day
from app.extensions import db
from app.parks.models import Park
from app.parks.queries import parks_visible_to

#: a monitoring contract ending within this many days is shown
CONTRACT_WARNING_DAYS = 90
#: legal-frame statuses that need the officer
LEGAL_SHOWN = frozenset({legal.Status.OVERDUE, legal.Status.DUE_SOON, legal.Status.MISSING})


@dataclass(frozen=True)
class CheckDue:
    park: Park
    due_on: date
    #: "overdue" or "due" (checks.due_status)
    status: str


@dataclass(frozen=True)
class OfflineCamera:
    park: Park
    camera: Camera
    #: since when it is offline, when an outage is open (None: marked defect without a recorded outage)
    since: datetime | None


@dataclass(frozen=True)
class LegalItem:
    park: Park
    label: str
    status_label: str
    due_on: date | None
    note: str


@dataclass(frozen=True)
class EvaluationDue:
    park: Park
    start: date
    end: date
    overdue: bool


@dataclass(frozen=True)
class FootageSummary:
    park: Park
    count: int


@dataclass(frozen=True)
class CameraTasks:
    checks: list[CheckDue]
    offline: list[OfflineCamera]
    legal: list[LegalItem]
    evaluations: list[EvaluationDue]
    footage: list[FootageSummary]
    footage_days: int

    @property
    def empty(self) -> bool:
        return not (self.checks or self.offline or self.legal or self.evaluations or self.footage)


def looks_after_cameras(user: User, *, today: date) -> bool:
    return any(m.role == Role.CAMERA_OFFICER and m.is_current(today) for m in user.memberships)


def camera_tasks(user: User, *, today: date, now: datetime) -> CameraTasks:
    """For the networks of the parks where the user is a current camera officer: the check to do (the planned one,
    else one due at the last done check plus the interval, or today without any) when it is due within
    checks.DUE_SOON_DAYS or overdue; the cameras marked defect or with an open outage; the legal-frame items overdue,
    due soon or missing (`legal.compliance`: the DPIA every three years) and a monitoring contract ending within
    CONTRACT_WARNING_DAYS; the evaluation of the last half-year when it is missing (overdue after EVALUATION_GRACE,
    as the reminder job says); the number of footage requests received within the retention period."""
    visible = parks_visible_to(user, today=today, roles={Role.CAMERA_OFFICER}).order_by(None).subquery()
    networks = list(
        db.session.scalars(
            select(CameraNetwork)
            .join(visible, visible.c.id == CameraNetwork.park_id)
            .join(Park, Park.id == CameraNetwork.park_id)
            .options(
                joinedload(CameraNetwork.park),
                selectinload(CameraNetwork.cameras),
                selectinload(CameraNetwork.technology_changes),
            )
            .order_by(Park.name, Park.id)
        ).unique()
    )
    ids = [network.id for network in networks]
    if not ids:
        return CameraTasks([], [], [], [], [], MAX_RETENTION_DAYS)
    return CameraTasks(
        checks=_checks(networks, ids, today=today),
        offline=_offline(networks, ids),
        legal=_legal(networks, today=today),
        evaluations=_evaluations(networks, ids, today=today),
        footage=_footage(networks, ids, today=today),
        footage_days=MAX_RETENTION_DAYS,
    )


def _checks(networks: list[CameraNetwork], ids: list[int], *, today: date) -> list[CheckDue]:
    planned: dict[int, date] = {}
    for network_id, due_on in db.session.execute(
        select(QualityCheck.network_id, func.min(QualityCheck.due_on))
        .where(QualityCheck.network_id.in_(ids), QualityCheck.done_on.is_(None))
        .group_by(QualityCheck.network_id)
    ):
        planned[network_id] = due_on
    last_done = dict(
        db.session.execute(
            select(QualityCheck.network_id, func.max(QualityCheck.done_on))
            .where(QualityCheck.network_id.in_(ids), QualityCheck.done_on.is_not(None))
            .group_by(QualityCheck.network_id)
        ).all()
    )
    found = []
    for network in networks:
        if network.id in planned:
            due_on = planned[network.id]
        elif network.id in last_done:
            due_on = checks.add_months(last_done[network.id], network.check_interval_months)
        else:
            due_on = today
        status = checks.due_status(due_on, today=today)
        if status != "planned":
            found.append(CheckDue(network.park, due_on, status))
    return sorted(found, key=lambda item: (item.due_on, item.park.name))


def _offline(networks: list[CameraNetwork], ids: list[int]) -> list[OfflineCamera]:
    open_since = dict(
        db.session.execute(
            select(CameraOutage.camera_id, func.min(CameraOutage.started_at))
            .join(Camera, Camera.id == CameraOutage.camera_id)
            .where(Camera.network_id.in_(ids), CameraOutage.ended_at.is_(None))
            .group_by(CameraOutage.camera_id)
        ).all()
    )
    return [
        OfflineCamera(network.park, camera, open_since.get(camera.id))
        for network in networks
        for camera in sorted(network.cameras, key=lambda camera: camera.code)
        if camera.status != CameraStatus.REMOVED and (camera.status == CameraStatus.DEFECT or camera.id in open_since)
    ]


def _legal(networks: list[CameraNetwork], *, today: date) -> list[LegalItem]:
    found = []
    for network in networks:
        for item in legal.compliance(network, today):
            if item.status in LEGAL_SHOWN:
                found.append(LegalItem(network.park, item.label, str(item.status.label), item.due_on, item.note))
        ends = network.contract_ends_on
        if ends is not None and ends <= today + timedelta(days=CONTRACT_WARNING_DAYS):
            status = legal.Status.OVERDUE if ends < today else legal.Status.DUE_SOON
            found.append(LegalItem(network.park, _("Contract met de meldkamer loopt af"), str(status.label), ends, ""))
    return found


def _evaluations(networks: list[CameraNetwork], ids: list[int], *, today: date) -> list[EvaluationDue]:
    start, end = half_year_before(today)
    evaluated = set(
        db.session.scalars(
            select(Evaluation.network_id).where(Evaluation.network_id.in_(ids), Evaluation.period_start == start)
        )
    )
    return [
        EvaluationDue(network.park, start, end, today > end + EVALUATION_GRACE)
        for network in networks
        if network.id not in evaluated
        and local_day(network.created_at) <= end
        and any(camera.status != CameraStatus.REMOVED for camera in network.cameras)
    ]


def _footage(networks: list[CameraNetwork], ids: list[int], *, today: date) -> list[FootageSummary]:
    since = today - timedelta(days=MAX_RETENTION_DAYS)
    counts = dict(
        db.session.execute(
            select(FootageRequest.network_id, func.count(FootageRequest.id))
            .where(FootageRequest.network_id.in_(ids), FootageRequest.received_on >= since)
            .group_by(FootageRequest.network_id)
        ).all()
    )
    return [FootageSummary(network.park, counts[network.id]) for network in networks if counts.get(network.id)]
