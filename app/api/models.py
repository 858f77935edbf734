"""Personal API tokens: created and revoked by their user, shown once and stored only as a hash."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.i18n import LabelledEnum


class ApiScope(LabelledEnum):
    READ = "read", _l("Alleen lezen")
    WRITE = "write", _l("Lezen en schrijven")


class ApiToken(TimestampMixin, Base):
    """A token acts for its user, with the user's permissions per park, limited to reading for READ."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the secret, hex: the secret itself is shown once and never stored
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the first characters of the secret, so that the user can tell tokens apart
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[ApiScope] = mapped_column(str_enum(ApiScope))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
