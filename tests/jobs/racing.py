"""A process that runs one keyed job against a shared database, for the race test (spawned, not imported by it)."""

from __future__ import annotations

from datetime import UTC, datetime

from app import create_app, mail
from app.extensions import db
from app.jobs.registry import every, register
from app.jobs.services import execute

RACE_NOW = datetime(2027, 3, 17, 7, 0, tzinfo=UTC)


def run_racing_job(database_url: str, barrier, results) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})

    def find(now):
        barrier.wait(timeout=30)  # both processes have found the item before either records it
        return ["action-42"]

    def handle(item, now):
        mail.queue("olga@example.nl", "nl", "password_reset", "Herinnering", user={"name": "Olga"}, link="x", hours=1)

    job = register(
        "test.race",
        description="race",
        trigger=every(minutes=1),
        find=find,
        key=lambda item: f"{item}:due:2027-03-31",
        handle=handle,
    )
    with app.test_request_context():
        run = execute(job, now=RACE_NOW)
        results.put((run.done, run.skipped, run.status.value, run.error))
        db.engine.dispose()
