"""Fixtures: the app, a clean database (and rate limiter) per test, a CSRF-aware client and logged-in clients per role.

SQLite (default): a fresh in-memory database built with create_all for every test.
PostgreSQL (TEST_DATABASE_URL set): the schema is built once with Alembic; every test runs inside an outer
transaction that is rolled back, and the app's commits become savepoints.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import secrets
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import redis
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app, storage
from app.auth.models import Role
from app.auth.sessions import SESSION_FIELD
from app.extensions import db as _db
from app.parks.services import active_cycle
from app.ratelimit import limiter
from app.reports import tiles
from app.surveys.definition import load_default
from app.surveys.models import Survey, SurveyStatus
from app.surveys.services import DEFAULT_LETTER
from tests import factories
from tests.s3server import ENVIRONMENT, S3Server
from tests.tileserver import TileServer


def is_postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def reset_postgres_schema(app) -> None:
    """Drop everything in the test database and build the schema with the migrations."""
    from flask_migrate import upgrade

    with _db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    upgrade()


class Client(FlaskClient):
    """A test client that adds a valid CSRF token to form posts and runs every request in its own
    application context, as a real server does (fresh `g`, fresh session, current_user loaded anew)."""

    def open(self, *args, csrf: bool = True, **kwargs):
        if csrf and kwargs.get("method", "GET").upper() in {"POST", "PUT", "PATCH", "DELETE"}:
            data = kwargs.get("data")
            if data is None or isinstance(data, dict):
                data = dict(data or {})
                token = self.csrf_token()
                # prefixed forms ("user-name") carry their token as "user-csrf_token"
                prefixes = {key.split("-", 1)[0] + "-" for key in data if "-" in key} | {""}
                kwargs["data"] = {**{f"{prefix}csrf_token": token for prefix in prefixes}, **data}
        # What the test set up is committed first, as it would be before a real request arrives.
        _db.session.commit()
        context = contextvars.copy_context()
        return context.run(self._open_in_fresh_app_context, *args, **kwargs)

    def _open_in_fresh_app_context(self, *args, **kwargs):
        _cv_app.set(None)
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        app = self.application
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)

    def login(self, user, session_token: str | None = None) -> Client:
        """Sign `user` in as a sign-in does: a session row and its token in the cookie (`session_token`: an
        existing session's)."""
        token = session_token or factories.make_session(user)
        with self.session_transaction() as session:
            session["_user_id"] = user.session_key
            session[SESSION_FIELD] = token
            session["_fresh"] = True
        return self


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    # uploads and map tiles go to folders of the test session, never to instance/
    app = create_app(
        {
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            "MAP_TILE_CACHE": str(tmp_path_factory.mktemp("tiles")),
        }
    )
    app.test_client_class = Client
    with app.app_context():
        if is_postgres(app):
            reset_postgres_schema(app)
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def fresh_rate_limits(app):
    """No request counted yet: the app, and so its rate limiter, lives for the whole session."""
    limiter(app).reset()
    yield
    limiter(app).reset()


#: the Redis the tests count in, a database index of their own; only the limiter's keys in it are ever deleted
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """TEST_REDIS_URL, when Redis answers there. Otherwise the test fails in CI (CI=true), which must run it, and is
    skipped elsewhere, with the reason."""
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"Redis does not answer at {TEST_REDIS_URL} ({error}): start it, or set TEST_REDIS_URL"
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(reason)
        pytest.skip(reason)
    return TEST_REDIS_URL


@pytest.fixture
def db(app, fresh_rate_limits):
    with app.app_context():
        if not is_postgres(app):
            _db.create_all()
            yield _db
            _db.session.remove()
            _db.drop_all()
            return
        with rolled_back_connection():
            yield _db


@contextlib.contextmanager
def rolled_back_connection() -> Iterator[Connection]:
    """One connection in an outer transaction that is rolled back at the end, with the app's session bound to it:
    the app's commits become savepoints, so nothing outlives the block."""
    connection = _db.engine.connect()
    outer = connection.begin()
    original_session = _db.session
    # A plain Session bound to the connection: Flask-SQLAlchemy's own Session would pick the engine instead.
    _db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_app_ctx_id
    )
    try:
        yield connection
    finally:
        _db.session.remove()
        _db.session = original_session
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app, db) -> Client:
    return app.test_client()


@pytest.fixture
def outbox(db):
    """outbox() -> the mails queued so far, oldest first."""
    from app.mail.models import OutboxMail

    def queued() -> list[OutboxMail]:
        db.session.expire_all()
        return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))

    return queued


