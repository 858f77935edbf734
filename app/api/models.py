"""Personal API tokens: created and revoked by their user, shown once and stored only as a hash."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
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


class IdempotencyKey(Base):
    """A write's Idempotency-Key with the answer it got, per token, for 24 hours (app.api.idempotency). Stored in
    the write's own transaction: only for answers that were written."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    #: SHA-256 of the request's method, path, query and body: the key stands for that request only
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int]
    #: the answer's own headers (its Content-Type, Location, ETag)
    headers: Mapped[dict[str, str]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    #: expired keys are deleted by the job api.idempotency_keys, and a key's own expired answer on its next use
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
