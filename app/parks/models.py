"""The business park (bedrijventerrein), its area and company register, and its PPS cycles with their steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime, str_enum, utcnow
from app.i18n import LabelledEnum
from app.stakeholders.models import Organisation

if TYPE_CHECKING:
    from app.stakeholders.models import Stakeholder


class ParkStatus(LabelledEnum):
    ACTIVE = "active", _l("Actief")
    PAUSED = "paused", _l("Gepauzeerd")
    STOPPED = "stopped", _l("Gestopt")


class Track(LabelledEnum):
    PVO = "pvo", _l("PVO-traject (waardering)")
    KVO = "kvo", _l("KVO-B-traject (certificaat)")


class Park(TimestampMixin, Base):
    __tablename__ = "parks"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the municipality (an organisation of type gemeente) the park lies in
    municipality_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ParkStatus] = mapped_column(str_enum(ParkStatus), default=ParkStatus.ACTIVE)
    #: why the status was last changed (the reason for a pause, or for ending it), and when
    status_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    track: Mapped[Track] = mapped_column(str_enum(Track), default=Track.PVO, server_default=Track.PVO.value)
    #: the boundary as a GeoJSON geometry (Polygon or MultiPolygon, WGS84), validated by parks.geometry
    area: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: a point inside the area, for markers on the city map (kept with the area)
    area_lat: Mapped[float | None] = mapped_column(Float)
    area_lon: Mapped[float | None] = mapped_column(Float)

    municipality: Mapped[Organisation] = relationship(lazy="joined")
    companies: Mapped[list[Company]] = relationship(
        back_populates="park", cascade="all, delete-orphan", order_by="Company.name"
    )
    cycles: Mapped[list[Cycle]] = relationship(
        back_populates="park", cascade="all, delete-orphan", order_by="Cycle.number"
    )

    @property
    def paused(self) -> bool:
        """A paused park gets no reminders or mails from the jobs (see `app.parks.pause`)."""
        return self.status == ParkStatus.PAUSED

    @property
    def park(self) -> Park:
        """A park is its own park, so the policy treats it like every object that belongs to one."""
        return self

    def __repr__(self) -> str:
        return f"<Park {self.id} {self.name!r}>"


class Company(TimestampMixin, Base):
    """A company in the park's register, known by its address (postcode, house number, addition) and name."""

    __tablename__ = "companies"
    __table_args__ = (UniqueConstraint("park_id", "postcode", "house_number", "house_number_addition", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Chamber of Commerce number: 8 digits
    kvk_number: Mapped[str | None] = mapped_column(String(8))
    street: Mapped[str] = mapped_column(String(200))
    house_number: Mapped[int] = mapped_column(Integer)
    house_number_addition: Mapped[str] = mapped_column(String(10), default="", server_default="")
    #: normalised without space: "1234AB"
    postcode: Mapped[str] = mapped_column(String(6))
    sector: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    #: the language the company's contact reads ("nl" or "en"): of its letters and mails
    language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    #: the advisor confirmed that this company belongs to the park although its point lies outside the area
    outside_accepted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    park: Mapped[Park] = relationship(back_populates="companies")

    @property
    def postcode_display(self) -> str:
        return f"{self.postcode[:4]} {self.postcode[4:]}"

    @property
    def address(self) -> str:
        number = f"{self.house_number}{self.house_number_addition}"
        return f"{self.street} {number}, {self.postcode_display}"


class CompanyImport(TimestampMixin, Base):
    """An uploaded register file, parsed and checked, waiting for the user to confirm (or not)."""

    __tablename__ = "company_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    #: the preview: one entry per row with its outcome (create, update, unchanged, reject) and reason
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    park: Mapped[Park] = relationship()


class CycleStatus(LabelledEnum):
    ACTIVE = "active", _l("Actief")
    CLOSED = "closed", _l("Afgesloten")


class Cycle(Base):
    """A two-year round of the PPS process on one park. Exactly one cycle of a park is active."""

    __tablename__ = "cycles"
    __table_args__ = (
        UniqueConstraint("park_id", "number"),
        Index(
            "uq_cycles_one_active_per_park",
            "park_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
            sqlite_where=text("status = 'active'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[CycleStatus] = mapped_column(str_enum(CycleStatus), default=CycleStatus.ACTIVE)
    #: the step being worked on (1-8); the steps before it are completed
    current_step: Mapped[int] = mapped_column(Integer, default=1)
    step_started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: the working group's chair and secretary: entrepreneurs on the park
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    park: Mapped[Park] = relationship(back_populates="cycles")
    transitions: Mapped[list[StepTransition]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", order_by="StepTransition.id"
    )
    stakeholders: Mapped[list[Stakeholder]] = relationship(
        back_populates="cycle", cascade="all, delete-orphan", order_by="Stakeholder.id"
    )


class StepTransition(Base):
    """One completion or reopening of a step: the cycle's history."""

    __tablename__ = "step_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    #: "completed" or "reopened"
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")

    cycle: Mapped[Cycle] = relationship(back_populates="transitions")
