"""The endpoints for the platform's operator, not its users: /healthz, /readyz and /metrics.

They are answered in front of Flask (a WSGI middleware), so a probe or a scrape that reaches a pod by its IP address
is not refused by the trusted-host check, sets no session cookie, needs no CSRF token, counts against no rate limit
and writes no audit row nor request log line (a probe every few seconds would drown the log).
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Flask
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from werkzeug.wrappers import Request, Response

from app import metrics, ratelimit, storage
from app.extensions import db

log = logging.getLogger(__name__)

#: how long the readiness check waits for the database's answer (PostgreSQL)
DATABASE_TIMEOUT_MS = 2000
OK = "ok"
FAILED = "failed"
UNUSED = "unused"


def migration_heads(directory: Path) -> frozenset[str]:
    """The head revision(s) of the migrations in `directory`."""
    return frozenset(ScriptDirectory(str(directory)).get_heads())


def readiness(heads: frozenset[str]) -> dict[str, str]:
    """Each check's state: the database answers, its schema is at `heads`, the file storage and the shared limit
    store (Redis, when configured) answer. Runs in an app context; logs why a check failed."""
    checks = {"database": FAILED, "schema": "unknown"}
    try:
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(f"SET LOCAL statement_timeout = {DATABASE_TIMEOUT_MS}"))
        db.session.execute(text("SELECT 1"))
        checks["database"] = OK
        applied = frozenset(db.session.scalars(text("SELECT version_num FROM alembic_version")))
        checks["schema"] = OK if applied == heads else "behind"
        if applied != heads:
            log.warning("Readiness: the schema is at %s, the code expects %s", sorted(applied), sorted(heads))
    except Exception as error:  # any failure means "not ready"; what it was goes to the log
        if checks["database"] == OK:
            checks["schema"] = "missing"  # no alembic_version: never migrated
        log.warning("Readiness: the database check failed: %s", error)
    finally:
        with contextlib.suppress(Exception):  # a lost connection is dropped when the app context ends
            db.session.rollback()
    checks["redis"] = UNUSED  # without REDIS_URL nothing is shared, so nothing can be down
    for name, ping in (("storage", storage.ping), ("redis", ratelimit.ping)):
        if name == "redis" and not ratelimit.is_shared():
            continue
        try:
            ping()
            checks[name] = OK
        except Exception as error:
            log.warning("Readiness: the %s check failed: %s", name, error)
            checks[name] = FAILED
    return checks


def _json(body: dict[str, object], status: int) -> Response:
    return Response(json.dumps(body), status, {"Cache-Control": "no-store"}, mimetype="application/json")


class OperatorEndpoints:
    """WSGI middleware: answers /healthz, /readyz and /metrics, hands every other request to the app."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.heads = migration_heads(Path(app.extensions["migrate"].directory))
        self.routes = {"/healthz": self.healthz, "/readyz": self.readyz, "/metrics": self.metrics}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        answer = self.routes.get(environ.get("PATH_INFO", ""))
        if answer is None:
            return self.wsgi_app(environ, start_response)
        return answer(Request(environ))(environ, start_response)

    def healthz(self, request: Request) -> Response:
        return _json({"status": OK}, 200)

    def readyz(self, request: Request) -> Response:
        with self.app.app_context():
            checks = readiness(self.heads)
        ready = all(state in (OK, UNUSED) for state in checks.values())
        return _json({"status": OK if ready else "unavailable", "checks": checks}, 200 if ready else 503)

    def metrics(self, request: Request) -> Response:
        token = self.app.config["METRICS_TOKEN"]
        if not token:
            return Response("Not Found", 404)
        offered = request.headers.get("Authorization", "")
        if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
            return Response("Unauthorized", 401, {"WWW-Authenticate": "Bearer"})
        with self.app.app_context():
            body = metrics.render()
        return Response(body, 200, {"Cache-Control": "no-store"}, content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.wsgi_app = OperatorEndpoints(app, app.wsgi_app)