@pytest.fixture
def tile_server(app, tmp_path, monkeypatch) -> Iterator[TileServer]:
    """Printed maps fetch their background from a tile server on the loopback address, into an empty cache, with
    short timeouts, no server remembered as failing (the test configuration prints no background: it never reaches
    the internet)."""
    monkeypatch.setattr(tiles, "_failed_until", {})
    with TileServer() as server:
        for key, value in {
            "MAP_PRINT_TILES": True,
            "MAP_TILE_URL": server.url,
            "MAP_TILE_CACHE": str(tmp_path / "tiles"),
            "MAP_TILE_TIMEOUT": 0.5,
            "MAP_TILE_BUDGET": 1.5,
        }.items():
            monkeypatch.setitem(app.config, key, value)
        yield server


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """The S3 API server (moto) on the loopback address, started once; boto3 finds it through the environment."""
    with S3Server() as server, pytest.MonkeyPatch.context() as patch:
        for key, value in {**ENVIRONMENT, "AWS_ENDPOINT_URL": server.url}.items():
            patch.setenv(key, value)
        yield server


@pytest.fixture
def s3_bucket(app, s3_server, monkeypatch) -> storage.S3Storage:
    """The app keeps its uploads in a new, empty bucket (under a prefix) on the loopback S3 server."""
    name = f"test-{secrets.token_hex(8)}"
    monkeypatch.setitem(app.config, "STORAGE_URL", f"s3://{name}/uploads")
    bucket = storage.s3_storage(app)
    bucket.client.create_bucket(Bucket=name)
    return bucket


@pytest.fixture(params=["local", "s3"])
def upload_storage(request, app, tmp_path, monkeypatch) -> storage.Storage:
    """The test runs twice: with the uploads in a new, empty upload folder, and in a new bucket on the loopback S3
    server. Returns that storage, to look at what was stored."""
    if request.param == "s3":
        return request.getfixturevalue("s3_bucket")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return storage.local_storage(app)


def stored_keys(backend: storage.Storage, subfolder: str) -> list[str]:
    """The keys of the files stored under `subfolder`, sorted."""
    return sorted(key for key, _info in backend.items() if key.startswith(f"{subfolder}/"))


@pytest.fixture
def failing_commit(db, monkeypatch) -> list[int]:
    """The commit of the next request fails, as when the database goes away (the test client's own commit before
    the request still goes through). Returns the commits tried, so a test can see the request got that far."""
    db.session.commit()
    real_commit = db.session.commit
    calls: list[int] = []

    def commit():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database gone")
        real_commit()

    monkeypatch.setattr(db.session, "commit", commit)
    return calls


@pytest.fixture
def park(db):
    return factories.make_park(name="Lage Weide")


@pytest.fixture
def survey(park) -> Survey:
    """An OPEN survey of the park's active cycle with the default questionnaire and letter, open from a week ago
    for another three weeks (real dates: the respondent pages check them against today)."""
    today = date.today()
    survey = Survey(
        park=park,
        cycle=active_cycle(park),
        title="Enquête veiligheid Lage Weide",
        definition=load_default(),
        status=SurveyStatus.OPEN,
        opens_on=today - timedelta(days=7),
        closes_on=today + timedelta(days=21),
        letter_text=DEFAULT_LETTER,
        letter_signatory="Burgemeester J. Jansen",
        public_token=None,
    )
    _db.session.add(survey)
    _db.session.flush()
    return survey


@pytest.fixture
def other_park(db):
    return factories.make_park(name="Papendorp")


@pytest.fixture
def login_as(app, db):
    """login_as(user) -> a client logged in as that user."""

    def login(user) -> Client:
        return app.test_client().login(user)

    return login


@pytest.fixture
def admin(db):
    return factories.make_user(email="admin@example.nl", name="Ada Admin", is_admin=True)


@pytest.fixture(params=[role.value for role in Role])
def role(request) -> Role:
    return Role(request.param)


def pytest_terminal_summary(terminalreporter):
    """Say how many browser tests ran, so a run without a browser cannot pass unnoticed."""
    passed = [r for r in terminalreporter.stats.get("passed", []) if "e2e" in r.keywords]
    failed = [r for r in terminalreporter.stats.get("failed", []) if "e2e" in r.keywords]
    terminalreporter.write_line(f"browser tests passed: {len(passed)} (failed: {len(failed)})")
