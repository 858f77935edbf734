"""The job registry: a domain package adds a job with one `register(...)` call in its `jobs.py`.

Two kinds of job:
- an item job names `find(now)` (the items due), `key(item)` (the idempotency key) and `handle(item, now)`. The
  runner records the key in `job_records` (unique) in the same transaction as `handle`, so an item is handled
  once, however often or however many processes run the job.
- a plain job names `run(now)`, for work that is idempotent through its own data (the outbox's mail states). It
  returns how many items it did, as an int or as an `Outcome` that also counts the items that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.triggers.base import BaseTrigger

from app.clock import LOCAL_TIME


class Outcome(int):
    """What a plain job reports: the number of items it did (an int, for its callers), and how many failed and why.

    A failed item is one the job will try again (a mail the SMTP server refused), not a crash of the job.
    """

    failed: int
    error: str | None

    def __new__(cls, done: int, *, failed: int = 0, error: str | None = None) -> Outcome:
        outcome = super().__new__(cls, done)
        outcome.failed, outcome.error = failed, error
        return outcome


@dataclass(frozen=True)
class Job:
    name: str
    description: Any  # a lazy translation
    trigger: BaseTrigger
    find: Callable[[datetime], Iterable[Any]] | None = None
    key: Callable[[Any], str] | None = None
    handle: Callable[[Any, datetime], None] | None = None
    run: Callable[[datetime], int] | None = None

    def __post_init__(self) -> None:
        item_job = self.find is not None and self.key is not None and self.handle is not None
        if item_job == (self.run is not None):
            raise ValueError(f"job {self.name}: give either find, key and handle, or run")


JOBS: dict[str, Job] = {}


def register(
    name: str,
    *,
    description: Any,
    trigger: BaseTrigger,
    find: Callable[[datetime], Iterable[Any]] | None = None,
    key: Callable[[Any], str] | None = None,
    handle: Callable[[Any, datetime], None] | None = None,
    run: Callable[[datetime], int] | None = None,
) -> Job:
    """Add a job to the registry (at import of the domain's jobs module). Names are unique."""
    if name in JOBS:
        raise ValueError(f"job {name} is registered twice")
    job = Job(name=name, description=description, trigger=trigger, find=find, key=key, handle=handle, run=run)
    JOBS[name] = job
    return job


def unregister(name: str) -> None:
    JOBS.pop(name, None)


def cron(**fields: Any) -> BaseTrigger:
    """A cron trigger in Dutch time, e.g. cron(hour=7, minute=0)."""
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(timezone=LOCAL_TIME, **fields)


def every(**interval: Any) -> BaseTrigger:
    """An interval trigger, e.g. every(minutes=1)."""
    from apscheduler.triggers.interval import IntervalTrigger

    return IntervalTrigger(timezone=LOCAL_TIME, **interval)
