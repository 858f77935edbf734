"""Backing up and restoring a SQLite installation: the database (online, via SQLite's backup API) and the uploads
(the upload folder, or the bucket's objects when STORAGE_URL is set).

PostgreSQL is backed up with its own tools (`pg_dump` / `pg_restore`, see POSTGRES_HINT); these functions refuse it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app

from app import storage, uploads
from app.db import connect_sqlite
from app.extensions import db

UPLOADS_SUFFIX = ".uploads.tar.gz"
POSTGRES_HINT = (
    "This database is PostgreSQL: back it up with its own tools, e.g.\n"
    '  pg_dump -Fc "$DATABASE_URL" > backup.dump\n'
    "and restore with\n"
    '  pg_restore --clean --if-exists -d "$DATABASE_URL" backup.dump\n'
    "(use a postgresql:// URL without '+psycopg'), and copy UPLOAD_FOLDER alongside (for the bucket of\n"
    "STORAGE_URL see 'Uploads and object storage' in docs/operations.md)."
)


class BackupError(Exception):
    """A backup or restore was refused; the message says why (shown to the operator as it is)."""


@dataclass(frozen=True)
class BackupResult:
    database: Path
    #: the archive of the uploads, None when there was no upload folder (a bucket is always archived)
    uploads: Path | None


@dataclass(frozen=True)
class BackupCheck:
    """What a backup file holds, found before anything is replaced."""

    database: Path
    revision: str
    at_head: bool
    #: the uploads archive beside it, None when there is none
    uploads: Path | None


def uploads_archive(path: Path) -> Path:
    """Where the uploads of the database backup `path` are (or go): `<path>.uploads.tar.gz`."""
    return path.with_name(path.name + UPLOADS_SUFFIX)


def live_database() -> Path:
    """The SQLite file the app's engine uses. Raises BackupError for PostgreSQL and for an in-memory database."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupError(POSTGRES_HINT)
    if url.database in (None, "", ":memory:") or url.database.startswith("file::memory:"):
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    return Path(url.database).resolve()


