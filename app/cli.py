"""Command-line tasks: `flask --app app seed-demo`, `create-admin`, `backup`, `restore`, `storage copy` and
`bench-data`, `sso sync`."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import click
import pyotp
from flask import Flask
from flask.cli import AppGroup

from app import storage, uploads
from app.auth.demo import DEMO_TOTP_SECRET, DEMO_TWO_FACTOR_ACCOUNTS
from app.auth.models import User
from app.auth.services import find_user_by_email, normalise_email, set_password
from app.backup import BackupError, backup, check_backup, live_database, restore
from app.benchdata import AlreadyHasParks, generate
from app.clock import local_today
from app.demo import DEMO_PASSWORD
from app.demo.seed import seed_demo_data
from app.errors import DomainError
from app.extensions import db


def init_app(app: Flask) -> None:
    from app.jobs.runner import jobs_cli

    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(demo_code)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(storage_cli)
    app.cli.add_command(bench_data)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(sso_cli)


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill the database with a realistic demo (idempotent) and print the demo accounts."""
    accounts = seed_demo_data(now=datetime.now(UTC))
    db.session.commit()
    click.echo(f"Demo-accounts (wachtwoord / password: {DEMO_PASSWORD}):")
    for email, description, _password in accounts:
        click.echo(f"  {email:45} {description}")
    click.echo(
        f"Tweestapsverificatie / two-factor ({', '.join(DEMO_TWO_FACTOR_ACCOUNTS)}): demosleutel / demo key "
        f"{DEMO_TOTP_SECRET} (authenticator-app), of / or: flask --app app demo-code"
    )


@click.command("demo-code")
def demo_code() -> None:
    """Print the current code of the demo authenticator key (demo accounts beheer@ and camera@)."""
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())


sso_cli = AppGroup("sso", help="Single sign-on: identity providers.")


@sso_cli.command("sync")
def sso_sync() -> None:
    """Create or update the identity providers described in OIDC_PROVIDERS (docs/sso.md)."""
    from flask import current_app

    from app.sso.services import sync_from_environment

    try:
        providers = sync_from_environment(current_app.config["OIDC_PROVIDERS"])
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    for provider in providers:
        click.echo(f"{provider.slug}: {provider.name} ({provider.issuer})")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create the first platform admin (or make an existing account admin and set its password)."""
    user = find_user_by_email(email) or User(email=normalise_email(email), name=name)
    db.session.add(user)
    user.is_admin = True
    try:
        set_password(user, password)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.email} is admin.")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing backup.")
def backup_command(target: Path, force: bool) -> None:
    """Copy the SQLite database (online: consistent while the app runs) to TARGET and the uploads (UPLOAD_FOLDER,
    or the bucket of STORAGE_URL) to TARGET.uploads.tar.gz. PostgreSQL: use pg_dump (see docs/operations.md)."""
    try:
        result = backup(target, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database backed up to {result.database}")
    if result.uploads:
        click.echo(f"Uploads backed up to {result.uploads}")
    else:
        click.echo("No upload folder: only the database was backed up.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the SQLite database (and the uploads, when SOURCE.uploads.tar.gz exists) with the backup SOURCE.
    Stop the web and scheduler processes first."""
    try:
        found = check_backup(source)
        live = live_database()
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    what = f"the database {live}" + (" and the uploads" if found.uploads else "")
    if not yes:
        click.confirm(f"Replace {what} with {found.database} (revision {found.revision})?", abort=True)
    try:
        restore(source)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {what} from {found.database}.")
    if not found.at_head:
        click.echo("The backup is older than the code: run `flask --app app db upgrade`.")


storage_cli = AppGroup(
    "storage", help="Uploaded files: the upload folder (UPLOAD_FOLDER) and the bucket (STORAGE_URL)."
)


@storage_cli.command("copy")
@click.option("--to", "to", type=click.Choice(["s3", "local"]), required=True, help="Where the files go.")
def storage_copy(to: str) -> None:
    """Copy every uploaded file from UPLOAD_FOLDER to the bucket of STORAGE_URL (--to s3) or back (--to local).

    Files already there with the same size and checksum are skipped, so the command can be run again after an
    interruption. The source is left as it is; switch STORAGE_URL once the copy is complete."""
    try:
        bucket = storage.s3_storage()
        source, target = (storage.local_storage(), bucket) if to == "s3" else (bucket, storage.local_storage())
        target.ping()
        result = storage.copy_all(source, target, keep=uploads.is_stored_key)
    except storage.StorageError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Copied {result.copied} files from {source!r} to {target!r}; {result.present} were there already.")


@click.command("bench-data")
@click.option("--parks", type=click.IntRange(min=1), default=4_000, show_default=True)
@click.option("--seed", type=int, default=2027, show_default=True, help="The same seed gives the same data.")
@click.option("--force", is_flag=True, help="Add to a database that already holds parks.")
def bench_data(parks: int, seed: int, force: bool) -> None:
    """Fill the (migrated) database with PARKS generated parks for the benchmarks in bench/. Never on a real
    database: it refuses one that holds parks unless --force."""
    started = time.perf_counter()
    try:
        summary = generate(
            parks=parks,
            seed=seed,
            today=local_today(),
            now=datetime.now(UTC),
            force=force,
            progress=lambda done: click.echo(f"  {done} parks", err=True),
        )
    except AlreadyHasParks as error:
        raise click.ClickException(f"{error}; use a fresh database, or --force to add to it") from None
    db.session.commit()
    for table, count in sorted(summary.counts.items()):
        click.echo(f"{table:28} {count:9}")
    click.echo(f"Generated {parks} parks in {time.perf_counter() - started:.1f} s.")
