"""Read-side queries for the city-wide camera overview (half-yearly report to the council): per park with a camera
network that the user oversees, its cameras, compliance, last quality check and evaluations. A fixed number of
statements however many parks (networks are loaded with their cameras and technology changes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.auth.policy import PERMISSIONS
from app.cameras import legal
from app.cameras.evaluations import half_year_before
from app.cameras.models import CameraNetwork, CameraStatus, Evaluation, EvaluationDecision, QualityCheck
from app.extensions import db
from app.imports import csv_bytes
from app.parks.models import Park
from app.parks.queries import parks_visible_to
from app.stakeholders.models import Organisation

#: compliance items that count as a problem in the overview
PROBLEMS = frozenset({legal.Status.OVERDUE, legal.Status.MISSING})


def oversees(user: User, *, today: date) -> bool:
    """Whether the user may open the camera overview: an admin, or a current role that `cameras.overview` allows."""
    return user.is_admin or any(
        m.role in PERMISSIONS["cameras.overview"] and m.is_current(today) for m in user.memberships
    )


def _visible(user: User, *, today: date):
    return parks_visible_to(user, today=today, roles=PERMISSIONS["cameras.overview"]).subquery()


def municipalities(user: User, *, today: date) -> list[Organisation]:
    """The municipalities of the parks with a network that the user oversees, by name (one statement)."""
    visible = _visible(user, today=today)
    with_network = select(visible.c.municipality_id).join(CameraNetwork, CameraNetwork.park_id == visible.c.id)
    query = select(Organisation).where(Organisation.id.in_(with_network)).order_by(Organisation.name, Organisation.id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class EvaluationInfo:
    period_start: date
    period_end: date
    decision: EvaluationDecision


@dataclass(frozen=True)
class OverviewRow:
    park: Park
    network: CameraNetwork
    active: int
    defect: int
    #: compliance items overdue or missing, with their labels
    problems: list[str]
    last_check_on: date | None
    latest: EvaluationInfo | None
    #: whether the last half-year before today is evaluated
    half_year_done: bool

    @property
    def municipality(self) -> str:
        return self.park.municipality.name if self.park.municipality else ""


@dataclass(frozen=True)
class Overview:
    rows: list[OverviewRow]
    half_year: tuple[date, date]


def camera_overview(user: User, *, today: date, municipality_id: int | None = None) -> Overview:
    """Per park with a network that the user oversees (`cameras.overview` roles; admins: all), optionally of one
    municipality: active and defect cameras, the compliance items overdue or missing (`legal.compliance`), the date
    of the last quality check done, the latest evaluation and whether the last half-year is evaluated. Three
    statements for the rows plus the eager loads of cameras and technology changes, whatever the number of parks."""
    visible = _visible(user, today=today)
    query = (
        select(CameraNetwork)
        .join(Park, Park.id == CameraNetwork.park_id)
        .join(visible, visible.c.id == Park.id)
        .outerjoin(Organisation, Organisation.id == Park.municipality_id)
        .options(
            joinedload(CameraNetwork.park).joinedload(Park.municipality),
            selectinload(CameraNetwork.cameras),
            selectinload(CameraNetwork.technology_changes),
        )
        .order_by(Organisation.name, Park.name, Park.id)
    )
    if municipality_id:
        query = query.where(Park.municipality_id == municipality_id)
    networks = list(db.session.scalars(query).unique())
    half_year = half_year_before(today)
    ids = [network.id for network in networks]
    last_checks: dict[int, date] = {}
    evaluations: dict[int, list[EvaluationInfo]] = {}
    if ids:
        last_checks = dict(
            db.session.execute(
                select(QualityCheck.network_id, func.max(QualityCheck.done_on))
                .where(QualityCheck.network_id.in_(ids), QualityCheck.done_on.is_not(None))
                .group_by(QualityCheck.network_id)
            ).all()
        )
        for network_id, start, end, decision in db.session.execute(
            select(Evaluation.network_id, Evaluation.period_start, Evaluation.period_end, Evaluation.decision)
            .where(Evaluation.network_id.in_(ids))
            .order_by(Evaluation.network_id, Evaluation.period_start.desc())
        ):
            evaluations.setdefault(network_id, []).append(EvaluationInfo(start, end, decision))
    rows = []
    for network in networks:
        cameras = network.cameras
        done = evaluations.get(network.id, [])
        rows.append(
            OverviewRow(
                park=network.park,
                network=network,
                active=sum(1 for camera in cameras if camera.status == CameraStatus.ACTIVE),
                defect=sum(1 for camera in cameras if camera.status == CameraStatus.DEFECT),
                problems=[item.label for item in legal.compliance(network, today) if item.status in PROBLEMS],
                last_check_on=last_checks.get(network.id),
                latest=done[0] if done else None,
                # an evaluation covers the half-year when its period spans it (a yearly evaluation covers both)
                half_year_done=any(e.period_start <= half_year[0] and e.period_end >= half_year[1] for e in done),
            )
        )
    return Overview(rows, half_year)


def overview_csv(overview: Overview) -> bytes:
    """The overview as CSV (semicolons, UTF-8 with BOM, via `app.imports.csv_bytes`)."""
    headers = [
        _("Park"),
        _("Gemeente"),
        _("Netwerk"),
        _("Camera's actief"),
        _("Camera's defect"),
        _("Juridisch kader: te laat of ontbreekt"),
        _("Laatste kwaliteitscontrole"),
        _("Laatste evaluatie: begin"),
        _("Laatste evaluatie: einde"),
        _("Laatste evaluatie: besluit"),
        _("Halfjaar %(start)s tot en met %(end)s geëvalueerd", start=overview.half_year[0], end=overview.half_year[1]),
    ]
    rows = [
        [
            row.park.name,
            row.municipality,
            row.network.name,
            row.active,
            row.defect,
            len(row.problems),
            row.last_check_on.isoformat() if row.last_check_on else "",
            row.latest.period_start.isoformat() if row.latest else "",
            row.latest.period_end.isoformat() if row.latest else "",
            str(row.latest.decision.label) if row.latest else "",
            _("ja") if row.half_year_done else _("nee"),
        ]
        for row in overview.rows
    ]
    return csv_bytes(headers, rows)
