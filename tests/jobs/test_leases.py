"""The scheduler lease: one holder at a time, renewed by it, taken over once lapsed; runs left behind abandoned."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING
from sqlalchemy import select

from app.extensions import db as _db
from app.jobs import leases, runner
from app.jobs.models import JobRun, RunStatus, SchedulerLease
from app.jobs.registry import every
from app.jobs.services import abandon_runs
from tests.databases import throwaway_database_url

NOW = datetime(2027, 3, 17, 7, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def test_one_holder_at_a_time_until_the_lease_lapses(db):
    assert leases.acquire("a", now=NOW, length=LEASE)
    assert not leases.acquire("b", now=NOW + timedelta(seconds=1), length=LEASE)
    assert leases.acquire("a", now=NOW + timedelta(seconds=20), length=LEASE)  # renewed: until 07:00:50
    assert not leases.acquire("b", now=NOW + timedelta(seconds=45), length=LEASE)
    assert leases.current_holder(now=NOW + timedelta(seconds=45)) == "a"
    assert leases.current_holder(now=NOW + timedelta(seconds=51)) is None
    assert leases.acquire("b", now=NOW + timedelta(seconds=51), length=LEASE)  # a died: b takes over
    assert not leases.acquire("a", now=NOW + timedelta(seconds=52), length=LEASE)  # and a, back, stands by
    assert db.session.scalars(select(SchedulerLease)).one().holder == "b"


def test_a_released_lease_is_free_at_once(db):
    assert leases.acquire("a", now=NOW, length=LEASE)
    leases.release("b")  # not b's to give up
    assert not leases.acquire("b", now=NOW, length=LEASE)
    leases.release("a")
    assert leases.acquire("b", now=NOW, length=LEASE)


def test_holder_ids_name_host_and_process_and_differ_per_start():
    first, second = leases.new_holder_id(), leases.new_holder_id()
    assert first != second and first.count(":") == 2


def _run(db, holder: str | None, status: RunStatus = RunStatus.RUNNING) -> JobRun:
    run = JobRun(job="mail.deliver", started_at=NOW, status=status, done=0, skipped=0, failed=0, holder=holder)
    db.session.add(run)
    db.session.commit()
    return run


def test_a_new_leader_marks_the_runs_of_an_earlier_one_abandoned(db):
    cut_off, mine, by_hand, finished = _run(db, "a"), _run(db, "b"), _run(db, None), _run(db, "a", RunStatus.OK)
    assert abandon_runs("b", now=NOW + timedelta(minutes=1)) == 1
    db.session.expire_all()
    assert cut_off.status == RunStatus.ABANDONED and cut_off.finished_at == NOW + timedelta(minutes=1)
    assert [mine.status, by_hand.status, finished.status] == [RunStatus.RUNNING, RunStatus.RUNNING, RunStatus.OK]


@pytest.fixture
def paused_scheduler(app, monkeypatch):
    monkeypatch.setattr(runner, "_app", app)
    scheduler = BackgroundScheduler()  # a memory store: the lease, not the store, is under test
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


def test_only_the_lease_holder_fires_and_it_stops_when_it_loses_the_lease(db, paused_scheduler):
    a, b = paused_scheduler, BackgroundScheduler()
    b.start(paused=True)
    try:
        left_running = _run(db, "a")
        assert runner.take_turn(a, "a", now=NOW, length=LEASE, leading=False)
        assert not runner.take_turn(b, "b", now=NOW + timedelta(seconds=5), length=LEASE, leading=False)
        assert (a.state, b.state) == (STATE_RUNNING, STATE_PAUSED)
        assert left_running.status == RunStatus.RUNNING  # a's own run is not abandoned by a
        # a stops renewing (it hangs, or died): once its lease lapses b takes over, and a, back, stands by
        assert runner.take_turn(b, "b", now=NOW + timedelta(seconds=31), length=LEASE, leading=False)
        assert not runner.take_turn(a, "a", now=NOW + timedelta(seconds=32), length=LEASE, leading=True)
        assert (a.state, b.state) == (STATE_PAUSED, STATE_RUNNING)
        db.session.expire_all()
        assert left_running.status == RunStatus.ABANDONED
        assert {job.id for job in b.get_jobs()} >= {"mail.deliver"}
    finally:
        b.shutdown(wait=False)


def test_a_leader_that_cannot_reach_the_database_stops_firing(db, paused_scheduler, monkeypatch):
    from sqlalchemy.exc import OperationalError

    assert runner.take_turn(paused_scheduler, "a", now=NOW, length=LEASE, leading=False)

    def unreachable(*args, **kwargs):
        raise OperationalError("UPDATE", {}, Exception("connection refused"))

    monkeypatch.setattr(leases, "acquire", unreachable)
    assert not runner.take_turn(paused_scheduler, "a", now=NOW + timedelta(seconds=10), length=LEASE, leading=True)
    assert paused_scheduler.state == STATE_PAUSED


def test_the_new_leader_catches_up_on_a_missed_run_once(tmp_path, temporary_jobs, monkeypatch):
    """The leader died before a run was due; its stand-in, taking over 12 minutes later, runs it once (not 3 times,
    not at the schedule's next time only)."""
    from flask_migrate import upgrade

    from app import create_app

    fired = []
    temporary_jobs("test.every5", description="x", trigger=every(minutes=5), run=lambda now: fired.append(now) or 1)
    with throwaway_database_url(tmp_path, "catchup") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
        monkeypatch.setattr(runner, "_app", app)
        missed = datetime.now(UTC) - timedelta(minutes=12)
        dead_leader = runner.make_scheduler(app)
        dead_leader.start(paused=True)
        runner.sync_jobs(dead_leader)
        dead_leader.modify_job("test.every5", next_run_time=missed)
        dead_leader.shutdown(wait=False)

        stand_in = runner.make_scheduler(app)
        stand_in.start(paused=True)
        try:
            runner.sync_jobs(stand_in)
            assert stand_in.get_job("test.every5").next_run_time == missed  # kept, not moved to the next time
            stand_in.resume()
            deadline = time.monotonic() + 10
            while not fired and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)
            assert len(fired) == 1
            assert stand_in.get_job("test.every5").next_run_time > datetime.now(UTC)
        finally:
            stand_in.shutdown(wait=True)
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
