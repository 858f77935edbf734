"""Command-line tasks: `flask --app app seed-demo` and `flask --app app create-admin`."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import Flask

from app.auth.models import User
from app.auth.services import find_user_by_email, normalise_email, set_password
from app.demo import DEMO_PASSWORD, seed_demo_data
from app.errors import DomainError
from app.extensions import db


def init_app(app: Flask) -> None:
    from app.jobs.runner import jobs_cli

    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(jobs_cli)


@click.command("seed-demo")
def seed_demo() -> None:
    """Fill the database with a realistic demo (idempotent) and print the demo accounts."""
    accounts = seed_demo_data(now=datetime.now(UTC))
    db.session.commit()
    click.echo(f"Demo-accounts (wachtwoord / password: {DEMO_PASSWORD}):")
    for email, description, _password in accounts:
        click.echo(f"  {email:45} {description}")


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
        set_password(user, password, now=datetime.now(UTC))
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"{user.email} is admin.")
