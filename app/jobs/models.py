"""What the jobs did: a record per handled item (the idempotency key), a row per run, the scheduler lease, and
APScheduler's job store."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, Index, Integer, LargeBinary, String, Text, Unicode, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, str_enum, utcnow
from app.i18n import LabelledEnum


class JobRecord(Base):
    """One item a job has handled. The unique (job, key) is what keeps a second run from doing it again."""

    __tablename__ = "job_records"
    __table_args__ = (UniqueConstraint("job", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RunStatus(LabelledEnum):
    RUNNING = "running", _l("Bezig")
    OK = "ok", _l("Gelukt")
    #: some items failed (they are tried again), others were done
    PARTIAL = "partial", _l("Deels mislukt")
    #: the job crashed, or every item it tried failed
    FAILED = "failed", _l("Mislukt")
    #: the process running it died or lost the scheduler lease mid-way; the next run picks up what it left
    ABANDONED = "abandoned", _l("Afgebroken")


class JobRun(Base):
    __tablename__ = "job_runs"
    __table_args__ = (Index("ix_job_runs_job_started_at", "job", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[RunStatus] = mapped_column(str_enum(RunStatus), default=RunStatus.RUNNING)
    done: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    #: the scheduler lease holder that runs it (host:pid:id); None for a run started by hand
    holder: Mapped[str | None] = mapped_column(String(200))


class SchedulerLease(Base):
    """Who fires the recurring jobs: one row per lease, held by one scheduler process until `expires_at`."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SchedulerJob(Base):
    """APScheduler's SQLAlchemyJobStore table, declared here so that the migrations create and track it."""

    __tablename__ = "apscheduler_jobs"

    id: Mapped[str] = mapped_column(Unicode(191), primary_key=True)
    next_run_time: Mapped[float | None] = mapped_column(Float(25), index=True)
    job_state: Mapped[bytes] = mapped_column(LargeBinary)
