"""Goals per theme, park-specific catalogue items, the two-year action plan with its actions and adopted
versions, and the communication and activity calendar."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, str_enum
from app.i18n import LabelledEnum
from app.parks.models import Cycle, Park
from app.stakeholders.models import PpsRole, Stakeholder

if TYPE_CHECKING:
    from app.inventory.models import Finding


class Theme(LabelledEnum):
    SCHOON = "schoon", _l("Schoon")
    HEEL = "heel", _l("Heel")
    VEILIG = "veilig", _l("Veilig")
    MELDINGSBEREIDHEID = "meldingsbereidheid", _l("Meldingsbereidheid")


class GoalSource(LabelledEnum):
    SURVEY = "enquete", _l("Vraag uit de ondernemersenquête")
    FIGURE = "cijfers", _l("Cijfers van de partners")
    MANUAL = "handmatig", _l("Eigen meting")


class Direction(LabelledEnum):
    UP = "hoger", _l("Hoger is beter")
    DOWN = "lager", _l("Lager is beter")


class Goal(TimestampMixin, Base):
    """A measurable goal of the cycle on one theme: an indicator with a baseline, a target and a deadline.

    `source_ref` says where the indicator is measured: for a survey question its name, with the answers that count
    after a colon ("safe_dark:4,5": the share answering 4 or 5); for figures "<source>:<category>" (a yearly
    count); empty for a manual measure. `latest_value` is kept up to date from the source or from measurements.
    """

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    theme: Mapped[Theme] = mapped_column(str_enum(Theme))
    title: Mapped[str] = mapped_column(String(300))
    indicator: Mapped[str] = mapped_column(String(300))
    source: Mapped[GoalSource] = mapped_column(str_enum(GoalSource), default=GoalSource.MANUAL)
    source_ref: Mapped[str] = mapped_column(String(200), default="")
    #: "%", "aantal", "cijfer", ...: shown after the numbers
    unit: Mapped[str] = mapped_column(String(20), default="")
    direction: Mapped[Direction] = mapped_column(str_enum(Direction))
    baseline: Mapped[float | None] = mapped_column(Float)
    #: where the baseline came from ("enquête 2026, 16 antwoorden"), for the reader
    baseline_note: Mapped[str] = mapped_column(String(300), default="")
    target: Mapped[float] = mapped_column(Float)
    deadline: Mapped[date] = mapped_column(Date)
    latest_value: Mapped[float | None] = mapped_column(Float)
    latest_on: Mapped[date | None] = mapped_column(Date)

    cycle: Mapped[Cycle] = relationship()
    measurements: Mapped[list[GoalMeasurement]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalMeasurement.measured_on"
    )

    @property
    def on_target(self) -> bool | None:
        """Whether the latest value reaches the target (None: nothing measured since the baseline)."""
        if self.latest_value is None:
            return None
        if self.direction == Direction.UP:
            return self.latest_value >= self.target
        return self.latest_value <= self.target


class GoalMeasurement(TimestampMixin, Base):
    """A value of a goal's indicator on a day: entered by hand, or taken from the source."""

    __tablename__ = "goal_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    measured_on: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    goal: Mapped[Goal] = relationship(back_populates="measurements")


class Effort(LabelledEnum):
    LOW = "klein", _l("Klein")
    MEDIUM = "middel", _l("Middel")
    HIGH = "groot", _l("Groot")


class CatalogueItem(TimestampMixin, Base):
    """A measure an advisor added to the catalogue for one park (the shipped catalogue is data in the repo)."""

    __tablename__ = "catalogue_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[Theme] = mapped_column(str_enum(Theme))
    typical_owner: Mapped[PpsRole | None] = mapped_column(str_enum(PpsRole))
    effort: Mapped[Effort] = mapped_column(str_enum(Effort), default=Effort.MEDIUM)

    park: Mapped[Park] = relationship()


