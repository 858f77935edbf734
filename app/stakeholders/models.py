"""Organisations: the municipality, police, fire brigade, associations and the other partners."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin, str_enum


class OrganisationType(StrEnum):
    GEMEENTE = "gemeente"
    POLITIE = "politie"
    BRANDWEER = "brandweer"
    DOUANE = "douane"
    PROVINCIE = "provincie"
    OMGEVINGSDIENST = "omgevingsdienst"
    ONDERNEMERSVERENIGING = "ondernemersvereniging"
    BRANCHEVERENIGING = "branchevereniging"
    BEVEILIGING = "beveiliging"
    PVO = "pvo"
    OVERIG = "overig"

    @property
    def label(self) -> str:
        return str(ORGANISATION_TYPE_LABELS[self])


ORGANISATION_TYPE_LABELS = {
    OrganisationType.GEMEENTE: _l("Gemeente"),
    OrganisationType.POLITIE: _l("Politie"),
    OrganisationType.BRANDWEER: _l("Brandweer"),
    OrganisationType.DOUANE: _l("Douane"),
    OrganisationType.PROVINCIE: _l("Provincie"),
    OrganisationType.OMGEVINGSDIENST: _l("Omgevingsdienst"),
    OrganisationType.ONDERNEMERSVERENIGING: _l("Ondernemersvereniging"),
    OrganisationType.BRANCHEVERENIGING: _l("Branchevereniging"),
    OrganisationType.BEVEILIGING: _l("Beveiliging / meldkamer"),
    OrganisationType.PVO: _l("Platform Veilig Ondernemen (PVO)"),
    OrganisationType.OVERIG: _l("Overig"),
}


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"
    __table_args__ = (UniqueConstraint("name", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[OrganisationType] = mapped_column(str_enum(OrganisationType))

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r} ({self.type.value})>"
