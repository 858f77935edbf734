"""Meetings of a park's working group: kind, time and place, the invited stakeholders and their attendance, the
agenda, the minutes and the decisions (each may have become an action in the plan)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.i18n import LabelledEnum
from app.parks.models import Cycle
from app.plans.models import PlanAction
from app.stakeholders.models import Stakeholder


class MeetingKind(LabelledEnum):
    KICKOFF = "kickoff", _l("Kick-off")
    WORKING = "werksessie", _l("Werksessie")
    RESULTS = "resultaten", _l("Presentatie van de resultaten")
    ADOPTION = "vaststelling", _l("Vaststelling van het plan")
    AWARD = "waardering", _l("Uitreiking van de waardering")
    QUARTERLY = "kwartaal", _l("Kwartaaloverleg")
    INFORMATION = "informatie", _l("Informatieavond")


class Meeting(TimestampMixin, Base):
    """A meeting in a cycle. It counts as held once its minutes are recorded (`minutes_at`)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(300), default="")
    #: the agenda: [{"title": str, "note": str}] in order
    agenda: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    minutes: Mapped[str] = mapped_column(Text, default="")
    #: when the minutes were recorded: from then on the meeting counts as held
    minutes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invitations_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the iCalendar UID and SEQUENCE, so that a changed meeting replaces the one in the invitees' calendars
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    cycle: Mapped[Cycle] = relationship()
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.id"
    )
    decisions: Mapped[list[MeetingDecision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingDecision.position"
    )

    @property
    def park(self):
        return self.cycle.park


class MeetingAttendee(Base):
    """Someone invited to a meeting, usually a stakeholder's representative; `attended` is None until the
    attendance is recorded."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    stakeholder_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attended: Mapped[bool | None] = mapped_column(Boolean)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    stakeholder: Mapped[Stakeholder | None] = relationship()


class MeetingDecision(Base):
    """A decision in a meeting's minutes; a decision that asks for work became an action in the plan."""

    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("plan_actions.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    action: Mapped[PlanAction | None] = relationship()
