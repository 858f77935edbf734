"""The award (waardering, step 7) of a cycle: the request for signatures, each stakeholder's signature, the
ceremony, the validity and the press release draft."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.i18n import LabelledEnum
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


class SignedBy(LabelledEnum):
    """How a signature was given."""

    ACCOUNT = "account", _l("ingelogd")
    LINK = "link", _l("persoonlijke link")


class Signature(Base):
    """A stakeholder's signature: who signed (a logged-in user under their own name, or the authorised signatory
    through their personal link, under the name they confirmed), in which function, how, when and from where (a
    keyed hash of the IP address, never the address itself: see `services.client_hash`)."""

    __tablename__ = "award_signatures"
    __table_args__ = (UniqueConstraint("award_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    method: Mapped[SignedBy] = mapped_column(
        str_enum(SignedBy), default=SignedBy.ACCOUNT, server_default=SignedBy.ACCOUNT.value
    )
    #: HMAC-SHA256 (keyed with SECRET_KEY) of the signer's IP address: the same address gives the same value, but the
    #: value gives no address back without the key
    client_hash: Mapped[str | None] = mapped_column(String(64))
    link_id: Mapped[int | None] = mapped_column(ForeignKey("award_signing_links.id", ondelete="SET NULL"))

    award: Mapped[Award] = relationship(back_populates="signatures")
    stakeholder: Mapped[Stakeholder] = relationship()


class SigningLink(Base):
    """A personal, single-use, expiring link by which a stakeholder's authorised signatory signs without an account.

    Only the digest of its token is stored (`app.links.new_link_token`). Sending again or changing the signatory
    revokes the outstanding link (`revoked_at`); signing through it uses it (`used_at`).
    """

    __tablename__ = "award_signing_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    #: to whom it was sent: the signatory as known then
    name: Mapped[str | None] = mapped_column(String(200))
    function: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    award: Mapped[Award] = relationship()
    stakeholder: Mapped[Stakeholder] = relationship()

    def state(self, now: datetime) -> str:
        """ "open", "used", "revoked" or "expired"."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "open"
