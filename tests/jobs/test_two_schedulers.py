"""Two real scheduler processes (`flask jobs run`) on one database: one fires, and the other takes over when it is
killed. A job fires every second and the lease lasts 3 seconds, so the whole test takes about half a minute."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.jobs.models import JobRun, RunStatus, SchedulerLease
from tests.databases import throwaway_database_url

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3


def _wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)
    return result


def _scheduler(url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": url, "SCHEDULER_LEASE_SECONDS": str(LEASE_SECONDS)}
    env.pop("TEST_DATABASE_URL", None)
    flask = Path(sys.executable).with_name("flask")
    with log.open("w") as out:
        return subprocess.Popen(
            [str(flask), "--app", "tests.jobs.tickapp", "jobs", "run"], cwd=ROOT, env=env, stdout=out, stderr=out
        )


def test_one_of_two_schedulers_fires_and_the_other_takes_over_when_it_is_killed(tmp_path):
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    with throwaway_database_url(tmp_path, "two_schedulers") as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            db.engine.dispose()
        engine = create_engine(url)
        processes = {}
        try:
            for name in ("a", "b"):
                process = _scheduler(url, tmp_path / f"{name}.log")
                processes[process.pid] = process

            def ticks() -> list[JobRun]:
                with Session(engine) as session:
                    return list(session.scalars(select(JobRun).where(JobRun.job == "test.tick").order_by(JobRun.id)))

            def leader() -> str | None:
                with Session(engine) as session:
                    return session.scalar(select(SchedulerLease.holder))

            _wait_for(lambda: len(ticks()) >= 3, 40, "the leader's first runs")
            first = leader()
            assert {run.holder for run in ticks()} == {first}  # the standby fired none
            killed = processes.pop(int(first.split(":")[1]))
            killed.send_signal(signal.SIGKILL)
            killed.wait()
            killed_at, before = time.monotonic(), len(ticks())

            second = _wait_for(lambda: (h := leader()) != first and h, 2 * LEASE_SECONDS + 10, "the stand-in")
            _wait_for(lambda: any(run.holder == second for run in ticks()), 10, "the stand-in's first run")
            took_over_in = time.monotonic() - killed_at
            assert took_over_in < LEASE_SECONDS + 6, took_over_in
            runs = ticks()
            assert {run.holder for run in runs[:before]} == {first}
            assert {run.holder for run in runs[before:]} == {second}
            # nothing of the killed leader is left "running"
            assert not [run for run in runs if run.holder == first and run.status == RunStatus.RUNNING]

            (survivor,) = processes.values()
            survivor.send_signal(signal.SIGTERM)
            assert survivor.wait(timeout=20) == 0
            assert leader() is None  # a clean stop gives the lease up at once
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()
            engine.dispose()
