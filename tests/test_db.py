"""The database plumbing of app.db: the ping of idle pooled connections, SQLite's transactions and foreign keys."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from contextlib import closing

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from app import ROOT, create_app
from app.auth.models import Membership, Role
from app.db import connect_sqlite, recover_lost_connections, use_real_sqlite_transactions
from app.extensions import db as _db
from tests.databases import throwaway_database_url
from tests.factories import make_user


@pytest.fixture
def one_connection_engine(tmp_path):
    """engine(idle_seconds) -> an engine on an empty database whose pool holds one connection, pinged when idle."""
    engines = []
    with throwaway_database_url(tmp_path, "ping") as url:

        def make(idle_seconds: float):
            engine = create_engine(url, pool_size=1, max_overflow=0)
            recover_lost_connections(engine, idle_seconds)
            engines.append(engine)
            return engine

        yield make
        for engine in engines:
            engine.dispose()


def _kill_pooled_connection(engine):
    """End the pooled connection behind the pool's back, as a database restart or a firewall does: on PostgreSQL
    the server ends its backend ("terminating connection due to administrator command"); a SQLite file connection
    is closed."""
    with engine.connect() as connection:
        driver_connection = connection.connection.dbapi_connection
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one() if _postgresql(engine) else None
    if pid is None:
        driver_connection.close()
        return driver_connection
    other = create_engine(engine.url, poolclass=NullPool)
    with other.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar_one()
    other.dispose()
    return driver_connection


def _postgresql(engine) -> bool:
    return engine.dialect.name == "postgresql"


def test_a_dead_connection_that_sat_idle_is_replaced_before_use(one_connection_engine):
    engine = one_connection_engine(idle_seconds=0)
    dead = _kill_pooled_connection(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        assert connection.connection.dbapi_connection is not dead


def test_a_connection_used_moments_ago_is_not_pinged_and_a_failure_invalidates_the_pool(one_connection_engine):
    """No round trip for a connection that just worked. When a restart catches one all the same, that request
    fails as a lost connection (the app answers 503) and the next one connects afresh: no restart needed."""
    engine = one_connection_engine(idle_seconds=60)
    dead = _kill_pooled_connection(engine)
    with pytest.raises(DBAPIError) as failure, engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert failure.value.connection_invalidated
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        assert connection.connection.dbapi_connection is not dead


sqlite_only = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's own transactions")


@pytest.fixture
def sqlite_file(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'transactions.sqlite'}")
    use_real_sqlite_transactions(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    yield engine
    engine.dispose()


def _in_sqlite_transaction(connection) -> bool:
    return connection.connection.dbapi_connection.in_transaction


@sqlite_only
def test_sqlite_reads_neither_wait_for_a_writer_nor_see_its_uncommitted_rows(sqlite_file):
    with sqlite_file.connect() as writer, sqlite_file.connect() as reader:
        with writer.begin():
            writer.execute(text("INSERT INTO notes VALUES ('nog niet vastgelegd')"))
            assert _in_sqlite_transaction(writer)  # the write took the lock (BEGIN IMMEDIATE)
            with reader.begin():
                assert reader.execute(text("SELECT count(*) FROM notes")).scalar_one() == 0
                assert not _in_sqlite_transaction(reader)  # a read alone holds no lock
        with reader.begin():
            assert reader.execute(text("SELECT count(*) FROM notes")).scalar_one() == 1


@sqlite_only
def test_sqlite_savepoints_stay_inside_the_transaction(sqlite_file):
    """A SAVEPOINT as the first statement begins the transaction, so that releasing it commits nothing yet."""
    with sqlite_file.connect() as connection:
        outer = connection.begin()
        with connection.begin_nested():
            connection.execute(text("INSERT INTO notes VALUES ('teruggedraaid')"))
        outer.rollback()
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar_one() == 0


def test_a_foreign_key_that_points_nowhere_is_refused(db):
    """On SQLite as on PostgreSQL: SQLite checks foreign keys only on connections that ask for it (app.db)."""
    user = make_user()
    db.session.add(Membership(user=user, park_id=987654, role=Role.ADVISOR))
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        db.session.flush()
    db.session.rollback()


@sqlite_only
def test_every_connection_of_the_app_enforces_foreign_keys(app, db, tmp_path):
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    on_file = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.sqlite'}"})
    with on_file.app_context(), _db.engine.connect() as first, _db.engine.connect() as second:
        # on the driver's connection: through SQLAlchemy a PRAGMA would begin a transaction that takes the write lock
        pragmas = [c.connection.driver_connection.execute("PRAGMA foreign_keys").fetchone() for c in (first, second)]
        assert pragmas == [(1,), (1,)]
        _db.engine.dispose()
    with closing(connect_sqlite(tmp_path / "app.sqlite", read_only=True)) as backups_own:
        assert backups_own.execute("PRAGMA foreign_keys").fetchone() == (1,)


@sqlite_only
def test_the_command_line_enforces_foreign_keys(tmp_path):
    """`flask --app app shell` in a process of its own, on a SQLite file: a dangling reference is refused."""
    env = {
        **os.environ,
        "APP_ENV": "development",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
    }
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    script = (
        "from sqlalchemy import text\n"
        "db.create_all()\n"
        "print('foreign_keys', db.session.execute(text('PRAGMA foreign_keys')).scalar_one())\n"
        "try:\n"
        "    db.session.execute(text(\"INSERT INTO memberships (user_id, park_id, role) VALUES (5, 6, 'advisor')\"))\n"
        "    db.session.commit()\n"
        "except Exception as error:\n"
        "    print('refused', type(error).__name__)\n"
        "\n"
    )
    shell = subprocess.run([*flask, "shell"], input=script, env=env, cwd=ROOT, capture_output=True, text=True)
    assert "foreign_keys 1" in shell.stdout, shell.stderr
    assert "refused IntegrityError" in shell.stdout, shell.stderr
