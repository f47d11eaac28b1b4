"""Opening a store: URLs, SQLite files and memory, PostgreSQL, concurrent first opens, migrations up and down."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect

from evidence.store import Store, StoreError, default_url
from evidence.store.database import make_engine, safe_url
from evidence.store.migrations import alembic_config


def test_the_migrations_downgrade_and_upgrade_again(database_url: str, save_small: Callable[[Store], int]) -> None:
    url = database_url
    with Store.open(url) as s:
        config = alembic_config(url)
        with s.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(s.engine).get_table_names()) <= {"alembic_version"}
        s.upgrade()
        save_small(s)
        assert len(s.review_queue()) == 3


def test_the_revision_helper_runs_as_a_module() -> None:
    done = subprocess.run([sys.executable, "-m", "evidence.store.migrations", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "revision" in done.stdout


def test_reopening_an_existing_database_keeps_its_data(database_url: str, save_small: Callable[[Store], int]) -> None:
    url = database_url
    with Store.open(url) as first:
        save_small(first)
    with Store.open(url) as second:
        assert [b.name for b in second.list_batches()] == ["b"]


def test_stores_opening_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    # The race (a journal-mode switch meeting another connection's migration) is timing-dependent:
    # repeat it so that a regression fails reliably rather than once in a few runs.
    errors: list[BaseException] = []

    def open_it(url: str) -> None:
        try:
            Store.open(url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    for attempt in range(15):
        url = f"sqlite:///{tmp_path / f'race-{attempt}.db'}"
        threads = [threading.Thread(target=open_it, args=(url,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_a_file_database_runs_in_wal_mode(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'wal.db'}") as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_opening_a_store_twice_keeps_the_write_ahead_log_of_the_first(tmp_path: Path) -> None:
    """A second Store.open in a process (the app's store beside the audit trail's) closed a descriptor of the file,
    which drops every SQLite lock the process held on it: another process closing its store then deleted the
    write-ahead log the first was writing to, and what was written after that was lost on restart."""
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'evidence.db'}"
    with Store.open(url) as first:
        with first._read() as session:  # a pooled connection holds the file open, as in the running app
            session.execute(text("select 1"))
        Store.open(url).close()
        subprocess.run([sys.executable, "-c", f"from evidence.store import Store; Store.open({url!r}).close()"],
                       check=True)
        with first._write() as session:
            session.execute(text("create table probe (x int)"))
            session.execute(text("insert into probe values (1)"))
        assert (tmp_path / "evidence.db-wal").exists()
    with Store.open(url) as reopened, reopened._read() as session:
        assert session.execute(text("select x from probe")).scalar() == 1


def test_a_postgresql_url_without_a_driver_means_psycopg_3() -> None:
    engine = make_engine("postgresql://ann:secret@db.example/evidence")  # connects lazily: no server needed
    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_a_missing_database_driver_names_the_extra_to_install() -> None:
    with pytest.raises(StoreError, match=r"evidence\[postgres\]") as caught:
        make_engine("postgresql+pg8000://ann:secret@db.example/evidence")  # a driver this project never installs
    assert "secret" not in str(caught.value)


def test_stores_opening_a_new_postgresql_schema_at_once_all_succeed(postgres_url: str) -> None:
    """App servers starting together on an empty PostgreSQL database: the migrations run once, one after another."""
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Store.open(postgres_url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(postgres_url) as s:
        assert s.list_batches() == []


def test_default_url_is_in_the_data_directory_unless_overridden(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    assert default_url() == f"sqlite:///{tmp_path / 'evidence.db'}"
    monkeypatch.setenv("EVIDENCE_DATABASE_URL", "sqlite:///elsewhere.db")
    assert default_url() == "sqlite:///elsewhere.db"


def test_in_memory_database_works(save_small: Callable[[Store], int]) -> None:
    with Store.open("sqlite://") as s:
        save_small(s)
        assert len(s.review_queue()) == 3


def test_logged_urls_hide_the_password() -> None:
    assert safe_url("postgresql://ann:secret@db/evidence") == "postgresql://ann:***@db/evidence"
    assert safe_url("not a url") == "<database>"


def test_the_database_and_its_wal_files_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        with Store.open(f"sqlite:///{tmp_path / 'new' / 'evidence.db'}") as s:
            s.list_batches()
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "new").iterdir()}
    finally:
        os.umask(previous)
    assert modes == {"evidence.db": 0o600, "evidence.db-wal": 0o600, "evidence.db-shm": 0o600}
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_a_database_others_can_read_is_made_owner_only(tmp_path: Path,
                                                      save_small: Callable[[Store], int]) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store.open(url) as s:
        save_small(s)
    (tmp_path / "old.db").chmod(0o644)  # as the previous version left it
    with Store.open(url) as s:
        assert len(s.review_queue()) == 3  # the data is kept
    assert stat.S_IMODE((tmp_path / "old.db").stat().st_mode) == 0o600
