"""Connecting to the database: the URL, the engine (SQLite in WAL mode with writers queueing, or PostgreSQL), sessions.

On SQLite, write transactions start with ``BEGIN IMMEDIATE`` and the database runs in WAL mode with a
busy timeout, so two reviewers (two processes or threads) writing at once queue instead of failing.
On PostgreSQL (``postgresql+psycopg://...``, the ``postgres`` extra) transactions run at the server's default
READ COMMITTED level; the review queue's claims lock rows with ``FOR UPDATE SKIP LOCKED``
(:mod:`evidence.store.claims`). A bare ``postgresql://`` URL means psycopg 3, the driver that extra installs.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from evidence.config import data_home
from evidence.store.records import StoreError

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "EVIDENCE_DATABASE_URL"
_SQLITE_BUSY_SECONDS = 30
_WRITE_OPTION = "evidence_write"  # the execution option that marks a connection as a writer
POSTGRES_DRIVER = "postgresql+psycopg"


def default_url() -> str:
    """``EVIDENCE_DATABASE_URL`` if set, else a SQLite file in the data directory."""
    return os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{data_home() / 'evidence.db'}"


def safe_url(url: str) -> str:
    """The URL without a password, for logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - logging must never fail on a malformed URL
        return "<database>"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; on SQLite, with foreign keys, a busy timeout, WAL and immediate writers."""
    if not url.startswith("sqlite"):
        return _server_engine(url)
    memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
    if not memory:
        path = url.split("///", 1)[-1].split("?", 1)[0]
        if path:
            _owner_only(Path(path).expanduser())
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": _SQLITE_BUSY_SECONDS},
                           **({"poolclass": StaticPool} if memory else {}))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" below emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_SQLITE_BUSY_SECONDS * 1000}")
        if not memory:
            _enable_wal(cursor)
            cursor.execute("PRAGMA synchronous=FULL")  # a committed decision survives a power cut
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A writer takes the write lock up front, so two writers queue (busy_timeout) rather than
        # deadlock on upgrading a read lock.
        immediate = connection.get_execution_options().get(_WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _server_engine(url: str) -> Engine:
    """An engine for a database server (PostgreSQL through psycopg 3); a missing driver's error names the extra."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":  # SQLAlchemy's default would be psycopg2, which the extra does not install
        parsed = parsed.set(drivername=POSTGRES_DRIVER)
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as exc:
        raise StoreError(f"{safe_url(url)} needs the database driver {exc.name!r}, which is not installed; "
                         "for PostgreSQL install the extra: pip install 'evidence[postgres]'") from exc


def _owner_only(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (it would use 0644), and tighten one of ours that is looser.

    The database holds applicants' unredacted statements. SQLite gives the ``-wal`` and ``-shm`` files
    the database file's mode, so creating the database 0600 covers them; existing ones are tightened too.
    A new folder is created 0700.

    An existing database is never opened here: closing any descriptor of a file drops all of this process's
    POSIX locks on it, SQLite's included, so a second ``Store.open`` in a process that already had the database
    open let another process delete the write-ahead log still in use, and the decisions written to it were lost
    (tests/store/test_database.py).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:  # unwritable: SQLite reports it with its own message
        return
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            info = file.stat()
            if info.st_mode & 0o077 and info.st_uid == getattr(os, "geteuid", lambda: -1)():
                file.chmod(0o600)
                logger.warning("%s was readable by other users; made it owner-only (0600)", file)
        except OSError:  # -wal/-shm not there (yet), or not ours
            continue


def _enable_wal(cursor: sqlite3.Cursor) -> None:
    """Switch the file to write-ahead logging, waiting while another connection holds it.

    SQLite answers a journal-mode change with "database is locked" at once, without calling the
    busy handler, when another connection is mid-transaction (two processes creating a new file
    together), so the wait is done here. WAL persists in the file: later connections skip it.
    """
    deadline = time.monotonic() + _SQLITE_BUSY_SECONDS
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Database:
    """One engine with its read and write sessions: what every part of the :class:`~evidence.store.Store` uses."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self._writer = engine.execution_options(**{_WRITE_OPTION: True})

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction: committed as a whole on success, rolled back on any error."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session
