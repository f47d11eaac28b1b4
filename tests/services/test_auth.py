"""Offline sign-in: salted hashes, the users file, user roles and permissions, the `users` command."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml

from evidence.services import auth
from evidence.services.auth import AuthError, Permission, UserRole


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVIDENCE_HOME", str(tmp_path))
    return tmp_path


def test_hashes_are_salted_and_verify() -> None:
    first, second = auth.hash_password("correct horse"), auth.hash_password("correct horse")
    assert first["salt"] != second["salt"] and first["hash"] != second["hash"]
    assert auth.verify_password("correct horse", first)
    assert not auth.verify_password("correct horsf", first)
    assert not auth.verify_password("x", {"algorithm": "md5", "salt": "00", "hash": "00"})
    assert not auth.verify_password("x", {"algorithm": "scrypt"})


def test_pbkdf2_records_verify_too() -> None:
    import hashlib

    salt = b"0123456789abcdef"
    record = {"algorithm": "pbkdf2_sha256", "salt": salt.hex(), "iterations": 1000,
              "hash": hashlib.pbkdf2_hmac("sha256", b"secret-pass", salt, 1000).hex()}
    assert auth.verify_password("secret-pass", record) and not auth.verify_password("secret-pasS", record)


def test_add_and_authenticate(home: Path) -> None:
    auth.add_user("alex", "long-enough", "reviewer")
    user = auth.authenticate("alex", "long-enough")
    assert user == auth.User("alex", UserRole.reviewer)
    assert auth.authenticate("alex", "wrong-password") is None
    assert auth.authenticate("nobody", "long-enough") is None
    stored = json.loads((home / "users.json").read_text())["users"]["alex"]
    assert "long-enough" not in json.dumps(stored) and stored["algorithm"] in ("scrypt", "pbkdf2_sha256")
    assert stat.S_IMODE((home / "users.json").stat().st_mode) == 0o600


def test_adding_checks_names_roles_passwords_and_duplicates() -> None:
    with pytest.raises(AuthError, match="unknown role"):
        auth.add_user("alex", "long-enough", "boss")
    with pytest.raises(AuthError, match="too short"):
        auth.add_user("alex", "short", "admin")
    with pytest.raises(AuthError, match="not allowed"):
        auth.add_user("a b", "long-enough", "admin")
    auth.add_user("alex", "long-enough", "admin")
    with pytest.raises(AuthError, match="--replace"):
        auth.add_user("alex", "another-one", "recruiter")
    auth.add_user("alex", "another-one", "recruiter", replace=True)
    assert auth.authenticate("alex", "another-one").role is UserRole.recruiter


def test_a_yaml_users_file_is_read(home: Path) -> None:
    record = {"role": "admin", **auth.hash_password("yaml-password")}
    (home / "users.yaml").write_text(yaml.safe_dump({"users": {"root": record}}))
    assert auth.users_path() == home / "users.yaml"
    assert auth.authenticate("root", "yaml-password").role is UserRole.admin


def test_a_broken_users_file_says_how_to_fix_it(home: Path) -> None:
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


def test_demo_users_are_created_only_when_there_are_none() -> None:
    created = auth.ensure_demo_users()
    assert set(created) == {"admin", "recruiter", "reviewer"}
    assert auth.authenticate("admin", "admin-demo").role is UserRole.admin
    assert auth.ensure_demo_users() is None
    auth.add_user("admin", "changed-password", "admin", replace=True)
    assert set(auth.demo_credentials_valid()) == {"recruiter", "reviewer"}
