"""Running a registered job once: record the run, handle each item at most once, keep every error."""

from __future__ import annotations

import traceback
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.jobs.models import JobRecord, JobRun, RunStatus
from app.jobs.registry import Job, Outcome


def execute(job: Job, *, now: datetime, holder: str | None = None) -> JobRun:
    """Run `job` as of `now` and return its run record, marked as run by the scheduler lease's `holder` if given.

    Commits the run row first, then each handled item with its JobRecord (an item whose key is recorded
    already, by an earlier run or by a process racing this one, is skipped), then the result. One failing item
    is rolled back alone (it is tried again next run) and its error is kept on the run; the others go on. A plain
    job counts its failed items itself (an `Outcome`). The run is FAILED when the job crashed or every item it
    tried failed, PARTIAL when some failed and others were done, OK otherwise.
    """
    run = JobRun(job=job.name, started_at=now, status=RunStatus.RUNNING, done=0, skipped=0, failed=0, holder=holder)
    db.session.add(run)
    db.session.flush()
    run_id = run.id
    db.session.commit()
    done = skipped = failed = 0
    errors: list[str] = []
    crashed = False
    try:
        if job.run is not None:
            outcome = job.run(now)
            db.session.commit()
            done = int(outcome or 0)
            if isinstance(outcome, Outcome):
                failed = outcome.failed
                if outcome.error:
                    errors.append(outcome.error)
        else:
            work = [(job.key(item), item) for item in job.find(now)]
            # End the reading transaction before claiming: each item's transaction then starts with its write,
            # which SQLite needs to let two processes take turns instead of failing on a stale snapshot.
            db.session.commit()
            for key, item in work:
                if not _claim(job.name, key):
                    skipped += 1
                    continue
                try:
                    job.handle(item, now)
                    db.session.commit()
                    done += 1
                except Exception:
                    db.session.rollback()
                    failed += 1
                    errors.append(f"{key}:\n{traceback.format_exc()}")
    except Exception:
        db.session.rollback()
        crashed = True
        errors.append(traceback.format_exc())
    run = db.session.get(JobRun, run_id)
    run.done, run.skipped, run.failed, run.finished_at = done, skipped, failed, now
    if crashed or (failed and not done):
        run.status = RunStatus.FAILED
    else:
        run.status = RunStatus.PARTIAL if failed else RunStatus.OK
    run.error = "\n\n".join(errors)[-20_000:] or None
    db.session.commit()
    return run


def abandon_runs(holder: str, *, now: datetime) -> int:
    """Mark the runs still "running" under another lease holder as abandoned; return how many.

    The new lease holder calls this when it takes over: a run of an earlier holder that is still running then was
    cut off (its process died, or it lost the lease and stopped). What it did is kept (each item's own commit and
    key); what it did not do is due again for the next run. A run started by hand has no holder and is left alone.
    A run that does finish after all writes its own result over this mark.
    """
    abandoned = db.session.execute(
        update(JobRun)
        .where(JobRun.status == RunStatus.RUNNING, JobRun.holder.is_not(None), JobRun.holder != holder)
        .values(status=RunStatus.ABANDONED, finished_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return abandoned.rowcount


def _claim(job_name: str, key: str) -> bool:
    """Record (job, key) in the current transaction; False when it is recorded already.

    The unique constraint decides, not a look-up first: a racing process blocks on the same key until the
    first commits and then gets the violation.
    """
    try:
        with db.session.begin_nested():
            db.session.add(JobRecord(job=job_name, key=key[:255]))
    except IntegrityError:
        return False
    return True
