"""Logging for every process (web, scheduler, CLI): one handler on stdout, JSON lines or plain text, each record
with the request id of the request it belongs to (or that caused the mail or job that logs it).

A request is logged by its endpoint and URL rule, never by its path or query string: survey and invitation links
carry their secret in the path (/enquete/<token>, /e/<code>), and a query string may carry anything.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import types
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
#: an incoming X-Request-ID is taken as it is only when it looks like an id (a proxy's, a load balancer's);
#: anything else (too long, spaces, control characters) is replaced, so that nothing odd reaches the logs
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
#: the request id outside a request: what a job or a mail delivery sets while it works for one (`working_for`)
_outside_request: ContextVar[str | None] = ContextVar("request_id", default=None)
#: the attributes every LogRecord has; anything else on a record came as `extra=` and is written as a field
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


def current_request_id() -> str | None:
    """The id of the request being handled, or of the request a job or mail delivery works for, or None."""
    if has_request_context() and "request_id" in g:
        return g.request_id
    return _outside_request.get()


@contextmanager
def working_for(request_id: str | None) -> Iterator[None]:
    """Log what happens in the block (outside a request) under `request_id`: the request that caused the work."""
    token = _outside_request.set(request_id)
    try:
        yield
    finally:
        _outside_request.reset(token)


class RequestIdFilter(logging.Filter):
    """Give every record a `request_id` (None when it belongs to no request); one passed with `extra=` stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, the record's `extra=`
    fields, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        entry |= {key: value for key, value in record.__dict__.items() if key not in _RECORD_ATTRIBUTES}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s")


class _StdoutHandler(logging.StreamHandler):
    """Writes to whatever sys.stdout is at the moment (a test's capture too)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stdout

    @stream.setter
    def stream(self, value) -> None:
        pass


FORMATTERS = {"json": JsonFormatter, "text": TextFormatter}


def configure(app: Flask) -> None:
    """Send the process's log records to stdout as LOG_FORMAT and LOG_LEVEL say, and log each request of `app` with
    its id (taken from a valid X-Request-ID or made, and returned in that header).

    Called by create_app, so the web workers, the scheduler and the CLI log alike.
    """
    send_to_stdout(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])
    # Flask's own handler (stderr, its own format) would write every app.logger record a second time.
    app.logger.removeHandler(default_handler)
    # Flask logs an unhandled exception with the request's path, which may hold a survey link's secret.
    app.log_exception = types.MethodType(_log_exception, app)
    app.before_request(_start_request)
    app.after_request(_finish_request)


def send_to_stdout(log_format: str, level: str | int) -> None:
    """Make one handler on stdout, in `log_format` ("json" or "text"), the root logger's only one of its kind;
    calling it again (a second app in one process) replaces it instead of adding one."""
    handler = _StdoutHandler()
    handler.setFormatter(FORMATTERS[log_format]())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StdoutHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def elapsed() -> float:
    """Seconds since the current request started."""
    if "request_started" not in g:  # another hook refused the request before ours ran
        _start_request()
    return time.perf_counter() - g.request_started


def _log_exception(app: Flask, exc_info) -> None:
    app.logger.error("Exception on %s %s", request.method, request.endpoint, exc_info=exc_info)


def _start_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


_access_log = logging.getLogger("app.request")


def _finish_request(response):
    duration = elapsed()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    _access_log.info(
        "%s %s %s",
        request.method,
        request.endpoint or "-",
        response.status_code,
        extra={
            "method": request.method,
            "endpoint": request.endpoint,
            "rule": request.url_rule.rule if request.url_rule else None,
            "status": response.status_code,
            "duration_ms": round(duration * 1000, 1),
        },
    )
    return response
