"""Empty databases of the backend under test, for tests that build a schema of their own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from app.config import TestingConfig


@contextmanager
def throwaway_database_url(directory: Path, name: str) -> Iterator[str]:
    """A SQLite file in `directory`, or, with TEST_DATABASE_URL set, a PostgreSQL schema dropped afterwards."""
    if not os.environ.get("TEST_DATABASE_URL"):
        yield f"sqlite:///{directory / f'{name}.sqlite'}"
        return
    base = TestingConfig.load()["SQLALCHEMY_DATABASE_URI"]
    schema = f"{name}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
