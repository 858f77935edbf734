"""The award (waardering, step 7) of a cycle: the request for signatures, each stakeholder's signature, the
ceremony, the validity and the press release draft."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime
from app.parks.models import Cycle
from app.stakeholders.models import Stakeholder


class Award(TimestampMixin, Base):
    """One per cycle. Signatures are requested (`requested_at`); once every stakeholder has signed, the award is
    granted (`awarded_on`, valid until `valid_until`, from the park's track)."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), unique=True)
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    awarded_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    ceremony_on: Mapped[date | None] = mapped_column(Date)
    press_release: Mapped[str] = mapped_column(Text, default="")

    cycle: Mapped[Cycle] = relationship()
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="award", cascade="all, delete-orphan", order_by="Signature.signed_at"
    )

    @property
    def park(self):
        return self.cycle.park


class Signature(Base):
    """A stakeholder's signature: its authorised signatory confirmed name and function while logged in."""

    __tablename__ = "award_signatures"
    __table_args__ = (UniqueConstraint("award_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    award: Mapped[Award] = relationship(back_populates="signatures")
    stakeholder: Mapped[Stakeholder] = relationship()
