"""Offline sign-in: salted hashes, the users file, the password policy, back-off, user roles and permissions."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import stat
from pathlib import Path

import pytest
import yaml

from evidence.services import auth
from evidence.services.auth import AuthError, Permission, Throttled, UserRole
from evidence.services.throttle import (
    FORGET_SECONDS,
    FREE_CLIENT_FAILURES,
    FREE_USER_FAILURES,
    MAX_DELAY_SECONDS,
    Throttle,
)
from tests.factories import cheap_hashing

GOOD = "correct horse battery staple"  # 28 characters, not a common password


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path / "home"))
    cheap_hashing(monkeypatch)
    return tmp_path / "home"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_hashes_are_salted_and_verify() -> None:
    first, second = auth.hash_password(GOOD), auth.hash_password(GOOD)
    assert first["salt"] != second["salt"] and first["hash"] != second["hash"]
    assert auth.verify_password(GOOD, first)
    assert not auth.verify_password(GOOD + "!", first)
    assert not auth.verify_password("x", {"algorithm": "md5", "salt": "00", "hash": "00"})
    assert not auth.verify_password("x", {"algorithm": "scrypt"})
    assert not auth.verify_password("x", {**first, "n": 2**30})  # a tampered cost is refused, not computed


def test_new_hashes_use_owasps_scrypt_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(auth.SCRYPT, "n", 2**17)  # undo the fixture's cheap hashing: the real cost, once
    record = auth.hash_password(GOOD)
    assert (record["algorithm"], record["n"], record["r"], record["p"]) == ("scrypt", 2**17, 8, 1)
    assert auth.verify_password(GOOD, record) and not auth.needs_rehash(record)


def test_pbkdf2_records_verify_too() -> None:
    salt = b"0123456789abcdef"
    record = {"algorithm": "pbkdf2_sha256", "salt": salt.hex(), "iterations": 1000,
              "hash": hashlib.pbkdf2_hmac("sha256", b"secret-pass", salt, 1000).hex()}
    assert auth.verify_password("secret-pass", record) and not auth.verify_password("secret-pasS", record)
    assert auth.needs_rehash(record)


def old_record(password: str, n: int = 2**14) -> dict[str, object]:
    """A record as the previous version wrote it (scrypt N=2^14)."""
    salt = b"fedcba9876543210"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=8, p=1, maxmem=64 * 1024 * 1024, dklen=32)
    return {"role": "admin", "algorithm": "scrypt", "salt": salt.hex(), "hash": digest.hex(), "n": n, "r": 8,
            "p": 1, "created_at": "2026-01-01T00:00:00+00:00"}


def test_old_scrypt_hashes_verify_and_are_upgraded_at_the_next_sign_in(home: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(auth.SCRYPT, "n", 2**15)  # above the old 2^14 like today's 2^17, at a quarter of the time
    home.mkdir()
    (home / "users.json").write_text(json.dumps({"users": {"root": old_record(GOOD)}}))
    assert auth.needs_rehash(old_record(GOOD))
    assert auth.sign_in("root", "wrong password here") is None
    assert json.loads((home / "users.json").read_text())["users"]["root"]["n"] == 2**14  # no upgrade on failure
    done = auth.sign_in("root", GOOD)
    assert done is not None and done.user == auth.User("root", UserRole.admin) and not done.must_change
    stored = json.loads((home / "users.json").read_text())["users"]["root"]
    assert (stored["n"], stored["r"], stored["p"]) == (2**15, 8, 1) and stored["created_at"].startswith("2026-01-01")
    assert "rehashed_at" in stored and mode(home / "users.json") == 0o600
    assert auth.authenticate("root", GOOD) == auth.User("root", UserRole.admin)


def test_add_and_authenticate(home: Path) -> None:
    auth.add_user("alex", GOOD, "reviewer")
    assert auth.authenticate("alex", GOOD) == auth.User("alex", UserRole.reviewer)
    assert auth.authenticate("alex", "wrong-password") is None
    assert auth.authenticate("nobody", GOOD) is None
    stored = json.loads((home / "users.json").read_text())["users"]["alex"]
    assert GOOD not in json.dumps(stored) and stored["algorithm"] in ("scrypt", "pbkdf2_sha256")


def test_adding_checks_names_roles_and_duplicates() -> None:
    with pytest.raises(AuthError, match="unknown role"):
        auth.add_user("alex", GOOD, "boss")
    with pytest.raises(AuthError, match="not allowed"):
        auth.add_user("a b", GOOD, "admin")
    auth.add_user("alex", GOOD, "admin")
    with pytest.raises(AuthError, match="--replace"):
        auth.add_user("alex", "another good passphrase", "recruiter")
    auth.add_user("alex", "another good passphrase", "recruiter", replace=True)
    assert auth.authenticate("alex", "another good passphrase").role is UserRole.recruiter


@pytest.mark.parametrize(("password", "message"), [
    ("12345678", "too short (8 characters); use at least 15"),
    ("password", "too short"),
    ("admin-demo", "too short"),
    (" " * 16, "only spaces"),
    ("1qaz2wsx3edc4rfv", "one of the 30,000 most common passwords"),
    ("QWERTY123456789", "one of the 30,000 most common passwords"),
    ("aaaaaaaaaaaaaaaa", "too few characters"),
    ("abababababababab", "too few characters"),
    ("alexandra.smith1", "mostly the user name"),
    ("ALEXANDRA.SMITH", "mostly the user name"),
    ("x" * 1025, "too long"),
])
def test_weak_passwords_are_refused_with_a_clear_message(home: Path, password: str, message: str) -> None:
    with pytest.raises(AuthError, match=message.replace("(", r"\(").replace(")", r"\)")):
        auth.add_user("alexandra.smith", password, "admin")
    assert not (home / "users.json").exists()
    assert auth.password_problem("alexandra.smith says hi to everyone", "alexandra.smith") is None


def test_the_users_file_is_0600_whatever_the_umask_or_a_stale_tmp(home: Path) -> None:
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    stale = home / "users.json.tmp"
    stale.write_text("{}")
    stale.chmod(0o666)
    previous = os.umask(0)
    try:
        auth.add_user("alex", GOOD, "admin")
        auth.add_user("sam", GOOD + " two", "reviewer")
    finally:
        os.umask(previous)
    assert mode(home / "users.json") == 0o600 and mode(home / "users.json.lock") == 0o600
    assert mode(home) == 0o700
    assert not [p.name for p in home.iterdir() if p.name.startswith(".users.json.")]  # no temporary left


def test_a_users_file_others_can_read_is_made_owner_only(home: Path) -> None:
    auth.add_user("alex", GOOD, "admin")
    (home / "users.json").chmod(0o666)
    assert auth.authenticate("alex", GOOD) is not None
    assert mode(home / "users.json") == 0o600


def _add_many(prefix: str, count: int) -> None:
    for i in range(count):
        auth.add_user(f"{prefix}{i}", f"{prefix} passphrase number {i}", "reviewer")


def test_concurrent_adds_lose_nothing(home: Path) -> None:
    auth.add_user("first", GOOD, "admin")
    context = multiprocessing.get_context("fork")  # the children inherit the fixture's cheap hashing
    workers = [context.Process(target=_add_many, args=(prefix, 10)) for prefix in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    assert len(auth.load_users()) == 21
    assert auth.authenticate("b9", "b passphrase number 9") is not None


def test_a_yaml_users_file_is_read(home: Path) -> None:
    home.mkdir()
    record = {"role": "admin", **auth.hash_password("yaml-password")}
    (home / "users.yaml").write_text(yaml.safe_dump({"users": {"root": record}}))
    assert auth.users_path() == home / "users.yaml"
    assert auth.authenticate("root", "yaml-password").role is UserRole.admin


def test_a_broken_users_file_says_how_to_fix_it(home: Path) -> None:
    home.mkdir()
    (home / "users.json").write_text("{not json")
    with pytest.raises(AuthError, match="cannot read the users file"):
        auth.authenticate("a", "b")
    (home / "users.json").write_text('{"people": []}')
    with pytest.raises(AuthError, match="expected a mapping 'users'"):
        auth.load_users()


def test_roles_grant_what_each_page_needs() -> None:
    assert auth.can(UserRole.recruiter, Permission.screen) and not auth.can(UserRole.recruiter, Permission.review)
    assert auth.can(UserRole.reviewer, Permission.review) and not auth.can(UserRole.reviewer, Permission.screen)
    for role in UserRole:
        assert auth.can(role, Permission.my_evidence) and auth.can(role, Permission.browse_frameworks)
    assert all(auth.can(UserRole.admin, p) for p in Permission)
    assert not auth.can(UserRole.reviewer, Permission.import_frameworks)
    assert not auth.can(None, Permission.my_evidence)


# -- back-off ------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttling_delays_the_fourth_wrong_attempt_and_doubles() -> None:
    auth.add_user("alex", GOOD, "admin")
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(FREE_USER_FAILURES):  # three mistakes cost nothing
        assert auth.sign_in("alex", "not the password", throttle=throttle) is None
    with pytest.raises(Throttled, match="wait 1 s") as refused:
        auth.sign_in("alex", GOOD, throttle=throttle)  # refused unchecked, even with the right password
    assert refused.value.retry_after == pytest.approx(1.0)
    clock.now += 1
    assert auth.sign_in("alex", "not the password", throttle=throttle) is None
    with pytest.raises(Throttled):
        auth.sign_in("alex", GOOD, throttle=throttle)
    assert throttle.wait("ALEX", None) == pytest.approx(2.0)  # doubled; user names compare case-blind
    clock.now += 2
    assert auth.sign_in("alex", GOOD, throttle=throttle) is not None
    assert throttle.wait("alex", None) == 0  # a success starts again from nothing


def test_the_delay_is_capped_and_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    throttle = Throttle(clock=clock)
    for _ in range(30):
        throttle.failure("alex", "10.0.0.1")
    assert throttle.wait("alex", None) == MAX_DELAY_SECONDS
    clock.now += FORGET_SECONDS
    assert throttle.wait("alex", "10.0.0.1") == 0


def test_one_client_guessing_many_user_names_is_throttled_too() -> None:
    auth.add_user("alex", GOOD, "admin")
    throttle = Throttle(clock=Clock())
    for i in range(FREE_CLIENT_FAILURES):
        assert auth.sign_in(f"user{i}", "guess guess guess", client="203.0.113.9", throttle=throttle) is None
    with pytest.raises(Throttled):
        auth.sign_in("alex", GOOD, client="203.0.113.9", throttle=throttle)
    assert auth.sign_in("alex", GOOD, client="198.51.100.7", throttle=throttle) is not None  # another client


# -- password changes ----------------------------------------------------------------------------


def test_a_common_password_must_be_changed_by_an_admin_and_is_flagged_for_anyone(home: Path) -> None:
    auth.add_user("alex", GOOD, "admin")
    users = auth.load_users()
    for name, role in (("old", "reviewer"), ("boss", "admin")):  # accepted by the previous version
        users[name] = {"role": role, **auth.hash_password("password")}
    auth.save_users(users)
    reviewer, admin = auth.sign_in("old", "password"), auth.sign_in("boss", "password")
    good = auth.sign_in("alex", GOOD)
    assert reviewer is not None and reviewer.weak_password and not reviewer.must_change
    assert admin is not None and admin.weak_password and admin.must_change
    assert good is not None and not good.weak_password and not good.must_change


def test_changing_a_password_checks_the_old_one_and_the_policy(home: Path) -> None:
    auth.add_user("alex", GOOD, "admin")
    with pytest.raises(AuthError, match="current password is wrong"):
        auth.change_password("alex", "not it", "a brand new passphrase")
    with pytest.raises(AuthError, match="is the current one"):
        auth.change_password("alex", GOOD, GOOD)
    with pytest.raises(AuthError, match="too short"):
        auth.change_password("alex", GOOD, "short")
    auth.change_password("alex", GOOD, "a brand new passphrase")
    assert auth.authenticate("alex", "a brand new passphrase").role is UserRole.admin
    assert auth.authenticate("alex", GOOD) is None
