"""/healthz and /readyz: what a probe gets, whatever Host it sends, and each readiness check failing on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app, ratelimit, storage
from app.health import migration_heads
from tests.conftest import is_postgres

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
HEADS = migration_heads(MIGRATIONS)


def stamp(db, revisions) -> None:
    """Set the schema's recorded migration (SQLite's test schema is made with create_all, which records none)."""
    db.session.execute(
        text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    )
    db.session.execute(text("DELETE FROM alembic_version"))
    for revision in revisions:
        db.session.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
    db.session.commit()


@pytest.fixture
def at_head(app, db):
    stamp(db, HEADS)
    yield
    if not is_postgres(app):  # the in-memory database outlives the test; the tables create_all made are dropped
        db.session.execute(text("DROP TABLE alembic_version"))
        db.session.commit()


def test_healthz_answers_without_database_session_or_trusted_host(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["veilig.example.org"])
    assert client.get("/", headers={"Host": "10.1.2.3"}).status_code == 400  # the check is on

    response = client.get("/healthz", headers={"Host": "10.1.2.3"})

    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_ready_when_every_check_passes(app, client, at_head, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["veilig.example.org"])

    response = client.get("/readyz", headers={"Host": "10.1.2.3"})

    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "schema": "ok", "storage": "ok", "redis": "unused"},
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_not_ready_when_the_schema_is_behind_the_migrations(client, db, at_head):
    stamp(db, ["5e1a77c0b2d4"])  # a revision before this code's head

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["schema"] == "behind"


def test_not_ready_when_the_database_was_never_migrated(app, client, db):
    if is_postgres(app):
        pytest.skip("the PostgreSQL test schema is built with the migrations")

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["schema"] == "missing"


def test_not_ready_when_the_storage_is_unreachable(client, at_head, monkeypatch):
    def unreachable() -> None:
        raise storage.StorageError("connection refused")

    monkeypatch.setattr(storage, "ping", unreachable)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["storage"] == "failed"
    assert response.json["checks"]["database"] == "ok"


def test_not_ready_when_the_configured_redis_does_not_answer(app, client, at_head, monkeypatch):
    # nothing listens on port 1: the limits are shared in a Redis that is down
    monkeypatch.setitem(app.extensions, "rate_limiter", ratelimit.Limiter.for_url("redis://127.0.0.1:1/0"))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["redis"] == "failed"
    assert response.json["checks"]["database"] == "ok"


def test_not_ready_when_the_database_is_unreachable(tmp_path):
    # nothing listens on port 1: the connection is refused at once
    down = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})

    response = down.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json["checks"]["database"] == "failed"
    assert response.json["checks"]["schema"] == "unknown"


def test_heads_are_read_from_the_migrations():
    revisions = {path.name.split("_")[1] for path in (MIGRATIONS / "versions").glob("*.py")}
    assert HEADS and revisions >= HEADS
