"""gunicorn settings for production: `gunicorn -c python:app.gunicorn_conf -w 4 -b 127.0.0.1:8000 'app:create_app()'`.

Workers, bind address and the app stay on the command line; this module holds what every deployment needs.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path


def on_starting(server) -> None:
    """Start the metrics of the workers afresh: counts a former run left in PROMETHEUS_MULTIPROC_DIR would be
    added to this run's (see app.metrics)."""
    if folder := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        for counts in Path(folder).glob("*.db"):  # prometheus_client's files only, whatever else the folder holds
            counts.unlink()


def child_exit(server, worker) -> None:
    """Drop the live-gauge files of a worker that ended; its counters stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker) -> None:
    """Move the loaded app's objects out of the garbage collector's reach.

    Each full collection walks every tracked object, and the loaded app holds about 170,000-200,000 long-lived
    ones: about 110 ms per collection, which showed as the p95 of otherwise fast pages. They live as long as the
    worker, so collecting them buys nothing. Garbage already made while loading is collected first, so that it is
    not kept for good.
    """
    gc.collect()
    gc.freeze()
