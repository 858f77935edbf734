"""Organisations: the municipality, police, fire brigade, associations and the other partners."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, TimestampMixin, str_enum
from app.i18n import LabelledEnum


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

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r} ({self.type.value})>"
