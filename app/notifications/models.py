"""A notification waiting for (or included in) a user's digest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, TimestampMixin, UTCDateTime
from app.parks.models import Park


class Notification(TimestampMixin, Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_digested_at", "user_id", "digested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    park_id: Mapped[int | None] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"))
    #: a dotted code of the job's kind of item, e.g. "actions.due_soon"; digests group by it
    kind: Mapped[str] = mapped_column(String(64))
    #: the kind's heading and the item's text, written in the user's language when the item was made
    heading: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(1000))
    #: a path on this site, e.g. "/parken/3"
    path: Mapped[str | None] = mapped_column(String(500))
    #: items the process requires reach the user even when they chose no digest
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    park: Mapped[Park | None] = relationship()
