"""Partner figures per park, the gebiedsscan of each stakeholder, and inspection walks with their findings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.i18n import LabelledEnum
from app.parks.models import Cycle, Park
from app.stakeholders.models import OrganisationType

if TYPE_CHECKING:
    from app.auth.models import User
    from app.stakeholders.models import Stakeholder


class FigureSource(LabelledEnum):
    POLITIE = "politie", _l("Politie")
    BRANDWEER = "brandweer", _l("Brandweer")
    MOR = "mor", _l("Meldingen openbare ruimte (MOR)")
    BEVEILIGING = "beveiliging", _l("Beveiliging / meldkamer")

    @property
    def keeper(self) -> OrganisationType:
        """The kind of organisation whose figures these are: of the partners, only its people write them."""
        return FIGURE_KEEPERS[self]


#: whose figures a source holds: the police its registrations, the fire brigade its call-outs, the municipality the
#: reports about the public space, the security company its alarms
FIGURE_KEEPERS = {
    FigureSource.POLITIE: OrganisationType.POLITIE,
    FigureSource.BRANDWEER: OrganisationType.BRANDWEER,
    FigureSource.MOR: OrganisationType.GEMEENTE,
    FigureSource.BEVEILIGING: OrganisationType.BEVEILIGING,
}


class Figure(TimestampMixin, Base):
    """An aggregated count for the park: a source's category in a year, or in one quarter of it.
    Only counts: personal data from police or municipal records never enters the platform (domain (e) 10)."""

    __tablename__ = "figures"
    __table_args__ = (
        UniqueConstraint("park_id", "source", "category", "year", "quarter"),
        CheckConstraint("count >= 0", name="count_not_negative"),
        CheckConstraint("quarter >= 0 AND quarter <= 4", name="quarter_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    source: Mapped[FigureSource] = mapped_column(str_enum(FigureSource))
    #: a key of the source's categories in `inventory.categories`
    category: Mapped[str] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    #: 0: the whole year; 1-4: that quarter
    quarter: Mapped[int] = mapped_column(Integer, default=0)
    count: Mapped[int] = mapped_column(Integer)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    park: Mapped[Park] = relationship()
    entered_by: Mapped[User | None] = relationship()


class FigureImport(TimestampMixin, Base):
    """An uploaded file of figures, checked and waiting for the user to confirm it (then `applied_at` is set)."""

    __tablename__ = "figure_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    #: the checked rows with their verdict, as the preview shows them
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    park: Mapped[Park] = relationship()


class ScanEntry(TimestampMixin, Base):
    """One of a stakeholder's top-3 phenomena on the park (the gebiedsscan), with a short explanation."""

    __tablename__ = "scan_entries"
    __table_args__ = (
        UniqueConstraint("stakeholder_id", "rank"),
        CheckConstraint("rank >= 1 AND rank <= 3", name="rank_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    phenomenon: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    stakeholder: Mapped[Stakeholder] = relationship()


class Light(LabelledEnum):
    DAY = "dag", _l("Bij daglicht")
    DARK = "donker", _l("In het donker")


class Inspection(TimestampMixin, Base):
    """A joint inspection walk or ride (schouw) in a cycle: usually a daylight and a dark round."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    light: Mapped[Light] = mapped_column(str_enum(Light), default=Light.DAY)
    #: who walked along (names and organisations), as the advisor writes them down
    participants: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    cycle: Mapped[Cycle] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Finding.id"
    )


class FindingCategory(LabelledEnum):
    VERLICHTING = "verlichting", _l("Verlichting")
    HEKWERK = "hekwerk", _l("Hekwerk en toegang")
    GROEN = "groen", _l("Groen en zichtlijnen")
    LEEGSTAND = "leegstand", _l("Leegstand en verpaupering")
    DUMPING = "dumping", _l("Afvaldumping en zwerfvuil")
    BEBORDING = "bebording", _l("Bebording en huisnummers")
    CAMERA = "camera", _l("Cameradekking")
    BESTRATING = "bestrating", _l("Bestrating en wegen")
    BRANDRISICO = "brandrisico", _l("Brandrisico en bereikbaarheid hulpdiensten")
    PARKEREN = "parkeren", _l("Parkeren")
    VERKEER = "verkeer", _l("Verkeersveiligheid")
    OVERIG = "overig", _l("Overig")


class Severity(LabelledEnum):
    LOW = "laag", _l("Laag")
    MEDIUM = "middel", _l("Middel")
    HIGH = "hoog", _l("Hoog (urgent)")


class FindingStatus(LabelledEnum):
    OPEN = "open", _l("Open")
    RESOLVED = "opgelost", _l("Opgelost")


class Finding(TimestampMixin, Base):
    """Something the inspection walk found, placed on the map; it may become an action in the plan."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    category: Mapped[FindingCategory] = mapped_column(str_enum(FindingCategory))
    severity: Mapped[Severity] = mapped_column(str_enum(Severity), default=Severity.MEDIUM)
    description: Mapped[str] = mapped_column(Text)
    suggested_action: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    status: Mapped[FindingStatus] = mapped_column(str_enum(FindingStatus), default=FindingStatus.OPEN)
    resolved_on: Mapped[date | None] = mapped_column(Date)

    inspection: Mapped[Inspection] = relationship(back_populates="findings")
    photos: Mapped[list[FindingPhoto]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="FindingPhoto.id"
    )


class FindingPhoto(TimestampMixin, Base):
    """A photo of a finding. The file lives under the upload folder (outside `static/`), re-encoded without its
    metadata (EXIF location), and is served only through a view that checks the park."""

    __tablename__ = "finding_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    #: random file name under the upload folder
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)

    finding: Mapped[Finding] = relationship(back_populates="photos")
