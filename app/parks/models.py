"""The business park (bedrijventerrein)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, str_enum
from app.i18n import LabelledEnum
from app.stakeholders.models import Organisation


class ParkStatus(LabelledEnum):
    ACTIVE = "active", _l("Actief")
    PAUSED = "paused", _l("Gepauzeerd")
    STOPPED = "stopped", _l("Gestopt")


class Park(TimestampMixin, Base):
    __tablename__ = "parks"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: the municipality (an organisation of type gemeente) the park lies in
    municipality_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    status: Mapped[ParkStatus] = mapped_column(str_enum(ParkStatus), default=ParkStatus.ACTIVE)

    municipality: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def park(self) -> Park:
        """A park is its own park, so the policy treats it like every object that belongs to one."""
        return self

    def __repr__(self) -> str:
        return f"<Park {self.id} {self.name!r}>"
