"""The databases the store, review and concurrency tests run on: SQLite always, PostgreSQL when a server is given.

``EVIDENCE_TEST_POSTGRES_URL`` names a PostgreSQL database the tests may create schemas in (``.ci/run`` starts a
throwaway server and sets it). Each test then gets a schema of its own, made before it and dropped after it, and
a URL whose ``search_path`` is that schema, so the store's tables, migrations and Alembic's version table all
land there. Without the variable the PostgreSQL cases are skipped, with the reason, never failed.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ENV = "EVIDENCE_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")
DROP_WAIT_MS = 10_000  # a test that left a transaction open fails its teardown here instead of hanging the run


def postgres_server() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def skip_without_postgres() -> None:
    if postgres_server() is None:
        pytest.skip(f"PostgreSQL case: set {POSTGRES_ENV} to a database URL to run it (.ci/run starts a server)")


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'evidence.db'}"


def fresh_postgres_schema() -> Iterator[str]:
    """A URL for a new, empty schema on the test server; the schema is dropped afterwards."""
    server = postgres_server()
    assert server is not None
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        yield make_url(server).update_query_dict({"options": f"-csearch_path={name}"}).render_as_string(
            hide_password=False)
        with admin.begin() as connection:
            connection.execute(text(f"SET LOCAL lock_timeout = {DROP_WAIT_MS}"))
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    skip_without_postgres()
    yield from fresh_postgres_schema()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, for what only PostgreSQL does (row locks, several servers migrating at once)."""
    skip_without_postgres()
    yield from fresh_postgres_schema()
