"""The job runner: items handled once, errors kept, the scheduler's store in sync with the registry."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.jobs.models import JobRecord, JobRun, RunStatus, SchedulerJob
from app.jobs.registry import JOBS, Job, cron, every
from app.jobs.runner import make_scheduler, sync_jobs
from app.jobs.services import execute
from app.mail.models import OutboxMail
from tests.databases import throwaway_database_url
from tests.jobs.racing import run_racing_job

NOW = datetime(2027, 3, 17, 7, 0, tzinfo=UTC)


def _keyed_job(temporary_jobs, handled: list, items=("a", "b"), fail_on=()):
    def handle(item, now):
        if item in fail_on:
            raise RuntimeError(f"cannot handle {item}")
        handled.append((item, now))

    return temporary_jobs(
        "test.keyed",
        description="test",
        trigger=every(minutes=5),
        find=lambda now: list(items),
        key=lambda item: f"item:{item}",
        handle=handle,
    )


def test_each_item_is_handled_once_however_often_the_job_runs(db, temporary_jobs):
    handled = []
    job = _keyed_job(temporary_jobs, handled)
    first = execute(job, now=NOW)
    second = execute(job, now=NOW + timedelta(minutes=5))
    assert handled == [("a", NOW), ("b", NOW)]
    assert (first.status, first.done, first.skipped) == (RunStatus.OK, 2, 0)
    assert (second.status, second.done, second.skipped) == (RunStatus.OK, 0, 2)
    assert set(db.session.scalars(select(JobRecord.key))) == {"item:a", "item:b"}


def test_a_failing_item_is_kept_as_an_error_and_tried_again(db, temporary_jobs):
    handled = []
    job = _keyed_job(temporary_jobs, handled, fail_on={"a"})
    run = execute(job, now=NOW)
    assert (run.status, run.done, run.failed) == (RunStatus.PARTIAL, 1, 1)
    assert "item:a" in run.error and "cannot handle a" in run.error
    assert set(db.session.scalars(select(JobRecord.key))) == {"item:b"}  # a is not recorded: next run tries again
    JOBS.pop("test.keyed")
    retry_job = _keyed_job(temporary_jobs, handled)
    assert execute(retry_job, now=NOW).done == 1
    assert handled[-1] == ("a", NOW)


def test_a_run_whose_every_item_failed_has_failed(db, temporary_jobs):
    run = execute(_keyed_job(temporary_jobs, [], fail_on={"a", "b"}), now=NOW)
    assert (run.status, run.done, run.failed) == (RunStatus.FAILED, 0, 2)


def test_a_crash_outside_the_items_fails_the_run_with_its_traceback(db, temporary_jobs):
    def explode(now):
        raise ValueError("the database is on fire")

    job = temporary_jobs("test.explode", description="x", trigger=every(minutes=1), run=explode)
    run = execute(job, now=NOW)
    assert run.status == RunStatus.FAILED
    assert "ValueError: the database is on fire" in run.error
    assert run.finished_at == NOW


def test_a_job_is_either_keyed_or_plain():
    with pytest.raises(ValueError):
        Job(name="x", description="x", trigger=every(minutes=1))
    with pytest.raises(ValueError):
        Job(
            name="x",
            description="x",
            trigger=every(minutes=1),
            run=lambda now: 0,
            find=lambda now: [],
            key=str,
            handle=lambda item, now: None,
        )


def test_names_are_unique(temporary_jobs):
    temporary_jobs("test.once", description="x", trigger=every(minutes=1), run=lambda now: 0)
    with pytest.raises(ValueError):
        temporary_jobs("test.once", description="x", trigger=every(minutes=1), run=lambda now: 0)


def test_the_registry_holds_the_real_jobs():
    assert {"mail.deliver", "notifications.daily_digest", "notifications.weekly_digest"} <= set(JOBS)


def test_scheduler_store_follows_the_registry(tmp_path, temporary_jobs):
    """The scheduler keeps its jobs in the application database (the migrated table), one row per job."""
    from flask_migrate import upgrade

    from app import create_app

    with throwaway_database_url(tmp_path, "scheduler") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
        scheduler = make_scheduler(app)
        scheduler.start(paused=True)
        try:
            temporary_jobs("test.stale", description="x", trigger=cron(hour=3), run=lambda now: 0)
            sync_jobs(scheduler)
            JOBS.pop("test.stale")
            sync_jobs(scheduler)  # a restart: updates in place, drops what is no longer registered
            sync_jobs(scheduler)
        finally:
            scheduler.shutdown(wait=False)
        with app.app_context():
            stored = dict(_db.session.execute(select(SchedulerJob.id, SchedulerJob.next_run_time)).all())
            _db.session.remove()
            _db.engine.dispose()
    assert set(stored) == set(JOBS)
    assert all(next_run is not None for next_run in stored.values())


def test_cli_run_once_and_list(app, db):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["jobs", "list"])
    assert "mail.deliver" in listing.output
    result = runner.invoke(args=["jobs", "run-once", "mail.deliver"])
    assert result.exit_code == 0, result.output
    assert "mail.deliver: ok" in result.output
    assert runner.invoke(args=["jobs", "run-once", "no.such.job"]).exit_code != 0
    assert db.session.scalar(select(func.count(JobRun.id)).where(JobRun.job == "mail.deliver")) == 1


def test_two_processes_racing_on_one_job_send_one_mail(tmp_path):
    """Two scheduler processes by mistake: both find the same item at the same moment; one mail is queued."""
    from flask_migrate import upgrade

    from app import create_app

    with throwaway_database_url(tmp_path, "race") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            _db.engine.dispose()
        context = multiprocessing.get_context("spawn")
        barrier, results = context.Barrier(2), context.Queue()
        processes = [context.Process(target=run_racing_job, args=(url, barrier, results)) for _ in range(2)]
        for process in processes:
            process.start()
        outcomes = sorted(results.get(timeout=60) for _ in processes)
        for process in processes:
            process.join(timeout=30)
        assert [o[:3] for o in outcomes] == [(0, 1, "ok"), (1, 0, "ok")], outcomes
        with app.app_context():
            assert _db.session.scalar(select(func.count(OutboxMail.id))) == 1
            assert _db.session.scalar(select(func.count(JobRecord.id))) == 1
            _db.session.remove()
            _db.engine.dispose()