class Plan(TimestampMixin, Base):
    """The two-year action plan (uitvoeringsplan) of a cycle. Quarter 1 starts on `starts_on`, the first day of a
    calendar quarter; quarters 1 to 8 follow it. Adopting it keeps a version; later changes show as a diff."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)

    cycle: Mapped[Cycle] = relationship()
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="(PlanAction.quarter, PlanAction.id)"
    )
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVersion.number"
    )

    @property
    def adopted_version(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None


class ActionStatus(LabelledEnum):
    PLANNED = "gepland", _l("Gepland")
    STARTED = "bezig", _l("Bezig")
    DONE = "gereed", _l("Gereed")
    DELAYED = "vertraagd", _l("Vertraagd")
    DROPPED = "vervallen", _l("Vervallen")


#: an action that still needs doing
OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.STARTED, ActionStatus.DELAYED)

plan_action_owners = Table(
    "plan_action_owners",
    Base.metadata,
    Column("action_id", ForeignKey("plan_actions.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True, index=True),
)

plan_action_goals = Table(
    "plan_action_goals",
    Base.metadata,
    Column("action_id", ForeignKey("plan_actions.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PlanAction(TimestampMixin, Base):
    """An action in the plan: owned by one stakeholder or, for an integral action, several; due in a quarter."""

    __tablename__ = "plan_actions"
    __table_args__ = (
        CheckConstraint("quarter >= 1 AND quarter <= 8", name="quarter_range"),
        # a plan's actions by status and due date (the progress counts of many plans) without reading the rows;
        # serves the plan alone too
        Index("ix_plan_actions_plan_id_status_due_on", "plan_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[Theme | None] = mapped_column(str_enum(Theme))
    #: 1-8 within the plan's two years
    quarter: Mapped[int] = mapped_column(Integer)
    #: the last day of that quarter, kept by the services, so that "overdue" is one indexed comparison
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(str_enum(ActionStatus), default=ActionStatus.PLANNED)
    drop_reason: Mapped[str] = mapped_column(Text, default="")
    done_on: Mapped[date | None] = mapped_column(Date)
    #: where it came from: a key of the shipped catalogue, "park-<id>" for a park's own item, or None
    catalogue_key: Mapped[str | None] = mapped_column(String(60))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id", ondelete="SET NULL"), index=True)
    #: the open action of the previous cycle's plan that the herijking carried into this plan
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("plan_actions.id", ondelete="SET NULL"))

    plan: Mapped[Plan] = relationship(back_populates="actions")
    owners: Mapped[list[Stakeholder]] = relationship(secondary=plan_action_owners, order_by="Stakeholder.id")
    goals: Mapped[list[Goal]] = relationship(secondary=plan_action_goals, order_by="Goal.id")
    notes: Mapped[list[ActionNote]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="(ActionNote.written_on, ActionNote.id)"
    )
    finding: Mapped[Finding | None] = relationship()


class ActionNote(TimestampMixin, Base):
    """A dated progress note on an action, with its author; a status change is noted with the new status."""

    __tablename__ = "action_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    written_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(254))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ActionStatus | None] = mapped_column(str_enum(ActionStatus))

    action: Mapped[PlanAction] = relationship(back_populates="notes")


class PlanVersion(TimestampMixin, Base):
    """The plan as adopted (vastgesteld) at a meeting: who adopted it, when, and a snapshot of its content."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    adopted_on: Mapped[date] = mapped_column(Date)
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    adopted_by_label: Mapped[str] = mapped_column(String(254))
    #: the meeting that adopted it ("werkgroepvergadering van 12 maart 2026")
    meeting: Mapped[str] = mapped_column(String(300))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship(back_populates="versions")


class CalendarKind(LabelledEnum):
    PRESS = "persbericht", _l("Persbericht")
    SURVEY = "enquete", _l("Communicatie over de enquête")
    CAMPAIGN = "meldcampagne", _l("Campagne meldingsbereidheid")
    ALERT = "alertavond", _l("Alertavond")
    INFO_ENTREPRENEURS = "voorlichting_ondernemers", _l("Informatiebijeenkomst voor ondernemers")
    INFO_PARTNERS = "voorlichting_partners", _l("Informatiebijeenkomst voor publieke partners")
    OTHER = "overig", _l("Overig")


class CalendarItem(TimestampMixin, Base):
    """An entry of the cycle's communication and activity calendar."""

    __tablename__ = "calendar_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CalendarKind] = mapped_column(str_enum(CalendarKind))
    title: Mapped[str] = mapped_column(String(200))
    on: Mapped[date] = mapped_column(Date)
    #: None: an all-day item
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    audience: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("stakeholders.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")

    cycle: Mapped[Cycle] = relationship()
    owner: Mapped[Stakeholder | None] = relationship()


class CalendarFeed(TimestampMixin, Base):
    """The secret address of a park's iCal feed; making a new one stops the old address."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("parks.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)

    park: Mapped[Park] = relationship()
