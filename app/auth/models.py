"""Users, their per-park (or municipality-wide) roles, and the login throttle."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.i18n import LabelledEnum
from app.parks.models import Park
from app.stakeholders.models import Organisation


class Role(LabelledEnum):
    ENTREPRENEUR = "entrepreneur", _l("Ondernemer")
    ADVISOR = "advisor", _l("Adviseur (PVO)")
    MUNICIPALITY = "municipality", _l("Gemeente")
    PARTNER = "partner", _l("Partner (politie, brandweer, ...)")
    CAMERA_OFFICER = "camera_officer", _l("Camerakwaliteit")
    AUDITOR = "auditor", _l("Auditor (alleen lezen)")


class DigestFrequency(LabelledEnum):
    DAILY = "daily", _l("Elke dag een overzicht")
    WEEKLY = "weekly", _l("Eén overzicht per week")
    NONE = "none", _l("Geen overzicht (alleen e-mails die het proces vereist)")


def new_session_key() -> str:
    return secrets.token_urlsafe(32)


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: None until the invitee has set a password
    password_hash: Mapped[str | None] = mapped_column(String(256))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    digest_frequency: Mapped[DigestFrequency] = mapped_column(
        str_enum(DigestFrequency), default=DigestFrequency.WEEKLY, server_default=DigestFrequency.WEEKLY.value
    )
    #: the id Flask-Login keeps in the session; replaced on logout and password change so that old
    #: session cookies stop working
    session_key: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_key)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Membership.id"
    )

    # Flask-Login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_key

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Membership(TimestampMixin, Base):
    """A user's role on one park, or on every park of one municipality."""

    __tablename__ = "memberships"
    __table_args__ = (CheckConstraint("(park_id IS NULL) <> (municipality_id IS NULL)", name="one_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    park_id: Mapped[int | None] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    #: last day the membership counts (required for auditors: their access is temporary)
    ends_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship(back_populates="memberships")
    # Loaded with the membership: the policy and every page header read them.
    park: Mapped[Park | None] = relationship(lazy="joined")
    municipality: Mapped[Organisation | None] = relationship(lazy="joined")

    def is_current(self, today: date) -> bool:
        return self.ends_on is None or today <= self.ends_on

    def covers(self, park: Park) -> bool:
        if self.park_id is not None:
            return self.park_id == park.id
        return self.municipality_id == park.municipality_id

    @property
    def scope_name(self) -> str:
        if self.park is not None:
            return self.park.name
        assert self.municipality is not None
        return str(_l("alle parken van %(name)s", name=self.municipality.name))


class LoginThrottle(Base):
    """Consecutive failed logins per email address (also for addresses without an account)."""

    __tablename__ = "login_throttles"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UserSession(Base):
    """One signed-in browser of a user: listed on the user's sessions page and ended one by one or all at once.

    The session cookie carries a random token; only its hash is kept here, so a copy of the database signs no one in.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: how the user signed in: "password", "totp", "recovery_code", "remembered_device" or "oidc:<provider>"
    method: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: updated at most once a minute, so that a page view rarely writes
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_agent: Mapped[str] = mapped_column(String(400), default="")
    ip: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User] = relationship()


# The second factor (TOTP) -------------------------------------------------------------------------


class SecondFactor(Base):
    """A user's confirmed authenticator app (TOTP). The secret is encrypted with a key derived from SECRET_KEY."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(String(300))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the time step of the last code accepted: a code of that step or an earlier one is refused (replay)
    last_counter: Mapped[int | None] = mapped_column(Integer)


class RecoveryCode(Base):
    """One single-use recovery code of a user, stored as a hash only."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TrustedDevice(Base):
    """A browser the user asked to remember: it skips the code until `expires_at`, unless revoked (deleted)."""

    __tablename__ = "trusted_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the SHA-256 of the random device id in the signed cookie; the id itself is never stored
    device_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TwoFactorRequirement(Base):
    """A role for which the organisation's users must use a second factor (besides admins and camera officers)."""

    __tablename__ = "two_factor_requirements"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role), primary_key=True)
