"""Surveys of a park's cycle, the personal invitations per company, and the (anonymous) responses."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, SmallInteger, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, UTCDateTime, str_enum
from app.i18n import LabelledEnum
from app.parks.models import Company, Cycle, Park


class SurveyStatus(LabelledEnum):
    DRAFT = "draft", _l("In voorbereiding")
    OPEN = "open", _l("Open")
    CLOSED = "closed", _l("Gesloten")


class Survey(TimestampMixin, Base):
    """One enterprise survey in a park's cycle. Its definition is frozen once the first answer arrives."""

    __tablename__ = "surveys"
    __table_args__ = (
        # the open surveys of many parks (the city dashboard) without reading the rows: a row holds its definition
        # (some 18 kB, on overflow pages) before the status and the dates
        Index("ix_surveys_status_listing", "status", "park_id", "title", "opens_on", "closes_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: the SurveyJS JSON definition (validated by surveys.definition)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[SurveyStatus] = mapped_column(str_enum(SurveyStatus), default=SurveyStatus.DRAFT)
    #: the opening period answers now arrive in: 1, and one more each time the closed survey is opened again
    period: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    #: set when the first response is stored; from then on the definition cannot change
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: a link without a personal token, for parks without a complete register (None: disabled)
    public_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: the mayor's letter: text with {naam}, {link} and {sluitdatum} placeholders
    letter_text: Mapped[str] = mapped_column(Text, default="")
    #: the same letter in English, for companies whose contact reads English (`Company.language`)
    letter_text_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: who signs this survey's letter, when not the municipality's own signatory (empty: the municipality's)
    letter_signatory: Mapped[str] = mapped_column(String(200), default="")
    #: the advisor's conclusions for the report
    conclusions: Mapped[str] = mapped_column(Text, default="")
    report_ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    park: Mapped[Park] = relationship()
    cycle: Mapped[Cycle] = relationship()
    invitations: Mapped[list[SurveyInvitation]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyInvitation.id"
    )


class InvitationStatus(LabelledEnum):
    INVITED = "invited", _l("Uitgenodigd")
    OPENED = "opened", _l("Geopend")
    USED = "used", _l("Ingevuld")
    REVOKED = "revoked", _l("Ingetrokken")


class SurveyInvitation(TimestampMixin, Base):
    """A personal link for one company. Used once; the response keeps no link back to it, and the invitation keeps
    no moment of use: whether it was opened or used, never when."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        # a survey's invitations by status (the response rate) without reading the rows; serves the survey alone too
        Index("ix_survey_invitations_survey_id_status", "survey_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), index=True)
    #: random: the first half of the personal link's token, by which the link finds its invitation; the second half
    #: is worked out from it with the server's secret and stored nowhere (invitations.link_token), so that a copy
    #: of the database alone lets no one answer for a company, while the letter can be printed again
    link_id: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[InvitationStatus] = mapped_column(str_enum(InvitationStatus), default=InvitationStatus.INVITED)
    #: the company's sector when invited, for the response rate per sector
    sector: Mapped[str | None] = mapped_column(String(100))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    survey: Mapped[Survey] = relationship(back_populates="invitations")
    company: Mapped[Company | None] = relationship()


class SurveyResponse(Base):
    """One submitted questionnaire. Deliberately without company, token, user or moment: anonymous by design."""

    __tablename__ = "survey_responses"

    #: random, so that neither the id nor the order of the rows tells which answer came first
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: the survey's opening period the answer came in: no day or time, which could be matched to a company's use
    #: of its link
    period: Mapped[int] = mapped_column(SmallInteger, default=1)
    via_public_link: Mapped[bool] = mapped_column(Boolean, default=False)
    #: through the public link: the proof of work the answer was sent with (a hash of its challenge's signature),
    #: unique, so that it is spent once. Random, and issued to nobody the platform knows.
    proof: Mapped[str | None] = mapped_column(String(64), unique=True)


class SurveyContact(Base):
    """A respondent who opted in to being contacted, kept apart from (and not linked to) the answers, and without
    a moment of its own that could be matched to them."""

    __tablename__ = "survey_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    wants_working_group: Mapped[bool] = mapped_column(Boolean, default=False)
    remark: Mapped[str] = mapped_column(Text, default="")
