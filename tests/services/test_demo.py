"""The embedded default (evidence.services.demo): the store, the demo accounts and the sample batch, set up once."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from evidence.services import auth, demo
from evidence.services.auth import UserRole
from evidence.store import Store, default_url
from tests.factories import FakeAnalyzer, cheap_hashing


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVIDENCE_DATABASE_URL", raising=False)
    monkeypatch.setattr(demo, "load_analyzer", lambda framework, model="promoted": FakeAnalyzer(framework))
    cheap_hashing(monkeypatch)
    return tmp_path / "home"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_prepare_demo_reports_what_it_set_up(home: Path) -> None:
    setup = demo.prepare_demo()
    assert setup.users_created and setup.batch_created and setup.users_file == home / "users.json"
    assert setup.credentials == auth.DEMO_USERS
    records = json.loads((home / "users.json").read_text())["users"]
    assert all(r["demo"] is True for r in records.values())
    assert {name: r["must_change"] for name, r in records.items()} == {"admin": True, "recruiter": False,
                                                                       "reviewer": False}
    again = demo.prepare_demo()
    assert not again.users_created and not again.batch_created and again.batch_id == setup.batch_id


def test_the_demo_creates_its_files_owner_only_whatever_the_umask(home: Path) -> None:
    previous = os.umask(0)
    try:
        demo.prepare_demo()
        with Store.open(default_url()) as store:  # WAL files exist while a connection is open
            store.list_batches()
            assert {p.name: mode(p) for p in home.iterdir() if p.name.startswith("evidence.db")} == {
                "evidence.db": 0o600, "evidence.db-wal": 0o600, "evidence.db-shm": 0o600}
    finally:
        os.umask(previous)
    assert mode(home) == 0o700 and mode(home / "users.json") == 0o600


def test_demo_users_are_not_created_without_the_demo(home: Path) -> None:
    with Store.open(default_url()) as store:  # what the app and the other commands open
        store.list_batches()
    assert auth.load_users() == {} and demo.demo_accounts() == {}
    assert not (home / "users.json").exists()


def test_the_demo_adds_no_accounts_where_users_exist(home: Path) -> None:
    auth.add_user("owner", "a long enough passphrase", "admin")
    assert demo.create_demo_users() is None
    assert set(auth.load_users()) == {"owner"} and demo.demo_accounts() == {}


def test_a_demo_account_is_listed_only_until_its_password_changes(home: Path) -> None:
    demo.create_demo_users()
    auth.change_password("admin", "admin-demo", "the admin's own passphrase")
    auth.add_user("recruiter", "the recruiter's own passphrase", "recruiter", replace=True)
    assert demo.demo_accounts() == {"reviewer": (UserRole.reviewer, "reviewer-demo")}
    signed_in = auth.sign_in("reviewer", "reviewer-demo")
    assert signed_in is not None and signed_in.weak_password and not signed_in.must_change
    assert not auth.sign_in("admin", "the admin's own passphrase").must_change
