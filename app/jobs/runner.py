"""The scheduler process: `flask --app app jobs run`. Web workers never start it."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime

import click
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask, current_app
from flask.cli import AppGroup

from app.clock import LOCAL_TIME
from app.extensions import db
from app.jobs.models import SchedulerJob
from app.jobs.registry import JOBS
from app.jobs.services import execute

jobs_cli = AppGroup("jobs", help="Recurring jobs: run the scheduler, list the jobs, run one job now.")

_app: Flask | None = None


def run_job(name: str) -> None:
    """What APScheduler calls (by reference, from its job store): one run of a registered job."""
    assert _app is not None, "run_job is only called by the scheduler process"
    with _app.app_context():
        job = JOBS.get(name)
        if job is None:
            _app.logger.warning("Job %s is no longer registered; skipped", name)
            return
        run = execute(job, now=datetime.now(UTC))
        _app.logger.info(
            "Job %s: %s (%s done, %s failed, %s skipped)", name, run.status.value, run.done, run.failed, run.skipped
        )


def make_scheduler(app: Flask) -> BackgroundScheduler:
    with app.app_context():
        engine = db.engine
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=SchedulerJob.__tablename__)},
        timezone=LOCAL_TIME,
        # A missed run (the process was down) runs once when it is back, within a day.
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 24 * 3600},
    )


def sync_jobs(scheduler: BackgroundScheduler) -> None:
    """Make the (started, paused) scheduler's store match the registry: add or update each job, drop stale ones."""
    for job in JOBS.values():
        scheduler.add_job(
            "app.jobs.runner:run_job",
            trigger=job.trigger,
            args=[job.name],
            id=job.name,
            name=job.name,
            replace_existing=True,
        )
    for stored in scheduler.get_jobs():
        if stored.id not in JOBS:
            scheduler.remove_job(stored.id)


@jobs_cli.command("run")
def run_scheduler() -> None:
    """Run the scheduler until stopped (SIGTERM or Ctrl-C). Start exactly one."""
    global _app
    # the scheduler process tells what it does (each run, and each mail in development) through app.logs, which
    # create_app set up: stdout, LOG_FORMAT
    _app = current_app._get_current_object()
    _app.logger.setLevel(logging.INFO)
    scheduler = make_scheduler(_app)
    scheduler.start(paused=True)
    sync_jobs(scheduler)
    scheduler.resume()
    click.echo(f"Scheduler running with {len(JOBS)} jobs: {', '.join(sorted(JOBS))}")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    scheduler.shutdown(wait=True)
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
