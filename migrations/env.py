"""Alembic environment for Flask-Migrate: the app's engine and metadata, batch mode for SQLite."""

import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write app column types (e.g. UTCDateTime) as the plain type they store, so migrations never import app code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run_migrations_offline():
    context.configure(
        url=target_db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
        render_item=render_item,
        **current_app.extensions["migrate"].configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # An autogenerate without changes writes no empty revision file.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)

    with target_db.engine.connect() as connection, sqlite_foreign_keys_off(connection) as checks:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            render_item=render_item,
            on_version_apply=checks,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()


@contextmanager
def sqlite_foreign_keys_off(connection):
    """SQLite's procedure for schema changes: foreign keys off, change, check, foreign keys on again.

    Batch mode changes a SQLite table by copying it, dropping the old one and renaming the copy. With foreign keys
    on, that DROP would delete the rows that refer to the table (ON DELETE CASCADE) or be refused: a migration
    would silently lose data. So they are off for the migrations' connection alone (the app's connections have
    them on, app.db), and each migration is checked before its commit instead: one that leaves a row whose foreign
    key points nowhere is rolled back with an error. Yields the on_version_apply callbacks for that check.
    """
    if connection.dialect.name != "sqlite":
        yield ()
        return
    sqlite = connection.connection.driver_connection  # past the app's BEGIN: the pragma is a no-op in a transaction
    sqlite.execute("PRAGMA foreign_keys=OFF")
    dangling_before = _dangling_rows(sqlite)

    def refuse_new_dangling_rows(ctx, step, heads, run_args):
        dangling = _dangling_rows(sqlite) - dangling_before
        if dangling:
            tables = ", ".join(sorted({table for table, *_ in dangling}))
            raise RuntimeError(f"{step} would leave rows whose foreign key points nowhere in {tables}; rolled back.")

    try:
        yield (refuse_new_dangling_rows,)
    finally:
        sqlite.execute("PRAGMA foreign_keys=ON")
        if sqlite.in_transaction:  # the pragma did nothing: this connection must not go back to the pool
            connection.invalidate()


def _dangling_rows(sqlite) -> set[tuple]:
    """(table, rowid, parent table, foreign key id) of every row whose foreign key points nowhere."""
    return set(sqlite.execute("PRAGMA foreign_key_check").fetchall())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
