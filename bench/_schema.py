"""The database a benchmark builds in: on PostgreSQL a schema of its own, created for one run and dropped after
it, so that a benchmark never touches the `public` schema (nor another run's data).

The benchmarks run as scripts from this folder and import it as `_schema`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

#: the PostgreSQL of a development machine; the benchmarks that need PostgreSQL take it unless told otherwise
POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/test"


def _execute(base: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


@contextmanager
def own_schema(base: str, prefix: str) -> Iterator[tuple[str, str | None]]:
    """(URL, schema) to build in. For PostgreSQL a new schema `<prefix>_<random>` and `base` with that schema as
    every connection's search path; the schema is dropped with all it holds when the block ends, however it
    ends. Any other database (a SQLite file of the benchmark's own) is used as it is, without a schema."""
    if not base.startswith("postgresql"):
        yield base, None
        return
    schema = f"{prefix}_{uuid.uuid4().hex[:8]}"
    _execute(base, f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", schema
    finally:
        _execute(base, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
