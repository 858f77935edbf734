"""Prometheus metrics (prometheus_client): request latency and responses counted by each worker, and the figures
the database holds (outbox, job runs, survey responses) read from it at scrape time, so that they are right
whichever worker answers the scrape.

With several gunicorn workers, PROMETHEUS_MULTIPROC_DIR must name an empty folder shared by the workers (set in the
environment before the app is imported): each worker writes its counts there and a scrape adds them up
(`app.gunicorn_conf` clears the folder at start and drops a dead worker's gauges).
"""

from __future__ import annotations

import os

from flask import Flask, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select

from app import logs
from app.extensions import db
from app.jobs.models import JobRun, RunStatus
from app.jobs.registry import JOBS
from app.mail.models import MailStatus, OutboxMail
from app.surveys.models import SurveyResponse

#: the counts this process makes; in multiprocess mode they go to PROMETHEUS_MULTIPROC_DIR as well
REGISTRY = CollectorRegistry()
REQUEST_SECONDS = Histogram(
    "vb_http_request_duration_seconds",
    "Time to answer a request, by Flask endpoint and method.",
    ["endpoint", "method"],
    registry=REGISTRY,
)
RESPONSES = Counter(
    "vb_http_responses",
    "Responses, by Flask endpoint and status code.",
    ["endpoint", "status"],
    registry=REGISTRY,
)
#: the label of a request that matched no endpoint (404, 405, a refused Host): raw paths would be unbounded
UNMATCHED = "unmatched"


def init_app(app: Flask) -> None:
    app.after_request(_count_request)


def _count_request(response):
    endpoint = request.endpoint or UNMATCHED
    REQUEST_SECONDS.labels(endpoint, request.method).observe(logs.elapsed())
    RESPONSES.labels(endpoint, str(response.status_code)).inc()
    return response


class DatabaseCollector:
    """The figures the database holds, read when Prometheus scrapes (in an app context)."""

    def collect(self):
        outbox = GaugeMetricFamily("vb_outbox_mails", "Mails in the outbox, by delivery state.", labels=["status"])
        counts = dict(db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
        for status in MailStatus:
            outbox.add_metric([status.value], counts.get(status, 0))
        yield outbox

        last_success = GaugeMetricFamily(
            "vb_job_last_success_timestamp_seconds",
            "When each job last finished a run that was not a failure (ok, or partly failed items that are retried).",
            labels=["job"],
        )
        for name in sorted(JOBS):
            finished = db.session.scalar(
                select(JobRun.finished_at)
                .where(JobRun.job == name, JobRun.status.in_([RunStatus.OK, RunStatus.PARTIAL]))
                .order_by(JobRun.started_at.desc())
                .limit(1)
            )
            if finished is not None:
                last_success.add_metric([name], finished.timestamp())
        yield last_success

        yield GaugeMetricFamily(
            "vb_survey_responses",
            "Survey responses submitted and kept; its increase is the number of submissions.",
            value=db.session.scalar(select(func.count()).select_from(SurveyResponse)),
        )


def render() -> bytes:
    """The metrics in Prometheus' text format: every worker's request counts and the database's figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(DatabaseCollector())
    try:
        return generate_latest(registry)
    finally:
        db.session.rollback()
