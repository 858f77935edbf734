"""Declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum as PyEnum

from sqlalchemy import DateTime, Enum, MetaData, event, func
from sqlalchemy.engine import Dialect, Engine
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


def use_real_sqlite_transactions(engine: Engine) -> None:
    """Let SQLite transactions and savepoints behave as on PostgreSQL.

    pysqlite begins transactions lazily and on its own, so a SAVEPOINT can run outside any transaction and its
    RELEASE commits for good. SQLAlchemy's documented remedy: switch that off and emit BEGIN ourselves.
    On a database file shared by processes (web and scheduler) every transaction begins IMMEDIATE: they take
    turns (waiting up to the busy timeout) instead of failing when one writes after reading a stale snapshot.
    That costs concurrency, which is what PostgreSQL is for in production.
    """
    begin = "BEGIN" if engine.url.database in (None, "", ":memory:") else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "connect")
    def _no_pysqlite_transactions(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA busy_timeout=15000")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql(begin)


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
