"""Organisations: the municipality, police, fire brigade, associations and the other partners."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, str_enum
from app.i18n import LabelledEnum

if TYPE_CHECKING:
    from app.auth.models import User
    from app.parks.models import Cycle


class OrganisationType(LabelledEnum):
    GEMEENTE = "gemeente", _l("Gemeente")
    POLITIE = "politie", _l("Politie")
    BRANDWEER = "brandweer", _l("Brandweer")
    DOUANE = "douane", _l("Douane")
    PROVINCIE = "provincie", _l("Provincie")
    OMGEVINGSDIENST = "omgevingsdienst", _l("Omgevingsdienst")
    ONDERNEMERSVERENIGING = "ondernemersvereniging", _l("Ondernemersvereniging")
    BRANCHEVERENIGING = "branchevereniging", _l("Branchevereniging")
    BEVEILIGING = "beveiliging", _l("Beveiliging / meldkamer")
    PVO = "pvo", _l("Platform Veilig Ondernemen (PVO)")
    OVERIG = "overig", _l("Overig")


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("name", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[OrganisationType] = mapped_column(str_enum(OrganisationType))
    #: the stored name of the organisation's logo (a JPEG under the upload folder, see `app.stakeholders.logos`)
    logo_name: Mapped[str | None] = mapped_column(String(40))
    #: the return address on the organisation's letters, one line per line ("Postbus 16200\n3500 CE Utrecht")
    letter_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: who signs the organisation's letters and certificates (for a municipality: the mayor, or whoever it sets)
    signatory_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory_function: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: off: its people sign in only through an identity provider tied to it (entrepreneurs keep their password)
    password_login: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r} ({self.type.value})>"


class PpsRole(LabelledEnum):
    """What an organisation does in the park's public-private partnership."""

    GEMEENTE = "gemeente", _l("Gemeente (regie)")
    POLITIE = "politie", _l("Politie")
    BRANDWEER = "brandweer", _l("Brandweer")
    ONDERNEMERS = "ondernemers", _l("Vertegenwoordiging ondernemers")
    PARKMANAGEMENT = "parkmanagement", _l("Parkmanagement")
    BEVEILIGING = "beveiliging", _l("Beveiliging / meldkamer")
    ADVIES = "advies", _l("Procesbegeleiding (PVO)")
    OVERIG = "overig", _l("Overige partner")


class Stakeholder(TimestampMixin, Base):
    """An organisation taking part in one cycle of a park's partnership, with its people."""

    __tablename__ = "stakeholders"
    __table_args__ = (UniqueConstraint("cycle_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    role: Mapped[PpsRole] = mapped_column(str_enum(PpsRole))
    #: the named representative: a user of the platform, or just a name with contact details
    representative_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    representative_name: Mapped[str | None] = mapped_column(String(200))
    representative_email: Mapped[str | None] = mapped_column(String(254))
    representative_phone: Mapped[str | None] = mapped_column(String(30))
    #: who may sign for the organisation (tekenbevoegde)
    signatory_name: Mapped[str | None] = mapped_column(String(200))
    signatory_function: Mapped[str | None] = mapped_column(String(200))
    #: where the signatory's personal signing link for the award goes (they need no account)
    signatory_email: Mapped[str | None] = mapped_column(String(254))
    #: the declaration of intent as signed on paper, recorded on screen
    declaration_signed_on: Mapped[date | None] = mapped_column(Date)
    declaration_signed_by: Mapped[str | None] = mapped_column(String(200))

    cycle: Mapped[Cycle] = relationship(back_populates="stakeholders")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    representative_user: Mapped[User | None] = relationship()

    @property
    def park(self):
        return self.cycle.park

    @property
    def representative_display(self) -> str | None:
        if self.representative_user is not None:
            return self.representative_user.name
        return self.representative_name
