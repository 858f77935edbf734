"""Every migration runs up and back down, one step at a time, and the models match the migrated schema."""

from __future__ import annotations

import pytest
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
