"""Declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import UTC, datetime
from enum import Enum as PyEnum
from pathlib import Path

from sqlalchemy import DateTime, Enum, MetaData, event, func
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)


def use_real_sqlite_transactions(engine: Engine) -> None:
    """Let SQLite transactions, savepoints and foreign keys behave as on PostgreSQL.

    pysqlite begins transactions lazily and on its own, so a SAVEPOINT can run outside any transaction and its
    RELEASE commits for good. SQLAlchemy's documented remedy: switch that off and emit BEGIN ourselves. We emit it
    just before a transaction's first statement that is not a SELECT (a write, a SAVEPOINT, DDL): the reads before
    it each see the latest committed data and hold no lock, as under PostgreSQL's READ COMMITTED. On a database
    file shared by processes (web and scheduler) that BEGIN is IMMEDIATE: it takes the write lock at once, waiting
    up to the busy timeout for another writer, instead of failing on a stale read later on; so writers take turns
    from their first write to their commit, while readers never wait for them.
    """
    begin = "BEGIN" if engine.url.database in (None, "", ":memory:") else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "connect")
    def _as_on_postgresql(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA busy_timeout=15000")
        enforce_foreign_keys(dbapi_connection)

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_first_write(connection, cursor, statement, parameters, context, executemany):
        if connection.in_transaction() and not cursor.connection.in_transaction and not _READ.match(statement):
            cursor.connection.execute(begin)


def enforce_foreign_keys(connection: sqlite3.Connection) -> None:
    """Make SQLite check foreign keys and run their ON DELETE rules, as PostgreSQL always does.

    SQLite does neither unless each connection asks, outside a transaction: every connection the app, the CLI or
    the backup code opens comes through here.
    """
    connection.execute("PRAGMA foreign_keys=ON")


def connect_sqlite(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection of our own to a SQLite file, outside the app's engine (backup and restore use SQLite's backup
    API on it): with foreign keys enforced, and waiting up to 15 s for another process's write lock."""
    if read_only:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=15)
    else:
        connection = sqlite3.connect(path, timeout=15)
    enforce_foreign_keys(connection)
    return connection


#: a pooled connection idle longer than this is pinged before use (PgBouncer's server_check_delay is 30 s)
PING_AFTER_IDLE_SECONDS = 10.0


def recover_lost_connections(engine: Engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Let the pool of a database server get over a restart, failover or cut connection without an app restart.

    A pooled connection is pinged before it is handed out when it sat idle longer than `idle_seconds`; a dead one
    is replaced. SQLAlchemy's pool_pre_ping pings at every checkout: a round trip on every request, which the
    busiest request (a survey answer: one lookup, one insert) pays for in throughput. A connection checked in
    moments ago worked moments ago. When a restart does catch one, its request gets a 503 and SQLAlchemy
    invalidates the whole pool, so the requests after it connect afresh.
    """
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _note_idle(dbapi_connection, connection_record):
        connection_record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_when_idle(dbapi_connection, connection_record, connection_proxy):
        idle_since = connection_record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # new, or used moments ago
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError("the pooled connection was dead") from error  # the pool reconnects
            raise


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and hands them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(enum_class: type[PyEnum]) -> Enum:
    """A Python enum stored by value as a plain string column, so SQLite and PostgreSQL agree."""
    return Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, server_default=func.now())
