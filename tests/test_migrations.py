"""Every migration runs up and back down, one step at a time, and the models match the migrated schema."""

from __future__ import annotations

import os
import shutil

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import ROOT, create_app
from app.extensions import db
from tests.databases import throwaway_database_url


def _revisions_in_order() -> list[str]:
    script = ScriptDirectory(str(ROOT / "migrations"))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


@pytest.fixture
def migration_db_url(tmp_path):
    with throwaway_database_url(tmp_path, "migrations") as url:
        yield url


def test_every_migration_goes_up_and_down_and_matches_the_models(migration_db_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": migration_db_url})
    revisions = _revisions_in_order()
    assert revisions, "no migrations found"
    with app.app_context():
        for revision in revisions:
            upgrade(revision=revision)
        assert {"users", "organisations", "parks", "memberships", "audit_events"} <= set(
            inspect(db.engine).get_table_names()
        )
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"

        for revision in reversed(revisions[:-1]):
            downgrade(revision=revision)
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

        upgrade(revision="head")
        try:
            assert "users" in inspect(db.engine).get_table_names()
        finally:
            db.engine.dispose()


sqlite_only = pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's foreign keys")

_organisations = sa.table("organisations", sa.column("id"), sa.column("name"), sa.column("type"))
_parks = sa.table("parks", sa.column("id"), sa.column("name"), sa.column("municipality_id"), sa.column("status"))
_users = sa.table(
    "users",
    sa.column("id"),
    sa.column("email"),
    sa.column("name"),
    sa.column("organisation_id"),
    sa.column("is_admin", sa.Boolean),
    sa.column("is_active", sa.Boolean),
    sa.column("locale"),
    sa.column("session_key"),
)
_memberships = sa.table("memberships", sa.column("user_id"), sa.column("park_id"), sa.column("role"))


def _user(id: int, organisation_id: int | None = None) -> dict:
    return {
        "id": id,
        "email": f"u{id}@example.nl",
        "name": "U",
        "organisation_id": organisation_id,
        "is_admin": False,
        "is_active": True,
        "locale": "nl",
        "session_key": f"key-{id}",
    }


def _count(connection, table: str) -> int:
    return connection.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()


def test_a_migration_that_rebuilds_a_table_keeps_the_rows_that_refer_to_it(migration_db_url):
    """Batch mode rebuilds a SQLite table to drop a column (copy, drop, rename). With foreign keys on, dropping the
    old table would delete every row that refers to it by ON DELETE CASCADE: the migrations run with them off."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": migration_db_url})
    with app.app_context():
        upgrade(revision="920087381d29")
        with db.engine.begin() as connection:
            connection.execute(_organisations.insert().values(id=1, name="Utrecht", type="gemeente"))
            connection.execute(_parks.insert().values(id=1, name="Lage Weide", municipality_id=1, status="active"))
            connection.execute(_users.insert().values(_user(1)))
            connection.execute(_memberships.insert().values(user_id=1, park_id=1, role="advisor"))
        downgrade(revision="8add6199aa4f")  # drops the park's area columns: batch mode rebuilds `parks`
        try:
            with db.engine.connect() as connection:
                assert _count(connection, "memberships") == 1
                if connection.dialect.name == "sqlite":  # and the migrations' connection went back with them on
                    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        finally:
            db.engine.dispose()


@sqlite_only
def test_the_rules_that_never_ran_on_sqlite_are_applied_once(migration_db_url):
    """A database from the days of SQLite without foreign keys: a deleted park's memberships and a deleted
    organisation's users were left behind. The upgrade applies ON DELETE CASCADE and SET NULL to them."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": migration_db_url})
    with app.app_context():
        upgrade(revision="3c6b92762ba4")
        with db.engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # as it was
            connection.execute(_organisations.insert().values(id=1, name="Utrecht", type="gemeente"))
            connection.execute(_parks.insert().values(id=1, name="Lage Weide", municipality_id=1, status="active"))
            connection.execute(_parks.insert().values(id=2, name="Weg", municipality_id=99, status="active"))
            connection.execute(_users.insert().values([_user(1, organisation_id=1), _user(2, organisation_id=77)]))
            connection.execute(
                _memberships.insert().values(
                    [
                        {"user_id": 1, "park_id": 1, "role": "advisor"},
                        {"user_id": 1, "park_id": 42, "role": "advisor"},  # park 42 was deleted
                        {"user_id": 3, "park_id": 1, "role": "partner"},  # user 3 was deleted
                    ]
                )
            )
            connection.commit()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        upgrade()
        try:
            with db.engine.connect() as connection:
                assert connection.execute(sa.text("SELECT user_id, park_id FROM memberships")).all() == [(1, 1)]
                assert dict(connection.execute(sa.text("SELECT id, organisation_id FROM users")).all()) == {
                    1: 1,
                    2: None,
                }
                # a park of a deleted municipality has no rule to apply (RESTRICT): it is left for the operator
                assert _count(connection, "parks") == 2
        finally:
            db.engine.dispose()


@sqlite_only
def test_a_migration_that_leaves_rows_pointing_nowhere_is_rolled_back(tmp_path, migration_db_url):
    directory = tmp_path / "migrations"
    (directory / "versions").mkdir(parents=True)
    for name in ("env.py", "alembic.ini", "script.py.mako"):
        shutil.copy(ROOT / "migrations" / name, directory / name)
    (directory / "versions" / "a_tables.py").write_text(
        'from alembic import op\nrevision, down_revision, branch_labels, depends_on = "a", None, None, None\n'
        "def upgrade():\n"
        '    op.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")\n'
        '    op.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))")\n'
        '    op.execute("INSERT INTO parent VALUES (1)")\n'
        '    op.execute("INSERT INTO child VALUES (1, 1)")\n'
    )
    (directory / "versions" / "b_careless.py").write_text(
        'from alembic import op\nrevision, down_revision, branch_labels, depends_on = "b", "a", None, None\n'
        'def upgrade():\n    op.execute("DELETE FROM parent")\n'
    )
    app = create_app({"SQLALCHEMY_DATABASE_URI": migration_db_url})
    with app.app_context():
        upgrade(directory=str(directory), revision="a")
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
            upgrade(directory=str(directory), revision="b")
        try:
            with db.engine.connect() as connection:
                assert _count(connection, "parent") == 1
                assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "a"
        finally:
            db.engine.dispose()