def backup(target: Path | str, *, force: bool = False) -> BackupResult:
    """Copy the live SQLite database to `target` and the uploads to `<target>.uploads.tar.gz`: UPLOAD_FOLDER (when
    it exists), or every upload in the bucket when STORAGE_URL is set (copied into a temporary folder first).

    The copy uses SQLite's online backup API in one step, so it is a consistent snapshot while the app keeps
    running. Both files are written under a temporary name beside the target and renamed when complete, so a
    half-written backup never has the final name. Raises BackupError for PostgreSQL, an in-memory database, a
    target that is the live database, and an existing target or archive (unless `force`).
    """
    source = live_database()
    target = Path(target).resolve()
    archive = uploads_archive(target)
    if target == source:
        raise BackupError(f"{target} is the live database itself; choose another file.")
    if not force and (target.exists() or archive.exists()):
        existing = target if target.exists() else archive
        raise BackupError(f"{existing} exists already; choose another name or pass --force to overwrite it.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    # an unreachable bucket is refused before anything is written: never a new database beside an old archive
    bucket = _reachable_bucket() if storage.is_s3() else None

    with _temporary_beside(target) as partial:
        with closing(connect_sqlite(source, read_only=True)) as live, closing(connect_sqlite(partial)) as copy:
            live.backup(copy)
        os.replace(partial, target)

    with _uploads_to_archive(bucket, beside=archive) as folder:
        if folder is None:
            # a forced backup must not leave an older archive beside it that restore would unpack
            archive.unlink(missing_ok=True)
            return BackupResult(database=target, uploads=None)
        with _temporary_beside(archive) as partial:
            with tarfile.open(partial, "w:gz") as tar:
                for child in sorted(folder.iterdir()):
                    tar.add(child, arcname=child.name)
            os.replace(partial, archive)
    return BackupResult(database=target, uploads=archive)


@contextmanager
def _uploads_to_archive(bucket: storage.S3Storage | None, *, beside: Path) -> Iterator[Path | None]:
    """The folder whose contents go into the uploads archive: UPLOAD_FOLDER (None when there is none), or for a
    bucket a temporary folder beside the archive holding a copy of its uploads."""
    if bucket is None:
        folder = Path(current_app.config["UPLOAD_FOLDER"])
        yield folder if folder.is_dir() else None
        return
    with tempfile.TemporaryDirectory(prefix=f".{beside.name}.", dir=beside.parent) as temporary:
        storage.copy_all(bucket, storage.LocalStorage(temporary), keep=uploads.is_stored_key)
        yield Path(temporary)


def check_backup(source: Path | str) -> BackupCheck:
    """Make sure `source` is a SQLite database of this app: it opens, passes SQLite's quick check, and has an
    alembic_version with a revision of this app's migrations. Raises BackupError otherwise. Changes nothing.
    """
    source = Path(source).resolve()
    if not source.is_file():
        raise BackupError(f"{source} does not exist.")
    try:
        with closing(connect_sqlite(source, read_only=True)) as connection:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{source} is a damaged SQLite database.")
            has_versions = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has_versions:
                raise BackupError(f"{source} is not a database of this app (it has no alembic_version table).")
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite database ({error}).") from None
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    known = {revision.revision for revision in script.walk_revisions()}
    if len(rows) != 1 or rows[0][0] not in known:
        found = ", ".join(str(row[0]) for row in rows) or "none"
        raise BackupError(f"{source} is not a database of this app (unknown migration revision: {found}).")
    archive = uploads_archive(source)
    return BackupCheck(
        database=source,
        revision=rows[0][0],
        at_head=rows[0][0] == script.get_current_head(),
        uploads=archive if archive.is_file() else None,
    )


def restore(source: Path | str) -> BackupCheck:
    """Replace the live SQLite database with the backup `source`, and the uploads (UPLOAD_FOLDER, or the bucket's
    uploads when STORAGE_URL is set) with its uploads archive when one lies beside it.
    Returns what was restored (run `flask db upgrade` when it is not at head).

    The backup is checked first (check_backup) and the archive unpacked into a temporary folder, so a refused
    or broken backup changes nothing. The database is written through SQLite's backup API, which takes the
    file's lock; stop the web and scheduler processes first so that nobody works on data that disappears.
    Raises BackupError for PostgreSQL, an in-memory database, a source that is the live database, and a file
    that is not a backup of this app.
    """
    target = live_database()
    found = check_backup(source)
    if found.database == target:
        raise BackupError(f"{found.database} is the live database itself.")
    folder = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    bucket = _reachable_bucket() if found.uploads and storage.is_s3() else None
    unpacked = _unpack_beside(found.uploads, folder) if found.uploads else None
    try:
        # this process's own connections must not hold a transaction (and its lock) on the file
        db.session.remove()
        db.engine.dispose()
        with (
            closing(connect_sqlite(found.database, read_only=True)) as backup_file,
            closing(connect_sqlite(target)) as live,
        ):
            backup_file.backup(live)
        if unpacked and bucket:
            _replace_bucket(unpacked, bucket)
        elif unpacked:
            _swap_folder(unpacked, folder)
            unpacked = None
    finally:
        if unpacked:
            shutil.rmtree(unpacked, ignore_errors=True)
        db.engine.dispose()
    return found


@contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A new, empty file (mode 0600) in the folder of `path`; removed on leaving unless it was renamed."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def _unpack_beside(archive: Path, uploads: Path) -> Path:
    """Unpack the uploads archive into a new folder beside UPLOAD_FOLDER; refuses members that would land
    outside it (links, absolute paths, `..`), via tarfile's data filter."""
    uploads.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{uploads.name}.restore.", dir=uploads.parent))
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise BackupError(f"{archive} cannot be unpacked ({error}).") from None
    return folder


def _reachable_bucket() -> storage.S3Storage:
    try:
        bucket = storage.s3_storage()
        bucket.ping()
    except storage.StorageError as error:
        raise BackupError(str(error)) from None
    return bucket


def _replace_bucket(unpacked: Path, bucket: storage.S3Storage) -> None:
    """Make the bucket's uploads those of the unpacked archive: copy what differs, remove what the backup lacks."""
    restored = storage.LocalStorage(unpacked)
    storage.copy_all(restored, bucket, keep=uploads.is_stored_key)
    wanted = {key for key, _info in restored.items()}
    for key, _info in list(bucket.items()):
        if uploads.is_stored_key(key) and key not in wanted:
            bucket.delete(key)


def _swap_folder(new: Path, uploads: Path) -> None:
    """Put the unpacked folder in the place of UPLOAD_FOLDER, then remove the old one."""
    old = None
    if uploads.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{uploads.name}.old.", dir=uploads.parent))
        os.replace(uploads, old / uploads.name)
    os.replace(new, uploads)
    if old:
        with suppress(OSError):
            shutil.rmtree(old)
