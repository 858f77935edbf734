"""The admin overview of the registered jobs: schedule, next run, last run and last failure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.jobs.models import JobRun, RunStatus, SchedulerJob
from app.jobs.registry import JOBS, Job


@dataclass
class JobOverview:
    job: Job
    #: as stored by the scheduler process; None until it has run once with this job
    next_run: datetime | None
    last_run: JobRun | None
    last_failure: JobRun | None


def _latest(*conditions) -> dict[str, JobRun]:
    newest = select(JobRun.job, func.max(JobRun.id).label("id")).where(*conditions).group_by(JobRun.job).subquery()
    runs = db.session.scalars(select(JobRun).join(newest, JobRun.id == newest.c.id))
    return {run.job: run for run in runs}


def job_overview() -> list[JobOverview]:
    next_runs = {
        row.id: datetime.fromtimestamp(row.next_run_time, UTC) if row.next_run_time is not None else None
        for row in db.session.execute(select(SchedulerJob.id, SchedulerJob.next_run_time))
    }
    last_runs = _latest()
    last_failures = _latest(JobRun.status.in_((RunStatus.FAILED, RunStatus.PARTIAL, RunStatus.ABANDONED)))
    return [
        JobOverview(job, next_runs.get(name), last_runs.get(name), last_failures.get(name))
        for name, job in sorted(JOBS.items())
    ]
