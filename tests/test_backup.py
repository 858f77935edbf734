"""Backup and restore of a SQLite installation: a restored backup equals the database at backup time, row for
row, with its uploads; what is not a backup of this app is refused and changes nothing."""

from __future__ import annotations

import secrets
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import stamp
from sqlalchemy import select

from app import ROOT, create_app, storage
from app.auth.models import User
from app.backup import POSTGRES_HINT, BackupError, backup, check_backup, restore, uploads_archive
from app.extensions import db
from app.parks.models import Park
from tests.factories import make_company, make_park, make_user


def _snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a SQLite file, in a stable order."""
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            # table names come from sqlite_master
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)  # noqa: S608
            for table in tables
        }


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _first_revision() -> str:
    return list(ScriptDirectory(str(ROOT / "migrations")).walk_revisions())[-1].revision


@pytest.fixture
def live(tmp_path) -> Path:
    return tmp_path / "live.sqlite"


@pytest.fixture
def uploads(tmp_path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def file_app(tmp_path, live, uploads):
    """An app on a SQLite file with the current schema, stamped at the migrations' head, and seeded."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{live}", "UPLOAD_FOLDER": str(uploads)})
    with app.app_context():
        db.create_all()
        stamp(revision="head")
        park = make_park(name="Lage Weide")
        make_company(park, name="Bakkerij Jansen")
        make_user(email="anna@example.nl", name="Anna")
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def target(tmp_path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder / "vb.sqlite"


def _change_everything() -> None:
    db.session.scalar(select(Park).filter_by(name="Lage Weide")).name = "Hernoemd"
    db.session.delete(db.session.scalar(select(User).filter_by(email="anna@example.nl")))
    make_park(name="Na de back-up")
    db.session.commit()


def test_restore_brings_back_every_table_as_it_was_at_backup_time(file_app, live, target):
    at_backup = _snapshot(live)
    assert at_backup["parks"] and at_backup["users"] and at_backup["companies"] and at_backup["cycles"]
    with file_app.app_context():
        result = backup(target)
        assert result.database == target.resolve()
        assert _snapshot(target) == at_backup

        _change_everything()
        assert _snapshot(live) != at_backup

        found = restore(target)
        assert found.at_head
        assert _snapshot(live) == at_backup
        # the app's own session sees the restored data, without a restart
        assert db.session.scalar(select(Park.name).order_by(Park.id)) == "Lage Weide"
        assert db.session.scalar(select(User).filter_by(email="anna@example.nl")).name == "Anna"
        assert db.session.scalar(select(Park).filter_by(name="Na de back-up")) is None


def test_backup_is_a_consistent_snapshot_while_a_write_is_in_progress(file_app, target):
    with file_app.app_context():
        make_park(name="Nog niet vastgelegd")  # flushed: the session holds an open write transaction
        backup(target)
        db.session.rollback()
    names = [row[1] for row in _snapshot(target)["parks"]]
    assert "Lage Weide" in names
    assert "Nog niet vastgelegd" not in names


def test_the_uploads_come_back_exactly_as_they_were(file_app, uploads, target):
    (uploads / "findings").mkdir(parents=True)
    (uploads / "findings" / "a.jpg").write_bytes(b"photo a")
    (uploads / "camera-documents").mkdir()
    (uploads / "camera-documents" / "b.pdf").write_bytes(b"%PDF document b")
    at_backup = _files(uploads)
    with file_app.app_context():
        result = backup(target)
    assert result.uploads == uploads_archive(target.resolve())
    with tarfile.open(result.uploads) as tar:
        assert {"findings/a.jpg", "camera-documents/b.pdf"} <= set(tar.getnames())

    (uploads / "findings" / "a.jpg").write_bytes(b"overwritten")
    (uploads / "camera-documents" / "b.pdf").unlink()
    (uploads / "findings" / "new.jpg").write_bytes(b"added after the backup")
    with file_app.app_context():
        assert restore(target).uploads is not None
    assert _files(uploads) == at_backup
    # nothing of the swap is left beside the folder
    assert sorted(path.name for path in uploads.parent.iterdir() if path.name.startswith(".")) == []


def test_without_an_upload_folder_only_the_database_is_backed_up(file_app, target):
    stale = uploads_archive(target)
    stale.write_bytes(b"an archive of an older backup")
    target.write_bytes(b"an older backup")
    with file_app.app_context():
        result = backup(target, force=True)
        assert result.uploads is None
        # restore would otherwise unpack uploads that do not belong to this database
        assert not stale.exists()
        assert check_backup(target).uploads is None


def test_a_failed_backup_leaves_no_file_with_the_final_name(file_app, uploads, target, monkeypatch):
    uploads.mkdir()
    (uploads / "a.jpg").write_bytes(b"photo")

    def broken_add(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(tarfile.TarFile, "add", broken_add)
    with file_app.app_context(), pytest.raises(OSError, match="disk full"):
        backup(target)
    assert not uploads_archive(target).exists()
    assert [path.name for path in target.parent.iterdir()] == [target.name]


def test_backup_refuses_an_existing_target_unless_forced(file_app, live, target):
    target.write_bytes(b"keep me")
    with file_app.app_context():
        with pytest.raises(BackupError, match="exists already"):
            backup(target)
        assert target.read_bytes() == b"keep me"
        uploads_archive(target).write_bytes(b"keep me too")
        target.unlink()
        with pytest.raises(BackupError, match="exists already"):
            backup(target)
        backup(target, force=True)
    assert _snapshot(target) == _snapshot(live)


def test_backup_refuses_the_live_database_as_target(file_app, live):
    at_start = _snapshot(live)
    with file_app.app_context(), pytest.raises(BackupError, match="live database"):
        backup(live, force=True)
    assert _snapshot(live) == at_start


def test_an_in_memory_database_is_refused(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        with pytest.raises(BackupError, match="in memory"):
            backup(tmp_path / "never-written.sqlite")
        with pytest.raises(BackupError, match="in memory"):
            restore(tmp_path / "never-read.sqlite")
        db.engine.dispose()
    assert list(tmp_path.iterdir()) == []


def test_postgresql_is_refused_with_the_pg_dump_commands(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    with app.app_context():
        with pytest.raises(BackupError) as refused:
            backup(tmp_path / "x.sqlite")
        assert refused.value.args[0] == POSTGRES_HINT
        assert 'pg_dump -Fc "$DATABASE_URL"' in POSTGRES_HINT
        assert 'pg_restore --clean --if-exists -d "$DATABASE_URL"' in POSTGRES_HINT
        with pytest.raises(BackupError, match="pg_restore"):
            restore(tmp_path / "x.sqlite")
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 1
    assert "pg_dump -Fc" in result.output
    assert not (tmp_path / "x.sqlite").exists()


def _sqlite_file(path: Path, *statements: str, revision: str | None = None) -> Path:
    with closing(sqlite3.connect(path)) as connection:
        for statement in statements:
            connection.execute(statement)
        if revision:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
            connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        connection.commit()
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: path.write_bytes(b"not a database at all, just text" * 100), "not a SQLite database"),
        (lambda path: _sqlite_file(path, "CREATE TABLE notes (text TEXT)"), "no alembic_version"),
        (
            lambda path: _sqlite_file(path, revision="0123456789ab"),
            "unknown migration revision: 0123456789ab",
        ),
        (lambda path: None, "does not exist"),
    ],
    ids=["text-file", "sqlite-without-alembic", "unknown-revision", "missing"],
)
def test_restore_refuses_what_is_not_a_backup_of_this_app_and_changes_nothing(
    file_app, live, uploads, tmp_path, make, message
):
    source = tmp_path / "suspect.sqlite"
    make(source)
    uploads.mkdir()
    (uploads / "a.jpg").write_bytes(b"photo")
    uploads_archive(source).write_bytes(b"would replace the uploads")
    at_start = _snapshot(live)
    with file_app.app_context(), pytest.raises(BackupError, match=message):
        restore(source)
    assert _snapshot(live) == at_start
    assert _files(uploads) == {"a.jpg": b"photo"}


def test_restore_refuses_an_uploads_archive_that_escapes_its_folder(file_app, live, uploads, target, tmp_path):
    with file_app.app_context():
        backup(target)
    evil = tmp_path / "evil.txt"
    evil.write_text("outside")
    with tarfile.open(uploads_archive(target), "w:gz") as tar:
        tar.add(evil, arcname="../escaped.txt")
    with file_app.app_context():
        _change_everything()
        changed = _snapshot(live)
        with pytest.raises(BackupError, match="cannot be unpacked"):
            restore(target)
    assert _snapshot(live) == changed
    assert not (uploads.parent / "escaped.txt").exists()


def test_cli_backup_and_restore_round_trip(file_app, live, uploads, target):
    uploads.mkdir()
    (uploads / "a.jpg").write_bytes(b"photo")
    at_backup = _snapshot(live)
    runner = file_app.test_cli_runner()

    def invoke(*args, **kwargs):
        with file_app.app_context():  # as `flask` itself runs the app's commands
            return runner.invoke(*args, **kwargs)

    made = invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert f"Database backed up to {target.resolve()}" in made.output
    assert f"Uploads backed up to {uploads_archive(target.resolve())}" in made.output
    again = invoke(args=["backup", str(target)])
    assert again.exit_code == 1
    assert "exists already" in again.output

    with file_app.app_context():
        _change_everything()
    (uploads / "a.jpg").unlink()
    changed = _snapshot(live)

    declined = invoke(args=["restore", str(target)], input="n\n")
    assert declined.exit_code == 1
    assert f"Replace the database {live.resolve()} and the uploads" in declined.output
    assert _snapshot(live) == changed

    confirmed = invoke(args=["restore", str(target)], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "Restored the database" in confirmed.output
    assert "db upgrade" not in confirmed.output
    assert _snapshot(live) == at_backup
    assert _files(uploads) == {"a.jpg": b"photo"}


def test_cli_restore_with_yes_does_not_ask_and_points_to_upgrade_for_an_older_backup(file_app, live, tmp_path):
    old = tmp_path / "old.sqlite"
    _sqlite_file(old, "CREATE TABLE notes (text TEXT)", revision=_first_revision())
    with file_app.app_context():  # as `flask` itself runs the app's commands
        result = file_app.test_cli_runner().invoke(args=["restore", "--yes", str(old)])
    assert result.exit_code == 0, result.output
    assert "Replace" not in result.output
    assert "run `flask --app app db upgrade`" in result.output
    assert _snapshot(live) == _snapshot(old)


def test_cli_restore_refuses_a_file_that_is_not_a_backup(file_app, live, tmp_path):
    source = _sqlite_file(tmp_path / "other.sqlite", "CREATE TABLE notes (text TEXT)")
    at_start = _snapshot(live)
    with file_app.app_context():
        result = file_app.test_cli_runner().invoke(args=["restore", "--yes", str(source)])
    assert result.exit_code == 1
    assert "no alembic_version table" in result.output
    assert _snapshot(live) == at_start


# uploads in a bucket (STORAGE_URL) ------------------------------------------------------------------------------

PHOTO = f"findings/{'a' * 32}.jpg"
DOCUMENT = f"camera-documents/{'b' * 32}.pdf"
LOGO = f"logos/{'c' * 32}.jpg"


@pytest.fixture
def bucket(file_app, s3_server) -> storage.S3Storage:
    name = f"backup-{secrets.token_hex(6)}"
    file_app.config["STORAGE_URL"] = f"s3://{name}/vb"
    bucket = storage.s3_storage(file_app)
    bucket.client.create_bucket(Bucket=name)
    return bucket


def _objects(bucket: storage.S3Storage) -> dict[str, bytes]:
    return {key: bucket.get(key) for key, _info in bucket.items()}


def test_with_a_bucket_the_backup_holds_its_uploads_and_restore_brings_them_back(file_app, uploads, target, bucket):
    for key, data in {PHOTO: b"photo", DOCUMENT: b"%PDF document"}.items():
        bucket.put(key, data)
    at_backup = _objects(bucket)
    with file_app.app_context():
        result = backup(target)
    with tarfile.open(result.uploads) as tar:
        assert sorted(member.name for member in tar.getmembers() if member.isfile()) == sorted(at_backup)

    bucket.put(PHOTO, b"overwritten")
    bucket.delete(DOCUMENT)
    bucket.put(LOGO, b"added after the backup")
    with file_app.app_context():
        assert restore(target).uploads is not None
    assert _objects(bucket) == at_backup
    # the bucket was restored, not the folder; no temporary folder is left behind
    assert not uploads.exists()
    assert sorted(path.name for path in target.parent.iterdir()) == sorted([target.name, result.uploads.name])


def test_the_cli_backs_up_a_bucket_and_refuses_one_it_cannot_reach(file_app, target, bucket):
    bucket.put(PHOTO, b"photo")
    with file_app.app_context():  # as `flask` itself runs the app's commands
        made = file_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert f"Uploads backed up to {uploads_archive(target.resolve())}" in made.output
    made_at = target.stat().st_mtime_ns
    file_app.config["STORAGE_URL"] = "s3://no-such-bucket/vb"
    with file_app.app_context():
        refused = file_app.test_cli_runner().invoke(args=["backup", str(target), "--force"])
    assert refused.exit_code == 1 and "cannot be reached" in refused.output
    assert target.stat().st_mtime_ns == made_at  # nothing was overwritten
