"""A park's camera network with its cameras, legal frame and documents, the footage-request log, camera health,
quality checks and the half-yearly evaluations (design §3, domain notes (d) and (e))."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.i18n import LabelledEnum
from app.parks.models import Park
from app.plans.models import PlanAction
from app.stakeholders.models import Organisation

#: footage may be kept at most this many days (AP guideline, Utrecht camera policy); a larger value is refused
MAX_RETENTION_DAYS = 28


class CameraNetwork(TimestampMixin, Base):
    """The collective camera network of a park, its monitoring party and its legal frame.

    The legal frame's dates say when each item was last done; `app/cameras/compliance.py` turns them into
    OK / due soon / overdue / missing. A recorded technology change after the DPIA makes a new DPIA due at once.
    """

    __tablename__ = "camera_networks"
    __table_args__ = (
        CheckConstraint(f"retention_days >= 1 AND retention_days <= {MAX_RETENTION_DAYS}", name="retention_range"),
        CheckConstraint("check_interval_months >= 1 AND check_interval_months <= 12", name="check_interval_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the controller under the AVG: usually a foundation or association of the entrepreneurs
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    #: the organisation that runs the network day to day; owns the actions that quality checks raise
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    operator_contact: Mapped[str] = mapped_column(String(200), default="")
    operator_email: Mapped[str | None] = mapped_column(String(254))
    operator_phone: Mapped[str | None] = mapped_column(String(30))
    #: the monitoring party / alarm centre that watches the feeds
    monitoring_party: Mapped[str] = mapped_column(String(200), default="")
    contract_starts_on: Mapped[date | None] = mapped_column(Date)
    contract_ends_on: Mapped[date | None] = mapped_column(Date)
    funding: Mapped[str] = mapped_column(String(300), default="")
    #: the purpose as the public register page states it
    purpose: Mapped[str] = mapped_column(Text, default="")
    #: who answers the public's questions (shown on the public register page)
    public_contact: Mapped[str] = mapped_column(String(300), default="")
    retention_days: Mapped[int] = mapped_column(Integer, default=MAX_RETENTION_DAYS)
    convenant_signed_on: Mapped[date | None] = mapped_column(Date)
    register_entered_on: Mapped[date | None] = mapped_column(Date)
    signage_checked_on: Mapped[date | None] = mapped_column(Date)
    dpia_on: Mapped[date | None] = mapped_column(Date)
    masking_confirmed_on: Mapped[date | None] = mapped_column(Date)
    #: quality checks are due every this many months
    check_interval_months: Mapped[int] = mapped_column(Integer, default=3)

    park: Mapped[Park] = relationship()
    operator: Mapped[Organisation | None] = relationship()
    cameras: Mapped[list[Camera]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="Camera.code"
    )
    documents: Mapped[list[NetworkDocument]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="NetworkDocument.id"
    )
    technology_changes: Mapped[list[TechnologyChange]] = relationship(
        back_populates="network", cascade="all, delete-orphan", order_by="TechnologyChange.changed_on"
    )


class DocumentKind(LabelledEnum):
    CONVENANT = "convenant", _l("Convenant met de gemeente")
    REGISTER = "register", _l("Inschrijving in het cameraregister")
    SIGNAGE = "bebording", _l("Bebording op de toegangswegen")
    DPIA = "dpia", _l("DPIA")
    MASKING = "maskering", _l("Privacymaskering van woningen")
    OTHER = "overig", _l("Overig")


class NetworkDocument(TimestampMixin, Base):
    """A PDF of the legal frame (convenant, DPIA, ...), stored under the upload folder, served after a check."""

    __tablename__ = "camera_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("camera_networks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    network: Mapped[CameraNetwork] = relationship(back_populates="documents")


class TechnologyChange(TimestampMixin, Base):
    """A change of technology (ANPR or video analytics added, new cameras of another kind): a new DPIA is due."""

    __tablename__ = "camera_technology_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("camera_networks.id", ondelete="CASCADE"), index=True)
    changed_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(300))

    network: Mapped[CameraNetwork] = relationship(back_populates="technology_changes")


class CameraType(LabelledEnum):
    FIXED = "vast", _l("Vaste camera")
    FLEXIBLE = "flexibel", _l("Flexibele camera")
    ANPR = "anpr", _l("Kentekencamera (ANPR)")


class CameraStatus(LabelledEnum):
    ACTIVE = "actief", _l("Actief")
    DEFECT = "defect", _l("Defect")
    REMOVED = "verwijderd", _l("Verwijderd")


class Camera(TimestampMixin, Base):
    """One camera of the network, placed on the park map (inside or within 50 m of the boundary)."""

    __tablename__ = "cameras"
    __table_args__ = (
        UniqueConstraint("network_id", "code"),
        CheckConstraint("direction IS NULL OR (direction >= 0 AND direction < 360)", name="direction_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("camera_networks.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    type: Mapped[CameraType] = mapped_column(str_enum(CameraType))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    #: viewing direction in degrees from north, clockwise
    direction: Mapped[int | None] = mapped_column(Integer)
    coverage_note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[CameraStatus] = mapped_column(str_enum(CameraStatus), default=CameraStatus.ACTIVE)
    installed_on: Mapped[date | None] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    last_maintenance_on: Mapped[date | None] = mapped_column(Date)

    network: Mapped[CameraNetwork] = relationship(back_populates="cameras")
    outages: Mapped[list[CameraOutage]] = relationship(
        back_populates="camera", cascade="all, delete-orphan", order_by="CameraOutage.started_at.desc()"
    )


class CameraHealth(TimestampMixin, Base):
    """A camera's health over a period as the video system reports it (CSV import): uptime and recording gaps."""

    __tablename__ = "camera_health"
    __table_args__ = (
        UniqueConstraint("camera_id", "period_start"),
        CheckConstraint("uptime_percent >= 0 AND uptime_percent <= 100", name="uptime_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[datetime] = mapped_column(UTCDateTime())
    period_end: Mapped[datetime] = mapped_column(UTCDateTime())
    uptime_percent: Mapped[float] = mapped_column(Float)
    gap_minutes: Mapped[int] = mapped_column(Integer, default=0)

    camera: Mapped[Camera] = relationship()


class CameraOutage(TimestampMixin, Base):
    """A time the camera was offline; one longer than the alert threshold alerts the officer and the operator."""

    __tablename__ = "camera_outages"
    __table_args__ = (UniqueConstraint("camera_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    camera_id: Mapped[int] = mapped_column(ForeignKey("cameras.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: None: still offline
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    camera: Mapped[Camera] = relationship(back_populates="outages")


class RequesterKind(LabelledEnum):
    JUSTICE = "justitie", _l("Politie of Openbaar Ministerie met een schriftelijke vordering")
    MEMBER = "deelnemer", _l("Deelnemer of ondernemer")
    OTHER = "overig", _l("Iemand anders")


class FootageDecision(LabelledEnum):
    PROVIDED = "verstrekt", _l("Verstrekt")
    REFUSED = "geweigerd", _l("Geweigerd")


footage_request_cameras = Table(
    "footage_request_cameras",
    Base.metadata,
    Column("request_id", ForeignKey("footage_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("camera_id", ForeignKey("cameras.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class FootageRequest(TimestampMixin, Base):
    """A request for footage, whatever its outcome. Footage goes only to justice on a written demand within the
    retention period (domain notes (e) 3); every other request is recorded as refused, with its reason."""

    __tablename__ = "footage_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("camera_networks.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    requester_kind: Mapped[RequesterKind] = mapped_column(str_enum(RequesterKind))
    #: the requesting authority or person ("Politie Midden-Nederland, team Utrecht-West")
    authority: Mapped[str] = mapped_column(String(200))
    demand_reference: Mapped[str | None] = mapped_column(String(100))
    demand_date: Mapped[date | None] = mapped_column(Date)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    decision: Mapped[FootageDecision] = mapped_column(str_enum(FootageDecision))
    reason: Mapped[str] = mapped_column(Text, default="")
    handed_over_by: Mapped[str | None] = mapped_column(String(200))
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    network: Mapped[CameraNetwork] = relationship()
    cameras: Mapped[list[Camera]] = relationship(secondary=footage_request_cameras, order_by="Camera.code")


class Score(LabelledEnum):
    OK = "ok", _l("In orde")
    MINOR = "klein", _l("Kleine afwijking")
    MAJOR = "groot", _l("Grote afwijking")
    NA = "nvt", _l("Niet van toepassing")


class QualityCheck(TimestampMixin, Base):
    """A quality check of a network, planned for a day and done (on site, often on a phone) by the camera
    officer. `criteria` holds the template's criteria as they were when the check was planned."""

    __tablename__ = "camera_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("camera_networks.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    checker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the check template's criteria: [{"key", "label"}] (labels in Dutch, as planned)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    remarks: Mapped[str] = mapped_column(Text, default="")

    network: Mapped[CameraNetwork] = relationship()
    scores: Mapped[list[CheckScore]] = relationship(
        back_populates="check", cascade="all, delete-orphan", order_by="CheckScore.id"
    )


class FindingPlanState(LabelledEnum):
    """What became of a major finding in the park's action plan."""

    #: the park had no plan when the check was recorded: the finding becomes an action when the plan is made
    QUEUED = "wacht", _l("Wacht op het actieplan")
    #: it became an action (`CheckScore.action_id`; None once the action was deleted from the plan)
    ACTION = "actie", _l("Actie aangemaakt")


class CheckScore(TimestampMixin, Base):
    """The score of one criterion in a check, with a note, an optional photo and, for a major finding, what became
    of it in the plan: queued until the park has a plan, or the plan action it became."""

    __tablename__ = "camera_check_scores"
    __table_args__ = (UniqueConstraint("check_id", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("camera_checks.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(50))
    score: Mapped[Score] = mapped_column(str_enum(Score))
    note: Mapped[str] = mapped_column(Text, default="")
    photo_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("plan_actions.id", ondelete="SET NULL"))
    #: a major finding's state in the plan; None for the other scores
    plan_state: Mapped[FindingPlanState | None] = mapped_column(str_enum(FindingPlanState), index=True)

    check: Mapped[QualityCheck] = relationship(back_populates="scores")
    action: Mapped[PlanAction | None] = relationship()


class EvaluationDecision(LabelledEnum):
    CONTINUE = "doorgaan", _l("Doorgaan")
    ADJUST = "aanpassen", _l("Aanpassen")
    END = "stoppen", _l("Stoppen")


class Evaluation(TimestampMixin, Base):
    """The half-yearly evaluation of a network: the municipal camera policy's criteria weighed against the
    period's figures, and the decision with its reasoning."""

    __tablename__ = "camera_evaluations"
    __table_args__ = (UniqueConstraint("network_id", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("camera_networks.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    #: per policy criterion: {"met": bool, "note": str}
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the period's figures as they were when decided (incidents seen, footage requests, checks, ...)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    decision: Mapped[EvaluationDecision] = mapped_column(str_enum(EvaluationDecision))
    reasoning: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: incidents the monitoring party saw in the period (entered with the evaluation)
    incidents_seen: Mapped[int] = mapped_column(Integer, default=0)

    network: Mapped[CameraNetwork] = relationship()
