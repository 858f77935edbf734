"""The scheduler process: `flask --app app jobs run`. Web workers never start it.

Several may run (on several machines) against one database: the one holding the scheduler lease (app.jobs.leases)
fires the jobs, the others wait with their scheduler paused and try for the lease every few seconds.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime, timedelta

import click
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.clock import LOCAL_TIME
from app.db import utcnow
from app.extensions import db
from app.jobs import leases
from app.jobs.models import SchedulerJob
from app.jobs.registry import JOBS
from app.jobs.services import abandon_runs, execute

jobs_cli = AppGroup("jobs", help="Recurring jobs: run the scheduler, list the jobs, run one job now.")

_app: Flask | None = None
#: this process's name as lease holder, written on each run it fires
_holder: str | None = None


def run_job(name: str) -> None:
    """What APScheduler calls (by reference, from its job store): one run of a registered job."""
    assert _app is not None, "run_job is only called by the scheduler process"
    with _app.app_context():
        job = JOBS.get(name)
        if job is None:
            _app.logger.warning("Job %s is no longer registered; skipped", name)
            return
        run = execute(job, now=datetime.now(UTC), holder=_holder)
        _app.logger.info(
            "Job %s: %s (%s done, %s failed, %s skipped)", name, run.status.value, run.done, run.failed, run.skipped
        )


class LeaderScheduler(BackgroundScheduler):
    """A BackgroundScheduler that fires only while running: APScheduler's thread goes through the due jobs once
    more after shutdown(), and would then move a due job's next run time on (its executor has stopped, so the run
    is lost) in the store the stand-in shares; a standby stopping while paused would lose the run it should catch up."""

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def make_scheduler(app: Flask) -> BackgroundScheduler:
    with app.app_context():
        engine = db.engine
    return LeaderScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=SchedulerJob.__tablename__)},
        timezone=LOCAL_TIME,
        # A missed run (the process was down) runs once when it is back, within a day.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 24 * 3600},
    )


def sync_jobs(scheduler: BackgroundScheduler) -> None:
    """Make the (started, paused) scheduler's store match the registry: add or update each job, drop stale ones.

    A job stored with the same schedule keeps its next run time, also one in the past: the run missed while no
    scheduler fired (or while the leader died) then runs once now (coalesce, misfire_grace_time) instead of being
    skipped for the schedule's next time.
    """
    stored = {job.id: job for job in scheduler.get_jobs()}
    for job in JOBS.values():
        kept = stored.get(job.name)
        timing = {"next_run_time": kept.next_run_time} if kept and str(kept.trigger) == str(job.trigger) else {}
        scheduler.add_job(
            "app.jobs.runner:run_job",
            trigger=job.trigger,
            args=[job.name],
            id=job.name,
            name=job.name,
            replace_existing=True,
            **timing,
        )
    for name in stored:
        if name not in JOBS:
            scheduler.remove_job(name)


def take_turn(scheduler: BackgroundScheduler, holder: str, *, now: datetime, length: timedelta, leading: bool) -> bool:
    """One beat of a scheduler process: take or renew the lease and fire the jobs only while holding it.

    On gaining the lease it marks the runs its predecessor left running as abandoned and resumes the (paused)
    scheduler, which catches up on what was missed; on losing it, or on failing to reach the database to renew it,
    it pauses. Returns whether this process leads now.
    """
    assert _app is not None
    try:
        held = leases.acquire(holder, now=now, length=length)
        if held and not leading:
            abandoned = abandon_runs(holder, now=now)
            sync_jobs(scheduler)
            scheduler.resume()
            _app.logger.info("Scheduler %s leads: firing the jobs (%s abandoned run(s) marked)", holder, abandoned)
    except SQLAlchemyError:  # the next beat tries again; meanwhile fire nothing
        db.session.rollback()
        _app.logger.exception("Scheduler %s could not reach the database for its lease", holder)
        held = False
    if leading and not held:
        scheduler.pause()
        _app.logger.warning("Scheduler %s lost the lease: standing by", holder)
    return held


@jobs_cli.command("run")
def run_scheduler() -> None:
    """Run the scheduler until stopped (SIGTERM or Ctrl-C). Start one or two: one fires, the other stands by."""
    global _app, _holder
    # the scheduler process tells what it does (each run, and each mail in development) through app.logs, which
    # create_app set up: stdout, LOG_FORMAT
    _app = current_app._get_current_object()
    _app.logger.setLevel(logging.INFO)
    _holder = leases.new_holder_id()
    length = timedelta(seconds=_app.config["SCHEDULER_LEASE_SECONDS"])
    # renew well within the lease; a standby tries every few seconds, so it takes over at most that long after expiry
    renew_every = length.total_seconds() / 3
    try_every = min(5.0, renew_every)
    scheduler = make_scheduler(_app)
    scheduler.start(paused=True)
    click.echo(f"Scheduler {_holder} started with {len(JOBS)} jobs: {', '.join(sorted(JOBS))}")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    leading = False
    while not stop.is_set():
        leading = take_turn(scheduler, _holder, now=utcnow(), length=length, leading=leading)
        stop.wait(renew_every if leading else try_every)
    scheduler.shutdown(wait=True)
    if leading:
        leases.release(_holder)
    click.echo("Scheduler stopped.")


@jobs_cli.command("list")
def list_jobs() -> None:
    """Print the registered jobs and their schedules."""
    for job in sorted(JOBS.values(), key=lambda j: j.name):
        click.echo(f"{job.name:32} {job.trigger}  {job.description}")


@jobs_cli.command("run-once")
@click.argument("name")
def run_once(name: str) -> None:
    """Run one job now, in this process (for operators; the scheduler keeps its own schedule)."""
    job = JOBS.get(name)
    if job is None:
        raise click.ClickException(f"No job named {name}. Known: {', '.join(sorted(JOBS))}")
    run = execute(job, now=datetime.now(UTC))
    click.echo(f"{name}: {run.status.value}, {run.done} done, {run.failed} failed, {run.skipped} skipped")
    if run.error:
        click.echo(run.error, err=True)
        raise SystemExit(1)
